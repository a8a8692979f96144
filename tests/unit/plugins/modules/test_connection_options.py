# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options through each platform's main(), as Ansible runs it.

One module per platform stands for all of its modules (they share the platform's argument spec
and client): plain http:// is refused before any request unless opted in (then it warns once),
redirects, unresolvable hosts and impossible timeouts or CA files fail with a message naming the
option, and ca_path / validate_certs fall back to the platform's environment variables.
"""

import pytest
import requests

from ansible.module_utils import basic

from ansible_collections.saasops.backup.plugins.modules import (
    arcgis_dr_backup_info,
    atlassian_backup_info,
    jahia_environment_info,
    mendix_snapshot_info,
)
from ansible_collections.saasops.backup.tests.unit.helpers.module_main import no_http, run_main
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import (
    connection_refused_error,
    name_resolution_error,
    reply,
)

SECRET = 's3cret-credential-1234'


class Platform:
    def __init__(self, name, main, url_option, env_prefix, args):
        self.name = name
        self.main = main
        self.url_option = url_option
        self.env_prefix = env_prefix
        self.args = args

    def with_url(self, url, **extra):
        return dict(self.args, **dict({self.url_option: url}, **extra))

    def __repr__(self):
        return self.name


PLATFORMS = [
    Platform('ArcGIS', arcgis_dr_backup_info.main, 'url', 'ARCGIS',
             dict(username='admin', password=SECRET)),
    Platform('Jahia Cloud', jahia_environment_info.main, 'api_url', 'JAHIA_CLOUD',
             dict(api_token=SECRET, organization='acme', environment='staging')),
    Platform('Atlassian', atlassian_backup_info.main, 'api_url', 'ATLASSIAN',
             dict(org_id='org-1', user='admin@example.test', api_token=SECRET)),
    Platform('Mendix', mendix_snapshot_info.main, 'api_url', 'MENDIX',
             dict(username='admin@example.test', api_key=SECRET, app_id='calc', environment='Acceptance')),
]
EACH = pytest.mark.parametrize('platform', PLATFORMS, ids=[p.name for p in PLATFORMS])


def answering(monkeypatch, outcome):
    """Every request gets ``outcome`` (a reply or an exception); returns the calls made."""
    calls = []

    def request(self, method, url, **kwargs):  # pylint: disable=unused-argument
        calls.append(dict(kwargs, method=method, url=url))
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome.build(method, url, kwargs.get('params'))

    monkeypatch.setattr(requests.Session, 'request', request)
    return calls


def warnings_of(monkeypatch):
    """Collect the module's warnings (instead of displaying them)."""
    seen = []

    def warn(self, warning):  # pylint: disable=unused-argument
        seen.append(warning)

    monkeypatch.setattr(basic.AnsibleModule, 'warn', warn)
    return seen


# --- plain http:// -------------------------------------------------------------------------------

@EACH
def test_plain_http_is_refused_before_any_request(monkeypatch, platform):
    attempted = no_http(monkeypatch)
    result = run_main(monkeypatch, platform.main, platform.with_url('http://api.example.test/base'))
    assert result['failed'] is True
    assert result['msg'] == ('%s http://api.example.test/base uses plain http://: the credentials would travel in '
                             'cleartext. Use https://, or set allow_insecure_http: true to accept that (test systems '
                             'only)' % platform.url_option)
    assert attempted == []
    assert SECRET not in str(result)


@EACH
def test_plain_http_with_the_opt_in_is_sent_and_warns_once(monkeypatch, platform):
    warnings = warnings_of(monkeypatch)
    calls = answering(monkeypatch, connection_refused_error('http://api.example.test/base'))
    result = run_main(monkeypatch, platform.main, platform.with_url('http://api.example.test/base', allow_insecure_http=True,
                                                                    retry_timeout=0))
    assert result['failed'] is True and 'connection failed' in result['msg']
    assert len(calls) == 1 and calls[0]['url'].startswith('http://api.example.test/base/')
    cleartext = [w for w in warnings if 'cleartext' in w]
    assert cleartext == ['%s http://api.example.test/base uses plain http:// (allow_insecure_http: true): the '
                         'credentials travel in cleartext to whoever can read the network' % platform.url_option]


# --- redirects, unresolvable hosts -----------------------------------------------------------------

