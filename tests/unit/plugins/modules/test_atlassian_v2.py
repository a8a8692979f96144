# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Atlassian modules on backup-management API v2 (api_version: 2), through main() against the emulator's
v2 app: backups by activating a ONCE schedule, the policy's schedule, restores with productType, and the
refusals (export, import, storages, account id) before any request."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import (
    atlassian_backup, atlassian_backup_export, atlassian_backup_import, atlassian_backup_info, atlassian_backup_policy,
    atlassian_restore, atlassian_storage)
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

ACCOUNT = '5b10ac8d82e05b22cc7d4ef5'


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.configure({'atlassian_v2': {'created_seconds': 1.0, 'backup_seconds': 30.0}})
    return env


def v2(env, module, args, check_mode=False, account=True):
    args = dict(args, api_version=2, api_url=env.emu.api_base + '/atlassian_v2')
    if account:
        args['account_id'] = ACCOUNT
    return env.run(module, args, check_mode=check_mode)


def seed_policy(env, **fields):
    env.emu.seed({'atlassian_v2': {'policies': [dict(dict(cloudId='cloud-prod', product='JIRA', policyId='pol-j'), **fields)]}})


def state(env):
    return env.emu.state('atlassian_v2')


def v2_requests(env, method=None):
    return [r for r in env.emu.requests() if '/atlassian_v2/' in r['path'] and method in (None, r['method'])]


BACKUP = dict(cloud_id='cloud-prod', product='jira', max_age='1d', wait_timeout=600)


def test_a_backup_sets_a_once_schedule_activates_with_the_account_id_and_waits(env):
    seed_policy(env)
    check = v2(env, atlassian_backup, BACKUP, check_mode=True)
    assert check['changed'] is True and check['backup']['status'] == 'CREATED' and env.mutations() == []
    result = v2(env, atlassian_backup, BACKUP)
    assert result['failed'] is False and result['changed'] is True
    assert result['backup']['status'] == 'COMPLETE' and result['backup']['policy_id'] == 'pol-j'
    assert result['backup']['account_id'] == ACCOUNT and result['backup']['expiry_time']
    puts = [(r['path'].rsplit('/atlassian_v2', 1)[1], r['json']) for r in env.mutations()]
    assert puts == [('/orgs/org-emulator-1/policies/pol-j', {'scheduleDetails': {'interval': 'ONCE'}}),
                    ('/orgs/org-emulator-1/policies/pol-j/activate', None)]
    activate = [r for r in v2_requests(env, 'PUT') if r['path'].endswith('/activate')][0]
    assert activate['headers'].get('X-Atl-Account-Id') == ACCOUNT
    assert all(r['headers'].get('X-Atl-Account-Id') == ACCOUNT for r in v2_requests(env))
    assert [p['status'] for p in state(env)['policies']] == ['INACTIVE']
    assert not any(r['path'].startswith('/atlassian/') for r in env.emu.requests())
    # Again: the backup is recent enough, nothing is sent; the policy's last backup time is reported.
    for check_mode in (True, False):
        again = v2(env, atlassian_backup, BACKUP, check_mode=check_mode)
        assert again['changed'] is False and again['backup']['backup_id'] == result['backup']['backup_id']
        assert again['last_backup_time'] == state(env)['policies'][0]['details']['backupDetails']['lastBackupTime']
    assert len(env.mutations()) == 2 and state(env)['counts']['activations'] == 1


def test_a_once_policy_is_activated_again_without_touching_its_schedule(env):
    seed_policy(env, schedule='ONCE')
    env.emu.seed({'atlassian_v2': {'backups': [{'policyId': 'pol-j', 'status': 'COMPLETE', 'ageSeconds': 3 * 86400}]}})
    result = v2(env, atlassian_backup, BACKUP)
    assert result['changed'] is True and [r['path'].rsplit('/', 1)[1] for r in env.mutations()] == ['activate']
    assert len(state(env)['backups']) == 2


