# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cheap re-runs of atlassian_backup, through main() against the emulator (v1 and v2), counted on its request
log: option confirm (one read of the recorded backup answers the run), its fall-backs, and the policy pages
left out when the policy id is given."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import atlassian_backup
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

HOUR = 3600
ACCOUNT = '5b10ac8d82e05b22cc7d4ef5'
TASK = dict(cloud_id='cloud-prod', product='jira', max_age='1d', wait_timeout=600)


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.seed({'atlassian': {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA', 'policyId': 'pol-prod'},
                                         {'cloudId': 'cloud-staging', 'product': 'JIRA', 'policyId': 'pol-other'},
                                         {'cloudId': 'cloud-prod', 'product': 'CONFLUENCE', 'policyId': 'pol-wiki'}]}})
    return env


def seed_backup(env, status='COMPLETE', age=HOUR, policy='pol-prod', app='atlassian'):
    env.emu.seed({app: {'backups': [{'policyId': policy, 'status': status, 'ageSeconds': age}]}})
    backup_id = env.emu.state(app)['backups'][-1]['backupId']
    env.emu.clear_requests()
    return backup_id


def run(env, check_mode=False, **args):
    return env.run(atlassian_backup, dict(TASK, **args), check_mode=check_mode)


def sent(env, app='atlassian'):
    """``(method, path after /orgs/<org>)`` of every request, in order."""
    return [(r['method'], r['path'].split('/org-emulator-1', 1)[1]) for r in env.emu.requests()
            if r['path'].startswith('/%s/' % app)]


POLICIES = ('GET', '/policies')
BACKUPS = ('GET', '/policies/pol-prod/backups')


def read(backup_id):
    return ('GET', '/backups/' + backup_id)


# --- the figures: a re-run of a complete backup ---------------------------------------------------

def test_a_rerun_without_confirm_reads_the_policy_pages_then_the_backups(env):
    seed_backup(env)
    result = run(env)
    assert result['failed'] is False and result['changed'] is False and result['confirmed'] is False
    assert sent(env) == [POLICIES, BACKUPS]


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_rerun_with_confirm_is_one_read(env, check_mode):
    backup_id = seed_backup(env)
    result = run(env, check_mode=check_mode, confirm=dict(backup_id=backup_id, policy_id='pol-prod'))
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False and result['confirmed'] is True and result['deferred'] is False
    assert result['backup']['backup_id'] == backup_id and result['backup']['status'] == 'COMPLETE'
    assert result['backup']['policy_id'] == 'pol-prod' and result['backup']['cloud_id'] == 'cloud-prod'
    assert sent(env) == [read(backup_id)] and env.mutations() == []


def test_confirm_by_the_policy_id_alone(env):
    backup_id = seed_backup(env)
    result = run(env, cloud_id=None, product=None, policy_id='pol-prod', confirm=dict(backup_id=backup_id))
    assert result['confirmed'] is True and sent(env) == [read(backup_id)]


def test_only_the_first_policy_page_is_read_when_the_policy_id_is_given(env):
    """The first page (shared by the runs of a process: test_atlassian_backup_shared_policies.py) names the policy:
    one read, as the policy's own read was."""
    backup_id = seed_backup(env)
    result = run(env, policy_id='pol-prod')
    assert result['changed'] is False and result['backup']['backup_id'] == backup_id
    assert result['backup']['policy_id'] == 'pol-prod'
    assert sent(env) == [POLICIES, BACKUPS]
    assert env.emu.requests(path='/policies$')[0]['query']['start'] == ['0']


def test_an_incomplete_backup_confirms_with_its_warning_unless_not_allowed(env):
    backup_id = seed_backup(env, status='INCOMPLETE')
    result = run(env, confirm=dict(backup_id=backup_id))
    assert result['confirmed'] is True and any('INCOMPLETE' in w for w in env.warnings)
    assert sent(env) == [read(backup_id)]
    env.emu.clear_requests()
    refused = run(env, confirm=dict(backup_id=backup_id), allow_incomplete=False)
    assert refused['confirmed'] is False and refused['changed'] is True
    assert sent(env)[:3] == [read(backup_id), POLICIES, BACKUPS]


# --- anything else: the run goes on as without confirm --------------------------------------------

# 15 days old: EXPIRED (Atlassian keeps backups 14 days).
@pytest.mark.parametrize('status, age', [('FAILED', HOUR), ('COMPLETE', 15 * 86400)])
def test_confirm_of_a_backup_that_cannot_stand_falls_back_and_starts_one(env, status, age):
    backup_id = seed_backup(env, status=status, age=age)
    result = run(env, confirm=dict(backup_id=backup_id))
    assert result['failed'] is False, result['msg']
    assert result['confirmed'] is False and result['changed'] is True
    assert sent(env)[:3] == [read(backup_id), POLICIES, BACKUPS]
    assert len(env.emu.requests(method='POST', path='/backups$')) == 1


def test_confirm_of_a_backup_older_than_max_age_falls_back_as_without_it(env):
    backup_id = seed_backup(env, age=2 * 86400)
    result = run(env, confirm=dict(backup_id=backup_id))
    assert result['failed'] is True and 'older than max_age' in result['msg']
    assert sent(env) == [read(backup_id), POLICIES, BACKUPS] and env.mutations() == []


