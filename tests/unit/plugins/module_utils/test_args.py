# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_args: the common option specs and their mapping onto HttpClient."""

import pytest

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._args import (
    client_options,
    connection_argument_spec,
    url_option,
    wait_argument_spec,
)
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import ScriptedSession


def test_connection_spec_defaults():
    spec = connection_argument_spec()
    assert spec == {
        'validate_certs': {'type': 'bool', 'default': True},
        'ca_path': {'type': 'path'},
        'timeout': {'type': 'float', 'default': 30.0},
        'retries': {'type': 'int'},
        'retry_timeout': {'type': 'float', 'default': 300.0},
        'allow_insecure_http': {'type': 'bool', 'default': False},
    }


def test_connection_spec_env_fallbacks():
    spec = connection_argument_spec('ARCGIS')
    assert spec['ca_path']['fallback'] == (env_fallback, ['ARCGIS_CA_PATH'])
    assert spec['validate_certs']['fallback'] == (env_fallback, ['ARCGIS_VALIDATE_CERTS'])
    # never from the environment: the security opt-in and the limits
    assert all('fallback' not in spec[o] for o in ('allow_insecure_http', 'timeout', 'retries', 'retry_timeout'))
    # each call builds its own dicts: one platform's fallbacks never leak into another's spec
    assert 'fallback' not in connection_argument_spec()['ca_path']


def test_wait_spec():
    assert wait_argument_spec() == {'wait': {'type': 'bool', 'default': True}, 'wait_timeout': {'type': 'int', 'default': 1800}}
    assert wait_argument_spec(60)['wait_timeout']['default'] == 60


@pytest.mark.parametrize('params, option', [({'url': 'x'}, 'url'), ({'api_url': 'x'}, 'api_url'), ({}, 'api_url')])
def test_url_option(params, option):
    assert url_option(params) == option


def test_client_options_feed_http_client():
    params = {'validate_certs': True, 'ca_path': '/etc/ca.pem', 'timeout': 12.5, 'retries': 5, 'retry_timeout': 60.0,
              'allow_insecure_http': False, 'url': 'ignored'}
    options = client_options(params)
    assert options == {'validate_certs': True, 'ca_path': '/etc/ca.pem', 'timeout': 12.5, 'retries': 5,
                       'retry_timeout': 60.0, 'allow_insecure_http': False, 'url_option': 'url'}
    client = HttpClient('Vendor', 'https://api.example.test', session=ScriptedSession([]), **options)
    assert (client.verify, client.timeout, client.retries, client.retry_timeout) == ('/etc/ca.pem', 12.5, 5, 60.0)
    assert client.url_option == 'url'


def test_client_options_from_older_parameter_sets():
    # parameters without the newer options (unit tests of the platforms build such dicts) get the defaults
    options = client_options({'validate_certs': False, 'ca_path': None, 'timeout': 30.0, 'api_url': 'x'})
    client = HttpClient('Vendor', 'https://api.example.test', session=ScriptedSession([]), **options)
    assert (client.verify, client.retries, client.retry_timeout, client.url_option) == (False, None, 300.0, 'api_url')
