# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup with defer_on_rate_limit, through main() against the emulator: a create refused by the rate
limit returns at once (no sleep, no second create), a later run starts exactly one backup, reads still retry."""

import time

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._deferred import RateLimited
from ansible_collections.saasops.backup.plugins.modules import atlassian_backup
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

ACCOUNT = '5b10ac8d82e05b22cc7d4ef5'
TASK = dict(cloud_id='cloud-prod', product='jira', max_age='1d', wait_timeout=600)


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.seed({'atlassian': {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA', 'policyId': 'pol-prod'},
                                         {'cloudId': 'cloud-staging', 'product': 'JIRA', 'policyId': 'pol-staging'}]}})
    # One create a minute per user, and every 429 says when to come back unless a test says otherwise.
    emu.configure({'atlassian': {'user_post_limit': 1, 'retry_after_every': 1}})
    return env


def run(env, check_mode=False, **args):
    return env.run(atlassian_backup, dict(TASK, **args), check_mode=check_mode)


def creates(env, policy='pol-prod'):
    """The statuses of the create requests sent for ``policy``."""
    return [r['status'] for r in env.emu.requests(method='POST', path='/backups$') if (r['json'] or {}).get('policyId') == policy]


def use_up_the_limit(env):
    """Another site's backup takes the one create of the minute."""
    assert run(env, cloud_id='cloud-staging', wait=False)['changed'] is True
    env.emu.clear_requests()


def test_a_rate_limited_create_is_deferred_at_once_and_started_by_a_later_run(env):
    use_up_the_limit(env)
    started = time.monotonic()
    deferred = run(env, wait=False, defer_on_rate_limit=True)
    assert time.monotonic() - started < 5 and env.clock.elapsed == 0
    assert deferred['failed'] is False, deferred['msg']
    assert deferred['deferred'] is True and deferred['changed'] is False and deferred['backup'] == {}
    assert 0 < deferred['retry_after'] <= 60
    assert 'was not started: the rate limit refused it (HTTP 429)' in deferred['msg']
    assert creates(env) == [429]
    assert [b['policyId'] for b in env.emu.state('atlassian')['backups']] == ['pol-staging']
    # The wait phase: the default waits for the limit, starts one backup and waits for it.
    later = run(env)
    assert later['failed'] is False, later['msg']
    assert later['changed'] is True and later['deferred'] is False and later['backup']['status'] == 'COMPLETE'
    assert creates(env) == [429, 429, 202]
    assert [b['policyId'] for b in env.emu.state('atlassian')['backups']].count('pol-prod') == 1
    # And again, deferring or not: the backup is there, nothing more is started.
    for defer in (True, False):
        again = run(env, defer_on_rate_limit=defer)
        assert again['changed'] is False and again['deferred'] is False
        assert again['backup']['backup_id'] == later['backup']['backup_id']
    assert creates(env).count(202) == 1


def test_without_retry_after_the_deferral_says_it_is_unknown(env):
    env.emu.configure({'atlassian': {'retry_after_every': 0}})
    use_up_the_limit(env)
    deferred = run(env, defer_on_rate_limit=True)
    assert deferred['deferred'] is True and deferred['retry_after'] is None
    assert 'later (no Retry-After given)' in deferred['msg']
    assert creates(env) == [429] and env.clock.elapsed == 0


def test_a_deferred_backup_is_started_once_after_the_limit_without_waiting_for_it(env):
    use_up_the_limit(env)
    assert run(env, wait=False, defer_on_rate_limit=True)['deferred'] is True
    env.clock.sleep(61)
    # The start phase again (deferring): the limit has passed, so it starts now.
    started = run(env, wait=False, defer_on_rate_limit=True)
    assert started['changed'] is True and started['deferred'] is False and started['backup']['status'] == 'IN_PROGRESS'
    waited = run(env)
    assert waited['changed'] is False and waited['backup']['backup_id'] == started['backup']['backup_id']
    assert creates(env) == [429, 202]


def test_the_default_waits_for_the_limit_as_before(env):
    use_up_the_limit(env)
    result = run(env)
    assert result['changed'] is True and result['deferred'] is False and env.clock.elapsed >= 1
    assert creates(env)[-1] == 202 and creates(env).count(202) == 1


def test_reads_refused_by_the_rate_limit_are_still_retried(env):
    env.emu.add_fault(path='/policies/pol-prod/backups$', method='GET', action='status', status=429, retry_after='3',
                      count=2)
    result = run(env, defer_on_rate_limit=True)
    assert result['changed'] is True and result['deferred'] is False and env.clock.elapsed >= 6
    assert creates(env) == [202]


@pytest.mark.parametrize('fault', [dict(action='status', status=503), dict(action='drop_before')])
def test_a_create_refused_otherwise_is_sent_again_as_before(env, fault):
    env.emu.add_fault(path='/backups$', method='POST', **fault)
    result = run(env, defer_on_rate_limit=True)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True and result['deferred'] is False
    assert len(env.emu.state('atlassian')['backups']) == 1


def test_a_lost_create_answer_is_resolved_by_reading_not_deferred(env):
    env.emu.add_fault(path='/backups$', method='POST', action='drop_after')
    result = run(env, defer_on_rate_limit=True)
    assert result['changed'] is True and result['deferred'] is False and result['backup']['status'] == 'COMPLETE'
    assert len(env.emu.state('atlassian')['backups']) == 1


def test_check_mode_never_creates_so_never_defers(env):
    use_up_the_limit(env)
    result = run(env, check_mode=True, defer_on_rate_limit=True)
    assert result['changed'] is True and result['deferred'] is False and env.mutations() == []


def test_a_deferral_keeps_the_retries_of_the_requests_after_it(env):
    dummy, api = env.api(Atlassian, 'atlassian', retries=3)
    env.emu.add_fault(path='/backups$', method='POST', action='status', status=429)
    with pytest.raises(RateLimited) as caught:
        api.run_backup({'policyId': 'pol-prod', 'cloudId': 'cloud-prod'}, 'JIRA backup', defer=True)
    assert caught.value.retry_after is None and api.http.retries == 3 and env.clock.elapsed == 0


# --- v2: the create is the activate -----------------------------------------------------------------

def v2(env, **args):
    args = dict(TASK, api_version=2, api_url=env.emu.api_base + '/atlassian_v2', account_id=ACCOUNT, **args)
    return env.run(atlassian_backup, args)


@pytest.mark.parametrize('schedule, changed', [(None, True), ('ONCE', False)])
def test_v2_a_rate_limited_activate_is_deferred(env, schedule, changed):
    policy = dict(cloudId='cloud-prod', product='JIRA', policyId='pol-j')
    if schedule:
        policy['schedule'] = schedule
    env.emu.seed({'atlassian_v2': {'policies': [policy]}})
    env.emu.add_fault(path='/activate$', method='PUT', action='status', status=429, retry_after='30')
    deferred = v2(env, wait=False, defer_on_rate_limit=True)
    assert deferred['failed'] is False, deferred['msg']
    # Setting the one-time schedule is a change even though no backup started.
    assert deferred['deferred'] is True and deferred['changed'] is changed and deferred['retry_after'] == 30
    assert env.clock.elapsed == 0 and env.emu.state('atlassian_v2')['counts']['activations'] == 0
    later = v2(env)
    assert later['changed'] is True and later['backup']['status'] == 'COMPLETE'
    assert env.emu.state('atlassian_v2')['counts']['activations'] == 1
