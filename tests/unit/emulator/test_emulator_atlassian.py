"""Atlassian backup & restore API behaviour, over HTTPS against the running emulator (contract: api/atlassian.md)."""

import pytest

ORG = 'org-emulator-1'
ADMIN = ('backup-admin@example.com', 'Emul4tor-Atl-Api-Token-0001')
VIEWER = ('viewer@example.com', 'Emul4tor-Atl-Viewer-Token-02')
DAY = 86400


class Api:
    def __init__(self, emu, auth=ADMIN):
        self.emu = emu
        self.base = emu.api_base + '/atlassian/orgs/' + ORG
        self.session = emu.new_session()
        self.session.auth = auth

    def request(self, method, path, **kwargs):
        return self.session.request(method, self.base + path, timeout=10, **kwargs)

    def ok(self, method, path, status=200, **kwargs):
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json()


def error_of(response):
    return response.json()['errors'][0]


@pytest.fixture
def api(emu):
    return Api(emu)


def policy(api, cloud='cloud-prod', product='JIRA', **body):
    return api.ok('POST', '/cloud/%s/policies' % cloud, 201, json=dict(product=product, **body))


def test_basic_auth_admin_and_error_shape(emu, api):
    assert Api(emu, ('backup-admin@example.com', 'wrong')).request('GET', '/policies').status_code == 401
    anonymous = Api(emu, None).request('GET', '/policies')
    assert anonymous.status_code == 401 and anonymous.headers['WWW-Authenticate'].startswith('Basic')
    assert error_of(anonymous)['status'] == '401'
    forbidden = Api(emu, VIEWER).request('GET', '/policies')
    assert forbidden.status_code == 403 and 'not an admin' in error_of(forbidden)['detail']
    other = api.session.get(emu.api_base + '/atlassian/orgs/other-org/policies', timeout=10)
    assert other.status_code == 403
    assert api.request('DELETE', '/policies').status_code == 405
    assert api.request('GET', '/nothing-here').status_code == 404


def test_pagination_envelope_order_and_validation(emu, api):
    pid = policy(api)['policyId']
    emu.seed({'atlassian': {'backups': [{'policyId': pid, 'status': 'COMPLETE', 'count': 5, 'ageSeconds': 8 * DAY}]}})
    first = api.ok('GET', '/policies/%s/backups' % pid, params={'pageSize': 2})
    assert first['totalItems'] == 5 and len(first['backups']) == 2
    last = api.ok('GET', '/policies/%s/backups' % pid, params={'pageSize': 2, 'start': 2})
    assert len(last['backups']) == 1
    desc = [b['backupId'] for b in api.ok('GET', '/policies/%s/backups' % pid)['backups']]
    asc = [b['backupId'] for b in api.ok('GET', '/policies/%s/backups' % pid, params={'sortOrder': 'ASC'})['backups']]
    assert desc == list(reversed(asc)) and len(desc) == 5
    emu.configure({'atlassian': {'max_page_size': 3}})
    assert len(api.ok('GET', '/policies/%s/backups' % pid, params={'pageSize': 100})['backups']) == 3
    for bad in ({'start': -1}, {'pageSize': 0}, {'sortOrder': 'UP'}, {'start': 'x'}):
        assert api.request('GET', '/policies', params=bad).status_code == 400


def test_storages_regions_and_conflicts(api):
    assert 'eu-central-1' in api.ok('POST', '/storages/regions', json={})['regions']
    body = dict(storageName='b', storageRegion='eu-central-1', storagePrefix='p', storageType='aws', roleIdentifier='r',
                principalTag='t', cloudId='cloud-prod')
    storage = api.ok('POST', '/storages', 201, json=body)
    assert api.ok('GET', '/storages/' + storage['storageId']) == storage
    assert api.request('POST', '/storages', json=body).status_code == 409
    assert api.request('POST', '/storages', json=dict(body, storageRegion='mars-1', storagePrefix='q')).status_code == 400
    assert api.ok('GET', '/storages', params={'cloudId': 'cloud-staging'})['storages'] == []


