"""Mendix Deploy and Backups API behaviour, over HTTPS against the running emulator (contract: api/mendix.md)."""

import hashlib
import io
import json
import tarfile

import pytest

HEADERS = {'Mendix-Username': 'release-bot@example.com', 'Mendix-ApiKey': 'Emul4tor-Mendix-ApiKey-7f3a'}


class Api:
    def __init__(self, emu):
        self.emu = emu
        self.base = emu.api_base + '/mendix'
        self.session = emu.new_session()

    def call(self, method, path, **kwargs):
        return self.session.request(method, self.base + path, headers=kwargs.pop('headers', HEADERS), timeout=10, **kwargs)

    def v2(self, mode='Acceptance'):
        project = self.call('GET', '/api/1/apps/calc').json()['ProjectId']
        env = self.call('GET', '/api/1/apps/calc/environments/' + mode).json()['EnvironmentId']
        return '/api/v2/apps/%s/environments/%s' % (project, env)


def test_credentials_and_error_shape(emu):
    api = Api(emu)
    denied = api.call('GET', '/api/1/apps/calc', headers={'Mendix-Username': HEADERS['Mendix-Username'], 'Mendix-ApiKey': 'x'})
    assert denied.status_code == 401 and denied.json()['errorCode'] == 'UNAUTHORIZED'
    missing = api.call('GET', '/api/1/apps/calc/environments/Staging')
    assert missing.status_code == 404 and missing.json()['errorCode'] == 'ENVIRONMENT_NOT_FOUND'
    assert api.call('GET', '/api/1/apps/nope').json()['errorCode'] == 'APP_NOT_FOUND'
    assert api.call('DELETE', '/api/1/apps/calc').status_code == 405
    legacy = api.call('GET', api.v2('legacy-v3') + '/snapshots')
    assert legacy.status_code == 400 and legacy.json()['errorCode'] == 'NOT_SUPPORTED'


def test_v1_create_claims_completed_but_links_answer_500_until_ready(emu):
    api = Api(emu)
    created = api.call('POST', '/api/1/apps/calc/environments/Test/snapshots', json={'Comment': 'c'}).json()
    assert created['State'] == 'Completed'
    links_path = '/api/1/apps/calc/environments/Test/snapshots/' + created['SnapshotID']
    early = api.call('GET', links_path)
    assert early.status_code == 500 and early.json()['errorCode'] == 'INTERNAL_SERVER_ERROR'
    listed = api.call('GET', '/api/1/apps/calc/environments/Test/snapshots').json()
    assert listed[0]['State'] in ('Queued', 'Running')
    emu.advance_clock(2)
    links = api.call('GET', links_path).json()
    assert sorted(links) == ['DatabaseAndFiles', 'DatabaseOnly', 'FilesOnly']
    assert all(url.startswith(emu.download_base + '/mendix/backups/') for url in links.values())


def test_v2_jobs_busy_paging_and_expiring_archive_urls(emu):
    emu.configure({'mendix': {'max_page_size': 1}})
    api = Api(emu)
    v2 = api.v2()
    snap = api.call('POST', v2 + '/snapshots', json={'comment': 'a'}).json()
    assert snap['state'] == 'queued' and snap['model_version'] is None
    busy = api.call('POST', v2 + '/snapshots', json={'comment': 'b'})
    assert busy.status_code == 400 and busy.json()['errorCode'] == 'ENVIRONMENT_BUSY'
    emu.advance_clock(1.5)
    api.call('POST', v2 + '/snapshots', json={'comment': 'b'}).raise_for_status()
    page = api.call('GET', v2 + '/snapshots', params={'offset': 1, 'limit': 50}).json()
    assert page['total'] == 2 and page['limit'] == 1 and page['snapshots'][0]['comment'] == 'a'
    bad = api.call('POST', v2 + '/snapshots/%s/archives' % snap['snapshot_id'], params={'data_type': 'files_only'})
    assert bad.json()['errorCode'] == 'UNSUPPORTED'
    archive = api.call('POST', v2 + '/snapshots/%s/archives' % snap['snapshot_id'], params={'data_type': 'database_only'}).json()
    assert archive['state'] == 'queued' and archive['url'] is None
    emu.advance_clock(1)
    url = api.call('GET', v2 + '/snapshots/%s/archives/%s' % (snap['snapshot_id'], archive['archive_id'])).json()['url']
    plain = emu.new_session()
    body = plain.get(url, timeout=10)
    assert body.status_code == 200 and len(body.content) == 262144
    served = emu.state('mendix')['downloads'][0]
    assert hashlib.sha256(body.content).hexdigest() == served['sha256']
    part = plain.get(url, headers={'Range': 'bytes=100-'}, timeout=10)
    assert part.status_code == 206 and part.content == body.content[100:]
    assert plain.get(url.split('?')[0], timeout=10).status_code == 403
    emu.advance_clock(8 * 3600)
    assert plain.get(url, timeout=10).status_code == 403
    assert api.call('DELETE', v2 + '/snapshots/' + snap['snapshot_id']).status_code == 204
    assert api.call('GET', v2 + '/snapshots/' + snap['snapshot_id']).status_code == 404


