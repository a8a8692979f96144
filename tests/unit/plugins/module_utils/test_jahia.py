# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_jahia: names, the jcResponse rule, where the token travels, failures named and hinted, sent once.

The client is tested over scripted HTTP conversations (an unexpected or unused call fails the
test); the last tests run it against the emulator.
"""

from urllib.parse import parse_qsl

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _jahia
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import (
    ScriptedSession, connection_reset_error, reply)

TOKEN = 'pat-0123456789abcdef-secret'
APP_ID = '1e79ec38d72494da07850bea13b2856093'
BASE = r'https://jahia\.example\.test/modules/cloudAction/'
CONTEXT_URL = BASE + r'getContext\.do'
BACKUP_URL = BASE + r'backupEnv\.do'
RESTORE_URL = BASE + r'restoreBackup\.do'
ACCEPTED = reply(200, json={'jcResponse': 0})
SUMMARY = {'name': 'staging', 'short_domain': 'staging-acme'}
POINT = {'backup_name': 'production-acme', 'timestamp': '2026-11-21T02:00:00', 'backup_type': 'manual',
         'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'prod', 'environment': 'production'}
DEFAULTS = dict(api_url='https://jahia.example.test', api_token=TOKEN, organization='acme', validate_certs=True,
                ca_path=None, timeout=30.0, retries=0)


def context(env='staging', role='dev', provider='aws', region='eu-west-1', app_id=APP_ID, **extra):
    environment = {'envName': env, 'shortDomain': '%s-acme' % env, 'productVersion': 'dx_8-2-3-0', 'status': 'running'}
    for key, value in (('appid', app_id), ('cloudProvider', provider), ('region', region), ('envRole', role)):
        if value is not None:
            environment[key] = value
    environment.update(extra)
    return reply(200, json={'organisationName': 'acme', 'organisationId': 94, 'environment': environment})


def jahia(script, **params):
    """``(api, module)``: a JahiaCloud whose session answers ``script``; retries never sleep."""
    module = FakeModule(params, defaults=DEFAULTS)
    api = _jahia.JahiaCloud(module)
    api.http.session = ScriptedSession(script)
    api.http.sleep = lambda seconds: None
    return api, module


def sent_form(call):
    """The form fields of a scripted call, decoded from the urlencoded body."""
    return dict(parse_qsl(call.data, keep_blank_values=True))


def test_argument_spec_keeps_the_token_secret_and_reads_the_environment():
    spec = _jahia.jahia_argument_spec()
    assert spec['api_token']['no_log'] is True and spec['api_token']['required'] is True
    assert spec['api_url']['default'] == 'https://jahia.cloud'
    assert [spec[k]['fallback'][1] for k in ('api_url', 'api_token', 'organization')] == \
        [['JAHIA_CLOUD_URL'], ['JAHIA_CLOUD_TOKEN'], ['JAHIA_CLOUD_ORG']]
    assert {'validate_certs', 'ca_path', 'timeout', 'retries'} <= set(spec)


@pytest.mark.parametrize('name', ['staging', 'a', 'a' * 20, 'pre-prod-2', '0'])
def test_valid_environment_names(name):
    _jahia.check_environment(name)


@pytest.mark.parametrize('name', ['Staging', 'a' * 21, '', 'staging_1', 'staging.acme', 'stag ing', None, 'ü'])
def test_invalid_environment_names_say_what_is_allowed(name):
    with pytest.raises(InputError, match='1 to 20 lowercase letters, digits or hyphens'):
        _jahia.check_environment(name)


@pytest.mark.parametrize('name, valid', [('acme', True), ('jahia-devs', True), ('Acme_2.eu', True),
                                         ('', False), ('ac me', False), ('acme/x', False), ('-acme', False)])
def test_organization_names(name, valid):
    if valid:
        _jahia.check_organization(name)
    else:
        with pytest.raises(InputError, match='not a valid Jahia Cloud organization name'):
            _jahia.check_organization(name)


@pytest.mark.parametrize('app_id', ['', '  ', 'abc def', 'abc\n'])
def test_app_id_without_content_or_with_spaces_is_refused(app_id):
    with pytest.raises(InputError, match='app_id'):
        _jahia.check_app_id(app_id)


@pytest.mark.parametrize('params, message', [
    (dict(environment='Staging', app_id=None), 'not a valid Jahia Cloud environment name'),
    (dict(environment='staging', app_id='a b'), 'app_id'),
])
def test_target_options_are_checked_together(params, message):
    with pytest.raises(InputError, match=message):
        _jahia.check_target_options(params)
    _jahia.check_target_options(dict(environment='staging', app_id=None))


def test_short_domain():
    assert _jahia.short_domain('staging', 'acme') == 'staging-acme'


@pytest.mark.parametrize('body, expected', [
    ({'jcResponse': 0}, None),
    ({'jcResponse': '0'}, None),
    ({'organisationName': 'acme'}, None),
    ({'jcResponse': 1, 'message': 'A backup is already in progress'}, (1, 'A backup is already in progress')),
    ({'jcResponse': 7, 'error': 'boom'}, (7, 'boom')),
    ({'jcResponse': '2'}, ('2', 'no message')),
    ({'result': 11, 'error': 'An error occurred during database backup.'}, (11, 'An error occurred during database backup.')),
    ({'result': 0}, None),
    ([], None),
    ('text', None),
])
def test_answer_code(body, expected):
    assert _jahia.answer_code(body) == expected


@pytest.mark.parametrize('where', [('environment', 'appid'), ('environment', 'appId'), ('environment', 'targetAppid'),
                                   ('environment', 'targetAppId'), (None, 'appid'), (None, 'appId'), (None, 'targetAppid'),
                                   (None, 'targetAppId')])
def test_the_app_id_is_found_wherever_the_contract_allows(where):
    place, key = where
    ctx = {'environment': {'envName': 'staging'}}
    (ctx['environment'] if place else ctx)[key] = APP_ID
    assert _jahia.find_app_id(ctx) == APP_ID


def test_the_environment_app_id_wins_over_a_top_level_one():
    assert _jahia.find_app_id({'appid': 'top', 'environment': {'targetAppId': 'inner'}}) == 'inner'
    assert _jahia.find_app_id({'environment': {'envName': 'x'}}) is None
    assert _jahia.find_app_id({'environment': 'not a dict'}) is None


def test_summary_normalises_and_tolerates_missing_fields():
    summary = _jahia.environment_summary({'organisationId': 94, 'environment': {
        'appid': APP_ID, 'cloudProvider': 'AWS', 'envRole': ' Prod ', 'region': 'eu-west-1', 'productVersion': 'dx_8-2-3-0'}},
        'acme', 'staging')
    assert summary == {'name': 'staging', 'organization': 'acme', 'organization_id': 94, 'short_domain': 'staging-acme',
                       'app_id': APP_ID, 'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'prod',
                       'product_version': 'dx_8-2-3-0', 'status': None}
    bare = _jahia.environment_summary({}, 'acme', 'staging')
    assert (bare['app_id'], bare['cloud_provider'], bare['region'], bare['env_role']) == (None, None, None, None)
    top = _jahia.environment_summary({'cloudProvider': 'ovh', 'region': 'gra', 'envRole': 'dev', 'environment': {}}, 'acme', 'x')
    assert (top['cloud_provider'], top['region'], top['env_role']) == ('ovh', 'gra', 'dev')


@pytest.mark.parametrize('role, allowed, refused', [
    ('dev', False, None), ('preprod', False, None), ('prod', False, "has role 'prod'"), ('prod', True, None),
    (None, False, 'did not report the role'), (None, True, None),
])
def test_production_guard(role, allowed, refused):
    summary = {'name': 'live', 'env_role': role}
    if refused:
        with pytest.raises(InputError, match=refused) as info:
            _jahia.refuse_production(summary, allowed, 'restore x')
        assert 'allow_production: true' in str(info.value)
    else:
        _jahia.refuse_production(summary, allowed, 'restore x')


def test_get_context_is_a_form_post_with_the_exact_headers():
    api, _module = jahia([('POST', CONTEXT_URL, context())])
    summary = api.environment('staging')
    call = api.http.session.calls[0]
    assert call.data == 'orgName=acme&envName=staging-acme'
    assert call.headers == {'Authorization': 'APIToken ' + TOKEN, 'Accept': 'application/json',
                            'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8'}
    assert call.json is None and call.params is None and TOKEN not in call.url
    assert summary['app_id'] == APP_ID and summary['context']['organisationId'] == 94


def test_start_backup_sends_the_short_domain_and_the_app_id():
    api, module = jahia([('POST', BACKUP_URL, ACCEPTED)])
    assert api.start_backup(SUMMARY, APP_ID) == {'jcResponse': 0}
    assert sent_form(api.http.session.calls[0]) == {'orgName': 'acme', 'envName': 'staging-acme', 'targetAppid': APP_ID}
    assert module.warnings == []


def test_start_restore_sends_every_field_of_the_restore_point_but_its_source():
    api, _module = jahia([('POST', RESTORE_URL, ACCEPTED)])
    api.start_restore(SUMMARY, APP_ID, POINT)
    call = api.http.session.calls[0]
    assert sent_form(call) == {
        'orgName': 'acme', 'envName': 'staging-acme', 'targetAppid': APP_ID, 'backupName': 'production-acme',
        'timestamp': '2026-11-21T02:00:00', 'backupType': 'manual', 'cloudProvider': 'aws', 'region': 'eu-west-1',
        'envRole': 'prod'}
    # The colons of the timestamp travel URL-encoded in the form body.
    assert 'timestamp=2026-11-21T02%3A00%3A00' in call.data


def test_a_restore_is_named_after_its_point_and_target_in_errors():
    busy = reply(200, json={'jcResponse': 1, 'message': 'A backup is already in progress on environment staging-acme'})
    api, _module = jahia([('POST', RESTORE_URL, busy)])
    with pytest.raises(PlatformError) as info:
        api.start_restore(SUMMARY, APP_ID, POINT)
    assert info.value.operation == ("restore backup 'production-acme' of 2026-11-21T02:00:00 into environment 'staging' "
                                    "in organization 'acme'")


def test_a_non_zero_jc_response_with_http_200_fails_with_its_code():
    api, _module = jahia([('POST', BACKUP_URL, reply(200, json={'jcResponse': 1, 'message': 'A backup is already in progress'}))])
    with pytest.raises(PlatformError) as info:
        api.start_backup(SUMMARY, APP_ID)
    assert (info.value.status, info.value.code, info.value.message) == (200, 1, 'A backup is already in progress')
    assert info.value.hint is None
    assert "failed to back up environment 'staging' in organization 'acme'" in str(info.value)
    assert 'vendor code 1' in str(info.value)


@pytest.mark.parametrize('status', [401, 403])
def test_a_refused_token_names_the_option_never_the_token(status):
    api, _module = jahia([('POST', CONTEXT_URL, reply(status, json={'message': 'Unauthorized'}))])
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    text = str(info.value)
    assert info.value.message == 'Unauthorized'  # the vendor's words, the hint after them
    assert "option 'api_token'" in info.value.hint and 'JAHIA_CLOUD_TOKEN' in info.value.hint
    assert "organization 'acme'" in info.value.hint and info.value.hint in text
    assert TOKEN not in text and TOKEN not in repr(info.value.as_dict())
    assert info.value.status == status


def test_a_refused_token_answered_with_a_login_page_still_names_the_option():
    api, _module = jahia([('POST', CONTEXT_URL, reply(401, text='<html>Login</html>'))])
    with pytest.raises(PlatformError, match="option 'api_token'"):
        api.environment('staging')


def test_unknown_organization_on_get_context():
    api, _module = jahia([('POST', CONTEXT_URL, reply(404, json={'message': 'Organization acme not found'}))])
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    assert info.value.message == 'Organization acme not found'
    assert "organization 'acme' is unknown" in info.value.hint and "option 'organization'" in info.value.hint
    assert 'api_url is not the Jahia Cloud base URL (e.g. https://jahia.cloud, without /modules/cloudAction)' in str(info.value)


def test_a_404_on_an_action_is_not_called_an_unknown_organization():
    api, _module = jahia([('POST', BACKUP_URL, reply(404, text='<html>Not found</html>'))])
    with pytest.raises(PlatformError) as info:
        api.start_backup(SUMMARY, APP_ID)
    assert 'unknown' not in str(info.value) and info.value.status == 404 and info.value.hint is None


# What a login page may hold that must never reach a message: its body, a session id, a form secret.
SESSION = 'C0FFEE5E55I0N1D'
LOGIN_PAGE = ('<!DOCTYPE html><html><head><title>Log in</title></head><body><form action="/cms/login">'
              '<input type="hidden" name="csrf" value="csrf-s3cr3t"></form></body></html>')
COOKIE = {'Set-Cookie': 'JSESSIONID=%s; Path=/; Secure; HttpOnly' % SESSION}


def assert_token_failure(info, api, hint):
    """One request, the token named with what to check, nothing secret or raw in the message."""
    error = info.value
    text = str(error) + repr(error.as_dict())
    assert len(api.http.session.calls) == 1
    assert error.hint == hint
    assert "check the option 'api_token' (or JAHIA_CLOUD_TOKEN)" in str(error)
    assert 'the API token is missing, wrong or expired' in str(error) and '90 days' in str(error)
    for secret in (TOKEN, SESSION, 'csrf-s3cr3t', '<html', '<!DOCTYPE', 'Expecting value', 'JSONDecodeError'):
        assert secret not in text
    assert error.maybe_applied is False and error.retryable is False


@pytest.mark.parametrize('answer, got', [
    (reply(200, text=LOGIN_PAGE, headers=COOKIE), 'an HTML page'),
    (reply(200, content=LOGIN_PAGE.encode('utf-8')), 'an HTML page'),                # no Content-Type at all
    (reply(200, content=b'  \n<html>Log in</html>', headers={'Content-Type': 'application/json'}), 'an HTML page'),
    (reply(200, content=b'{"jcResponse": 0}', headers={'Content-Type': 'text/html;charset=UTF-8'}), 'an HTML page'),
    (reply(200, content=b'{"jcResponse": 0}', headers={'Content-Type': 'application/xhtml+xml'}), 'an HTML page'),
    (reply(200, content=b'{"jcResponse": 0}', headers={'Content-Type': 'text/plain'}), 'an answer of type text/plain'),
    (reply(200, content=b''), 'an empty answer'),
    (reply(200, content=b'', headers={'Content-Type': 'application/json'}), 'an empty answer'),
    (reply(200, content=b'{"jcResponse": 0', headers={'Content-Type': 'application/json'}),
     'a body that does not parse as JSON'),
    (reply(200, content=b'Please log in', headers={'Content-Type': 'text/plain; charset=utf-8'}),
     'an answer of type text/plain'),
])
def test_an_answer_that_is_not_json_is_a_missing_wrong_or_expired_token(answer, got):
    api, _module = jahia([('POST', CONTEXT_URL, answer)])
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    assert info.value.message == 'expected JSON, got %s' % got and info.value.status == 200
    assert_token_failure(info, api, _jahia.PAGE_HINT)
    # The URL stays the second thing to check: a website that is not Jahia Cloud also answers HTML.
    assert str(info.value).endswith("if it is right, check that api_url is the Jahia Cloud base URL (e.g. https://jahia.cloud))")


@pytest.mark.parametrize('start, url', [
    (lambda api: api.start_backup(SUMMARY, APP_ID), BACKUP_URL),
    (lambda api: api.start_restore(SUMMARY, APP_ID, POINT), RESTORE_URL),
])
def test_a_trigger_answered_with_a_login_page_is_a_token_failure_not_a_lost_answer(start, url):
    api, module = jahia([('POST', url, reply(200, text=LOGIN_PAGE, headers=COOKIE))], retries=3)
    with pytest.raises(PlatformError) as info:
        start(api)
    assert info.value.message == 'expected JSON, got an HTML page'
    assert_token_failure(info, api, _jahia.PAGE_HINT)
    assert 'may have started' not in str(info.value) and module.warnings == []


@pytest.mark.parametrize('content_type', ['application/json', 'application/json;charset=UTF-8', 'APPLICATION/JSON',
                                          'application/vnd.jahia+json', 'text/json', None])
def test_json_is_read_whatever_json_type_says_it(content_type):
    headers = {'Content-Type': content_type} if content_type else {}
    body = b'{"organisationName": "acme", "environment": {"appid": "%s"}}' % APP_ID.encode('ascii')
    api, _module = jahia([('POST', CONTEXT_URL, reply(200, content=body, headers=headers))])
    assert api.environment('staging')['app_id'] == APP_ID


@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
@pytest.mark.parametrize('location', [
    'https://jahia.example.test/cms/login;jsessionid=%s?redirect=%%2Fmodules%%2FcloudAction%%2FgetContext.do' % SESSION,
    '/cms/login;JSESSIONID=%s' % SESSION,
])
def test_a_redirect_is_a_missing_wrong_or_expired_token(status, location):
    api, _module = jahia([('POST', CONTEXT_URL, reply(status, text='<html>moved</html>',
                                                      headers=dict(COOKIE, Location=location)))], retries=3)
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    assert info.value.status == status
    # HttpClient's words (where it pointed, never followed), without the session id in its path.
    assert info.value.message.startswith('redirected to https://jahia.example.test/cms/login; redirects are not followed')
    assert_token_failure(info, api, _jahia.LOGIN_HINT)
    assert str(info.value).endswith('(Jahia Cloud sends a request without a valid API token to its login page; the API '
                                    "token is missing, wrong or expired: check the option 'api_token' (or "
                                    'JAHIA_CLOUD_TOKEN); a personal API token expires (after 90 days by default) and '
                                    'generating a new one revokes the old one)')


def test_a_redirect_without_location_is_a_token_failure_too():
    api, _module = jahia([('POST', CONTEXT_URL, reply(302))])
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    assert info.value.message.startswith('answered with a redirect without a Location header')
    assert_token_failure(info, api, _jahia.LOGIN_HINT)


def test_a_redirected_trigger_is_not_sent_again_and_not_said_to_have_started():
    api, _module = jahia([('POST', BACKUP_URL, reply(302, headers={'Location': '/cms/login'}))], retries=3)
    with pytest.raises(PlatformError) as info:
        api.start_backup(SUMMARY, APP_ID)
    assert_token_failure(info, api, _jahia.LOGIN_HINT)
    assert 'may have started' not in str(info.value)


@pytest.mark.parametrize('token', ['', '   ', None])
def test_an_empty_token_is_refused_before_any_request(token):
    with pytest.raises(InputError, match='^api_token must not be empty$'):
        _jahia.JahiaCloud(FakeModule(dict(api_token=token), defaults=DEFAULTS))


def test_a_redirect_is_refused_by_the_http_client_without_showing_its_query_string():
    # The client never follows a redirect: HttpClient raises for every 3xx, so _jahia has no branch of its own.
    api, _module = jahia([('POST', CONTEXT_URL, reply(302, headers={'Location': 'https://login.example.test/sso?ticket=s3cr3t'}))])
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    assert info.value.status == 302 and len(api.http.session.calls) == 1
    assert info.value.message.startswith("redirected to https://login.example.test/sso; redirects are not followed: "
                                         "check the option 'api_url'")
    assert 's3cr3t' not in str(info.value)
    assert info.value.hint == _jahia.LOGIN_HINT and "check the option 'api_token'" in str(info.value)


def test_an_answer_that_is_not_an_object_fails():
    api, _module = jahia([('POST', CONTEXT_URL, reply(200, json=['x']))])
    with pytest.raises(PlatformError, match='not a JSON object'):
        api.environment('staging')


def test_get_context_is_re_sent_after_a_gateway_error():
    api, _module = jahia([('POST', CONTEXT_URL, reply(502)), ('POST', CONTEXT_URL, context())], retries=2)
    assert api.environment('staging')['app_id'] == APP_ID
    assert api.http.retry_summary().startswith('Jahia Cloud: 1 request had to be retried (1x HTTP 502), waiting ')


def test_a_read_whose_answer_is_lost_every_time_is_not_said_to_have_started_anything():
    api, _module = jahia([('POST', CONTEXT_URL, connection_reset_error())] * 2, retries=1)
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    assert info.value.hint is None and 'may have started' not in str(info.value)


@pytest.mark.parametrize('outcome', [connection_reset_error(), reply(502), reply(504)])
@pytest.mark.parametrize('start, url, what', [
    (lambda api: api.start_backup(SUMMARY, APP_ID), BACKUP_URL, 'a backup'),
    (lambda api: api.start_restore(SUMMARY, APP_ID, POINT), RESTORE_URL, 'a restore'),
])
def test_a_trigger_whose_answer_is_lost_is_never_sent_again(outcome, start, url, what):
    api, _module = jahia([('POST', url, outcome)], retries=3)
    with pytest.raises(PlatformError) as info:
        start(api)
    assert len(api.http.session.calls) == 1
    assert info.value.maybe_applied is True
    assert info.value.hint.startswith('the request may have reached Jahia Cloud and %s may have started' % what)
    assert 'not sent again' in str(info.value) and 'Check the environment in the Jahia Cloud console' in str(info.value)


@pytest.mark.parametrize('status', [429, 503])
def test_a_refused_trigger_is_sent_again(status):
    api, _module = jahia([('POST', BACKUP_URL, reply(status, headers={'Retry-After': '1'})), ('POST', BACKUP_URL, ACCEPTED)],
                         retries=1)
    slept = []
    api.http.sleep = slept.append
    assert api.start_backup(SUMMARY, APP_ID) == {'jcResponse': 0}
    assert slept == [1.0]


def test_a_trigger_answered_without_jc_response_is_accepted_with_a_warning():
    api, module = jahia([('POST', BACKUP_URL, reply(200, json={}))])
    assert api.start_backup(SUMMARY, APP_ID) == {}
    assert module.warnings == ['Jahia Cloud: the answer to backupEnv carried no jcResponse; assuming it was accepted']


def test_target_uses_the_discovered_app_id():
    api, _module = jahia([('POST', CONTEXT_URL, context())])
    summary, app_id = api.target('staging')
    assert app_id == APP_ID and summary['short_domain'] == 'staging-acme'
    assert 'context' not in summary  # modules that act return the summary only


def test_target_takes_a_given_app_id_when_the_context_has_none():
    api, _module = jahia([('POST', CONTEXT_URL, context(app_id=None))])
    assert api.target('staging', 'given-app-id')[1] == 'given-app-id'


def test_target_refuses_an_app_id_that_contradicts_the_context():
    api, _module = jahia([('POST', CONTEXT_URL, context())])
    with pytest.raises(InputError, match="app_id 'other' is not the app id Jahia Cloud reports"):
        api.target('staging', 'other')


def test_target_without_any_app_id_asks_for_the_option():
    api, _module = jahia([('POST', CONTEXT_URL, context(app_id=None))])
    with pytest.raises(InputError, match='set the option app_id'):
        api.target('staging')


@pytest.mark.parametrize('params, message', [
    (dict(api_url='jahia.cloud'), 'api_url must start with https://'),
    (dict(api_url='https://jahia.cloud/modules/cloudAction'), 'api_url must be the API base URL, without /modules/cloudAction'),
    (dict(organization='ac me'), 'not a valid Jahia Cloud organization name'),
])
def test_bad_connection_input_is_refused_before_any_request(params, message):
    with pytest.raises(InputError, match=message):
        _jahia.JahiaCloud(FakeModule(params, defaults=DEFAULTS))


def test_against_the_emulator(emu, monkeypatch):
    module, api = Emulated(emu, monkeypatch).api(_jahia.JahiaCloud, 'jahia')
    summary, app_id = api.target('staging')
    assert summary['env_role'] == 'dev' and len(app_id) == 34
    api.start_backup(summary, app_id)
    with pytest.raises(PlatformError) as info:
        api.start_backup(summary, app_id)
    assert info.value.code == 1 and info.value.status == 200
    log = emu.requests(path='/jahia/')
    assert [r['path'].rsplit('/', 1)[1] for r in log] == ['getContext.do', 'backupEnv.do', 'backupEnv.do']
    assert all(r['headers']['Authorization'] == 'APIToken ' + module.params['api_token'] and r['json'] is None for r in log)
    assert log[1]['form'] == {'orgName': ['acme'], 'envName': ['staging-acme'], 'targetAppid': [app_id]}
    assert module.warnings == []
    api.http.session.close()
