# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_arcgis: both error shapes (with HTTP 200), the token life cycle, where the token travels, the hints,
what "missing" means, and the paths and bodies of the named operations."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._arcgis import ArcGIS, job_id, job_result, parse_error
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import ScriptedSession, reply
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule as BaseFakeModule


@pytest.mark.parametrize('body, expected', [
    ({'error': {'code': 498, 'message': 'Invalid token.', 'details': []}}, (498, 'Invalid token.', [])),
    ({'error': {'code': 400, 'message': 'Unable to create backup.', 'details': ['Name taken.', None, '']}},
     (400, 'Unable to create backup. Name taken.', ['Name taken.'])),
    ({'error': {'code': 500, 'details': None}}, (500, 'unknown error', [])),
    ({'error': {'message': 'No code.'}}, (None, 'No code.', [])),
    ({'status': 'error', 'messages': ['Backup exists.'], 'code': 409}, (409, 'Backup exists.', ['Backup exists.'])),
    ({'status': 'error', 'messages': ['A.', 'B.']}, (None, 'A. B.', ['A.', 'B.'])),
    ({'status': 'FAILED', 'messages': []}, (None, 'operation failed', [])),
    ({'status': 'failed'}, (None, 'operation failed', [])),
    ({'status': 'success'}, None),
    # A failed backup or job is an object that can be read, not a failed call.
    ({'backupName': 'b1', 'status': 'failed', 'backupStore': 'default-store'}, None),
    ({'jobid': 'j1', 'status': 'FAILED', 'messages': ['Disk full.']}, None),
    ({'status': 'completed', 'backups': []}, None),
    ({'backupStores': []}, None),
    ({'error': None, 'token': 'x'}, None),
    ({}, None),
    ([], None),
    ('Invalid token', None),
    (None, None),
])
def test_parse_error(body, expected):
    assert parse_error(body) == expected


def fake_module(**params):
    return BaseFakeModule(params, defaults=dict(
        url='https://gis.example.test/arcgis', username='dr-admin', password='pa55word', token=None,
        validate_certs=True, ca_path=None, timeout=30.0, retries=0))


BASE = r'https://gis\.example\.test/arcgis/'
TOKEN_URL = BASE + r'sharing/rest/generateToken'
STORES_URL = BASE + r'admin/system/disasterrecovery/stores'
STORES = {'backupStores': [{'name': 'default-store', 'default': True}]}
INVALID = {'error': {'code': 498, 'message': 'Invalid token.', 'details': []}}


def token(value):
    return reply(200, json={'token': value, 'expires': 1795341600000, 'ssl': True})


def arcgis(script, **params):
    module = fake_module(**params)
    api = ArcGIS(module)
    api.http.session = ScriptedSession(script)
    return api, module


def test_first_call_generates_a_token_and_sends_it_in_the_header_only():
    api, module = arcgis([('POST', TOKEN_URL, token('T1')), ('GET', STORES_URL, reply(200, json=STORES))])
    assert api.stores() == STORES['backupStores']
    api.http.session.assert_done()
    generate, get = api.http.session.calls
    assert generate.data == {'username': 'dr-admin', 'password': 'pa55word', 'client': 'referer',
                             'referer': 'https://gis.example.test/arcgis', 'expiration': 60, 'f': 'json'}
    assert get.params == {'f': 'json'}
    assert get.headers == {'X-Esri-Authorization': 'Bearer T1'}
    assert 'T1' not in get.url
    assert module.no_log_values == {'T1'}


def test_post_carries_f_json_and_the_token_in_the_body():
    path = 'admin/system/disasterrecovery/stores/default-store/backups/create'
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('POST', BASE + path, reply(200, json={'status': 'success', 'jobid': 'j1'}))])
    assert api.create_backup('default-store', 'b1', 'a-long-passcode') == {'status': 'success', 'jobid': 'j1'}
    api.http.session.assert_done()
    create = api.http.session.calls[1]
    assert create.data == {'name': 'b1', 'passcode': 'a-long-passcode', 'f': 'json', 'token': 'T1'}
    assert create.params is None and 'T1' not in create.url


