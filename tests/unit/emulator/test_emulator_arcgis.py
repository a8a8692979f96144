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


# --- what real clients send and receive (api/arcgis.md "Real clients and current vendor state") --------

def test_get_parameters_in_a_form_body_and_a_token_in_authorization_alone(emu):
    """Esri's CLI: f=json in the body of a GET with an empty query string, the token only as Authorization."""
    api = Arcgis(emu)
    url = api.url + DR + '/stores'
    response = api.session.get(url, data={'f': 'json'}, headers={'Authorization': 'Bearer ' + api.token}, timeout=10)
    assert response.status_code == 200 and response.headers['Content-Type'].startswith('application/json')
    assert [s['name'] for s in response.json()['backupStores']] == ['default-store', 'secondary']
    logged = emu.requests(path='/stores$')[-1]
    assert logged['method'] == 'GET' and logged['query_string'] == '' and logged['form'] == {'f': ['json']}
    # the token in the body of a GET, too
    assert 'backupStores' in api.session.get(url, data={'f': 'json', 'token': api.token}, timeout=10).json()
    # a POST operation with the token in Authorization only (no form token)
    created = api.session.post(api.url + DR + '/stores/default-store/backups/create', timeout=10,
                               data={'f': 'json', 'name': 'cli', 'passcode': 'Passcode-123'},
                               headers={'Authorization': 'Bearer ' + api.token}).json()
    assert created['jobid'].startswith('j')
    # without f in either place, still the HTML directory
    page = api.session.get(url, data={'token': api.token}, timeout=10)
    assert page.headers['Content-Type'].startswith('text/html')


def test_create_answer_shapes(emu):
    api = Arcgis(emu)
    emu.configure({'arcgis': {'create_answer': 'no_status'}})
    answer = api.create('no-status')
    assert set(answer) == {'jobsUrl', 'jobid'} and answer['jobsUrl'].endswith('/admin/jobs/' + answer['jobid'])
    emu.configure({'arcgis': {'create_answer': 'jobs_url_only'}})
    answer = api.create('url-only')
    assert set(answer) == {'jobsUrl'}
    assert api.get('/admin/jobs/' + answer['jobsUrl'].rsplit('/', 1)[-1])['operationURI'].endswith('/backups/create')


def test_jobs_can_end_failed_cancelled_or_timed_out_with_messages(emu):
    api = Arcgis(emu)
    for end in ('FAILED', 'CANCELLED', 'TIMED OUT'):
        emu.configure({'arcgis': {'job_seconds': 0, 'job_end': end}})
        name = 'ends-' + end.replace(' ', '-').lower()
        job = api.get('/admin/jobs/' + api.create(name)['jobid'])
        assert job['status'] == end and job['messages'] and job['endtime'] > 0
        assert api.get(DR + '/stores/default-store/backups/' + name)['status'] == 'failed'
    emu.configure({'arcgis': {'job_end': 'normal'}})
    job = api.get('/admin/jobs/' + api.create('fine')['jobid'])
    assert job['status'] == 'COMPLETED' and job['messages'] == []
    stages = job['result']['stages']
    assert [s['name'] for s in stages][0] == 'Validation' and all(set(s) >= {'name', 'state', 'duration'} for s in stages)
    assert {s['state'] for s in stages} == {'completed'}


def test_a_restore_can_answer_with_a_job(emu):
    emu.configure({'arcgis': {'job_seconds': 0, 'restore_seconds': 10, 'restore_unavailable_seconds': 0,
                              'restore_answer': 'job'}})
    api = Arcgis(emu)
    api.create('b1', passcode='Passcode-123')
    answer = api.post(DR + '/stores/default-store/backups/b1/restore', passcode='Passcode-123')
    assert answer['status'] == 'SUBMITTED' and answer['jobsUrl'].endswith('/admin/jobs/' + answer['jobid'])
    job_path = '/admin/jobs/' + answer['jobid']
    assert api.get(job_path)['status'] == 'SUBMITTED'
    emu.advance_clock(10)
    job = api.get(job_path)
    assert job['status'] == 'COMPLETED' and job['operationURI'].endswith('/backups/b1/restore')
    assert [s['name'] for s in job['result']['stages']][1] == 'Restore Relational store'
    assert api.get(DR + '/status')['status']['state'] == 'success'
    assert emu.state('arcgis')['restores'][0]['jobid'] == answer['jobid']