def test_one_policy_per_site_and_product_and_partial_updates(api):
    created = policy(api, product='CONFLUENCE', includeAttachments=True)
    assert created['includePersonalSpaces'] is False and created['storageId'] is None
    conflict = api.request('POST', '/cloud/cloud-prod/policies', json={'product': 'CONFLUENCE'})
    assert conflict.status_code == 409 and error_of(conflict)['status'] == '409'
    jira = api.request('POST', '/cloud/cloud-prod/policies', json={'product': 'JIRA', 'includePersonalSpaces': True})
    assert jira.status_code == 400 and 'Confluence only' in error_of(jira)['detail']
    updated = api.ok('PUT', '/policies/' + created['policyId'], json={'includePersonalSpaces': True})
    assert updated['includePersonalSpaces'] is True and updated['includeAttachments'] is True
    assert api.request('PUT', '/policies/' + created['policyId'], json={'product': 'JIRA'}).status_code == 400


def test_backup_lifecycle_seven_day_rule_and_expiry(emu, api):
    pid = policy(api)['policyId']
    backup = api.ok('POST', '/backups', 202, json={'policyId': pid, 'cloudId': 'cloud-prod'})
    assert backup['status'] == 'IN_PROGRESS' and backup['completedAt'] is None
    running = api.request('POST', '/backups', json={'policyId': pid, 'cloudId': 'cloud-prod'})
    assert running.status_code == 409 and 'in progress' in error_of(running)['detail']
    emu.advance_clock(2)
    assert api.ok('GET', '/backups/' + backup['backupId'])['status'] == 'COMPLETE'
    too_soon = api.request('POST', '/backups', json={'policyId': pid, 'cloudId': 'cloud-prod'})
    assert too_soon.status_code == 409 and 'next backup allowed after' in error_of(too_soon)['detail']
    emu.advance_clock(7 * DAY)
    api.ok('POST', '/backups', 202, json={'policyId': pid, 'cloudId': 'cloud-prod'})
    emu.advance_clock(7 * DAY)
    assert api.ok('GET', '/backups/' + backup['backupId'])['status'] == 'EXPIRED'


def test_in_progress_spelling_and_failed_backups(emu, api):
    emu.configure({'atlassian': {'in_progress_spelling': 'IN PROGRESS', 'backup_result': 'FAILED'}})
    pid = policy(api)['policyId']
    backup = api.ok('POST', '/backups', 202, json={'policyId': pid, 'cloudId': 'cloud-prod'})
    assert backup['status'] == 'IN PROGRESS'
    emu.advance_clock(2)
    failed = api.ok('GET', '/backups/' + backup['backupId'])
    assert failed['status'] == 'FAILED' and 'simulated failure' in failed['statusMessage']
    api.ok('POST', '/backups', 202, json={'policyId': pid, 'cloudId': 'cloud-prod'})  # a failed backup does not block


def test_exports_need_external_storage_and_imports_need_an_export(emu, api):
    emu.seed({'atlassian': {'storages': [dict(storageId='stg-1', storageName='b', storageRegion='us-east-1', storagePrefix='p',
                                              roleIdentifier='r', principalTag='t', cloudId='cloud-prod')]}})
    bare, stored = policy(api, product='CONFLUENCE'), policy(api, storageId='stg-1')
    emu.seed({'atlassian': {'backups': [{'policyId': bare['policyId'], 'backupId': 'b-bare'},
                                        {'policyId': stored['policyId'], 'backupId': 'b-stored'}]}})
    item = {'product': 'CONFLUENCE', 'cloudId': 'cloud-prod', 'backupId': 'b-bare'}
    assert 'no external storage' in error_of(api.request('POST', '/exports', json=[item]))['detail']
    item = {'product': 'JIRA', 'cloudId': 'cloud-prod', 'backupId': 'b-stored'}
    assert 'export it first' in error_of(api.request('POST', '/imports', json=[item]))['detail']
    started = api.ok('POST', '/exports', 202, json=[item])['exports'][0]
    assert started['status'] == 'IN_PROGRESS'
    assert api.request('POST', '/exports', json=[item]).status_code == 409
    emu.advance_clock(1)
    assert api.ok('GET', '/cloud/cloud-prod/exports/' + started['exportId'])['status'] == 'COMPLETE'
    assert api.ok('GET', '/exports')['totalItems'] == 1
    emu.advance_clock(15 * DAY)
    assert api.ok('GET', '/backups/b-stored')['status'] == 'EXPIRED'
    imported = api.ok('POST', '/imports', 202, json=[item])['imports'][0]
    emu.advance_clock(1)
    assert api.ok('GET', '/cloud/cloud-prod/imports/' + imported['importId'])['status'] == 'COMPLETE'
    assert api.ok('GET', '/backups/b-stored')['status'] == 'COMPLETE'  # back for another 14 days


