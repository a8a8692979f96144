"""What the emulator adds for restore drills, over HTTPS: ArcGIS stores shared by two organizations, a Jahia
environment's own site going down during a restore, and the Atlassian post-operation report behind its link."""

import time

ARCGIS_USER, ARCGIS_PASSWORD = 'dr-admin', 'Emul4tor-Pa55word!'
DR = '/admin/system/disasterrecovery'
JAHIA_TOKEN = 'Emul4tor-Jahia-PAT-7f3c9a1e5b2d4c6a'
ATLASSIAN = ('backup-admin@example.com', 'Emul4tor-Atl-Api-Token-0001')
ORG = 'org-emulator-1'
SHARED = {'name': 'dr-shared', 'default': False, 'shared': True}


class Organization:
    """One ArcGIS organization of the emulator (``/arcgis`` or ``/arcgis2``)."""

    def __init__(self, emu, prefix):
        self.url = emu.api_base + prefix
        self.session = emu.new_session()
        self.token = self.session.post(self.url + '/sharing/rest/generateToken', timeout=10, data={
            'username': ARCGIS_USER, 'password': ARCGIS_PASSWORD, 'client': 'requestip', 'f': 'json'}).json()['token']

    def call(self, method, path, **form):
        response = self.session.request(method, self.url + DR + path, data=dict(form, f='json', token=self.token), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()


def test_a_shared_store_holds_the_same_backups_in_both_organizations(emu):
    emu.configure({'arcgis': {'job_seconds': 0.1}, 'arcgis2': {'restore_seconds': 0.1, 'restore_unavailable_seconds': 0.0}})
    emu.seed({'arcgis': {'stores': [SHARED]}, 'arcgis2': {'stores': [SHARED]}})
    first, second = Organization(emu, '/arcgis'), Organization(emu, '/arcgis2')
    assert first.call('POST', '/stores/dr-shared/backups/create', name='nightly', passcode='Passcode-123')['status'] == 'SUBMITTED'
    time.sleep(0.2)
    seen = second.call('GET', '/stores/dr-shared/backups')['backups']
    assert [(b['backupName'], b['status']) for b in seen] == [('nightly', 'completed')]
    # The emulator's "shared" key is not part of the vendor's store object.
    assert all('shared' not in s for s in second.call('GET', '/stores')['backupStores'])
    # The second organization restores the first one's backup; the first organization restores nothing.
    assert second.call('POST', '/stores/dr-shared/backups/nightly/restore', passcode='Passcode-123') == {'status': 'success'}
    assert emu.state('arcgis2')['counts']['restores'] == 1 and emu.state('arcgis')['counts']['restores'] == 0
    # A store that is not shared stays each organization's own.
    assert second.call('GET', '/stores/default-store/backups')['backups'] == []
    assert first.call('POST', '/stores/dr-shared/backups/create', name='nightly', passcode='Passcode-123')['code'] == 409


def test_a_reset_empties_the_shared_stores(emu):
    emu.seed({'arcgis': {'stores': [SHARED], 'backups': [{'store': 'dr-shared', 'backupName': 'old'}]},
              'arcgis2': {'stores': [SHARED]}})
    assert [b['backupName'] for b in emu.state('arcgis2')['backups']['dr-shared']] == ['old']
    emu.reset()
    emu.seed({'arcgis2': {'stores': [SHARED]}})
    assert emu.state('arcgis2')['backups']['dr-shared'] == []


def jahia_restore(emu, environment='staging', **point):
    session = emu.new_session()
    headers = {'Authorization': 'APIToken ' + JAHIA_TOKEN, 'Accept': 'application/json'}
    url = emu.api_base + '/jahia/modules/cloudAction/'
    short = '%s-acme' % environment
    appid = session.post(url + 'getContext.do', data={'orgName': 'acme', 'envName': short}, headers=headers,
                         timeout=10).json()['environment']['appid']
    fields = dict({'orgName': 'acme', 'envName': short, 'targetAppid': appid, 'backupName': 'production-acme',
                   'backupType': 'manual', 'cloudProvider': 'aws', 'region': 'eu-west-1', 'envRole': 'prod'}, **point)
    answer = session.post(url + 'restoreBackup.do', data=fields, headers=headers, timeout=10).json()
    assert answer == {'jcResponse': 0}


def site(emu, short='staging-acme'):
    return emu.new_session().get(emu.api_base + '/jahia/env/%s/cms/login' % short, timeout=10)


def test_a_jahia_site_is_down_during_a_restore_and_a_while_after(emu):
    emu.configure({'jahia': {'restore_seconds': 0.3, 'restore_down_seconds': 0.3}})
    emu.seed({'jahia': {'backups': [{'environment': 'production', 'timestamp': '2026-01-01T00:00:00'}]}})
    up = site(emu)
    assert up.status_code == 200 and '<form method="post"' in up.text
    jahia_restore(emu, timestamp='2026-01-01T00:00:00')
    assert site(emu).status_code == 503
    time.sleep(0.35)
    assert site(emu).status_code == 503  # the restore is over; Jahia is still starting
    time.sleep(0.35)
    assert site(emu).status_code == 200
    # Only the restored environment went down; the count covers every site request.
    assert site(emu, 'preprod-acme').status_code == 200
    assert emu.state('jahia')['site_requests'] == 5
    assert site(emu, 'nowhere-acme').status_code == 404


def test_a_failed_jahia_restore_leaves_the_site_down(emu):
    emu.configure({'jahia': {'restore_seconds': 0.1, 'restore_down_seconds': 0.0}})
    jahia_restore(emu, timestamp='2020-01-01T00:00:00')  # no such backup: the restore fails
    time.sleep(0.2)
    assert site(emu).status_code == 503
    assert emu.state('jahia')['restores'][0]['status'] == 'failed'


def atlassian_restore(emu, include_attachments=True):
    emu.configure({'atlassian': {'validation_seconds': 0.0, 'restore_seconds': 0.1, 'backup_seconds': 0.1}})
    session = emu.new_session()
    session.auth = ATLASSIAN
    base = emu.api_base + '/atlassian/orgs/' + ORG
    policy = session.post(base + '/cloud/cloud-prod/policies', json={'product': 'JIRA'}, timeout=10).json()
    backup = session.post(base + '/backups', json={'cloudId': 'cloud-prod', 'policyId': policy['policyId']}, timeout=10).json()
    time.sleep(0.2)
    restore = session.post(base + '/cloud/cloud-sandbox/restores', timeout=10, json={
        'backupId': backup['backupId'], 'product': 'JIRA', 'includeAttachments': include_attachments}).json()
    time.sleep(0.2)
    restore = session.get(base + '/restores/' + restore['restoreId'], timeout=10).json()
    assert restore['status'] == 'COMPLETE'
    report = session.get(base + '/cloud/cloud-sandbox/migration/%s/postOpReport' % restore['migrationId'], timeout=10).json()
    return restore, report['url']


def test_the_atlassian_report_link_is_on_the_download_host_and_answers_a_csv(emu):
    restore, url = atlassian_restore(emu, include_attachments=False)
    assert url == emu.url('/files/post-op-report-%s.csv' % restore['migrationId'], download=True)
    response = emu.new_session().get(url, timeout=10)  # no credentials: a download link
    assert response.status_code == 200 and response.headers['Content-Type'].startswith('text/csv')
    lines = response.text.splitlines()
    assert lines[0] == 'Entity,Status,Count,Message'
    assert 'Issues,COMPLETE,3456,' in lines and 'Attachments,SKIPPED,0,Not selected for this restore' in lines
    [entry] = emu.requests(path='/files/post-op-report-')
    assert entry['host'] == 'localhost' and 'Authorization' not in entry['headers']


def test_an_unknown_report_is_a_real_404(emu):
    atlassian_restore(emu)
    response = emu.new_session().get(emu.url('/files/post-op-report-mig-nothing.csv', download=True), timeout=10)
    assert response.status_code == 404
