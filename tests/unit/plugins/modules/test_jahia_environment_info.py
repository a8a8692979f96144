# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""jahia_environment_info through main() against the emulator: one getContext, the summary and
the raw context, nothing changed; failures name the option to check."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import jahia_environment_info as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(env, check_mode=False, **args):
    """main() with ``args`` over environment 'staging' (an argument given as None is left out)."""
    return env.run(mod, args, check_mode=check_mode, defaults=dict(environment='staging'))


def app_id(emu, environment='staging'):
    org = next(o for o in emu.state('jahia')['organizations'] if o['name'] == 'acme')
    return next(e['appid'] for e in org['environments'] if e['name'] == environment)


@pytest.mark.parametrize('check_mode', [False, True])
def test_reads_the_context_of_the_environment(env, emu, check_mode):
    result = run(env, check_mode=check_mode)
    assert result['failed'] is False and result['changed'] is False
    found = result['environment']
    assert (found['app_id'], found['short_domain'], found['cloud_provider'], found['region'], found['env_role'],
            found['product_version'], found['organization_id']) == \
        (app_id(emu), 'staging-acme', 'aws', 'eu-west-1', 'dev', 'dx_8-2-3-0', 94)
    assert found['context']['environment']['envName'] == 'staging' and found['context']['organisationId'] == 94
    log = emu.requests()
    assert [r['form'] for r in log] == [{'orgName': ['acme'], 'envName': ['staging-acme']}]
    assert log[0]['method'] == 'POST' and log[0]['path'] == '/jahia/modules/cloudAction/getContext.do'


def test_a_context_without_app_id_or_placement_is_returned_not_refused(env, emu):
    emu.configure({'jahia': {'context_app_id_key': 'none', 'context_placement': False}})
    found = run(env)['environment']
    assert (found['app_id'], found['cloud_provider'], found['region'], found['env_role']) == (None, None, None, None)


def test_an_unknown_environment_reports_the_vendor_code(env):
    result = run(env, environment='nope')
    assert result['failed'] is True and result['error']['code'] == 3 and result['error']['status'] == 200
    assert "read the context of environment 'nope'" in result['msg'] and 'nope-acme' in result['msg']


def test_an_unknown_organization_names_the_option_and_the_url(env):
    result = run(env, organization='globex')
    assert result['failed'] is True and result['error']['status'] == 404
    assert "organization 'globex' is unknown to Jahia Cloud (check the option 'organization')" in result['msg']
    assert 'api_url is not the Jahia Cloud base URL (e.g. https://jahia.cloud, without /modules/cloudAction)' in result['msg']
    # The hint is part of the message in the returned error too.
    assert "check the option 'organization'" in result['error']['message']


def test_a_path_that_is_not_the_api_says_api_url_may_be_wrong(env, emu):
    result = run(env, api_url=emu.api_base + '/nowhere')
    assert result['failed'] is True and result['error']['status'] == 404
    assert 'api_url is not the Jahia Cloud base URL' in result['msg'] and '{' not in result['msg']


@pytest.mark.parametrize('token, status', [('wrong-token', 401), ('other-org-token', 403)])
def test_a_refused_token_names_the_option_never_the_token(env, emu, token, status):
    emu.seed({'jahia': {'tokens': {'other-org-token': ['globex']}}})
    result = run(env, api_token=token)
    assert result['failed'] is True and result['error']['status'] == status
    assert "the token in option 'api_token' (or JAHIA_CLOUD_TOKEN) was refused" in result['msg']
    assert "not valid for organization 'acme'" in result['msg']
    assert token not in result['msg'] and token not in repr(result['error'])


def test_a_redirect_is_reported_not_followed(env, emu):
    emu.add_fault(path=r'/getContext\.do$', action='status', status=302, body='<html>moved</html>',
                  headers={'Location': 'https://login.example.invalid/sso?next=private-token-value'})
    result = run(env)
    assert result['failed'] is True and result['error']['status'] == 302
    assert ("redirected to https://login.example.invalid/sso; redirects are not followed: check the option 'api_url'"
            in result['msg'])
    assert 'private-token-value' not in result['msg'] and len(emu.requests()) == 1