def test_restore_needs_a_stopped_environment_then_start_and_stop(emu):
    api = Api(emu)
    v2 = api.v2()
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance'}]}})
    sid = emu.state('mendix')['snapshots'][0]['snapshot_id']
    env_path = '/api/1/apps/calc/environments/Acceptance'
    running = api.call('POST', v2 + '/restores', params={'source_snapshot_id': sid})
    assert running.status_code == 400 and running.json()['errorCode'] == 'ERROR_NOT_ALLOWED'
    already = api.call('POST', env_path + '/start', json={'AutoSyncDb': True})
    assert already.status_code == 200 and already.json()['errorCode'] == 'ALREADY_STARTED'
    stop = api.call('POST', env_path + '/stop')
    assert stop.status_code == 200 and stop.content == b''
    assert api.call('GET', env_path).json()['Status'] == 'Stopping'
    emu.advance_clock(1)
    assert api.call('GET', env_path).json()['Status'] == 'Stopped'
    unknown = api.call('POST', v2 + '/restores', params={'source_snapshot_id': 'nope'})
    assert unknown.status_code == 400 and unknown.json()['errorCode'] == 'NOT_FOUND'
    restore = api.call('POST', v2 + '/restores', params={'source_snapshot_id': sid, 'db_only': 'true'}).json()
    assert restore['state'] == 'queued'
    emu.advance_clock(2)
    assert api.call('GET', v2 + '/restores/' + restore['restore_id']).json()['state'] == 'completed'
    assert api.call('GET', v2 + '/restores/nope').status_code == 400
    job = api.call('POST', env_path + '/start', json={'AutoSyncDb': True}).json()['JobId']
    assert api.call('GET', env_path + '/start/' + job).json() == {'Status': 'Starting'}
    emu.advance_clock(2)
    assert api.call('GET', env_path + '/start/' + job).json() == {'Status': 'Started'}
    assert api.call('GET', env_path).json()['Status'] == 'Running'


@pytest.mark.parametrize('bad', [{'snapshot_result': 'maybe'}, {'nope': 1}, {'database_bytes': 'big'}])
def test_config_is_validated(emu, bad):
    with pytest.raises(Exception, match='400'):
        emu.configure({'mendix': bad})


# --- what real clients and a live tenant showed (api/mendix.md, "Real clients and current vendor state") ----

