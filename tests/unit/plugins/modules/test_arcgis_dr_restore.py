# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of arcgis_dr_restore through main(), against the emulator: preconditions, joining a running
restore, lost answers, outcomes, the argument spec and the declared-production guard."""

import pytest


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
def warnings(env):
    return env.warnings


def run(env, check_mode=False, **args):
    """main() with ``args`` over name and passcode; an option given as None is left out."""
    return env.run(mod, args, check_mode=check_mode, defaults=dict(name='pre-release-1', passcode=PASSCODE))


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


# --- a restore answered with a job (the 12.0 guide: a restore "creates a job") -------------------------

def jobs_read(env):
    return env.emu.requests(method='GET', path='/admin/jobs/')


def test_a_restore_answered_with_a_job_follows_the_job_and_returns_its_stages(env):
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'restore_seconds': 6.0, 'restore_unavailable_seconds': 2.0}})
    backup_first(env)
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    jobid = env.emu.state('arcgis')['restores'][0]['jobid']
    assert result['job']['jobid'] == jobid and result['job']['status'] == 'COMPLETED'
    assert [s['name'] for s in result['job']['stages']] == [
        'Validation', 'Restore Relational store', 'Restore Object store', 'Restore system configuration',
        'Post restore operation cleanup']
    assert all(set(s) == {'name', 'state', 'duration'} for s in result['job']['stages'])
    assert result['elapsed'] >= 6
    assert {r['path'].rsplit('/', 1)[-1] for r in jobs_read(env)} == {jobid}
    assert len(restores(env)) == 1


def test_a_submitted_job_is_never_done_although_a_stale_status_says_success(env):
    """The DR status shows the backup before the restore (success) longer than the restore takes: the job decides."""
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'restore_seconds': 8.0, 'restore_unavailable_seconds': 0.0,
                                  'restore_stale_seconds': 600.0}})
    backup_first(env)
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['job']['status'] == 'COMPLETED'
    assert 8 <= result['elapsed'] < 600
    assert result['status']['operation'] == 'Backup'  # the status read last is still the stale one


@pytest.mark.parametrize('end, says', [
    ('FAILED', 'simulated failure'),
    ('CANCELLED', 'cancelled by an administrator'),
    ('TIMED OUT', 'did not finish within its timeout'),
])
def test_a_restore_job_that_ends_badly_fails_with_its_messages(env, end, says):
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'job_end': end, 'restore_unavailable_seconds': 0.0}})
    result = run(env)
    assert result['failed'] is True
    assert 'ended %s: ' % end in result['msg'] and says in result['msg']
    assert result['changed'] is True and result['job']['status'] == end
    assert len(restores(env)) == 1


@pytest.mark.parametrize('shape', ['no_status', 'jobs_url_only'])
def test_a_restore_job_answer_without_status_or_jobid_is_followed_by_its_jobs_url(env, shape):
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'create_answer': shape, 'restore_unavailable_seconds': 0.0}})
    result = run(env)
    assert result['failed'] is False, result['msg']
    jobid = env.emu.state('arcgis')['restores'][0]['jobid']
    assert result['job']['jobid'] == jobid and result['job']['status'] == 'COMPLETED'
    assert jobs_read(env)


def test_without_wait_a_restore_job_is_returned_as_answered(env):
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'restore_unavailable_seconds': 0.0}})
    result = run(env, wait=False)
    assert result['failed'] is False, result['msg']
    assert result['job']['status'] == 'SUBMITTED' and result['job']['stages'] == []
    assert result['job']['jobid'] == env.emu.state('arcgis')['restores'][0]['jobid']
    assert jobs_read(env) == []


def test_the_dr_side_failing_fails_a_restore_job_too(env):
    """The job's side says nothing yet, the status names this restore failed: the status's message."""
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'restore_result': 'failed', 'restore_unavailable_seconds': 0.0}})
    result = run(env)
    assert result['failed'] is True
    assert 'simulated failure' in result['msg']


# --- the stale status sequence ------------------------------------------------------------------------

def test_a_stale_success_then_an_organization_that_is_down_is_not_taken_for_this_restore(env):
    """After the POST: the previous backup's success for 20 s, dropped connections, 502, 503, an HTML page, then ours."""
    env.emu.configure({'arcgis': {'restore_seconds': 40.0, 'restore_unavailable_seconds': 0.0,
                                  'restore_stale_seconds': 20.0, 'restore_status_glitches': True}})
    backup_first(env)
    # the status read before the POST and the first poll pass; the next two are dropped
    env.emu.add_fault(method='GET', path='/disasterrecovery/status$', action='drop_before', skip=2, count=2)
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    status = result['status']
    assert (status['operation'], status['backup_name'], status['state']) == ('Restore', 'pre-release-1', 'success')
    assert result['elapsed'] >= 40
    answers = [r['status'] for r in env.emu.requests(path='/disasterrecovery/status$')]
    assert answers.count('dropped') == 2 and 502 in answers and 503 in answers
    assert len(restores(env)) == 1


def test_a_stale_status_of_the_previous_restore_of_the_same_backup_does_not_end_the_wait(env):
    env.emu.configure({'arcgis': {'restore_seconds': 5.0, 'restore_unavailable_seconds': 0.0}})
    first = run(env)
    assert first['failed'] is False, first['msg']
    env.emu.configure({'arcgis': {'restore_stale_seconds': 60.0}})
    second = run(env)
    assert second['failed'] is False, second['msg']
    assert second['changed'] is True
    assert second['status']['start_time'] > first['status']['start_time']
    assert second['elapsed'] >= 60
    assert len(restores(env)) == 2


# --- the deadline ---------------------------------------------------------------------------------------

def test_the_default_wait_is_four_hours(env):
    """A restore of 3 hours is waited for without a wait_timeout (Esri's restore workflow allows 14400 s)."""
    env.emu.configure({'arcgis': {'restore_seconds': 10800.0, 'restore_unavailable_seconds': 0.0}})
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['status']['state'] == 'success'
    assert 10800 <= result['elapsed'] < 14400


def test_on_timeout_the_last_job_status_and_dr_status_are_said(env):
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'restore_seconds': 500.0, 'restore_unavailable_seconds': 0.0}})
    result = run(env, wait_timeout=60)
    assert result['failed'] is True
    # 60 s of a 500 s job: still SUBMITTED (the emulator's first 20 %), never taken as done
    assert 'Timed out after' in result['msg'] and "job status 'SUBMITTED'" in result['msg']
    assert "operation 'Restore' of 'pre-release-1', state 'in_progress'" in result['msg']
    assert result['job']['status'] == 'SUBMITTED' and result['changed'] is True


def test_a_lost_job_answer_is_resolved_by_the_status_and_never_sent_twice(env):
    env.emu.configure({'arcgis': {'restore_answer': 'job', 'restore_unavailable_seconds': 0.0}})
    env.emu.add_fault(method='POST', path='/restore$', action='drop_after')
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True and result['status']['state'] == 'success'
    assert 'job' not in result  # the answer naming it was lost; the status told the end
    assert len(restores(env)) == 1 and len(env.emu.state('arcgis')['restores']) == 1
