# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup_policy against the emulator: create, update only what differs, diff, bad input."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.modules.atlassian_backup_policy import ensure_policy
from ansible_collections.saasops.backup.tests.unit.plugins.modules.atlassian_emu import EmulatedAtlassian

BUCKET = dict(storageName='acme-backups', storageRegion='us-east-1', storagePrefix='p', roleIdentifier='r', principalTag='t',
              cloudId='cloud-prod')


@pytest.fixture
def env(emu, monkeypatch):
    return EmulatedAtlassian(emu, monkeypatch)


def run(env, check_mode=False, **overrides):
    params = dict(cloud_id='cloud-prod', product='confluence', include_attachments=None, include_personal_spaces=None,
                  storage_id=None, storage_name=None)
    params.update(overrides)
    return env.run(ensure_policy, check_mode=check_mode, **params)


def test_create_four_times(env):
    check, dummy = run(env, check_mode=True, include_attachments=True)
    assert check['changed'] is True and env.posts() == []
    assert check['diff']['after'] == {'cloud_id': 'cloud-prod', 'product': 'CONFLUENCE', 'include_attachments': True,
                                      'include_personal_spaces': None, 'storage_id': None}
    created, dummy = run(env, include_attachments=True)
    assert created['changed'] is True and created['policy']['policy_id'].startswith('pol-')
    assert created['policy']['include_attachments'] is True
    for check_mode in (True, False):
        again, dummy = run(env, check_mode=check_mode, product='CONFLUENCE', include_attachments=True)
        assert again['changed'] is False
    posts = env.posts()
    assert len(posts) == 1 and posts[0]['json'] == {'product': 'CONFLUENCE', 'includeAttachments': True}


def test_update_sends_only_the_set_fields_that_differ(env):
    env.emu.seed({'atlassian': {'storages': [dict(BUCKET, storageId='stg-1')]}})
    env.seed_policy(product='CONFLUENCE', includeAttachments=True)
    check, dummy = run(env, check_mode=True, include_attachments=True, include_personal_spaces=True, storage_name='acme-backups')
    assert check['changed'] is True and env.posts() == []
    updated, dummy = run(env, include_attachments=True, include_personal_spaces=True, storage_name='acme-backups')
    assert updated['diff'] == check['diff']
    assert updated['diff']['before']['include_personal_spaces'] is False
    assert updated['diff']['after']['include_personal_spaces'] is True
    puts = env.posts()
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
    (dict(cloud_id=' '), 'cloud_id must not be empty'),
])
def test_bad_input_fails_before_any_change(env, overrides, message):
    with pytest.raises(InputError, match=message):
        run(env, **overrides)
    assert env.posts() == []


def test_an_ambiguous_storage_name_lists_the_ids(env):
    env.emu.seed({'atlassian': {'storages': [dict(BUCKET, storageId='stg-a'), dict(BUCKET, storagePrefix='q', storageId='stg-b')]}})
    with pytest.raises(InputError, match='has 2 storages named .*stg-a, stg-b'):
        run(env, storage_name='acme-backups')


def test_a_lost_create_answer_creates_one_policy(env):
    env.emu.add_fault(path='/policies$', method='POST', action='drop_after')
    result, dummy = run(env, product='jira', include_attachments=False)
    assert result['changed'] is True and result['policy']['product'] == 'JIRA'
    assert len(env.state()['policies']) == 1