def test_a_restore_job_that_is_cancelled_fails_the_dr_status_too(emu):
    emu.configure({'arcgis': {'job_seconds': 0, 'restore_seconds': 2, 'restore_unavailable_seconds': 0,
                              'restore_answer': 'job', 'job_end': 'CANCELLED'}})
    api = Arcgis(emu)
    emu.seed({'arcgis': {'backups': [{'backupName': 'b1', 'passcode': 'Passcode-123'}]}})
    jobid = api.post(DR + '/stores/default-store/backups/b1/restore', passcode='Passcode-123')['jobid']
    emu.advance_clock(2)
    job = api.get('/admin/jobs/' + jobid)
    assert job['status'] == 'CANCELLED' and 'cancelled' in job['messages'][0]
    assert api.get(DR + '/status')['status']['state'] == 'failed'


def test_the_dr_status_stays_stale_then_glitches_then_tells_the_restore(emu):
    emu.configure({'arcgis': {'job_seconds': 0, 'restore_seconds': 20, 'restore_unavailable_seconds': 0,
                              'restore_stale_seconds': 5, 'restore_status_glitches': True}})
    api = Arcgis(emu)
    api.create('b1', passcode='Passcode-123')
    before = api.get(DR + '/status')['status']
    assert (before['operation'], before['state']) == ('Backup', 'success')
    assert api.post(DR + '/stores/default-store/backups/b1/restore', passcode='Passcode-123') == {'status': 'success'}
    assert api.get(DR + '/status')['status'] == before  # the previous job's status, though a restore runs
    emu.advance_clock(5)
    answers = [api.session.get(api.url + DR + '/status', params={'f': 'json', 'token': api.token}, timeout=10)
               for dummy in range(4)]
    assert [a.status_code for a in answers] == [502, 503, 200, 200]
    assert answers[2].headers['Content-Type'].startswith('text/html')
    status = answers[3].json()['status']
    assert (status['operation'], status['backupName'], status['state']) == ('Restore', 'b1', 'in_progress')
    assert status['startTime'] != before['startTime']
    emu.advance_clock(15)
    assert api.get(DR + '/status')['status']['state'] == 'success'


def test_a_stale_status_can_be_the_previous_restore_of_the_same_backup(emu):
    emu.configure({'arcgis': {'job_seconds': 0, 'restore_seconds': 1, 'restore_unavailable_seconds': 0}})
    api = Arcgis(emu)
    api.create('b1', passcode='Passcode-123')
    restore = DR + '/stores/default-store/backups/b1/restore'
    api.post(restore, passcode='Passcode-123')
    emu.advance_clock(1)
    first = api.get(DR + '/status')['status']
    emu.configure({'arcgis': {'restore_stale_seconds': 30}})
    api.post(restore, passcode='Passcode-123')
    emu.advance_clock(2)  # the second restore is over, but the status still shows the first one
    assert api.get(DR + '/status')['status'] == first
    emu.advance_clock(28)
    second = api.get(DR + '/status')['status']
    assert second['state'] == 'success' and second['startTime'] > first['startTime']


def test_store_validate_ready_and_not_ready(emu):
    api = Arcgis(emu)
    validate = DR + '/stores/%s/validate'
    assert api.post(validate % 'secondary') == {'isReady': True, 'status': 'success'}
    emu.configure({'arcgis': {'store_ready': False}})
    answer = api.post(validate % 'default-store')
    assert answer['isReady'] is False and answer['status'] == 'error' and "'default-store'" in answer['messages'][0]
    assert api.post(validate % 'nope')['code'] == 404
    assert api.get(validate % 'default-store')['error']['code'] == 405
    assert emu.state('arcgis')['counts']['validates'] == 2
    assert emu.state('arcgis')['counts']['creates'] == 0
