# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The snapshot and restore roles on Atlassian's backup-management API v2: api_version and account_id come
through saasops_connection like every connection option, the backup is run by activating the policy's
one-time schedule, and the restore uses the v2 body; v1 sees nothing."""

from conftest import ATLASSIAN_API_TOKEN, atlassian_host, published  # pylint: disable=import-error

# pylint: disable-next=import-error
from credentials import ATLASSIAN_ACCOUNT_ID

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
RESTORE = 'saasops.backup.restore'


def v2_host(emu, **connection):
    host = atlassian_host(emu)
    host['saasops_connection'].update(api_url=emu.url('/atlassian_v2'), api_version=2, **connection)
    return host


def seed(emu):
    emu.configure({'atlassian_v2': {'created_seconds': 0.2, 'backup_seconds': 1.0, 'validation_seconds': 0.2,
                                    'restore_seconds': 0.5}})
    emu.seed({'atlassian_v2': {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA', 'policyId': 'pol-v2'}]}})


def v2_mutations(emu):
    return [(r['method'], r['path'].split('/orgs/', 1)[1]) for r in emu.requests()
            if r['path'].startswith('/atlassian_v2/') and r['method'] != 'GET']


def test_snapshot_then_restore_with_api_version_2(emu, job):
    seed(emu)
    hosts = {'jira-v2': v2_host(emu, account_id=ATLASSIAN_ACCOUNT_ID)}
    snapshot = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'v2-1'}, name='snapshot')
    assert snapshot.rc == 0, snapshot.output
    entry = job.manifest('v2-1')['environments'][0]
    assert entry['status'] == 'completed' and entry['platform'] == 'atlassian'
    backup_id = entry['restore']['backup_id']
    assert entry['restore'] == {'backup_id': backup_id, 'cloud_id': 'cloud-prod', 'product': 'jira'}
    assert v2_mutations(emu) == [('PUT', 'org-emulator-1/policies/pol-v2'), ('PUT', 'org-emulator-1/policies/pol-v2/activate')]
    activate = [r for r in emu.requests(method='PUT') if r['path'].endswith('/activate')]
    assert [r['headers'].get('X-Atl-Account-Id') for r in activate] == [ATLASSIAN_ACCOUNT_ID]
    assert [b['backupId'] for b in emu.state('atlassian_v2')['backups']] == [backup_id]

    emu.clear_requests()
    restore = job.run(RESTORE, hosts, {'saasops_manifest': published(snapshot)['saasops_manifest'],
                                       'saasops_restore_confirm': True}, name='restore')
    assert restore.rc == 0, restore.output
    creates = [r for r in emu.requests(method='POST') if r['path'].endswith('/restores')]
    assert [r['path'].split('/orgs/', 1)[1] for r in creates] == ['org-emulator-1/cloud/cloud-prod/restores']
    assert creates[0]['path'].startswith('/atlassian_v2/')
    assert creates[0]['json']['productType'] == 'JIRA' and creates[0]['json']['backupId'] == backup_id
    assert [r['status'] for r in emu.state('atlassian_v2')['restores']] == ['COMPLETE']
    # v1 is untouched.
    assert not any(r['path'].startswith('/atlassian/') for r in emu.requests())
    assert emu.state('atlassian')['backups'] == [] and emu.state('atlassian')['restores'] == []
    for result in (snapshot, restore):
        assert ATLASSIAN_API_TOKEN not in result.output


def test_a_v2_snapshot_without_the_account_id_fails_before_any_request(emu, job):
    seed(emu)
    result = job.run(SNAPSHOT, {'jira-v2': v2_host(emu)}, {'saasops_run_id': 'v2-2'}, name='no-account')
    assert result.rc != 0
    assert 'account_id (or ATLASSIAN_ACCOUNT_ID) is required with api_version 2' in result.output
    assert v2_mutations(emu) == []