def test_a_read_is_re_sent_after_a_gateway_error_and_a_cut_answer(env, emu):
    emu.add_fault(path=r'/getContext\.do$', action='status', status=502, count=1)
    emu.add_fault(path=r'/getContext\.do$', action='truncate', count=1)
    result = run(env)
    assert result['failed'] is False and result['environment']['short_domain'] == 'staging-acme'
    assert len(emu.requests()) == 3


def test_an_answer_that_is_not_json_names_the_token_then_the_url(env, emu):
    emu.add_fault(path=r'/getContext\.do$', action='status', status=200, body='<html>Welcome</html>')
    result = run(env)
    assert result['failed'] is True and result['error']['status'] == 200
    assert result['msg'].endswith(
        "expected JSON, got an HTML page (the API token is missing, wrong or expired: check the option 'api_token' (or "
        "JAHIA_CLOUD_TOKEN); a personal API token expires (after 90 days by default) and generating a new one revokes "
        "the old one; if it is right, check that api_url is the Jahia Cloud base URL (e.g. https://jahia.cloud))")
    assert 'Welcome' not in result['msg'] and 'JSON parse' not in result['msg']


def assert_nothing_secret(result, emu, token):
    """Neither the token, nor a session id or page the emulator handed out, anywhere in the result."""
    text = repr(result)
    assert token not in text and '<' not in result['msg'] and 'csrf' not in text
    assert not [session for session in emu.state('jahia')['issued_tokens'] if session in text]


@pytest.mark.parametrize('mode, status, hint', [
    ('redirect', 302, 'Jahia Cloud sends a request without a valid API token to its login page; '),
    ('login_page', 200, 'expected JSON, got an HTML page ('),
])
@pytest.mark.parametrize('token', ['wrong-token', 'expired-token'])
@pytest.mark.parametrize('check_mode', [False, True])
def test_a_wrong_or_expired_token_sent_to_the_login_page_names_the_option(env, emu, mode, status, hint, token, check_mode):
    emu.seed({'jahia': {'expired_tokens': ['expired-token']}})
    emu.configure({'jahia': {'unauthenticated_answer': mode}})
    result = run(env, api_token=token, check_mode=check_mode)
    assert result['failed'] is True and result['error']['status'] == status
    assert hint + "the API token is missing, wrong or expired: check the option 'api_token'" in result['msg']
    assert_nothing_secret(result, emu, token)
    assert len(emu.requests()) == 1 and emu.state('jahia')['counts']['unauthenticated'] == 1


def test_an_expired_token_answered_with_401_says_it_may_be_expired(env, emu):
    emu.seed({'jahia': {'expired_tokens': ['expired-token']}})
    result = run(env, api_token='expired-token')
    assert result['failed'] is True and result['error']['status'] == 401
    assert result['msg'].startswith("Jahia Cloud: failed to read the context of environment 'staging'")
    assert ("Unauthorized: API token expired (the token in option 'api_token' (or JAHIA_CLOUD_TOKEN) was refused; it may "
            "be wrong, expired, or not valid for organization 'acme')") in result['msg']
    assert_nothing_secret(result, emu, 'expired-token')


@pytest.mark.parametrize('token', ['', '  '])
def test_an_empty_token_is_refused_before_any_request(env, emu, token):
    result = run(env, api_token=token)
    assert result['failed'] is True and 'api_token must not be empty' in result['msg']
    assert emu.requests() == []


@pytest.mark.parametrize('args, message', [
    (dict(environment='staging_acme'), 'the bare name'),
    (dict(environment='Staging'), '1 to 20 lowercase letters'),
    (dict(api_url='https://jahia.cloud/modules/cloudAction'),
     'api_url must be the API base URL, without /modules/cloudAction at the end (e.g. https://jahia.cloud)'),
    (dict(timeout=float('nan')), 'timeout must be a positive number of seconds'),
])
def test_bad_input_is_refused_before_any_request(env, emu, args, message):
    result = run(env, **args)
    assert result['failed'] is True and message in result['msg']
    assert emu.requests() == []


@pytest.mark.parametrize('args, message', [
    (dict(environment=None), 'missing required arguments: environment'),
    (dict(app_id='x'), 'Unsupported parameters'),
    (dict(validate_certs='perhaps'), "argument 'validate_certs' is of type"),
])
def test_the_argument_spec_refuses_before_any_request(env, emu, args, message):
    result = run(env, **args)
    assert result['failed'] is True and message in result['msg']
    assert emu.requests() == []
