# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup_info against the emulator: every page of every list, filters, one backup."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.modules.atlassian_backup_info import GATHER, read
from ansible_collections.saasops.backup.tests.unit.plugins.modules.atlassian_emu import EmulatedAtlassian


@pytest.fixture
def env(emu, monkeypatch):
    env = EmulatedAtlassian(emu, monkeypatch)
    env.emu.configure({'atlassian': {'max_page_size': 2}})
    env.jira = env.seed_policy()
    env.confluence = env.seed_policy(product='CONFLUENCE')
    env.staging = env.seed_policy(cloud_id='cloud-staging')
    env.emu.seed({'atlassian': {'backups': [{'policyId': env.jira['policyId'], 'status': 'COMPLETE', 'count': 5},
                                            {'policyId': env.confluence['policyId'], 'status': 'FAILED'},
                                            {'policyId': env.staging['policyId'], 'status': 'COMPLETE', 'count': 2}]}})
    return env


def run(env, **overrides):
    params = dict(gather=GATHER, cloud_id=None, product=None, policy_id=None, backup_id=None)
    params.update(overrides)
    return env.run(lambda module, api: read(api, module.params), check_mode=True, **params)[0]


def test_everything_is_read_across_pages(env):
    result = run(env)
    assert result['changed'] is False
    assert len(result['policies']) == 3
    assert len(result['backups']) == 8
    assert result['regions'][0] == 'us-east-1'
    assert result['storages'] == [] and result['exports'] == [] and result['imports'] == [] and result['restores'] == []
    assert len(env.emu.requests(path='/policies/%s/backups$' % env.jira['policyId'])) == 3  # 2 + 2 + 1
    assert env.posts() == []


def test_filters_by_site_and_product(env):
    result = run(env, gather=['policies', 'backups'], cloud_id='cloud-prod', product='Jira')
    assert [p['policy_id'] for p in result['policies']] == [env.jira['policyId']]
    assert len(result['backups']) == 5 and {b['product'] for b in result['backups']} == {'JIRA'}
    assert set(result) == {'changed', 'policies', 'backups'}


def test_backups_of_one_policy_and_one_backup(env):
    by_policy = run(env, gather=['backups'], policy_id=env.staging['policyId'])
    assert len(by_policy['backups']) == 2
    wanted = by_policy['backups'][0]['backup_id']
    assert run(env, gather=['backups'], backup_id=wanted)['backups'][0]['backup_id'] == wanted
    assert run(env, gather=['backups'], backup_id='bkp-missing')['backups'] == []


def test_an_unknown_product_fails(env):
    with pytest.raises(InputError, match='product must be one of'):
        run(env, product='trello')


def test_a_site_or_policy_without_backups_gives_empty_lists_not_a_failure(env):
    site = run(env, gather=['policies', 'backups'], cloud_id='cloud-without-policy', product='jira')
    assert site == dict(changed=False, policies=[], backups=[])
    assert run(env, gather=['backups'], policy_id='pol-missing') == dict(changed=False, backups=[])
    assert run(env, gather=['backups'], cloud_id='cloud-staging', product='confluence') == dict(changed=False, backups=[])
    assert env.posts() == []