def test_an_expired_token_is_renewed_once_and_the_call_repeated():
    api, module = arcgis([
        ('POST', TOKEN_URL, token('T1')),
        ('GET', STORES_URL, reply(200, json=STORES)),
        ('GET', STORES_URL, reply(200, json=INVALID)),
        ('POST', TOKEN_URL, token('T2')),
        ('GET', STORES_URL, reply(200, json=STORES)),
    ])
    api.stores()
    assert api.stores() == STORES['backupStores']
    api.http.session.assert_done()
    assert [c.headers.get('X-Esri-Authorization') for c in api.http.session.calls if c.method == 'GET'] == \
        ['Bearer T1', 'Bearer T1', 'Bearer T2']
    assert module.no_log_values == {'T1', 'T2'}


@pytest.mark.parametrize('code', [498, 499])
def test_a_second_invalid_token_answer_fails(code):
    invalid = reply(200, json={'error': {'code': code, 'message': 'Invalid token.', 'details': []}})
    api, _module = arcgis([
        ('POST', TOKEN_URL, token('T1')),
        ('GET', STORES_URL, reply(200, json=STORES)),
        ('GET', STORES_URL, invalid),
        ('POST', TOKEN_URL, token('T2')),
        ('GET', STORES_URL, invalid),
    ])
    api.stores()
    with pytest.raises(PlatformError) as info:
        api.stores()
    api.http.session.assert_done()
    assert info.value.code == code


def test_a_fresh_token_rejected_is_not_renewed_again():
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('GET', STORES_URL, reply(200, json=INVALID))])
    with pytest.raises(PlatformError) as info:
        api.stores()
    api.http.session.assert_done()
    assert info.value.code == 498


@pytest.mark.parametrize('code', [498, 499])
def test_a_given_token_is_never_renewed_and_the_error_names_the_option(code):
    api, module = arcgis([('GET', STORES_URL, reply(200, json={'error': {'code': code, 'message': 'Invalid token.'}}))],
                         username=None, password=None, token='GIVEN')
    with pytest.raises(PlatformError) as info:
        api.stores()
    api.http.session.assert_done()
    assert "option 'token'" in str(info.value)
    assert info.value.hint == "the token in option 'token' is invalid or expired"
    assert 'GIVEN' not in str(info.value)
    assert module.no_log_values == {'GIVEN'}
    assert api.http.session.calls[0].headers == {'X-Esri-Authorization': 'Bearer GIVEN'}


def test_bad_credentials_hint_at_the_options():
    api, _module = arcgis([('POST', TOKEN_URL, reply(200, json={'error': {'code': 400, 'message': 'Unable to generate token.',
                                                                          'details': ['Invalid username or password.']}}))])
    with pytest.raises(PlatformError) as info:
        api.stores()
    assert info.value.message == 'Unable to generate token. Invalid username or password.'
    assert info.value.hint == "check the options 'username' and 'password'"
    assert str(info.value).endswith("Unable to generate token. Invalid username or password. (check the options 'username' and 'password')")
    assert info.value.code == 400 and info.value.status == 200
    assert 'pa55word' not in str(info.value)


def test_an_answer_without_a_token_fails():
    api, _module = arcgis([('POST', TOKEN_URL, reply(200, json={'ssl': True}))])
    with pytest.raises(PlatformError, match='no token in the answer'):
        api.stores()


def test_an_error_with_http_200_is_an_error_with_its_details():
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')),
                           ('POST', BASE + r'admin/x', reply(200, json={'status': 'error', 'messages': ['Backup exists.'], 'code': 409}))])
    with pytest.raises(PlatformError) as info:
        api.request('POST', 'admin/x', "create backup 'b1'")
    assert (info.value.status, info.value.code, info.value.message, info.value.details) == (200, 409, 'Backup exists.', ['Backup exists.'])


def test_a_non_json_answer_says_the_url_may_be_wrong():
    api, _module = arcgis([('POST', TOKEN_URL, reply(200, text='<html>Portal home</html>'))])
    with pytest.raises(PlatformError, match='not JSON') as info:
        api.stores()
    assert info.value.hint.startswith("check url: it is the deployment's base")