def test_confirm_of_a_missing_backup_falls_back(env):
    backup_id = seed_backup(env)
    result = run(env, confirm=dict(backup_id='bkp-gone'))
    assert result['confirmed'] is False and result['changed'] is False and result['backup']['backup_id'] == backup_id
    assert sent(env) == [read('bkp-gone'), POLICIES, BACKUPS]


@pytest.mark.parametrize('policy, task', [
    ('pol-other', {}),                                                  # another site
    ('pol-wiki', {}),                                                   # another product of the site
    ('pol-other', dict(cloud_id=None, product=None, policy_id='pol-prod')),  # another policy
])
def test_confirm_of_another_targets_backup_falls_back(env, policy, task):
    theirs = seed_backup(env, policy=policy)
    ours = seed_backup(env)
    result = run(env, confirm=dict(backup_id=theirs), **task)
    assert result['confirmed'] is False and result['changed'] is False
    assert result['backup']['backup_id'] == ours and result['backup']['policy_id'] == 'pol-prod'
    assert sent(env)[0] == read(theirs) and len(sent(env)) == 3 and env.mutations() == []


def test_confirm_recording_another_policy_falls_back(env):
    backup_id = seed_backup(env)
    result = run(env, confirm=dict(backup_id=backup_id, policy_id='pol-other'))
    assert result['confirmed'] is False and result['changed'] is False
    assert sent(env) == [read(backup_id), POLICIES, BACKUPS]


def test_confirm_of_a_running_backup_falls_back_and_waits_for_it(env):
    backup_id = seed_backup(env, status='IN_PROGRESS', age=0)
    result = run(env, confirm=dict(backup_id=backup_id))
    assert result['confirmed'] is False and result['changed'] is False
    assert result['backup']['backup_id'] == backup_id and result['backup']['status'] == 'COMPLETE'
    assert env.mutations() == []


def test_a_read_error_of_the_confirm_falls_back(env):
    backup_id = seed_backup(env)
    env.emu.add_fault(path='/backups/%s$' % backup_id, action='status', status=500)
    result = run(env, confirm=dict(backup_id=backup_id))
    assert result['failed'] is False, result['msg']
    assert result['confirmed'] is False and result['backup']['backup_id'] == backup_id
    assert sent(env) == [read(backup_id), POLICIES, BACKUPS]


@pytest.mark.parametrize('backup_id', ['..', 'a/b', ' '])
def test_a_recorded_id_that_is_no_path_segment_is_never_put_in_a_url(env, backup_id):
    seed_backup(env)
    result = run(env, confirm=dict(backup_id=backup_id))
    assert result['failed'] is False and result['confirmed'] is False
    assert sent(env) == [POLICIES, BACKUPS]


def test_confirm_without_a_backup_id_fails_before_any_request(env):
    result = run(env, confirm=dict(policy_id='pol-prod'))
    assert result['failed'] is True and 'missing required arguments: backup_id found in confirm' in result['msg']
    assert env.emu.requests() == []


# --- v2 -----------------------------------------------------------------------------------------------

def v2(env, check_mode=False, **args):
    args = dict(TASK, api_version=2, api_url=env.emu.api_base + '/atlassian_v2', account_id=ACCOUNT, **args)
    return env.run(atlassian_backup, args, check_mode=check_mode)


@pytest.fixture
def v2_env(env):
    env.emu.seed({'atlassian_v2': {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA', 'policyId': 'pol-j'},
                                                {'cloudId': 'cloud-staging', 'product': 'JIRA', 'policyId': 'pol-o'}]}})
    return env


def test_v2_a_rerun_with_confirm_is_one_read(v2_env):
    backup_id = seed_backup(v2_env, policy='pol-j', app='atlassian_v2')
    before = v2(v2_env)
    assert before['changed'] is False and before['confirmed'] is False
    # Without confirm: the policy pages, the policy's details, its backups.
    assert [m for m, dummy in sent(v2_env, 'atlassian_v2')] == ['GET'] * 3
    v2_env.emu.clear_requests()
    result = v2(v2_env, confirm=dict(backup_id=backup_id, policy_id='pol-j'))
    assert result['confirmed'] is True and result['changed'] is False and result['backup']['backup_id'] == backup_id
    assert sent(v2_env, 'atlassian_v2') == [read(backup_id)] and v2_env.mutations() == []


def test_v2_confirm_of_another_sites_backup_falls_back(v2_env):
    theirs = seed_backup(v2_env, policy='pol-o', app='atlassian_v2')
    ours = seed_backup(v2_env, policy='pol-j', app='atlassian_v2')
    result = v2(v2_env, confirm=dict(backup_id=theirs))
    assert result['confirmed'] is False and result['backup']['backup_id'] == ours
    assert v2_env.mutations() == []


def test_v2_with_only_the_policy_id_a_backup_cannot_be_told_to_be_ours(v2_env):
    # v2 backups name no policy: only the site and product could say so.
    backup_id = seed_backup(v2_env, policy='pol-j', app='atlassian_v2')
    result = v2(v2_env, cloud_id=None, product=None, policy_id='pol-j', confirm=dict(backup_id=backup_id))
    assert result['confirmed'] is False and result['changed'] is False and result['backup']['backup_id'] == backup_id
    assert sent(v2_env, 'atlassian_v2')[0] == read(backup_id)
    assert ('GET', '/policies') not in sent(v2_env, 'atlassian_v2')
