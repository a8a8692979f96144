# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of arcgis_dr_backup through main(), against the emulator: create, reuse, update retention,
delete, waits, lost answers, and the argument-spec rules (failed backups and jobs: test_arcgis_emulated.py)."""

import re

import pytest


from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

DAY_MS = 86400000
PASSCODE = 'a-long-passcode'
START = 1795860000000  # 2026-11-28T10:00:00Z


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


@pytest.fixture
def warnings(env):
    return env.warnings


def run(env, check_mode=False, **args):
    """main() with ``args`` over name and passcode; an option given as None is left out."""
    return env.run(mod, args, check_mode=check_mode, defaults=dict(name='pre-release-1', passcode=PASSCODE))


def seed(env, **fields):
    backup = {'backupName': 'pre-release-1', 'startTime': START, 'retentionDate': -1}
    backup.update(fields)
    env.emu.seed({'arcgis': {'backups': [backup]}})


def backups(env, store='default-store'):
    return dict((b['backupName'], b) for b in env.emu.state('arcgis')['backups'][store])


def posts(env, suffix):
    return env.emu.requests(method='POST', path=suffix + '$')


# --- the argument spec, before anything is sent ----------------------------------------------------

@pytest.mark.parametrize('args, message', [
    (dict(retention_days=30, retention_date='never'), 'parameters are mutually exclusive: retention_days|retention_date'),
    (dict(state='gone'), 'value of state must be one of: present, absent, got: gone'),
    (dict(name=None), 'missing required arguments: name'),
])
def test_argument_spec_rules_fail_before_any_request(env, args, message):
    result = run(env, **args)
    assert result['failed'] is True
    assert message in result['msg']
    assert env.emu.requests() == []


# --- create -------------------------------------------------------------------------------------

def test_check_mode_predicts_the_create_and_sends_nothing(env):
    result = run(env, check_mode=True, description='before release')
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['backup']['name'] == 'pre-release-1'
    assert result['diff'] == {'before': {}, 'after': {'name': 'pre-release-1', 'store': 'default-store',
                                                      'description': 'before release', 'retention_date': 'never'}}
    assert env.mutations() == []


def test_create_waits_for_the_job_and_returns_the_completed_backup(env):
    result = run(env, description='before release', retention_days=30)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['backup']['status'] == 'completed'
    assert result['job']['status'] == 'COMPLETED'
    assert result['elapsed'] > 0
    creates = posts(env, '/create')
    assert len(creates) == 1
    sent = creates[0]['form']
    assert sent['name'] == ['pre-release-1'] and sent['passcode'] == [PASSCODE] and sent['description'] == ['before release']
    assert int(sent['retentionDate'][0]) > 0
    assert list(backups(env)) == ['pre-release-1']


def test_the_job_wait_and_the_backup_wait_share_one_budget(env, monkeypatch):
    """The job ends first; what it used is taken off wait_timeout for the backup status after it."""
    env.emu.configure({'arcgis': {'job_seconds': 20.0}})
    status_reads = []
    original = mod.ArcGIS.backup

    def backup_never_done(api, store, name):
        found = original(api, store, name)
        if found and env.emu.requests(path='/admin/jobs/'):
            status_reads.append(name)
            found['status'] = 'in_progress'  # the job is done, the backup says otherwise
        return found

    monkeypatch.setattr(mod.ArcGIS, 'backup', backup_never_done)
    result = run(env, wait_timeout=60)
    assert result['failed'] is True and 'Timed out after' in result['msg']
    assert result['job']['status'] == 'COMPLETED'
    assert 60 <= result['elapsed'] < 70  # not 20 + 60
    assert status_reads


def test_create_without_wait_returns_the_running_backup(env):
    result = run(env, wait=False)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['backup']['status'] == 'in_progress'
    assert result['job']['jobid'].startswith('j')
    assert result['elapsed'] == 0.0
    assert env.emu.requests(path='/admin/jobs/') == []


# --- an existing backup ---------------------------------------------------------------------------

@pytest.mark.parametrize('check_mode', [False, True])
def test_an_existing_backup_is_never_created_again(env, check_mode):
    seed(env)
    result = run(env, check_mode=check_mode)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False
    assert result['backup']['status'] == 'completed'
    assert env.mutations() == []


def test_an_existing_running_backup_is_waited_for_not_recreated(env):
    env.emu.configure({'arcgis': {'job_seconds': 10.0}})
    seed(env, status='in_progress')
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False
    assert result['backup']['status'] == 'completed'
    assert result['elapsed'] >= 10
    assert env.mutations() == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_retention_days_are_counted_from_the_backup_start(env, check_mode):
    seed(env)
    result = run(env, check_mode=check_mode, retention_days=30)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['diff']['before']['retention_date'] == 'never'
    assert result['diff']['after']['retention_date'] == '2026-12-28T10:00:00Z'
    updates = posts(env, '/update')
    if check_mode:
        assert updates == []
        assert backups(env)['pre-release-1']['retentionDate'] == -1
    else:
        assert [u['form']['retentionDate'] for u in updates] == [[str(START + 30 * DAY_MS)]]
        assert backups(env)['pre-release-1']['retentionDate'] == START + 30 * DAY_MS


@pytest.mark.parametrize('current, option, changed', [
    (START + 30 * DAY_MS, {'retention_days': 30}, False),
    (START + 30 * DAY_MS + 1800000, {'retention_days': 30}, False),   # within the hour of tolerance
    (START + 31 * DAY_MS, {'retention_days': 30}, True),
    (4073500800000, {'retention_date': '2099-01-31'}, False),
    (4073500800000, {'retention_date': '2099-01-31T00:00:00Z'}, False),
    (4073500800000, {'retention_date': '2099-01-31T01:00:00+01:00'}, False),
    (4073500800000, {'retention_date': '2099-02-01'}, True),
    (-1, {'retention_date': 'never'}, False),
    (4073500800000, {'retention_date': 'never'}, True),
    (4073500800000, {}, False),                                              # not asked for: left alone
])
def test_retention_comparison(env, current, option, changed):
    seed(env, retentionDate=current)
    result = run(env, **option)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is changed
    assert len(posts(env, '/update')) == (1 if changed else 0)


def test_a_different_description_warns_because_it_cannot_be_changed(env, warnings):
    seed(env, description='old')
    result = run(env, description='new')
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False
    assert len(warnings) == 1 and 'cannot change a description' in warnings[0]


# --- lost answers ---------------------------------------------------------------------------------

def test_a_lost_create_answer_is_resolved_by_reading_not_by_creating_again(env):
    env.emu.add_fault(method='POST', path='/create$', action='drop_after')
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['backup']['status'] == 'completed'
    assert len(posts(env, '/create')) == 1
    assert 'job' not in result  # the job id was in the lost answer


def test_a_create_that_did_not_happen_is_sent_again_after_reading(env):
    # A gateway answers 502 on its own: the server did not act, but the client cannot know.
    env.emu.add_fault(method='POST', path='/create$', action='status', status=502)
    result = run(env)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert len(posts(env, '/create')) == 2
    assert list(backups(env)) == ['pre-release-1']


# --- absent ---------------------------------------------------------------------------------------

@pytest.mark.parametrize('check_mode', [False, True])
def test_absent_deletes_an_existing_backup(env, check_mode):
    seed(env)
    result = run(env, check_mode=check_mode, state='absent', passcode=None)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['diff']['after'] == {}
    assert result['diff']['before']['name'] == 'pre-release-1'
    assert len(posts(env, '/delete')) == (0 if check_mode else 1)
    assert ('pre-release-1' in backups(env)) is check_mode


def test_absent_of_a_backup_gone_since_the_read_is_done(env):
    """Deleted by someone else between our read and our delete: already gone, as wanted."""
    seed(env)
    env.emu.add_fault(method='POST', path='/delete$', action='status', status=200,
                      body='{"status": "error", "messages": ["Backup \'pre-release-1\' does not exist."], "code": 404}')
    result = run(env, state='absent', passcode=None)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert len(posts(env, '/delete')) == 1


def test_absent_of_a_missing_backup_changes_nothing(env):
    result = run(env, state='absent', passcode=None)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False
    assert env.mutations() == []


# --- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize('args, message', [
    ({'passcode': 'short'}, 'at least 8 characters'),
    ({'passcode': None}, 'passcode is required'),
    ({'retention_days': 0}, 'retention_days must be from 1 to 36500'),
    ({'retention_days': 36501}, 'retention_days must be from 1 to 36500'),
    ({'retention_days': 999999999}, 'retention_days must be from 1 to 36500 .* retention_date: never'),
    ({'retention_date': '2001-01-01'}, 'in the past'),
    ({'retention_date': 'soon'}, 'ISO 8601'),
    ({'store': 'nope'}, "store 'nope' does not exist"),
])
def test_bad_input_fails_before_any_change(env, args, message):
    result = run(env, **args)
    assert result['failed'] is True
    assert re.search(message, result['msg']), result['msg']
    assert env.mutations() == []


# --- the store pre-flight (stores/<store>/validate) --------------------------------------------------

def validates(env, store='default-store'):
    return posts(env, '/stores/%s/validate' % store)


def test_the_store_is_validated_once_before_the_create(env):
    result = run(env, store='secondary')
    assert result['failed'] is False, result['msg']
    sent = [r['path'].rsplit('/', 1)[-1] for r in env.mutations()]
    assert sent == ['validate', 'create']
    assert validates(env, 'secondary')[0]['form']['f'] == ['json']


def test_a_store_that_is_not_ready_fails_naming_it_and_nothing_is_created(env):
    env.emu.configure({'arcgis': {'store_ready': False}})
    result = run(env)
    assert result['failed'] is True and result['changed'] is False
    assert "validate backup store 'default-store'" in result['msg']
    assert "the store is not ready: Backup store 'default-store' is not ready" in result['msg']
    assert 'validate_store: false' in result['msg']
    assert len(validates(env)) == 1 and posts(env, '/create') == []
    assert backups(env) == {} and env.emu.state('arcgis')['counts']['creates'] == 0


def test_a_validate_answered_with_an_http_error_is_not_ready(env):
    env.emu.add_fault(method='POST', path='/validate$', action='status', status=400,
                      body='{"error": {"code": 400, "message": "Unknown operation.", "details": []}}')
    result = run(env)
    assert result['failed'] is True
    assert "backup store 'default-store'" in result['msg'] and 'Unknown operation.' in result['msg']
    assert posts(env, '/create') == []


def test_validate_store_false_skips_the_check(env):
    env.emu.configure({'arcgis': {'store_ready': False}})
    result = run(env, validate_store=False)
    assert result['failed'] is False, result['msg']
    assert validates(env) == [] and len(posts(env, '/create')) == 1


@pytest.mark.parametrize('check_mode', [False, True])
def test_no_validate_when_nothing_is_created_nor_in_check_mode(env, check_mode):
    env.emu.configure({'arcgis': {'store_ready': False}})
    seed(env, backupName='exists')
    existing = run(env, check_mode=check_mode, name='exists')
    assert existing['failed'] is False, existing['msg']
    deleted = run(env, check_mode=check_mode, name='exists', state='absent', passcode=None)
    assert deleted['failed'] is False, deleted['msg']
    # check mode sends no POST but the token request: the create it predicts is validated by the real run
    predicted = run(env, check_mode=True, name='new-one')
    assert predicted['failed'] is False and predicted['changed'] is True
    assert validates(env) == []


def test_an_invalid_argument_for_validate_store_fails_before_any_request(env):
    result = run(env, validate_store='perhaps')
    assert result['failed'] is True and "argument 'validate_store' is of type" in result['msg']
    assert env.emu.requests() == []


# --- what the create and its job answer -----------------------------------------------------------------

@pytest.mark.parametrize('shape', ['no_status', 'jobs_url_only'])
def test_a_create_answer_without_status_or_jobid_is_followed_by_its_job(env, shape):
    env.emu.configure({'arcgis': {'create_answer': shape}})
    result = run(env)
    assert result['failed'] is False, result['msg']
    jobid = list(env.emu.state('arcgis')['jobs'])[0]
    assert result['job']['jobid'] == jobid and result['job']['status'] == 'COMPLETED'
    assert {r['path'].rsplit('/', 1)[-1] for r in env.emu.requests(path='/admin/jobs/')} == {jobid}
    assert result['backup']['status'] == 'completed'


def test_a_completed_job_returns_its_stages(env):
    result = run(env)
    assert result['failed'] is False, result['msg']
    stages = result['job']['stages']
    assert [s['name'] for s in stages][:2] == ['Validation', 'Stage Relational store']
    assert all(set(s) == {'name', 'state', 'duration'} and s['state'] == 'completed' for s in stages)


def test_without_wait_the_job_is_returned_as_answered(env):
    env.emu.configure({'arcgis': {'create_answer': 'jobs_url_only'}})
    result = run(env, wait=False)
    assert result['failed'] is False, result['msg']
    assert result['job']['jobid'] == list(env.emu.state('arcgis')['jobs'])[0] and result['job']['stages'] == []


@pytest.mark.parametrize('end, says', [('CANCELLED', 'cancelled by an administrator'),
                                       ('TIMED OUT', 'did not finish within its timeout')])
def test_a_job_cancelled_or_timed_out_fails_with_its_messages(env, end, says):
    env.emu.configure({'arcgis': {'job_end': end}})
    result = run(env)
    assert result['failed'] is True and result['changed'] is True
    assert 'ended %s: ' % end in result['msg'] and says in result['msg']
    assert result['job']['status'] == end