@pytest.mark.parametrize('params, message', [
    (dict(url='gis.example.test/arcgis'), 'url must start with https://'),
    (dict(username=None, password=None), 'ArcGIS credentials missing'),
    (dict(password=None), 'ArcGIS credentials missing'),
])
def test_bad_input_is_refused_before_any_request(params, message):
    with pytest.raises(InputError, match=message):
        ArcGIS(fake_module(**params))


def test_token_renewal_against_the_emulator(emu, monkeypatch):
    _module, api = Emulated(emu, monkeypatch).api(ArcGIS, 'arcgis')
    assert api.resolve_store() == 'default-store'
    emu.expire_arcgis_tokens()
    assert api.resolve_store('secondary') == 'secondary'
    assert emu.state('arcgis')['counts']['tokens'] == 2
    log = emu.requests(path='/arcgis/')
    assert [r['path'].rsplit('/', 1)[-1] for r in log] == ['generateToken', 'stores', 'stores', 'generateToken', 'stores']
    assert all('token' not in r['query'] for r in log)   # never in a URL
    api.http.session.close()


# --- "missing", hints and the named operations ------------------------------------------------------

BACKUP_URL = BASE + r'admin/system/disasterrecovery/stores/default-store/backups/b1'
NOT_FOUND = {'error': {'code': 404, 'message': "Backup 'b1' does not exist in store 'default-store'.", 'details': []}}


def test_a_backup_answered_with_code_404_in_a_200_body_is_absent():
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('GET', BACKUP_URL, reply(200, json=NOT_FOUND))])
    assert api.backup('default-store', 'b1') is None
    api.http.session.assert_done()


def test_a_job_answered_with_code_404_is_an_error():
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')),
                           ('GET', BASE + r'admin/jobs/j1', reply(200, json={'error': {'code': 404, 'message': 'No job.'}}))])
    with pytest.raises(PlatformError) as info:
        api.job('j1')
    assert info.value.code == 404 and info.value.hint is None


def test_a_real_404_says_to_check_url():
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('GET', STORES_URL, reply(404, text='Not found'))])
    with pytest.raises(PlatformError) as info:
        api.stores()
    assert info.value.status == 404
    assert info.value.hint.startswith("check url: it is the deployment's base")
    assert "(check url: it is the deployment's base" in str(info.value)


@pytest.mark.parametrize('answer, deleted', [
    (reply(200, json={'status': 'success'}), True),
    (reply(200, json={'status': 'error', 'messages': ["Backup 'b1' does not exist."], 'code': 404}), False),
])
def test_delete_backup_says_whether_it_deleted_or_found_it_gone(answer, deleted):
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('POST', BACKUP_URL + '/delete', answer)])
    assert api.delete_backup('default-store', 'b1') is deleted
    assert api.http.session.calls[1].data == {'f': 'json', 'token': 'T1'}


def test_update_retention_sends_the_date():
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('POST', BACKUP_URL + '/update', reply(200, json={'status': 'success'}))])
    api.update_retention('default-store', 'b1', -1)
    assert api.http.session.calls[1].data == {'retentionDate': -1, 'f': 'json', 'token': 'T1'}


def test_a_restore_refused_for_its_passcode_names_the_option():
    refused = reply(200, json={'status': 'error', 'messages': ['Invalid passcode.'], 'code': 400})
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('POST', BACKUP_URL + '/restore', refused)])
    with pytest.raises(PlatformError) as info:
        api.start_restore('default-store', 'b1', 'wrong-passcode')
    assert api.http.session.calls[1].data == {'passcode': 'wrong-passcode', 'f': 'json', 'token': 'T1'}
    assert info.value.message == 'Invalid passcode.'
    assert info.value.hint.startswith("check the option 'passcode'")
    assert 'wrong-passcode' not in str(info.value)


# --- what real clients taught us: job answers, the store pre-flight, an organization that is down -----

