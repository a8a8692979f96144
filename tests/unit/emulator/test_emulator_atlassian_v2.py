"""Atlassian backup-management API v2 behaviour, over HTTPS against the running emulator
(contract: api/atlassian.md, "v2 sub-contract"): served beside v1 with separate state."""

import pytest

ORG = 'org-emulator-1'
ADMIN = ('backup-admin@example.com', 'Emul4tor-Atl-Api-Token-0001')
ACCOUNT = {'X-Atl-Account-Id': '5b10ac8d82e05b22cc7d4ef5'}
DAY = 86400


class Api:
    def __init__(self, emu, auth=ADMIN):
        self.emu = emu
        self.base = emu.api_base + '/atlassian_v2/orgs/' + ORG
        self.session = emu.new_session()
        self.session.auth = auth

    def request(self, method, path, **kwargs):
        return self.session.request(method, self.base + path, timeout=10, **kwargs)

    def ok(self, method, path, status=200, **kwargs):
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json()


@pytest.fixture
def api(emu):
    emu.configure({'atlassian_v2': {'created_seconds': 1.0, 'backup_seconds': 2.0}})
    return Api(emu)


def policy(api, cloud='cloud-prod', product='JIRA', **body):
    return api.ok('POST', '/cloud/%s/policies' % cloud, 201, json=dict(productType=product, **body))


def test_separate_from_v1_and_v1_only_paths_are_404(emu, api):
    created = policy(api)
    assert created['productType'] == 'JIRA' and created['cloudInfo']['cloudId'] == 'cloud-prod'
    assert created['status'] == 'INACTIVE' and created['details']['scheduleDetails'] is None
    assert emu.state('atlassian')['policies'] == []
    assert len(emu.state('atlassian_v2')['policies']) == 1
    for method, path in (('POST', '/backups'), ('POST', '/exports'), ('GET', '/storages'), ('POST', '/imports')):
        assert api.request(method, path, json=[]).status_code == 404
    assert api.request('POST', '/cloud/cloud-prod/policies', json={'productType': 'JIRA'}).status_code == 409


def test_policy_details_only_with_their_flags(api):
    pid = policy(api, scheduleDetails={'interval': 'DAILY'})['policyId']
    plain = api.ok('GET', '/policies/' + pid)
    assert plain['details'] == {'scheduleDetails': {'interval': 'DAILY', 'startDate': None, 'scheduleSlot': '00:00-04:00'}}
    full = api.ok('GET', '/policies/' + pid, params={'storageDetails': 'true', 'backupDetails': 'true'})
    assert full['details']['storageId'] is None
    assert full['details']['backupDetails'] == {'lastBackupTime': None, 'totalAvailableBackups': 0}


def test_activate_once_runs_one_backup_then_the_policy_is_inactive(emu, api):
    pid = policy(api, scheduleDetails={'interval': 'ONCE'})['policyId']
    missing = api.request('PUT', '/policies/%s/activate' % pid)
    assert missing.status_code == 400 and 'X-Atl-Account-Id' in missing.json()['errors'][0]['detail']
    answer = api.ok('PUT', '/policies/%s/activate' % pid, headers=ACCOUNT)
    assert answer['totalItems'] == 1
    backup = answer['backups'][0]
    assert backup['status'] == 'CREATED' and backup['accountId'] == ACCOUNT['X-Atl-Account-Id']
    assert (backup['cloudId'], backup['product']) == ('cloud-prod', 'JIRA') and 'policyId' not in backup
    assert api.ok('GET', '/policies/' + pid)['status'] == 'ACTIVE'
    assert api.request('PUT', '/policies/%s/activate' % pid, headers=ACCOUNT).status_code == 409
    emu.advance_clock(1.5)
    assert api.ok('GET', '/backups/' + backup['backupId'])['status'] == 'IN_PROGRESS'
    emu.advance_clock(2.0)
    done = api.ok('GET', '/backups/' + backup['backupId'])
    assert done['status'] == 'COMPLETED'
    details = api.ok('GET', '/policies/' + pid, params={'backupDetails': 'true'})
    assert details['status'] == 'INACTIVE' and details['details']['backupDetails']['lastBackupTime'] == done['lastUpdatedAt']
    assert emu.state('atlassian_v2')['activations'] == [
        dict(policyId=pid, accountId=ACCOUNT['X-Atl-Account-Id'], at=emu.state('atlassian_v2')['activations'][0]['at'])]


def test_completed_word_outcome_and_30_day_expiry(emu, api):
    emu.configure({'atlassian_v2': {'completed_spelling': 'COMPLETE', 'backup_result': 'INCOMPLETE'}})
    pid = policy(api, scheduleDetails={'interval': 'ONCE'})['policyId']
    backup = api.ok('PUT', '/policies/%s/activate' % pid, headers=ACCOUNT)['backups'][0]
    emu.advance_clock(5)
    assert api.ok('GET', '/backups/' + backup['backupId'])['status'] == 'INCOMPLETE'
    emu.configure({'atlassian_v2': {'backup_result': 'COMPLETE'}})
    assert api.ok('PUT', '/policies/%s/activate' % pid, headers=ACCOUNT)['totalItems'] == 1
    emu.advance_clock(5)
    listed = api.ok('GET', '/policies/%s/backups' % pid)['backups']
    assert [b['status'] for b in listed] == ['COMPLETE', 'INCOMPLETE']
    emu.advance_clock(30 * DAY)
    assert api.ok('GET', '/backups/' + backup['backupId'])['status'] == 'EXPIRED'


def test_daily_schedule_makes_a_backup_a_day_and_removing_it_deactivates(emu, api):
    pid = policy(api, scheduleDetails={'interval': 'DAILY'})['policyId']
    assert api.ok('PUT', '/policies/%s/activate' % pid, headers=ACCOUNT) == {'backups': [], 'totalItems': 0}
    emu.advance_clock(2 * DAY + 60)
    assert api.ok('GET', '/policies/%s/backups' % pid)['totalItems'] == 2
    assert api.ok('GET', '/policies/' + pid)['status'] == 'ACTIVE'
    updated = api.ok('PUT', '/policies/' + pid, json={'scheduleDetails': None})
    assert updated['status'] == 'INACTIVE' and updated['details']['scheduleDetails'] is None
    assert api.request('PUT', '/policies/%s/activate' % pid, headers=ACCOUNT).status_code == 400
    assert api.request('PUT', '/policies/' + pid, json={'scheduleDetails': {'interval': 'HOURLY'}}).status_code == 400


def test_restore_takes_product_type(emu, api):
    pid = policy(api)['policyId']
    emu.seed({'atlassian_v2': {'backups': [{'policyId': pid, 'status': 'COMPLETE', 'backupId': 'bkp-v2'}]}})
    old = api.request('POST', '/cloud/cloud-staging/restores', json={'backupId': 'bkp-v2', 'product': 'JIRA'})
    assert old.status_code == 400
    restore = api.ok('POST', '/cloud/cloud-staging/restores', 202, json={'backupId': 'bkp-v2', 'productType': 'JIRA'})
    assert restore['productType'] == 'JIRA' and restore['status'] == 'VALIDATING'
    emu.advance_clock(10)
    done = api.ok('GET', '/restores/' + restore['restoreId'])
    assert done['status'] == 'COMPLETE' and done['migrationId']
    assert api.ok('GET', '/cloud/cloud-staging/migration/%s/postOpReport' % done['migrationId'])['url']
