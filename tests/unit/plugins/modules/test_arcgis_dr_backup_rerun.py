# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cheap re-runs of arcgis_dr_backup, through main() against the emulator, counted on its request log:
option confirm (one read of the recorded backup answers the run), its fall-backs, and the stores lookup
left out when the store is named."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

PASSCODE = 'a-long-passcode'
NAME = 'saasops-run-1'
START = 1795860000000  # 2026-11-28T10:00:00Z


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(env, check_mode=False, **args):
    """main() with ``args`` over name and passcode; an option given as None is left out."""
    return env.run(mod, args, check_mode=check_mode, defaults=dict(name=NAME, passcode=PASSCODE))


def seed(env, store='default-store', **fields):
    backup = dict({'backupName': NAME, 'store': store, 'startTime': START, 'retentionDate': -1}, **fields)
    env.emu.seed({'arcgis': {'backups': [backup]}})
    env.emu.clear_requests()


def sent(env):
    """``(method, path after /arcgis)`` of every request, in order."""
    return [(r['method'], r['path'].split('/arcgis', 1)[1]) for r in env.emu.requests()]


def backups(env, store='default-store'):
    return dict((b['backupName'], b) for b in env.emu.state('arcgis')['backups'][store])


TOKEN = ('POST', '/sharing/rest/generateToken')
STORES = ('GET', '/admin/system/disasterrecovery/stores')


def read(store='default-store', name=NAME):
    return ('GET', '/admin/system/disasterrecovery/stores/%s/backups/%s' % (store, name))


# --- the figures: a re-run of a completed backup --------------------------------------------------

def test_a_rerun_without_confirm_reads_token_stores_and_backup(env):
    seed(env)
    result = run(env)
    assert result['failed'] is False and result['changed'] is False and result['confirmed'] is False
    assert sent(env) == [TOKEN, STORES, read()]


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_rerun_with_confirm_is_the_token_and_one_read(env, check_mode):
    seed(env)
    result = run(env, check_mode=check_mode, confirm=dict(name=NAME, store='default-store'))
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False and result['confirmed'] is True
    assert result['backup']['name'] == NAME and result['backup']['store'] == 'default-store'
    assert result['backup']['status'] == 'completed'
    assert sent(env) == [TOKEN, read()] and env.mutations() == []


def test_a_named_store_is_not_looked_up_when_the_backup_is_there(env):
    seed(env, store='secondary')
    result = run(env, store='secondary')
    assert result['failed'] is False and result['changed'] is False
    assert result['backup']['store'] == 'secondary'
    assert sent(env) == [TOKEN, read('secondary')]


def test_confirm_with_a_named_store_reads_that_store(env):
    seed(env, store='secondary')
    result = run(env, store='secondary', confirm=dict(name=NAME))
    assert result['confirmed'] is True and result['backup']['store'] == 'secondary'
    assert sent(env) == [TOKEN, read('secondary')]


# --- anything else: the run goes on as without confirm --------------------------------------------

def test_confirm_of_another_name_is_ignored_without_a_request(env):
    seed(env)
    result = run(env, confirm=dict(name='saasops-run-0', store='default-store'))
    assert result['confirmed'] is False and result['changed'] is False
    assert sent(env) == [TOKEN, STORES, read()]


def test_confirm_of_another_store_than_the_named_one_is_ignored_without_reading_it(env):
    seed(env, store='secondary')
    result = run(env, store='secondary', confirm=dict(name=NAME, store='default-store'))
    assert result['confirmed'] is False and result['backup']['store'] == 'secondary'
    assert sent(env) == [TOKEN, read('secondary')]


def test_confirm_without_any_store_is_the_run_as_without_it(env):
    seed(env)
    result = run(env, confirm=dict(name=NAME))
    assert result['confirmed'] is False and result['changed'] is False
    assert sent(env) == [TOKEN, STORES, read()]


def test_confirm_of_a_missing_backup_falls_back_and_creates_it_once(env):
    result = run(env, confirm=dict(name=NAME, store='default-store'))
    assert result['failed'] is False, result['msg']
    assert result['confirmed'] is False and result['changed'] is True
    assert backups(env)[NAME]['status'] == 'completed'
    assert len(env.emu.requests(method='POST', path='/backups/create$')) == 1


def test_confirm_of_a_failed_backup_falls_back_to_the_failed_backup_error(env):
    seed(env, status='failed')
    result = run(env, confirm=dict(name=NAME, store='default-store'))
    assert result['failed'] is True and "exists but its status is 'failed'" in result['msg']
    assert env.mutations() == []


def test_confirm_of_a_running_backup_falls_back_and_waits_for_it(env):
    seed(env, status='in_progress')
    env.emu.configure({'arcgis': {'job_seconds': 5.0}})
    result = run(env, confirm=dict(name=NAME, store='default-store'), wait=False)
    assert result['confirmed'] is False and result['changed'] is False
    assert sent(env) == [TOKEN, read(), STORES, read()]
    assert env.mutations() == []


def test_confirm_in_a_store_that_does_not_hold_it_falls_back_to_the_default_store(env):
    seed(env)
    result = run(env, confirm=dict(name=NAME, store='secondary'))
    assert result['confirmed'] is False and result['changed'] is False
    assert result['backup']['store'] == 'default-store'
    assert sent(env) == [TOKEN, read('secondary'), STORES, read()]


def test_confirm_with_another_retention_falls_back_and_updates_it(env):
    seed(env)
    result = run(env, confirm=dict(name=NAME, store='default-store'), retention_date='2099-01-01')
    assert result['confirmed'] is False and result['changed'] is True
    assert len(env.emu.requests(method='POST', path='/update$')) == 1


@pytest.mark.parametrize('store', ['..', 'a/b', 'x?y', ' '])
def test_a_recorded_store_that_is_no_path_segment_is_never_put_in_a_url(env, store):
    seed(env)
    result = run(env, confirm=dict(name=NAME, store=store))
    assert result['failed'] is False and result['confirmed'] is False
    assert sent(env) == [TOKEN, STORES, read()]


def test_a_read_error_of_the_confirm_falls_back(env):
    seed(env)
    env.emu.add_fault(path='/backups/%s$' % NAME, action='status', status=500, body='{"error": {"code": 500, '
                      '"message": "boom", "details": []}}')
    result = run(env, confirm=dict(name=NAME, store='default-store'))
    assert result['failed'] is False, result['msg']
    assert result['confirmed'] is False and result['changed'] is False
    assert sent(env) == [TOKEN, read(), STORES, read()]


def test_confirm_is_ignored_on_delete(env):
    seed(env)
    result = run(env, state='absent', confirm=dict(name=NAME, store='default-store'))
    assert result['changed'] is True and result['confirmed'] is False and NAME not in backups(env)


# --- a named store that does not exist is still said so before anything changes ------------------

@pytest.mark.parametrize('state', ['present', 'absent'])
@pytest.mark.parametrize('check_mode', [False, True])
def test_a_named_store_that_does_not_exist_fails_naming_it(env, state, check_mode):
    result = run(env, store='nope', state=state, check_mode=check_mode)
    assert result['failed'] is True
    assert "ArcGIS backup store 'nope' does not exist (stores: default-store, secondary)" in result['msg']
    assert env.mutations() == []


def test_confirm_without_a_name_fails_before_any_request(env):
    result = run(env, confirm=dict(store='default-store'))
    assert result['failed'] is True and 'missing required arguments: name found in confirm' in result['msg']
    assert env.emu.requests() == []
