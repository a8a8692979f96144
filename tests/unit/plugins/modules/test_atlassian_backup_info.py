# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup_info against the emulator: every page of every list, filters, one backup, and (through
main()) the argument spec."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.modules import atlassian_backup_info
from ansible_collections.saasops.backup.plugins.modules.atlassian_backup_info import GATHER, InfoRun
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.configure({'atlassian': {'max_page_size': 2}})
    emu.seed({'atlassian': {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA'},
                                         {'cloudId': 'cloud-prod', 'product': 'CONFLUENCE'},
                                         {'cloudId': 'cloud-staging', 'product': 'JIRA'}]}})
    env.jira, env.confluence, env.staging = emu.state('atlassian')['policies']
    emu.seed({'atlassian': {'backups': [{'policyId': env.jira['policyId'], 'status': 'COMPLETE', 'count': 5},
                                        {'policyId': env.confluence['policyId'], 'status': 'FAILED'},
                                        {'policyId': env.staging['policyId'], 'status': 'COMPLETE', 'count': 2}]}})
    return env


def run(env, **overrides):
    params = dict(gather=GATHER, cloud_id=None, product=None, policy_id=None, backup_id=None)
    params.update(overrides)
    module, api = env.api(Atlassian, 'atlassian', check_mode=True, **params)
    return InfoRun(module, api).execute()


def test_everything_is_read_across_pages(env):
    result = run(env)
    assert result['changed'] is False
    assert len(result['policies']) == 3
    assert len(result['backups']) == 8
    assert result['regions'][0] == 'us-east-1'
    assert result['storages'] == [] and result['exports'] == [] and result['imports'] == [] and result['restores'] == []
    assert len(env.emu.requests(path='/policies/%s/backups$' % env.jira['policyId'])) == 3  # 2 + 2 + 1
    assert env.mutations() == []


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
    assert env.emu.requests() == []


def test_a_site_or_policy_without_backups_gives_empty_lists_not_a_failure(env):
    site = run(env, gather=['policies', 'backups'], cloud_id='cloud-without-policy', product='jira')
    assert site == dict(changed=False, policies=[], backups=[])
    assert run(env, gather=['backups'], policy_id='pol-missing') == dict(changed=False, backups=[])
    assert run(env, gather=['backups'], cloud_id='cloud-staging', product='confluence') == dict(changed=False, backups=[])
    assert env.mutations() == []


# --- through main() ----------------------------------------------------------------------------

def test_an_unknown_gather_choice_fails_before_any_request(env):
    result = env.run(atlassian_backup_info, dict(gather=['policies', 'backupz']))
    assert result['failed'] is True
    assert 'value of gather must be one or more of: regions, storages, policies, backups' in result['msg']
    assert 'backupz' in result['msg']
    assert env.emu.requests() == []


def test_main_reads_what_gather_lists(env):
    result = env.run(atlassian_backup_info, dict(gather=['policies'], cloud_id='cloud-staging'))
    assert result['failed'] is False and result['changed'] is False
    assert [p['policy_id'] for p in result['policies']] == [env.staging['policyId']]
    assert 'backups' not in result
