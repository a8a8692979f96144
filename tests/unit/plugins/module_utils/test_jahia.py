# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_jahia: names, the jcResponse rule, where the token travels, failures named, sent once."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _jahia
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import connection_reset_error, reply
from ansible_collections.saasops.backup.tests.unit.plugins.modules.jahia_fake import (
    ACCEPTED, APP_ID, BACKUP_URL, CONTEXT_URL, TOKEN, FakeModule, context, jahia)

EMULATOR_TOKEN = 'Emul4tor-Jahia-PAT-7f3c9a1e5b2d4c6a'  # tests/emulator/apps/jahia_model.py


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


def test_a_non_zero_jc_response_with_http_200_fails_with_its_code():
    api, _module = jahia([('POST', BACKUP_URL, reply(200, json={'jcResponse': 1, 'message': 'A backup is already in progress'}))])
    with pytest.raises(PlatformError) as info:
        api.trigger('backupEnv', {'orgName': 'acme'}, 'back up staging', 'a backup')
    assert (info.value.status, info.value.code, info.value.message) == (200, 1, 'A backup is already in progress')
    assert 'vendor code 1' in str(info.value)


@pytest.mark.parametrize('status', [401, 403])
def test_a_refused_token_names_the_option_never_the_token(status):
    api, _module = jahia([('POST', CONTEXT_URL, reply(status, json={'message': 'Unauthorized'}))])
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    text = str(info.value)
    assert "option 'api_token'" in text and 'JAHIA_CLOUD_TOKEN' in text and "organization 'acme'" in text
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
    assert "organization 'acme' is unknown" in str(info.value) and "option 'organization'" in str(info.value)


def test_a_404_on_an_action_is_not_called_an_unknown_organization():
    api, _module = jahia([('POST', BACKUP_URL, reply(404, text='<html>Not found</html>'))])
    with pytest.raises(PlatformError) as info:
        api.trigger('backupEnv', {}, 'back up staging', 'a backup')
    assert 'unknown' not in str(info.value) and info.value.status == 404


def test_a_non_json_answer_hints_at_the_url_and_token():
    api, _module = jahia([('POST', CONTEXT_URL, reply(200, text='<html>Welcome</html>'))])
    with pytest.raises(PlatformError, match='not JSON; check that api_url'):
        api.environment('staging')


def test_a_redirect_fails_without_showing_its_query_string():
    api, _module = jahia([('POST', CONTEXT_URL, reply(302, headers={'Location': 'https://login.example.test/sso?ticket=s3cr3t'}))])
    with pytest.raises(PlatformError) as info:
        api.environment('staging')
    assert 'redirected to https://login.example.test/sso' in str(info.value) and 's3cr3t' not in str(info.value)


def test_an_answer_that_is_not_an_object_fails():
    api, _module = jahia([('POST', CONTEXT_URL, reply(200, json=['x']))])
    with pytest.raises(PlatformError, match='not a JSON object'):
        api.environment('staging')


def test_get_context_is_re_sent_after_a_gateway_error():
    api, module = jahia([('POST', CONTEXT_URL, reply(502)), ('POST', CONTEXT_URL, context())], retries=2)
    api.http.sleep = lambda seconds: None
    assert api.environment('staging')['app_id'] == APP_ID
    assert api.http.retry_summary().startswith('Jahia Cloud: 1 request had to be retried (1x HTTP 502), waiting ')


@pytest.mark.parametrize('outcome', [connection_reset_error(), reply(502), reply(504)])
def test_a_trigger_whose_answer_is_lost_is_never_sent_again(outcome):
    api, _module = jahia([('POST', BACKUP_URL, outcome)], retries=3)
    api.http.sleep = lambda seconds: None
    with pytest.raises(PlatformError) as info:
        api.trigger('backupEnv', {'orgName': 'acme'}, 'back up staging', 'a backup')
    assert len(api.http.session.calls) == 1
    assert 'a backup may have started' in str(info.value) and 'not sent again' in str(info.value)


@pytest.mark.parametrize('status', [429, 503])
def test_a_refused_trigger_is_sent_again(status):
    api, _module = jahia([('POST', BACKUP_URL, reply(status, headers={'Retry-After': '1'})), ('POST', BACKUP_URL, ACCEPTED)],
                         retries=1)
    slept = []
    api.http.sleep = slept.append
    assert api.trigger('backupEnv', {'orgName': 'acme'}, 'back up staging', 'a backup') == {'jcResponse': 0}
    assert slept == [1.0]


def test_a_trigger_answered_without_jc_response_is_accepted_with_a_warning():
    api, module = jahia([('POST', BACKUP_URL, reply(200, json={}))])
    assert api.trigger('backupEnv', {}, 'back up staging', 'a backup') == {}
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
    (dict(organization='ac me'), 'not a valid Jahia Cloud organization name'),
])
def test_bad_connection_input_is_refused_before_any_request(params, message):
    with pytest.raises(InputError, match=message):
        _jahia.JahiaCloud(FakeModule(**params))


def test_against_the_emulator(emu):
    module = FakeModule(api_url=emu.api_base + '/jahia', api_token=EMULATOR_TOKEN, ca_path=emu.ca_path)
    api = _jahia.JahiaCloud(module)
    api.http.session.trust_env = False  # REQUESTS_CA_BUNDLE must not override ca_path
    summary, app_id = api.target('staging')
    assert summary['env_role'] == 'dev' and len(app_id) == 34
    api.trigger('backupEnv', {'orgName': 'acme', 'envName': summary['short_domain'], 'targetAppid': app_id}, 'back up', 'a backup')
    with pytest.raises(PlatformError) as info:
        api.trigger('backupEnv', {'orgName': 'acme', 'envName': summary['short_domain'], 'targetAppid': app_id}, 'back up', 'a backup')
    assert info.value.code == 1 and info.value.status == 200
    log = emu.requests(path='/jahia/')
    assert [r['path'].rsplit('/', 1)[1] for r in log] == ['getContext.do', 'backupEnv.do', 'backupEnv.do']
    assert all(r['headers']['Authorization'] == 'APIToken ' + EMULATOR_TOKEN and r['json'] is None for r in log)
    assert log[1]['form'] == {'orgName': ['acme'], 'envName': ['staging-acme'], 'targetAppid': [app_id]}
    assert module.warnings == []
    api.http.session.close()
