# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup_policy against the emulator: create, update only what differs, diff, bad input, and
(through main()) the argument spec."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.modules import atlassian_backup_policy
from ansible_collections.saasops.backup.plugins.modules.atlassian_backup_policy import PolicyRun
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

BUCKET = dict(storageName='acme-backups', storageRegion='us-east-1', storagePrefix='p', roleIdentifier='r', principalTag='t',
              cloudId='cloud-prod')


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(env, check_mode=False, **overrides):
    params = dict(cloud_id='cloud-prod', product='confluence', include_attachments=None, include_personal_spaces=None,
                  storage_id=None, storage_name=None)
    params.update(overrides)
    module, api = env.api(Atlassian, 'atlassian', check_mode=check_mode, **params)
    return PolicyRun(module, api).execute(), module


def seed_policy(env, **fields):
    env.emu.seed({'atlassian': {'policies': [dict(dict(cloudId='cloud-prod', product='JIRA'), **fields)]}})


def policies(env):
    return env.emu.state('atlassian')['policies']


def test_create_four_times(env):
    check, dummy = run(env, check_mode=True, include_attachments=True)
    assert check['changed'] is True and env.mutations() == []
    assert check['diff']['after'] == {'cloud_id': 'cloud-prod', 'product': 'CONFLUENCE', 'include_attachments': True,
                                      'include_personal_spaces': None, 'storage_id': None}
    created, dummy = run(env, include_attachments=True)
    assert created['changed'] is True and created['policy']['policy_id'].startswith('pol-')
    assert created['policy']['include_attachments'] is True
    for check_mode in (True, False):
        again, dummy = run(env, check_mode=check_mode, product='CONFLUENCE', include_attachments=True)
        assert again['changed'] is False
    posts = env.mutations()
    assert len(posts) == 1 and posts[0]['json'] == {'product': 'CONFLUENCE', 'includeAttachments': True}


def test_update_sends_only_the_set_fields_that_differ(env):
    env.emu.seed({'atlassian': {'storages': [dict(BUCKET, storageId='stg-1')]}})
    seed_policy(env, product='CONFLUENCE', includeAttachments=True)
    check, dummy = run(env, check_mode=True, include_attachments=True, include_personal_spaces=True, storage_name='acme-backups')
    assert check['changed'] is True and env.mutations() == []
    updated, dummy = run(env, include_attachments=True, include_personal_spaces=True, storage_name='acme-backups')
    assert updated['diff'] == check['diff']
    assert updated['diff']['before']['include_personal_spaces'] is False
    assert updated['diff']['after']['include_personal_spaces'] is True
    puts = env.mutations()
    assert [p['method'] for p in puts] == ['PUT']
    assert puts[0]['json'] == {'includePersonalSpaces': True, 'storageId': 'stg-1'}
    assert updated['policy']['storage_id'] == 'stg-1'
    again, dummy = run(env, include_personal_spaces=True, storage_id='stg-1')
    assert again['changed'] is False


@pytest.mark.parametrize('overrides, message', [
    (dict(product='jira', include_personal_spaces=False), 'include_personal_spaces applies to Confluence only'),
    (dict(product='bitbucket'), "product must be one of confluence, jira"),
    (dict(storage_name='nope'), "site 'cloud-prod' has no storage named 'nope'"),
    (dict(storage_id='stg-missing'), "storage 'stg-missing' does not exist"),
    (dict(cloud_id=' '), '^cloud_id must not be empty$'),
])
def test_bad_input_fails_before_any_change(env, overrides, message):
    with pytest.raises(InputError, match=message):
        run(env, **overrides)
    assert env.mutations() == []


def test_an_ambiguous_storage_name_lists_the_ids(env):
    env.emu.seed({'atlassian': {'storages': [dict(BUCKET, storageId='stg-a'), dict(BUCKET, storagePrefix='q', storageId='stg-b')]}})
    with pytest.raises(InputError, match='has 2 storages named .*stg-a, stg-b'):
        run(env, storage_name='acme-backups')


def test_a_lost_create_answer_creates_one_policy(env):
    env.emu.add_fault(path='/policies$', method='POST', action='drop_after')
    result, dummy = run(env, product='jira', include_attachments=False)
    assert result['changed'] is True and result['policy']['product'] == 'JIRA'
    assert len(policies(env)) == 1


# --- through main() ----------------------------------------------------------------------------

@pytest.mark.parametrize('args, message', [
    (dict(storage_id='stg-1', storage_name='acme-backups'), 'parameters are mutually exclusive: storage_id|storage_name'),
    (dict(include_attachments='sometimes'), 'include_attachments'),
    (dict(product=None), 'missing required arguments: product'),
])
def test_the_argument_spec_fails_before_any_request(env, args, message):
    args = dict(dict(cloud_id='cloud-prod', product='jira'), **args)
    result = env.run(atlassian_backup_policy, dict((k, v) for k, v in args.items() if v is not None))
    assert result['failed'] is True and message in result['msg']
    assert env.emu.requests() == []


def test_main_creates_the_policy_with_a_diff(env):
    result = env.run(atlassian_backup_policy, dict(cloud_id='cloud-staging', product='Jira', include_attachments=True))
    assert result['failed'] is False and result['changed'] is True
    assert result['diff']['after']['include_attachments'] is True and result['policy']['product'] == 'JIRA'
    assert [(r['method'], r['path']) for r in env.mutations()] == [
        ('POST', '/atlassian/orgs/org-emulator-1/cloud/cloud-staging/policies')]