@pytest.mark.parametrize('took, reused', [(7200, True), (60, False)])
def test_a_last_backup_time_within_max_age_makes_a_longer_backup_recent_enough(env, took, reused):
    seed_policy(env, schedule='ONCE')
    env.emu.seed({'atlassian_v2': {'backups': [{'policyId': 'pol-j', 'status': 'COMPLETE', 'backupId': 'bkp-long',
                                                'ageSeconds': 86400 + 3600, 'tookSeconds': took}]}})
    result = v2(env, atlassian_backup, BACKUP)
    assert result['failed'] is False and result['last_backup_time']
    assert result['changed'] is not reused and (result['backup']['backup_id'] == 'bkp-long') is reused


def test_the_completed_word_and_an_incomplete_outcome(env):
    env.emu.configure({'atlassian_v2': {'backup_result': 'INCOMPLETE'}})
    seed_policy(env, schedule='ONCE')
    result = v2(env, atlassian_backup, dict(BACKUP, allow_incomplete=False))
    assert result['failed'] is True and 'ended INCOMPLETE' in result['msg']


def test_a_recurring_schedule_is_not_overwritten(env):
    seed_policy(env, schedule='DAILY', active=True)
    result = v2(env, atlassian_backup, BACKUP)
    assert result['failed'] is True and 'runs on a daily schedule' in result['msg'] and env.mutations() == []


def test_two_policies_of_a_product_ask_for_policy_id(env):
    seed_policy(env)
    env.emu.seed({'atlassian_v2': {'policies': [dict(cloudId='cloud-prod', product='JIRA', policyId='pol-s3', storageId='stg-1')]}})
    result = v2(env, atlassian_backup, BACKUP)
    assert result['failed'] is True and 'set policy_id' in result['msg'] and 'pol-s3' in result['msg']
    assert env.mutations() == []
    chosen = v2(env, atlassian_backup, dict(policy_id='pol-j', wait_timeout=600))
    assert chosen['changed'] is True and chosen['backup']['policy_id'] == 'pol-j'


def test_a_lost_activate_answer_takes_the_backup_it_started(env):
    seed_policy(env, schedule='ONCE')
    env.emu.add_fault(path='/activate$', method='PUT', action='drop_after')
    result = v2(env, atlassian_backup, BACKUP)
    assert result['failed'] is False and result['changed'] is True
    assert state(env)['counts']['activations'] == 1 and len(state(env)['backups']) == 1


def test_a_409_on_activate_without_a_pending_backup_fails_with_the_server_s_answer(env):
    seed_policy(env, schedule='ONCE')
    env.emu.add_fault(path='/activate$', method='PUT', action='status', status=409, count=1)
    result = v2(env, atlassian_backup, BACKUP)
    assert result['failed'] is True and result['error']['status'] == 409 and 'activate' in result['msg']
    assert len(env.mutations()) == 1 and state(env)['backups'] == []


def test_a_backup_pending_on_the_policy_is_waited_for_not_started_again(env):
    seed_policy(env, schedule='ONCE')
    env.emu.seed({'atlassian_v2': {'backups': [{'policyId': 'pol-j', 'status': 'IN_PROGRESS'}]}})
    result = v2(env, atlassian_backup, BACKUP)
    assert result['changed'] is False and result['backup']['status'] == 'COMPLETE' and env.mutations() == []


@pytest.mark.parametrize('module, args, message', [
    (atlassian_backup, BACKUP, 'account_id (or ATLASSIAN_ACCOUNT_ID) is required with api_version 2 to run a backup'),
    (atlassian_backup_policy, dict(cloud_id='cloud-prod', product='jira', schedule='daily'),
     'required with api_version 2 to activate a daily schedule'),
])
def test_account_id_is_required_before_any_request(env, module, args, message):
    seed_policy(env)
    result = v2(env, module, args, account=False)
    assert result['failed'] is True and message in result['msg'] and v2_requests(env) == []


@pytest.mark.parametrize('module, args, message', [
    (atlassian_backup_export, dict(backups=[dict(product='jira', cloud_id='cloud-prod', backup_id='b')]),
     'the export is not available with api_version 2: backup-management API v2 has no export'),
    (atlassian_backup_import, dict(backups=[dict(product='jira', cloud_id='cloud-prod', backup_id='b')]),
     'the import is not available with api_version 2'),
    (atlassian_storage, dict(cloud_id='cloud-prod', name='b', region='us-east-1', prefix='p', role_identifier='r',
                             principal_tag='t'), 'no longer lets new customers keep backups in Amazon S3'),
    (atlassian_backup_policy, dict(cloud_id='cloud-prod', product='jira', storage_id='stg-1'),
     'a policy storage (storage_id, storage_name) is not available with api_version 2'),
    (atlassian_backup_info, dict(gather=['policies', 'exports']), 'gather exports is not available with api_version 2'),
])
def test_what_v2_lacks_is_refused_before_any_request(env, module, args, message):
    result = v2(env, module, args)
    assert result['failed'] is True and message in result['msg'] and v2_requests(env) == []


