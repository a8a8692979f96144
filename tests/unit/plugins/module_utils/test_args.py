# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_args: the common option specs and their mapping onto HttpClient."""

from ansible_collections.saasops.backup.plugins.module_utils._args import (
    client_options,
    connection_argument_spec,
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
        'retries': {'type': 'int', 'default': 3},
    }


def test_wait_spec():
    assert wait_argument_spec() == {'wait': {'type': 'bool', 'default': True}, 'wait_timeout': {'type': 'int', 'default': 1800}}
    assert wait_argument_spec(60)['wait_timeout']['default'] == 60


def test_client_options_feed_http_client():
    params = {'validate_certs': True, 'ca_path': '/etc/ca.pem', 'timeout': 12.5, 'retries': 5, 'url': 'ignored'}
    options = client_options(params)
    assert options == {'validate_certs': True, 'ca_path': '/etc/ca.pem', 'timeout': 12.5, 'retries': 5}
    client = HttpClient('Vendor', 'https://api.example.test', session=ScriptedSession([]), **options)
    assert (client.verify, client.timeout, client.retries) == ('/etc/ca.pem', 12.5, 5)