@pytest.mark.parametrize('answer, expected', [
    ({'jobsUrl': 'https://gis/arcgis/admin/jobs/j1', 'jobid': 'j1', 'status': 'SUBMITTED'}, 'j1'),
    ({'jobsUrl': 'https://gis/arcgis/admin/jobs/j1', 'jobid': 'j1'}, 'j1'),  # Esri's CLI reads only jobid
    ({'jobsUrl': 'https://gis/arcgis/admin/jobs/j2/'}, 'j2'),
    ({'jobsUrl': 'https://gis/arcgis/admin/jobs/j3?f=json'}, 'j3'),
    ({'jobId': 'j4'}, 'j4'),
    ({'status': 'success'}, None),  # a restore accepted without a job
    ({}, None),
    (None, None),
])
def test_job_id_from_jobid_or_jobs_url(answer, expected):
    assert job_id(answer) == expected


def test_job_result_returns_the_stages_of_a_finished_job():
    job = {'jobid': 'j1', 'status': 'COMPLETED', 'result': {'backupName': 'b1', 'stages': [
        {'name': 'Validation', 'state': 'completed', 'duration': '3096 millis (~ 0 minutes)', 'lastUpdated': 1},
        'not a stage']}}
    result = job_result(job)
    assert result['stages'] == [{'name': 'Validation', 'state': 'completed', 'duration': '3096 millis (~ 0 minutes)'}]
    assert result['result']['backup_name'] == 'b1' and result['jobid'] == 'j1'
    assert job_result({'jobsUrl': 'https://gis/arcgis/admin/jobs/j9', 'result': {}}) == {
        'jobs_url': 'https://gis/arcgis/admin/jobs/j9', 'result': {}, 'jobid': 'j9', 'stages': []}


def test_a_job_answer_without_status_or_jobid_is_not_an_error():
    assert parse_error({'jobsUrl': 'https://gis/arcgis/admin/jobs/j1'}) is None
    assert parse_error({'jobsUrl': 'https://gis/arcgis/admin/jobs/j1', 'status': 'FAILED'}) is None


VALIDATE_URL = STORES_URL + r'/default-store/validate'


def test_validate_store_posts_the_validate_operation_and_accepts_is_ready():
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')),
                           ('POST', VALIDATE_URL, reply(200, json={'isReady': True, 'status': 'success'}))])
    assert api.validate_store('default-store')['isReady'] is True
    api.http.session.assert_done()
    assert api.http.session.calls[1].data == {'f': 'json', 'token': 'T1'}


@pytest.mark.parametrize('answer, says', [
    (reply(200, json={'isReady': False, 'status': 'error', 'messages': ['Volume missing.']}), 'Volume missing.'),
    (reply(200, json={'isReady': False}), 'isReady False'),
    (reply(200, json={'status': 'success'}), 'isReady None'),
    (reply(200, json={'error': {'code': 500, 'message': 'Store unreachable.', 'details': []}}), 'Store unreachable.'),
    (reply(400, json={'error': {'code': 400, 'message': 'Bad store.', 'details': []}}), 'Bad store.'),
])
def test_anything_but_is_ready_true_is_not_ready_naming_the_store(answer, says):
    api, _module = arcgis([('POST', TOKEN_URL, token('T1')), ('POST', VALIDATE_URL, answer)])
    with pytest.raises(PlatformError) as info:
        api.validate_store('default-store')
    text = str(info.value)
    assert "validate backup store 'default-store'" in text and 'the store is not ready: ' in text and says in text
    assert info.value.hint == 'set validate_store: false to skip this check'


def test_while_down_reads_none_for_an_organization_that_is_down_and_raises_other_errors():
    status_url = BASE + r'admin/system/disasterrecovery/status'
    api, _module = arcgis([
        ('POST', TOKEN_URL, token('T1')),
        ('GET', status_url, reply(200, text='<html>Sign in</html>')),
        ('GET', status_url, reply(503, text='<html>503</html>')),
        ('GET', status_url, reply(200, json={'status': {'operation': 'Restore', 'state': 'in_progress'}})),
        ('GET', status_url, reply(200, json={'error': {'code': 403, 'message': 'Forbidden.', 'details': []}})),
    ])
    assert api.while_down(api.dr_status) is None
    assert api.while_down(api.dr_status) is None
    assert api.while_down(api.dr_status)['state'] == 'in_progress'
    with pytest.raises(PlatformError) as info:
        api.while_down(api.dr_status)
    assert info.value.code == 403
    api.http.session.assert_done()
