"""ArcGIS DR API behaviour, over HTTPS against the running emulator (contract: api/arcgis.md)."""

USER, PASSWORD = 'dr-admin', 'Emul4tor-Pa55word!'
DR = '/admin/system/disasterrecovery'


class Arcgis:
    """A minimal client in the style the modules use: f=json everywhere, token in header and form."""

    def __init__(self, emu, token=None):
        self.emu = emu
        self.url = emu.api_base + '/arcgis'
        self.session = emu.new_session()
        self.token = token or self.generate_token()

    def generate_token(self, username=USER, password=PASSWORD, expiration=60):
        body = self.session.post(self.url + '/sharing/rest/generateToken', timeout=10, data={
            'username': username, 'password': password, 'client': 'referer', 'referer': self.url,
            'expiration': expiration, 'f': 'json'}).json()
        return body.get('token')

    def get(self, path, **params):
        response = self.session.get(self.url + path, params=dict(params, f='json'), timeout=10,
                                    headers={'X-Esri-Authorization': 'Bearer %s' % self.token})
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path, **form):
        response = self.session.post(self.url + path, data=dict(form, f='json', token=self.token), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def create(self, name='b1', passcode='Passcode-123', store='default-store', **form):
        return self.post('%s/stores/%s/backups/create' % (DR, store), name=name, passcode=passcode, **form)


def test_generate_token_and_bad_credentials(emu):
    api = Arcgis(emu)
    assert len(api.token) >= 32
    response = api.session.post(api.url + '/sharing/rest/generateToken', timeout=10,
                                data={'username': USER, 'password': 'wrong', 'client': 'referer', 'referer': 'x', 'f': 'json'})
    assert response.status_code == 200
    assert response.json() == {'error': {'code': 400, 'message': 'Unable to generate token.', 'details': ['Invalid username or password.']}}
    assert api.token in [t['token'] for t in emu.state('arcgis')['tokens']]


def test_token_transports_and_token_errors(emu):
    api = Arcgis(emu)
    url = api.url + DR + '/stores'
    ways = [dict(params={'f': 'json', 'token': api.token}),
            dict(params={'f': 'json'}, headers={'Authorization': 'Bearer ' + api.token}),
            dict(params={'f': 'json'}, headers={'X-Esri-Authorization': 'Bearer ' + api.token})]
    for way in ways:
        assert 'backupStores' in api.session.get(url, timeout=10, **way).json()
    assert 'backupStores' in api.session.post(url, data={'f': 'json', 'token': api.token}, timeout=10).json()
    missing = api.session.get(url, params={'f': 'json'}, timeout=10)
    assert missing.status_code == 200 and missing.json()['error']['code'] == 499
    op = api.session.post(api.url + DR + '/stores/default-store/backups/create', data={'f': 'json', 'name': 'x'}, timeout=10)
    assert op.status_code == 200 and op.json()['status'] == 'error' and op.json()['code'] == 499
    bogus = api.session.get(url, params={'f': 'json', 'token': 'bogus'}, timeout=10).json()
    assert bogus['error']['code'] == 498


def test_token_expiry_by_clock_and_by_control(emu):
    long_lived = Arcgis(emu)
    emu.configure({'arcgis': {'token_ttl_seconds': 30}})
    short = Arcgis(emu)
    emu.advance_clock(31)
    assert short.get(DR)['error']['code'] == 498
    assert short.post(DR + '/stores/default-store/backups/create', name='b', passcode='Passcode-1')['code'] == 498
    assert long_lived.get(DR) == {'operations': ['status'], 'resources': ['stores', 'settings']}
    assert emu.expire_arcgis_tokens()['expired'] == 2
    assert long_lived.get(DR)['error']['code'] == 498
    assert 'operations' in Arcgis(emu).get(DR)  # a new token works again


def test_f_json_required_and_unknown_path(emu):
    api = Arcgis(emu)
    page = api.session.get(api.url + DR, params={'token': api.token}, timeout=10)
    assert page.status_code == 200 and page.headers['Content-Type'].startswith('text/html') and '<html>' in page.text
    for path in ('/arcgis/admin/nonsense', '/nowhere', '/arcgis/admin/system/disasterrecovery/stores/s/backups/b/explode'):
        response = api.session.get(emu.api_base + path, params={'f': 'json', 'token': api.token}, timeout=10)
        assert response.status_code == 404
        assert response.json() == {'error': {'code': 404, 'message': 'Not found', 'details': []}}


def test_stores(emu):
    api = Arcgis(emu)
    stores = api.get(DR + '/stores')['backupStores']
    assert [(s['name'], s['default']) for s in stores] == [('default-store', True), ('secondary', False)]
    assert set(stores[0]) >= {'storageConfig', 'identity', 'identityKey', 'rootDir', 'type'}
    assert api.get(DR + '/stores/secondary')['name'] == 'secondary'
    assert api.get(DR + '/stores/nope')['error']['code'] == 404
    assert api.get(DR + '/stores/nope/backups')['error']['code'] == 404


def test_create_job_lifecycle(emu):
    emu.configure({'arcgis': {'job_seconds': 10}})
    api = Arcgis(emu)
    created = api.create('nightly', description='before deploy', retentionDate=1900000000000)
    assert created['status'] == 'SUBMITTED' and created['jobid'].startswith('j')
    assert created['jobsUrl'] == '%s/arcgis/admin/jobs/%s' % (emu.api_base, created['jobid'])
    job_path = '/admin/jobs/' + created['jobid']
    assert api.get(job_path)['status'] == 'SUBMITTED'
    backup = api.get(DR + '/stores/default-store/backups/nightly')
    assert backup['status'] == 'in_progress' and backup['completeTime'] == 0 and backup['retentionDate'] == 1900000000000
    assert api.get(DR + '/status')['status']['state'] == 'in_progress'
    emu.advance_clock(5)
    job = api.get(job_path)
    assert job['status'] == 'EXECUTING' and job['endtime'] == 0
    emu.advance_clock(5)
    job = api.get(job_path)
    assert job['status'] == 'COMPLETED' and job['endtime'] > job['starttime'] and job['result']['stages']
    listed = api.get(DR + '/stores/default-store/backups')['backups']
    assert [(b['backupName'], b['status'], b['backupType'], b['scheduleType']) for b in listed] == [('nightly', 'completed', 'FULL', 'MANUAL')]
    status = api.get(DR + '/status')['status']
    assert (status['operation'], status['state'], status['backupName']) == ('Backup', 'success', 'nightly')
    assert api.get('/admin/jobs/jnope')['error']['code'] == 404


def test_create_real_time_and_failed_result(emu):
    emu.configure({'arcgis': {'job_seconds': 0, 'backup_result': 'failed'}})
    api = Arcgis(emu)
    job = api.get('/admin/jobs/' + api.create('doomed')['jobid'])
    assert job['status'] == 'FAILED' and job['messages']
    assert api.get(DR + '/stores/default-store/backups/doomed')['status'] == 'failed'


def test_create_validation_and_duplicate(emu):
    emu.configure({'arcgis': {'job_seconds': 0}})
    api = Arcgis(emu)
    assert api.create('dup')['status'] == 'SUBMITTED'
    assert api.create('dup') == {'status': 'error', 'messages': ["Backup 'dup' already exists in store 'default-store'."], 'code': 409}
    assert api.create('dup', store='secondary')['status'] == 'SUBMITTED'  # names are per store
    assert api.create('bad name!')['code'] == 400
    assert api.create('short', passcode='1234567')['code'] == 400
    assert api.create('x', store='nope')['code'] == 404
    assert emu.state('arcgis')['counts']['creates'] == 2


def test_get_update_delete(emu):
    emu.configure({'arcgis': {'job_seconds': 0}})
    api = Arcgis(emu)
    api.create('b1')
    missing = api.session.get(api.url + DR + '/stores/default-store/backups/none', params={'f': 'json', 'token': api.token}, timeout=10)
    assert missing.status_code == 200 and missing.json()['error']['code'] == 404
    assert api.post(DR + '/stores/default-store/backups/b1/update', retentionDate=-1) == {'status': 'success'}
    assert api.get(DR + '/stores/default-store/backups/b1')['retentionDate'] == -1
    assert api.post(DR + '/stores/default-store/backups/b1/delete') == {'status': 'success'}
    assert api.post(DR + '/stores/default-store/backups/b1/delete')['code'] == 404
    assert api.get(DR + '/stores/default-store/backups') == {'backups': []}


def test_passcode_never_returned(emu):
    emu.configure({'arcgis': {'job_seconds': 0}})
    api = Arcgis(emu)
    api.create('b1', passcode='Sup3r-Secret-Passcode')
    for path in (DR + '/stores/default-store/backups', DR + '/stores/default-store/backups/b1', DR + '/status'):
        assert 'Sup3r-Secret-Passcode' not in str(api.get(path))
    assert 'Sup3r-Secret-Passcode' not in str(emu.state())


def test_restore_lifecycle_and_unavailability(emu):
    emu.configure({'arcgis': {'job_seconds': 0, 'restore_seconds': 10, 'restore_unavailable_seconds': 4}})
    api = Arcgis(emu)
    api.create('b1', passcode='Passcode-123')
    restore = DR + '/stores/default-store/backups/b1/restore'
    assert api.post(restore, passcode='wrong-passcode') == {'status': 'error', 'messages': ['Invalid passcode.'], 'code': 400}
    assert api.post(restore, passcode='Passcode-123') == {'status': 'success'}
    for path in (DR + '/status', DR + '/stores'):
        unavailable = api.session.get(api.url + path, params={'f': 'json', 'token': api.token}, timeout=10)
        assert unavailable.status_code == 503 and '<html>' in unavailable.text
    emu.advance_clock(5)
    status = api.get(DR + '/status')['status']
    assert (status['operation'], status['state'], status['backupName'], status['completeTime']) == ('Restore', 'in_progress', 'b1', 0)
    assert api.post(restore, passcode='Passcode-123')['code'] == 409
    assert api.create('b2')['code'] == 409
    emu.advance_clock(5)
    status = api.get(DR + '/status')['status']
    assert status['state'] == 'success' and status['completeTime'] > status['startTime']
    assert emu.state('arcgis')['counts']['restores'] == 1


def test_restore_outcomes_and_not_completed(emu):
    emu.configure({'arcgis': {'job_seconds': 100, 'restore_seconds': 0, 'restore_result': 'completed_with_warnings'}})
    api = Arcgis(emu)
    api.create('b1', passcode='Passcode-123')
    restore = DR + '/stores/default-store/backups/b1/restore'
    assert api.post(restore, passcode='Passcode-123')['code'] == 400  # still in progress
    emu.advance_clock(100)
    assert api.post(restore, passcode='Passcode-123') == {'status': 'success'}
    status = api.get(DR + '/status')['status']
    assert status['state'] == 'completed_with_warnings' and status['message']


def test_dr_status_before_any_job_and_seed(emu):
    api = Arcgis(emu)
    assert api.get(DR + '/status') == {'status': {'code': 0, 'messages': [], 'state': 'no_op'}}
    emu.seed({'arcgis': {'users': {'ops': 'Another-Pa55'}, 'stores': [{'name': 's3', 'default': True}],
                         'backups': [{'store': 's3', 'backupName': 'old', 'passcode': 'Passcode-9'}]}})
    ops = Arcgis(emu, Arcgis(emu).generate_token('ops', 'Another-Pa55'))
    stores = {s['name']: s['default'] for s in ops.get(DR + '/stores')['backupStores']}
    assert stores == {'default-store': False, 'secondary': False, 's3': True}
    assert ops.get(DR + '/stores/s3/backups/old')['status'] == 'completed'
    assert ops.post(DR + '/stores/s3/backups/old/restore', passcode='Passcode-9') == {'status': 'success'}