def test_restore_validation_consent_revalidation_and_report(emu, api):
    emu.configure({'atlassian': {'failing_checks': ['Consent_TDP_Shard_Check', 'Accept_Custom_Group_Check'], 'user_post_limit': 20}})
    pid = policy(api)['policyId']
    emu.seed({'atlassian': {'backups': [{'policyId': pid, 'backupId': 'b1'}]}})
    body = {'backupId': 'b1', 'product': 'JIRA', 'includeAttachments': True, 'includeUsersAndGroups': False}
    restore = api.ok('POST', '/cloud/cloud-sandbox/restores', 202, json=body)
    assert restore['status'] == 'VALIDATING'
    assert api.request('POST', '/cloud/cloud-staging/restores', json=body).status_code == 409  # restored < 7 days ago
    assert api.request('POST', '/cloud/cloud-sandbox/restores/revalidate',
                       json={'restoreId': restore['restoreId'], 'consent': []}).status_code == 409  # still validating
    emu.advance_clock(1)
    waiting = api.ok('GET', '/restores/' + restore['restoreId'])
    assert waiting['status'] == 'AWAITING_CONSENT'
    assert [e['check'] for e in waiting['validationErrors']] == ['Consent_TDP_Shard_Check', 'Accept_Custom_Group_Check']
    bad = api.request('POST', '/cloud/cloud-sandbox/restores/revalidate', json={'restoreId': restore['restoreId'], 'consent': ['Nope']})
    assert bad.status_code == 400
    partial = api.ok('POST', '/cloud/cloud-sandbox/restores/revalidate', 202,
                     json={'restoreId': restore['restoreId'], 'consent': ['Consent_TDP_Shard_Check']})
    assert partial['restoreId'] == restore['restoreId'] and partial['status'] == 'VALIDATING'
    emu.advance_clock(1)
    assert [e['check'] for e in api.ok('GET', '/restores/' + restore['restoreId'])['validationErrors']] == ['Accept_Custom_Group_Check']
    api.ok('POST', '/cloud/cloud-sandbox/restores/revalidate', 202,
           json={'restoreId': restore['restoreId'], 'consent': ['Consent_TDP_Shard_Check', 'Deny_Custom_Group_Check']})
    emu.advance_clock(1)
    assert api.ok('GET', '/restores/' + restore['restoreId'])['status'] == 'IN_PROGRESS'
    emu.advance_clock(1)
    done = api.ok('GET', '/restores/' + restore['restoreId'])
    assert done['status'] == 'COMPLETE' and done['migrationId']
    report = api.ok('GET', '/cloud/cloud-sandbox/migration/%s/postOpReport' % done['migrationId'])
    assert done['migrationId'] in report['url']
    assert api.request('GET', '/cloud/cloud-prod/migration/%s/postOpReport' % done['migrationId']).status_code == 404
    assert api.ok('GET', '/restores')['totalItems'] == 1


def test_rate_limits_answer_429_with_retry_after_only_sometimes(emu, api):
    emu.configure({'atlassian': {'read_limit': 2, 'rate_window_seconds': 30.0}})
    assert [api.request('GET', '/policies').status_code for dummy in range(2)] == [200, 200]
    limited = [api.request('GET', '/policies') for dummy in range(4)]
    assert [r.status_code for r in limited] == [429] * 4
    assert [r.headers.get('Retry-After') for r in limited] == [None, '30', None, '30']
    assert error_of(limited[0])['status'] == '429'
    emu.advance_clock(31)
    assert api.request('GET', '/policies').status_code == 200


def test_backup_creates_are_limited_per_user(emu, api):
    emu.configure({'atlassian': {'user_post_limit': 1, 'backup_seconds': 0.0}})
    pid = policy(api)['policyId']
    other = policy(api, product='CONFLUENCE')['policyId']
    api.ok('POST', '/backups', 202, json={'policyId': pid, 'cloudId': 'cloud-prod'})
    assert api.request('POST', '/backups', json={'policyId': other, 'cloudId': 'cloud-prod'}).status_code == 429


def test_seed_and_config_are_validated(emu):
    for bad in ({'failing_checks': ['Nope']}, {'backup_result': 'DONE'}, {'unknown': 1}):
        with pytest.raises(Exception, match='400'):
            emu.configure({'atlassian': bad})
    with pytest.raises(Exception, match='400'):
        emu.seed({'atlassian': {'backups': [{'policyId': 'missing'}]}})
    state = emu.state('atlassian')
    assert {u['email'] for u in state['users']} == {ADMIN[0], VIEWER[0]}
    assert state['counts']['backups'] == 0