def test_header_names_are_matched_case_insensitively_and_bodies_of_every_form_are_taken(emu):
    api = Api(emu)
    odd = {'mendix-username': HEADERS['Mendix-Username'], 'Mendix-Apikey': HEADERS['Mendix-ApiKey'],
           'Content-Type': 'application/json'}
    assert api.call('GET', '/api/1/apps/calc', headers=odd).status_code == 200
    env_path = '/api/1/apps/calc/environments/Acceptance'
    assert api.call('POST', env_path + '/stop', headers=odd, json={}).status_code == 200
    emu.advance_clock(1)
    assert api.call('POST', env_path + '/stop', headers=odd).status_code == 200  # no body: stopped already
    started = api.call('POST', env_path + '/start', headers=odd, json={})
    assert started.status_code == 200 and started.json()['JobId']
    emu.advance_clock(2)
    api.call('POST', env_path + '/stop', headers=odd).raise_for_status()
    emu.advance_clock(1)
    assert api.call('POST', env_path + '/start', headers=odd).json()['JobId']  # no body, no AutoSyncDb
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance'}]}})
    sid = emu.state('mendix')['snapshots'][0]['snapshot_id']
    archives = api.v2() + '/snapshots/%s/archives' % sid
    form = dict(odd, **{'Content-Type': 'application/x-www-form-urlencoded'})
    for headers, kwargs in ((odd, {}), (odd, {'json': {}}), (form, {'data': ''})):
        answer = api.call('POST', archives, headers=headers, params={'data_type': 'database_only'}, **kwargs)
        assert answer.status_code == 200 and answer.json()['data_type'] == 'database_only'
    assert emu.state('mendix')['counts']['starts'] == 2


def test_the_one_page_list_envelope_of_a_live_tenant(emu):
    emu.configure({'mendix': {'max_page_size': 2, 'snapshot_list_envelope': 'total_only'}})
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'age_seconds': 100 + i}
                                       for i in range(5)]}})
    api = Api(emu)
    page = api.call('GET', api.v2() + '/snapshots', params={'offset': 3, 'limit': 1}).json()
    assert sorted(page) == ['snapshots', 'total']
    assert page['total'] == 5 and len(page['snapshots']) == 5  # every snapshot, offset and limit ignored
    emu.configure({'mendix': {'snapshot_list_envelope': 'documented'}})
    page = api.call('GET', api.v2() + '/snapshots', params={'offset': 3}).json()
    assert (page['offset'], page['limit'], len(page['snapshots'])) == (3, 2, 2)
    with pytest.raises(Exception, match='400'):
        emu.configure({'mendix': {'snapshot_list_envelope': 'paged'}})


def test_failed_snapshots_have_no_model_version_and_say_why(emu):
    emu.seed({'mendix': {'snapshots': [
        {'app_id': 'calc', 'environment': 'Acceptance', 'state': 'failed', 'status_message': 'Database dump failed'},
        {'app_id': 'calc', 'environment': 'Acceptance', 'age_seconds': 100}]}})
    api = Api(emu)
    failed, done = api.call('GET', api.v2() + '/snapshots').json()['snapshots'][::-1]
    assert failed['state'] == 'failed' and 'model_version' not in failed
    assert failed['status_message'] == 'Database dump failed'
    assert done['model_version'] == '1.1.0.253'
    v1 = {s['SnapshotID']: s for s in api.call('GET', '/api/1/apps/calc/environments/Acceptance/snapshots').json()}
    assert v1[failed['snapshot_id']]['State'] == 'Failed' and 'ModelVersion' not in v1[failed['snapshot_id']]


@pytest.mark.parametrize('status', [401, 403, 410])
def test_expiring_archive_links_answer_the_configured_status(emu, status):
    emu.configure({'mendix': {'expired_link_status': status, 'expire_next_archive_urls': 1,
                              'expire_after_requests': 1}})
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance'}]}})
    sid = emu.state('mendix')['snapshots'][0]['snapshot_id']
    api = Api(emu)
    archives = api.v2() + '/snapshots/%s/archives' % sid

    def url():
        archive = api.call('POST', archives, params={'data_type': 'database_only'}).json()
        emu.advance_clock(1)
        return api.call('GET', archives + '/' + archive['archive_id']).json()['url']

    plain = emu.new_session()
    first = url()
    # The download host ignores Mendix headers (a real client sends them; the real host accepts that).
    assert plain.get(first, headers=HEADERS, timeout=10).status_code == 200
    refused = plain.get(first, headers={'Range': 'bytes=10-'}, timeout=10)
    assert refused.status_code == status and b'expired' in refused.content
    second = url()  # only the next one archive URL was to expire
    assert [plain.get(second, timeout=10).status_code for dummy in range(2)] == [200, 200]
    emu.advance_clock(8 * 3600)
    assert plain.get(second, timeout=10).status_code == status


