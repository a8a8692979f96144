# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""arcgis_dr_backup with assume_new (the name was just made up: no read looks for it before the create), through
main() against the emulator, counted on its request log - and the "never two backups" rule kept."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

PASSCODE = 'a-long-passcode'
NAME = 'saasops-run-1'
DR = '/admin/system/disasterrecovery'
TOKEN = ('POST', '/sharing/rest/generateToken')
STORES = ('GET', DR + '/stores')


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(env, check_mode=False, **args):
    """main() with ``args`` over name, passcode and assume_new; an option given as None is left out."""
    return env.run(mod, args, check_mode=check_mode, defaults=dict(name=NAME, passcode=PASSCODE, assume_new=True))


def sent(env):
    """``(method, path after /arcgis)`` of every request, in order."""
    return [(r['method'], r['path'].split('/arcgis', 1)[1]) for r in env.emu.requests()]


def store_path(store, *parts):
    return DR + '/stores/' + '/'.join((store,) + parts)


def backups(env, store='default-store'):
    return [b for b in env.emu.state('arcgis')['backups'].get(store, []) if b['backupName'] == NAME]


def seed(env, store='default-store', **fields):
    env.emu.seed({'arcgis': {'backups': [dict({'backupName': NAME, 'store': store, 'retentionDate': -1}, **fields)]}})
    env.emu.clear_requests()


# --- the sequences --------------------------------------------------------------------------------

@pytest.mark.parametrize('store', [None, 'secondary'])
def test_without_wait_the_start_is_token_stores_validate_create(env, store):
    result = run(env, wait=False, store=store)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True and result['backup']['status'] == 'in_progress'
    assert result['backup']['name'] == NAME and result['backup']['store'] == (store or 'default-store')
    assert result['job']['jobid'].startswith('j')
    where = store or 'default-store'
    # No read of the backup before the create (assume_new), none after it (the job runs it).
    assert sent(env) == [TOKEN, STORES, ('POST', store_path(where, 'validate')),
                         ('POST', store_path(where, 'backups', 'create'))]
    assert len(backups(env, where)) == 1


def test_without_assume_new_the_backup_is_looked_for_first(env):
    result = run(env, wait=False, assume_new=False)
    assert result['failed'] is False and result['changed'] is True
    assert sent(env) == [TOKEN, STORES, ('GET', store_path('default-store', 'backups', NAME)),
                         ('POST', store_path('default-store', 'validate')),
                         ('POST', store_path('default-store', 'backups', 'create'))]


def test_with_wait_the_job_and_the_backup_are_followed(env):
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True and result['backup']['status'] == 'completed'
    assert result['job']['status'] == 'COMPLETED'
    requests = sent(env)
    assert requests[:4] == [TOKEN, STORES, ('POST', store_path('default-store', 'validate')),
                            ('POST', store_path('default-store', 'backups', 'create'))]
    assert requests[-1] == ('GET', store_path('default-store', 'backups', NAME))
    assert len(backups(env)) == 1


def test_the_wait_of_a_later_run_reads_the_backup_it_started(env):
    started = run(env, wait=False)
    env.emu.clear_requests()
    waited = run(env, assume_new=False, confirm=dict(name=NAME, store=started['backup']['store']))
    assert waited['failed'] is False, waited['msg']
    assert waited['changed'] is False and waited['backup']['status'] == 'completed'
    assert waited['backup']['start_time_iso']
    assert sent(env)[:2] == [TOKEN, ('GET', store_path('default-store', 'backups', NAME))]
    assert len(backups(env)) == 1


def test_check_mode_sends_no_create(env):
    result = run(env, check_mode=True)
    assert result['failed'] is False and result['changed'] is True
    assert sent(env) == [TOKEN, STORES] and env.mutations() == []


# --- never two backups ----------------------------------------------------------------------------

def test_a_lost_create_answer_is_resolved_by_a_read_before_any_resend(env):
    env.emu.add_fault(method='POST', path='/create$', action='drop_after')
    result = run(env, wait=False)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    creates = env.emu.requests(method='POST', path='/create$')
    assert len(creates) == 1 and len(backups(env)) == 1
    requests = sent(env)
    read = ('GET', store_path('default-store', 'backups', NAME))
    assert requests.index(read) > requests.index(('POST', store_path('default-store', 'backups', 'create')))


def test_a_create_that_did_not_happen_is_sent_again_after_reading(env):
    env.emu.add_fault(method='POST', path='/create$', action='status', status=502)
    result = run(env, wait=False)
    assert result['failed'] is False, result['msg']
    assert len(env.emu.requests(method='POST', path='/create$')) == 2 and len(backups(env)) == 1
    assert ('GET', store_path('default-store', 'backups', NAME)) in sent(env)


def test_a_name_that_exists_after_all_is_taken_as_the_existing_backup(env):
    seed(env, status='completed')
    result = run(env, retention_date='never')
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False and result['backup']['status'] == 'completed'
    assert len(backups(env)) == 1


def test_a_failed_backup_of_that_name_is_refused_as_without_assume_new(env):
    seed(env, status='failed')
    result = run(env)
    assert result['failed'] is True and "status is 'failed'" in result['msg']
    assert len(backups(env)) == 1


# --- input ----------------------------------------------------------------------------------------

def test_assume_new_with_state_absent_fails_before_any_request(env):
    result = run(env, state='absent')
    assert result['failed'] is True and 'assume_new applies to state=present only' in result['msg']
    assert env.emu.requests() == []


def test_a_store_that_does_not_exist_fails_before_the_create(env):
    result = run(env, store='nowhere')
    assert result['failed'] is True and "store 'nowhere' does not exist" in result['msg']
    assert env.mutations() == []


def test_confirm_wins_over_assume_new(env):
    seed(env, status='completed')
    result = run(env, confirm=dict(name=NAME, store='default-store'))
    assert result['failed'] is False and result['confirmed'] is True and result['changed'] is False
    assert sent(env) == [TOKEN, ('GET', store_path('default-store', 'backups', NAME))]