def test_schedule_is_refused_on_v1(env):
    result = env.run(atlassian_backup_policy, dict(cloud_id='cloud-prod', product='jira', schedule='once'))
    assert result['failed'] is True and 'schedule exists only in backup-management API v2' in result['msg']
    assert env.emu.requests() == []


POLICY = dict(cloud_id='cloud-prod', product='confluence', include_attachments=True, schedule='weekly')


def test_policy_schedule_four_times_and_activation(env):
    check = v2(env, atlassian_backup_policy, POLICY, check_mode=True)
    assert check['changed'] is True and env.mutations() == []
    assert check['diff']['after']['schedule'] == 'weekly' and check['diff']['after']['status'] == 'ACTIVE'
    created = v2(env, atlassian_backup_policy, POLICY)
    assert created['changed'] is True and created['policy']['schedule'] == 'weekly'
    assert created['policy']['status'] == 'ACTIVE' and created['policy']['product'] == 'CONFLUENCE'
    sent = [(r['method'], r['path'].rsplit('/', 1)[1], r['json']) for r in env.mutations()]
    assert sent[0][0] == 'POST' and sent[0][2]['productType'] == 'CONFLUENCE'
    assert sent[0][2]['scheduleDetails'] == {'interval': 'WEEKLY'} and sent[0][2]['includeAttachments'] is True
    assert sent[1][:2] == ('PUT', 'activate')
    for check_mode in (True, False):
        again = v2(env, atlassian_backup_policy, POLICY, check_mode=check_mode)
        assert again['changed'] is False
    assert len(env.mutations()) == 2
    # Changing to once: one PUT of the schedule, never an activation.
    once = v2(env, atlassian_backup_policy, dict(POLICY, schedule='once'))
    assert once['changed'] is True and once['diff']['before']['schedule'] == 'weekly'
    assert env.mutations()[-1]['json'] == {'scheduleDetails': {'interval': 'ONCE'}}
    assert v2(env, atlassian_backup_policy, dict(POLICY, schedule='once'))['changed'] is False
    assert state(env)['counts']['activations'] == 1


def test_restore_sends_product_type_and_finishes(env):
    seed_policy(env)
    env.emu.seed({'atlassian_v2': {'backups': [{'policyId': 'pol-j', 'status': 'COMPLETE', 'backupId': 'bkp-v2'}]}})
    args = dict(backup_id='bkp-v2', cloud_id='cloud-staging', product='jira', wait_timeout=600)
    check = v2(env, atlassian_restore, args, check_mode=True)
    assert check['changed'] is True and env.mutations() == []
    result = v2(env, atlassian_restore, args)
    assert result['failed'] is False and result['restore']['status'] == 'COMPLETE'
    assert result['restore']['product_type'] == 'JIRA' and result['post_op_report_url']
    assert env.mutations()[0]['json'] == {'backupId': 'bkp-v2', 'productType': 'JIRA', 'includeAttachments': True,
                                          'includeUsersAndGroups': True}
    assert v2(env, atlassian_restore, args)['changed'] is False


def test_info_reads_v2_policies_and_backups(env):
    seed_policy(env, schedule='DAILY')
    env.emu.seed({'atlassian_v2': {'backups': [{'policyId': 'pol-j', 'status': 'COMPLETE', 'count': 2}]}})
    result = v2(env, atlassian_backup_info, dict(cloud_id='cloud-prod', product='jira'))
    assert result['failed'] is False and sorted(k for k in ('policies', 'backups', 'restores', 'exports') if k in result) == [
        'backups', 'policies', 'restores']
    assert result['policies'][0]['schedule'] == 'daily' and result['policies'][0]['product_type'] == 'JIRA'
    assert [b['status'] for b in result['backups']] == ['COMPLETE', 'COMPLETE']
    assert all(b['policy_id'] == 'pol-j' for b in result['backups'])
