# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of arcgis_dr_restore through main(), against the emulator: preconditions, joining a running
restore, lost answers, outcomes, the argument spec and the declared-production guard."""

import pytest

from ansible.module_utils import basic

from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup
from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_restore as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated
from ansible_collections.saasops.backup.tests.unit.helpers.module_main import no_http, run_main

# The passcode the emulator gives seeded backups (tests/emulator/apps/arcgis_model.py SEED_PASSCODE).
PASSCODE = 'Emul4tor-Passcode'


@pytest.fixture
def env(emu, monkeypatch):
    emu.seed({'arcgis': {'backups': [{'backupName': 'pre-release-1'}]}})
    return Emulated(emu, monkeypatch)


@pytest.fixture
def warnings(monkeypatch):
    said = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, text: said.append(text))
    return said


def run(env, check_mode=False, **args):
    """main() with ``args`` over name and passcode; an option given as None is left out."""
    base = dict(name='pre-release-1', passcode=PASSCODE)
    base.update(args)
    return env.run(mod, dict((k, v) for k, v in base.items() if v is not None), check_mode=check_mode)


def about_the_restore(warnings):
    """The module's own warnings (a retry summary may come too: the organization answers 503 while restoring)."""
    return [w for w in warnings if 'the restore of' in w]


def restores(env):
    return env.emu.requests(method='POST', path='/restore$')


def backup_first(env):
    """A backup made through the API, so the DR status names that operation (not a restore)."""
    result = env.run(arcgis_dr_backup, dict(name='made-first', passcode=PASSCODE))
    assert result['failed'] is False, result['msg']
    env.emu.clear_requests()


# --- the argument spec, before anything is sent ----------------------------------------------------

@pytest.mark.parametrize('args, message', [
    (dict(passcode=None), 'missing required arguments: passcode'),
    (dict(wait='sometimes'), "argument 'wait' is of type"),
    (dict(production='perhaps'), "argument 'production' is of type"),
])
def test_argument_spec_rules_fail_before_any_request(env, args, message):
    result = run(env, **args)
    assert result['failed'] is True
    assert message in result['msg']
    assert env.emu.requests() == []


# --- check mode and the restore itself --------------------------------------------------------------

def test_check_mode_validates_and_starts_nothing(env):
    backup_first(env)
    result = run(env, check_mode=True)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['status']['operation'] == 'Backup'
    assert result['backup']['name'] == 'pre-release-1'
    assert env.mutations() == []


def test_restore_waits_through_the_unavailable_organization_until_success(env, warnings):
    env.emu.configure({'arcgis': {'restore_seconds': 5.0, 'restore_unavailable_seconds': 2.0}})
    backup_first(env)
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['status']['state'] == 'success' and result['status']['backup_name'] == 'pre-release-1'
    assert result['elapsed'] >= 5
    assert [r['form']['passcode'] for r in restores(env)] == [[PASSCODE]]
    assert [r for r in env.emu.requests(path='/status$') if r['status'] == 503]
    assert about_the_restore(warnings) == []


def test_a_restore_of_the_same_backup_already_running_is_joined(env):
    env.emu.configure({'arcgis': {'restore_seconds': 10.0, 'restore_unavailable_seconds': 0.0}})
    started = run(env, wait=False)
    assert started['changed'] is True and started['status']['state'] == 'in_progress'
    joined = run(env)
    assert joined['failed'] is False, joined['msg']
    assert joined['changed'] is False
    assert joined['status']['state'] == 'success'
    assert len(restores(env)) == 1


def test_an_earlier_finished_restore_of_the_same_backup_is_not_taken_for_the_new_one(env):
    env.emu.configure({'arcgis': {'restore_seconds': 3.0, 'restore_unavailable_seconds': 0.0}})
    first = run(env)
    assert first['failed'] is False, first['msg']
    second = run(env)
    assert second['failed'] is False, second['msg']
    assert second['changed'] is True
    assert second['status']['start_time'] > first['status']['start_time']
    assert len(restores(env)) == 2


def test_completed_with_warnings_succeeds_with_one_warning(env, warnings):
    env.emu.configure({'arcgis': {'restore_result': 'completed_with_warnings'}})
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['status']['state'] == 'completed_with_warnings'
    said = about_the_restore(warnings)
    assert len(said) == 1 and '2 items could not be restored' in said[0]