@EACH
def test_a_redirect_fails_saying_where_it_pointed_and_naming_the_url_option(monkeypatch, platform):
    calls = answering(monkeypatch, reply(302, text='<html>moved</html>',
                                         headers={'Location': 'https://login.example.test/sso?ticket=t1ck3t'}))
    result = run_main(monkeypatch, platform.main, platform.with_url('https://api.example.test/base'))
    assert result['failed'] is True
    assert ("redirected to https://login.example.test/sso; redirects are not followed: check the option '%s'"
            % platform.url_option) in result['msg']
    assert result['error']['status'] == 302
    assert len(calls) == 1 and calls[0]['allow_redirects'] is False
    assert 't1ck3t' not in str(result) and SECRET not in str(result)


@EACH
def test_a_host_that_does_not_resolve_says_so(monkeypatch, platform):
    calls = answering(monkeypatch, name_resolution_error('https://nowhere.invalid/base'))
    result = run_main(monkeypatch, platform.main, platform.with_url('https://nowhere.invalid/base'))
    assert result['failed'] is True
    assert "could not resolve host nowhere.invalid: check the option '%s'" % platform.url_option in result['msg']
    assert len(calls) == 1  # a typo is not retried for minutes


# --- bounds, CA file -------------------------------------------------------------------------------

@EACH
@pytest.mark.parametrize('extra, message', [
    (dict(timeout=1e300), 'timeout must be a positive number of seconds, at most 3600, got 1e+300'),
    (dict(timeout='nan'), 'timeout must be a positive number of seconds, at most 3600, got nan'),
    (dict(timeout='inf'), 'timeout must be a positive number of seconds, at most 3600, got inf'),
    (dict(timeout=-1), 'timeout must be a positive number of seconds, at most 3600, got -1.0'),
    (dict(retry_timeout=1e300), 'retry_timeout must be a number of seconds from 0 to 86400, got 1e+300'),
    (dict(ca_path='/nonexistent/ca.pem'), 'ca_path /nonexistent/ca.pem does not exist'),
], ids=['timeout-1e300', 'timeout-nan', 'timeout-inf', 'timeout-negative', 'retry_timeout-1e300', 'ca_path-missing'])
def test_impossible_connection_options_fail_before_any_request(monkeypatch, platform, extra, message):
    attempted = no_http(monkeypatch)
    result = run_main(monkeypatch, platform.main, platform.with_url('https://api.example.test/base', **extra))
    assert result['failed'] is True and result['msg'].startswith(message)
    assert attempted == []


# --- environment fallbacks ----------------------------------------------------------------------

@EACH
def test_ca_path_falls_back_to_the_platform_environment_variable(monkeypatch, platform):
    monkeypatch.setenv(platform.env_prefix + '_CA_PATH', '/nonexistent/from-env.pem')
    attempted = no_http(monkeypatch)
    result = run_main(monkeypatch, platform.main, platform.with_url('https://api.example.test/base'))
    assert result['msg'].startswith('ca_path /nonexistent/from-env.pem does not exist')
    assert attempted == []


@EACH
def test_the_ca_path_option_wins_over_the_environment(monkeypatch, platform, tmp_path):
    ca = tmp_path / 'ca.pem'
    ca.write_text('-----BEGIN CERTIFICATE-----\n')
    monkeypatch.setenv(platform.env_prefix + '_CA_PATH', '/nonexistent/from-env.pem')
    calls = answering(monkeypatch, connection_refused_error('https://api.example.test/base'))
    run_main(monkeypatch, platform.main, platform.with_url('https://api.example.test/base', ca_path=str(ca), retry_timeout=0))
    assert [c['verify'] for c in calls] == [str(ca)]


@EACH
@pytest.mark.parametrize('value, verify', [('false', False), ('no', False), ('true', True)])
def test_validate_certs_falls_back_to_the_platform_environment_variable(monkeypatch, platform, value, verify):
    monkeypatch.setenv(platform.env_prefix + '_VALIDATE_CERTS', value)
    calls = answering(monkeypatch, connection_refused_error('https://api.example.test/base'))
    run_main(monkeypatch, platform.main, platform.with_url('https://api.example.test/base', retry_timeout=0))
    assert [c['verify'] for c in calls] == [verify]


@EACH
def test_another_platforms_variables_are_ignored(monkeypatch, platform):
    for other in PLATFORMS:
        if other is not platform:
            monkeypatch.setenv(other.env_prefix + '_CA_PATH', '/nonexistent/other.pem')
            monkeypatch.setenv(other.env_prefix + '_VALIDATE_CERTS', 'false')
    calls = answering(monkeypatch, connection_refused_error('https://api.example.test/base'))
    run_main(monkeypatch, platform.main, platform.with_url('https://api.example.test/base', retry_timeout=0))
    assert [c['verify'] for c in calls] == [True]
