# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_storage against the emulator: register once, region check, immutable fields, lost answers, pages, and
(through main()) the argument spec."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.modules import atlassian_storage
from ansible_collections.saasops.backup.plugins.modules.atlassian_storage import StorageRun
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

STORAGE = dict(cloud_id='cloud-prod', name='acme-backups', region='eu-central-1', prefix='jira',
               role_identifier='arn:aws:iam::123456789012:role/writer', principal_tag='atl-backup')


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(env, check_mode=False, **overrides):
    module, api = env.api(Atlassian, 'atlassian', check_mode=check_mode, **dict(STORAGE, storage_type='aws', **overrides))
    return StorageRun(module, api).execute(), module


def creates(env):
    return [r for r in env.mutations() if r['path'].endswith('/storages')]


def storages(env):
    return env.emu.state('atlassian')['storages']


def test_check_mode_then_create_then_nothing_twice(env):
    check, dummy = run(env, check_mode=True)
    assert check['changed'] is True and check['diff']['before'] == {}
    assert check['diff']['after']['name'] == 'acme-backups'
    assert env.mutations() == []
    created, dummy = run(env)
    assert created['changed'] is True
    assert created['storage']['storage_id'].startswith('stg-')
    assert created['diff'] == check['diff']
    again, dummy = run(env)
    again_check, dummy = run(env, check_mode=True)
    assert again['changed'] is False and again_check['changed'] is False
    assert again['storage'] == created['storage']
    assert len(creates(env)) == 1
    assert len(storages(env)) == 1


def test_another_prefix_is_another_storage(env):
    run(env)
    other, dummy = run(env, prefix='confluence')
    assert other['changed'] is True
    assert len(storages(env)) == 2


def test_an_unsupported_region_fails_before_the_create(env):
    with pytest.raises(InputError, match="region 'mars-north-1' is not supported.*eu-central-1"):
        run(env, region='mars-north-1')
    assert env.mutations() == []


def test_a_storage_that_differs_in_a_field_the_api_cannot_change_fails(env):
    run(env)
    with pytest.raises(InputError, match=r"principal_tag \(is 'atl-backup', wanted 'other-tag'\)"):
        run(env, principal_tag='other-tag')
    assert len(creates(env)) == 1


def test_a_lost_create_answer_is_resolved_by_reading_again(env):
    env.emu.add_fault(path='/storages$', method='POST', action='drop_after')
    result, dummy = run(env)
    assert result['changed'] is True and result['storage']['storage_id']
    assert len(storages(env)) == 1


def test_the_storage_is_found_on_a_later_page(env):
    env.emu.configure({'atlassian': {'max_page_size': 2}})
    others = [dict(storageName='other-%d' % n, storageRegion='us-east-1', storagePrefix='p', roleIdentifier='r',
                   principalTag='t', cloudId='cloud-prod') for n in range(4)]
    env.emu.seed({'atlassian': {'storages': [dict(storageName='acme-backups', storageRegion='eu-central-1', storagePrefix='jira',
                                                  roleIdentifier=STORAGE['role_identifier'], principalTag='atl-backup',
                                                  cloudId='cloud-prod')] + others}})
    result, dummy = run(env)
    assert result['changed'] is False
    assert env.mutations() == []
    assert len(env.emu.requests(method='GET', path='/storages$')) == 3


def test_empty_values_fail_before_any_request_all_named_at_once(env):
    with pytest.raises(InputError, match='^name must not be empty$'):
        run(env, name=' ')
    with pytest.raises(InputError, match='^region, principal_tag must not be empty$'):
        run(env, region='', principal_tag='  ')
    assert env.emu.requests() == []


# --- through main() ----------------------------------------------------------------------------

@pytest.mark.parametrize('args, message', [
    (dict(STORAGE, storage_type='gcs'), 'value of storage_type must be one of: aws, got: gcs'),
    (dict(STORAGE, state='present'), 'Unsupported parameters'),  # the API cannot delete: there is no state
    (dict((k, v) for k, v in STORAGE.items() if k != 'prefix'), 'missing required arguments: prefix'),
])
def test_the_argument_spec_fails_before_any_request(env, args, message):
    result = env.run(atlassian_storage, args)
    assert result['failed'] is True and message in result['msg']
    assert env.emu.requests() == []


def test_main_registers_the_storage_once(env):
    first = env.run(atlassian_storage, STORAGE)
    second = env.run(atlassian_storage, STORAGE)
    assert first['failed'] is False and first['changed'] is True
    assert second['changed'] is False and second['storage'] == first['storage']
    assert [r['json'] for r in creates(env)] == [{
        'cloudId': 'cloud-prod', 'storageName': 'acme-backups', 'storageRegion': 'eu-central-1', 'storagePrefix': 'jira',
        'storageType': 'aws', 'roleIdentifier': STORAGE['role_identifier'], 'principalTag': 'atl-backup'}]