def test_a_failed_restore_fails_with_the_platform_message(env):
    env.emu.configure({'arcgis': {'restore_result': 'failed'}})
    result = run(env)
    assert result['failed'] is True
    assert 'simulated failure' in result['msg']
    assert result['changed'] is True and result['backup']['name'] == 'pre-release-1'


def test_without_wait_the_status_is_read_once_after_starting(env):
    env.emu.configure({'arcgis': {'restore_unavailable_seconds': 0.0}})
    result = run(env, wait=False)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['status']['state'] == 'in_progress'
    assert result['elapsed'] == 0.0
    assert len(env.emu.requests(path='/status$')) == 2  # before, and after starting


# --- lost answers -----------------------------------------------------------------------------------

def test_a_lost_restore_answer_is_resolved_by_reading_the_status(env):
    env.emu.add_fault(method='POST', path='/restore$', action='drop_after')
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert len(restores(env)) == 1
    assert result['status']['state'] == 'success'
    assert len(env.emu.state('arcgis')['restores']) == 1


def test_a_lost_answer_then_an_unavailable_organization_is_read_again_within_the_budget(env):
    # The organization answers 503 for its first 30 s, longer than one request's own retries last.
    env.emu.configure({'arcgis': {'restore_seconds': 60.0, 'restore_unavailable_seconds': 30.0}})
    env.emu.add_fault(method='POST', path='/restore$', action='drop_after')
    result = run(env, retry_timeout=5)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True and result['status']['state'] == 'success'
    assert len(restores(env)) == 1


def test_a_wrong_passcode_names_the_option(env):
    result = run(env, passcode='not-the-passcode')
    assert result['failed'] is True
    assert "check the option 'passcode'" in result['msg']
    assert result['error']['code'] == 400
    assert len(restores(env)) == 1
    assert env.emu.state('arcgis')['restores'] == []


@pytest.mark.parametrize('seeded, args, message', [
    (None, {'name': 'missing'}, 'does not exist'),
    ('in_progress', {}, "its status is 'in_progress'"),
    ('failed', {}, "its status is 'failed'"),
    (None, {'passcode': 'short'}, 'at least 8 characters'),
    (None, {'store': 'nope'}, "store 'nope' does not exist"),
])
def test_bad_input_fails_before_any_change(env, seeded, args, message):
    if seeded:
        env.emu.seed({'arcgis': {'backups': [{'backupName': 'pre-release-1', 'status': seeded}]}})
    result = run(env, **args)
    assert result['failed'] is True
    assert message in result['msg']
    assert env.mutations() == []


# --- the declared-production guard ------------------------------------------------------------------

ARGS = dict(url='https://gis.example.test/arcgis', username='admin', password='Adm1n-password', name='pre-release-1',
            passcode=PASSCODE)
REFUSED = ('refusing to restore into the organization at https://gis.example.test/arcgis: it is declared production '
           '(production: true); set allow_production: true to do it anyway')


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('extra', [dict(production=True), dict(production=True, allow_production=False)])
def test_a_declared_production_organization_is_refused_before_any_request(monkeypatch, check_mode, extra):
    attempted = no_http(monkeypatch)  # the real client: not even a token is asked for
    result = run_main(monkeypatch, mod.main, dict(ARGS, **extra), check_mode=check_mode)
    assert result['failed'] is True
    assert result['msg'] == REFUSED
    assert attempted == []


def test_the_refusal_names_the_url_without_credentials_or_query(monkeypatch):
    no_http(monkeypatch)
    result = run_main(monkeypatch, mod.main, dict(ARGS, url='https://admin:s3cret@gis.example.test/arcgis/?token=t0ken',
                                                  production=True))
    assert 'the organization at https://gis.example.test/arcgis/:' in result['msg']
    assert 's3cret' not in result['msg'] and 't0ken' not in result['msg']


@pytest.mark.parametrize('extra', [dict(production=True, allow_production=True), dict(), dict(production=False)])
def test_an_allowed_or_undeclared_organization_is_restored(env, extra):
    result = run(env, **extra)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['status']['state'] == 'success'
    assert [r['form']['passcode'] for r in restores(env)] == [[PASSCODE]]


def test_an_allowed_production_organization_in_check_mode_reports_the_restore_and_starts_nothing(env):
    result = run(env, check_mode=True, production=True, allow_production=True)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert env.mutations() == []
