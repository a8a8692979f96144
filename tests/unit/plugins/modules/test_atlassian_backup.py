# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup against the emulator: reuse, the 7-day rule, outcomes, rate limits, lost answers, and
(through main()) the argument spec."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _http
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.plugins.modules import atlassian_backup
from ansible_collections.saasops.backup.plugins.modules.atlassian_backup import BackupRun
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

DAY = 86400


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.seed({'atlassian': {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA'}]}})
    env.policy = emu.state('atlassian')['policies'][0]
    return env


def run(env, check_mode=False, **overrides):
    """``(result, module)`` of BackupRun with the module's defaults under ``overrides``."""
    params = dict(cloud_id='cloud-prod', product='jira', policy_id=None, max_age='7d', allow_incomplete=True, wait=True,
                  wait_timeout=600)
    params.update(overrides)
    module, api = env.api(Atlassian, 'atlassian', check_mode=check_mode, **params)
    return BackupRun(module, api).execute(), module


def posts(env, path=None):
    return [r for r in env.mutations() if path is None or r['path'].endswith(path)]


def seed_backup(env, status, age):
    env.emu.seed({'atlassian': {'backups': [{'policyId': env.policy['policyId'], 'status': status, 'ageSeconds': age}]}})
    return env.emu.state('atlassian')['backups'][-1]


def test_runs_one_backup_waits_and_then_reuses_it(env):
    check, dummy = run(env, check_mode=True)
    assert check['changed'] is True and check['backup']['status'] == 'IN_PROGRESS' and env.mutations() == []
    result, dummy = run(env)
    assert result['changed'] is True
    assert result['backup']['status'] == 'COMPLETE' and result['elapsed'] > 0
    for check_mode in (True, False):
        again, dummy = run(env, check_mode=check_mode)
        assert again['changed'] is False and again['backup']['backup_id'] == result['backup']['backup_id']
    assert len(posts(env, '/backups')) == 1


def test_a_backup_in_progress_is_waited_for_not_started_again(env):
    running = seed_backup(env, 'IN_PROGRESS', 0)
    result, dummy = run(env, policy_id=env.policy['policyId'], cloud_id=None, product=None)
    assert result['changed'] is False
    assert result['backup']['backup_id'] == running['backupId'] and result['backup']['status'] == 'COMPLETE'
    assert env.mutations() == []


def test_the_documented_in_progress_spelling_is_understood(env):
    env.emu.configure({'atlassian': {'in_progress_spelling': 'IN PROGRESS'}})
    seed_backup(env, 'IN_PROGRESS', 0)
    result, dummy = run(env, wait=False)
    assert result['changed'] is False and result['backup']['status'] == 'IN_PROGRESS'
    assert env.mutations() == []


def test_a_complete_backup_older_than_max_age_but_within_seven_days_fails_saying_when(env):
    old = seed_backup(env, 'COMPLETE', 3 * DAY)
    for check_mode in (False, True):
        with pytest.raises(InputError) as caught:
            run(env, check_mode=check_mode, max_age='1d')
        assert old['backupId'] in str(caught.value)
        assert '3.0 days old, older than max_age (1.0 days)' in str(caught.value)
        assert 'the next backup is allowed from ' in str(caught.value)
    assert env.mutations() == []


@pytest.mark.parametrize('max_age', [86400, '86400', '24h', '1d'])
def test_max_age_is_a_number_of_seconds_or_a_duration(env, max_age):
    seed_backup(env, 'COMPLETE', 3 * DAY)
    with pytest.raises(InputError, match=r'older than max_age \(1.0 days\)'):
        run(env, max_age=max_age)
    recent, dummy = run(env, max_age=max_age * 4 if isinstance(max_age, int) else '4d')
    assert recent['changed'] is False and recent['backup']['status'] == 'COMPLETE'


def test_a_complete_backup_older_than_seven_days_is_replaced(env):
    seed_backup(env, 'COMPLETE', 8 * DAY)
    result, dummy = run(env)
    assert result['changed'] is True and result['backup']['status'] == 'COMPLETE'
    assert len(posts(env, '/backups')) == 1


def test_a_failed_backup_is_not_reused(env):
    seed_backup(env, 'FAILED', DAY)
    result, dummy = run(env)
    assert result['changed'] is True


def test_a_recent_incomplete_backup_is_reused_with_a_warning_unless_not_allowed(env):
    incomplete = seed_backup(env, 'INCOMPLETE', DAY)
    result, module = run(env)
    assert result['changed'] is False and result['backup']['backup_id'] == incomplete['backupId']
    assert len(module.warnings) == 1 and 'INCOMPLETE' in module.warnings[0]
    assert env.mutations() == []
    fresh, dummy = run(env, allow_incomplete=False)
    assert fresh['changed'] is True and fresh['backup']['status'] == 'COMPLETE'


def test_incomplete_succeeds_with_a_warning(env):
    env.emu.configure({'atlassian': {'backup_result': 'INCOMPLETE'}})
    result, module = run(env)
    assert result['backup']['status'] == 'INCOMPLETE'
    assert len(module.warnings) == 1 and 'INCOMPLETE' in module.warnings[0]


def test_incomplete_fails_when_not_allowed(env):
    env.emu.configure({'atlassian': {'backup_result': 'INCOMPLETE'}})
    with pytest.raises(PlatformError, match='INCOMPLETE .* allow_incomplete is false'):
        run(env, allow_incomplete=False)


def test_failed_fails_with_the_status_message(env):
    env.emu.configure({'atlassian': {'backup_result': 'FAILED'}})
    with pytest.raises(PlatformError, match='ended FAILED: The backup failed: simulated failure'):
        run(env)


def test_a_rate_limited_create_without_retry_after_backs_off_and_creates_once(env, monkeypatch):
    sleeps, sleep, delay = [], env.clock.sleep, _http.retry_delay
    monkeypatch.setattr(env.clock, 'sleep', lambda seconds: sleeps.append(seconds) or sleep(seconds))
    # Backoff without jitter, so the pauses are exact.
    monkeypatch.setattr(_http, 'retry_delay', lambda attempt, retry_after=None, rng=None: delay(attempt, retry_after, lambda: 0.0))
    env.emu.add_fault(path='/backups$', method='POST', action='status', status=429, count=3)
    result, dummy = run(env)
    assert result['changed'] is True
    assert sleeps[:3] == [0.5, 1.0, 2.0]
    assert len([r for r in posts(env, '/backups') if r['status'] == 202]) == 1
    assert len(env.emu.state('atlassian')['backups']) == 1


def test_a_lost_create_answer_is_resolved_without_a_second_backup(env):
    env.emu.add_fault(path='/backups$', method='POST', action='drop_after')
    result, dummy = run(env)
    assert result['changed'] is True and result['backup']['status'] == 'COMPLETE'
    assert len(posts(env, '/backups')) == 1 and len(env.emu.state('atlassian')['backups']) == 1


@pytest.mark.parametrize('overrides, message', [
    (dict(product='jira-software'), 'product must be one of'),
    (dict(max_age='a week'), 'max_age must be a positive duration'),
    (dict(max_age=0), 'max_age must be a positive duration'),
    (dict(cloud_id='cloud-staging'), "site 'cloud-staging' has no JIRA backup policy"),
    (dict(policy_id='pol-nope', cloud_id=None, product=None), "backup policy 'pol-nope' does not exist"),
])
def test_bad_input_fails_before_any_change(env, overrides, message):
    with pytest.raises(InputError, match=message):
        run(env, **overrides)
    assert env.mutations() == []


def test_a_backup_started_then_a_timeout_reports_changed_and_the_backup_id(env):
    env.emu.configure({'atlassian': {'backup_seconds': 36000.0}})
    with pytest.raises(WaitTimeout) as caught:
        run(env, wait_timeout=600)
    carried = caught.value.result
    assert carried['changed'] is True and carried['backup']['status'] == 'IN_PROGRESS'
    assert carried['backup']['backup_id'] == env.emu.state('atlassian')['backups'][0]['backupId']


def test_the_default_wait_timeout_fits_the_longest_documented_jira_backup():
    # Jira backups take 20 minutes to 8 hours (module documentation).
    spec = dict(atlassian_backup.wait_argument_spec(wait_timeout=28800))
    assert spec['wait_timeout']['default'] == 8 * 3600
    assert 'default: 28800' in atlassian_backup.DOCUMENTATION


def test_a_concurrent_backup_started_since_our_read_is_adopted(env, monkeypatch):
    # Our read saw no backup; another run started one; our create then gets 409 and must wait for theirs.
    original, started = atlassian_backup.newest, []

    def stale_first_read(backups, status):
        if not started:
            started.append(None)
            started[0] = run(env, wait=False)[0]['backup']
            return None
        return original(backups, status)

    monkeypatch.setattr(atlassian_backup, 'newest', stale_first_read)
    result, dummy = run(env)
    assert result['changed'] is False
    assert result['backup']['backup_id'] == started[0]['backup_id'] and result['backup']['status'] == 'COMPLETE'
    assert len(env.emu.state('atlassian')['backups']) == 1


# --- through main(): the argument spec and the whole run ---------------------------------------

@pytest.mark.parametrize('args, message', [
    (dict(), 'one of the following is required: policy_id, cloud_id'),
    (dict(cloud_id='cloud-prod'), 'parameters are required together: cloud_id, product'),
    (dict(policy_id='p', allow_incomplete='perhaps'), 'allow_incomplete'),
])
def test_the_argument_spec_fails_before_any_request(env, args, message):
    result = env.run(atlassian_backup, args)
    assert result['failed'] is True and message in result['msg']
    assert env.emu.requests() == []


def test_main_runs_a_backup_with_max_age_in_seconds(env):
    result = env.run(atlassian_backup, dict(cloud_id='cloud-prod', product='JIRA', max_age=3600, wait_timeout=600))
    assert result['failed'] is False and result['changed'] is True
    assert result['backup']['status'] == 'COMPLETE' and result['elapsed'] > 0
    assert [r['path'] for r in posts(env)] == ['/atlassian/orgs/org-emulator-1/backups']