@pytest.mark.parametrize('bad', [{'expired_link_status': 404}, {'expire_next_archive_urls': -1}])
def test_expiry_config_is_validated(emu, bad):
    with pytest.raises(Exception, match='400'):
        emu.configure({'mendix': bad})


def test_mendix_7_app_is_served_by_v1_only_and_a_free_app_has_no_backups(emu):
    api = Api(emu)
    mx7 = api.call('GET', '/api/1/apps/mx7-app/environments/Test').json()
    assert mx7['MendixVersion'].startswith('7.')
    assert api.call('GET', '/api/1/apps/mx7-app/environments/Test/snapshots').status_code == 200
    project = api.call('GET', '/api/1/apps/mx7-app').json()['ProjectId']
    v2 = api.call('GET', '/api/v2/apps/%s/environments/%s/snapshots' % (project, mx7['EnvironmentId']))
    assert v2.status_code == 404 and v2.json()['errorCode'] == 'ENVIRONMENT_NOT_FOUND'
    free = api.call('GET', '/api/1/apps/free-app').json()
    assert free['Url'] == 'https://free-app.mxapps.io'
    sandbox = api.call('GET', '/api/1/apps/free-app/environments').json()[0]
    assert sandbox['Mode'] == 'Sandbox' and 'ModelVersion' not in sandbox and sandbox['Instances'] == 1
    assert api.call('GET', '/api/1/apps/free-app/environments/Sandbox/snapshots').status_code == 400
    assert api.call('GET', '/api/v2/apps/%s/environments/%s/snapshots'
                    % (free['ProjectId'], sandbox['EnvironmentId'])).status_code == 404
    assert {app['AppId'] for app in api.call('GET', '/api/1/apps').json()} >= {'calc', 'mx7-app', 'free-app'}


# --- archives with the real structure, or broken on purpose (config archive_content) ------------------------

def _archive_url(emu, api, sid, data_type):
    archives = api.v2() + '/snapshots/%s/archives' % sid
    archive = api.call('POST', archives, params={'data_type': data_type}).json()
    emu.advance_clock(1)
    return api.call('GET', archives + '/' + archive['archive_id']).json()['url']


def test_archives_have_the_real_structure_and_archive_content_breaks_them(emu):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'database_bytes': 100000,
                                        'files_bytes': 50000}]}})
    sid = emu.state('mendix')['snapshots'][0]['snapshot_id']
    api = Api(emu)
    plain = emu.new_session()
    dump = plain.get(_archive_url(emu, api, sid, 'database_only'), timeout=10).content
    assert len(dump) == 100000 and dump.startswith(b'PGDMP\x01\x0e\x00\x04\x08\x01')
    full = plain.get(_archive_url(emu, api, sid, 'files_and_database'), timeout=10).content
    assert len(full) == 150000
    with tarfile.open(fileobj=io.BytesIO(full), mode='r:gz') as tar:
        metadata = json.loads(tar.extractfile('./.metadata').read())
        assert tar.extractfile('./db/db.backup').read(5) == b'PGDMP'
    assert metadata['modelVersion'] == '1.1.0.253' and metadata['filesSize'] == 50000
    emu.configure({'mendix': {'archive_content': 'truncated'}})
    cut = plain.get(_archive_url(emu, api, sid, 'files_and_database'), timeout=10).content
    assert cut == full[:len(full) * 3 // 4]
    served = {f['name']: f for f in emu.state('mendix')['downloads']}
    assert served[sid + '.files_and_database']['variant'] == 'valid'
    assert served[sid + '.files_and_database.truncated']['size'] == len(cut)
    with pytest.raises(Exception, match='400'):
        emu.configure({'mendix': {'archive_content': 'mangled'}})
