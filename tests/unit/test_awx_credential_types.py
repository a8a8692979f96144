# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential types under docs/awx/credential_types/ set what the modules read.

An injector that sets a variable no module reads would leave a job without its credentials and
no error; a secret input not marked ``secret`` would show in AWX's UI and API. So every injected
environment variable must be one that a platform's argument spec reads (``env_fallback``), every
variable the specs read must be injectable, and every option the modules keep secret (``no_log``)
must come from secret inputs. Then the injectors are rendered the way AWX renders them
(awx/main/models/credential: a sandboxed Jinja environment over the inputs given, booleans not
given are false, ``tower.filename.<name>`` for file injectors) and the environment they make is
read by the platform's own argument spec, as a module would read it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from jinja2 import Environment, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.saasops.backup.plugins.module_utils._arcgis import arcgis_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import atlassian_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._jahia import jahia_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._mendix import mendix_argument_spec

ROOT = Path(__file__).resolve().parents[2]
TYPES_DIR = ROOT / 'docs' / 'awx' / 'credential_types'
SPECS = {'arcgis': arcgis_argument_spec, 'atlassian': atlassian_argument_spec, 'jahia': jahia_argument_spec,
         'mendix': mendix_argument_spec}
# AWX accepts these keys in a field (awx/main/fields.py, CredentialTypeInputField) and these kinds for
# a custom credential type.
FIELD_KEYS = {'id', 'label', 'type', 'help_text', 'secret', 'multiline', 'format', 'choices', 'default', 'ask_at_runtime'}
CUSTOM_KINDS = ('cloud', 'net')
# The one secret with no environment variable (not a connection option): ArcGIS's backup passcode,
# injected as an extra variable that the inventory hands on in saasops_connection.passcode.
EXTRA_VARS = {'arcgis': {'saasops_arcgis_passcode': 'passcode'}}
# Options the modules need that are not connection options of the credential (they name the environment).
PARSE = Environment()


def credential_type(platform):
    with open(TYPES_DIR / ('%s.yml' % platform), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def env_fallbacks(platform):
    """{environment variable: (option, option spec)} for every variable the platform's spec falls back to."""
    found = {}
    for option, spec in SPECS[platform]().items():
        fallback = spec.get('fallback')
        if fallback:
            for name in fallback[1]:
                found[name] = (option, spec)
    return found


def referenced(template):
    """The input fields a template reads (``tower`` is AWX's own namespace)."""
    return meta.find_undeclared_variables(PARSE.parse(template)) - {'tower'}


def fields(platform):
    return {field['id']: field for field in credential_type(platform)['inputs']['fields']}


class TowerNamespace:  # pylint: disable=too-few-public-methods
    """AWX's ``tower`` template namespace: ``tower.filename.<label>`` for each file injector."""


def render(platform, inputs, tmp_path):
    """(env, extra_vars, files) as AWX's CredentialType.inject_credential makes them from ``inputs``."""
    ctype = credential_type(platform)
    sandbox = ImmutableSandboxedEnvironment()
    namespace = {'tower': TowerNamespace()}
    for name, value in inputs.items():
        # Empty strings are left out of the namespace, booleans never are.
        if isinstance(value, bool) or len(value):
            namespace[name] = value
    for field in ctype['inputs']['fields']:
        if field['type'] == 'boolean' and field['id'] not in inputs:
            namespace[field['id']] = False
    files = {}
    filenames = TowerNamespace()
    for label, template in ctype['injectors'].get('file', {}).items():
        path = tmp_path / label
        path.write_text(sandbox.from_string(template).render(**namespace), encoding='utf-8')
        setattr(filenames, label.split('.', 1)[1], str(path))
        files[label] = path
    namespace['tower'].filename = filenames
    env = {name: sandbox.from_string(template).render(**namespace) for name, template in ctype['injectors']['env'].items()}
    extra_vars = {name: sandbox.from_string(template).render(**namespace)
                  for name, template in ctype['injectors'].get('extra_vars', {}).items()}
    return env, extra_vars, files


def module_params(platform, env, monkeypatch, given=None):
    """What the platform's argument spec makes of ``given`` options with ``env`` as the job's environment."""
    for name in env_fallbacks(platform):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = SPECS[platform]()
    parameters = dict(given or {})
    # The options that name the environment are the inventory's, never the credential's.
    for option, option_spec in spec.items():
        if option_spec.get('required') and option not in parameters and not option_spec.get('fallback'):
            parameters[option] = 'x'
    result = ArgumentSpecValidator(spec).validate(parameters)
    assert result.error_messages == []
    return result.validated_parameters, result._no_log_values  # pylint: disable=protected-access


def test_there_is_one_credential_type_per_platform():
    assert sorted(path.stem for path in TYPES_DIR.glob('*.yml')) == sorted(SPECS)


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_the_credential_type_is_an_awx_custom_type(platform):
    ctype = credential_type(platform)
    assert set(ctype) == {'name', 'description', 'kind', 'inputs', 'injectors'}
    assert ctype['name'].startswith('saasops.backup ')
    assert ctype['kind'] in CUSTOM_KINDS
    ids = [field['id'] for field in ctype['inputs']['fields']]
    assert len(ids) == len(set(ids))
    for field in ctype['inputs']['fields']:
        assert set(field) <= FIELD_KEYS, field['id']
        assert field['type'] in ('string', 'boolean'), field['id']
        assert field.get('label') and field.get('help_text'), field['id']
    assert set(ctype['inputs'].get('required', [])) <= set(ids)
    assert set(ctype['injectors']) <= {'env', 'file', 'extra_vars'}


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_every_injected_variable_is_one_the_modules_read(platform):
    injected = set(credential_type(platform)['injectors']['env'])
    assert injected - set(env_fallbacks(platform)) == set()


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_every_variable_the_modules_read_is_injected(platform):
    injected = set(credential_type(platform)['injectors']['env'])
    assert set(env_fallbacks(platform)) - injected == set()


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_secret_options_come_only_from_secret_inputs(platform):
    ctype = credential_type(platform)
    by_id = fields(platform)
    reads = env_fallbacks(platform)
    secret_inputs = {name for name, field in by_id.items() if field.get('secret')}
    used_secretly = set()
    for name, template in ctype['injectors']['env'].items():
        option, spec = reads[name]
        used = referenced(template)
        assert used <= set(by_id), (name, used - set(by_id))
        if spec.get('no_log'):
            assert used and used <= secret_inputs, '%s (option %s, no_log) must come from secret inputs' % (name, option)
            used_secretly |= used
        else:
            assert not used & secret_inputs, '%s (option %s) is not no_log but reads a secret input' % (name, option)
    for name, template in ctype['injectors'].get('extra_vars', {}).items():
        assert EXTRA_VARS.get(platform, {}).get(name) in referenced(template), name
        used_secretly |= referenced(template)
    for label, template in ctype['injectors'].get('file', {}).items():
        assert not referenced(template) & secret_inputs, label
    # Every secret input reaches an option the modules keep secret, and nothing else.
    assert used_secretly == secret_inputs
    # The options the modules keep secret and read from the environment all have a secret input.
    secret_vars = {name for name, (option, spec) in reads.items() if spec.get('no_log')}
    assert secret_vars <= set(ctype['injectors']['env'])


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_every_input_is_injected(platform):
    ctype = credential_type(platform)
    used = set()
    for kind in ('env', 'file', 'extra_vars'):
        for template in ctype['injectors'].get(kind, {}).values():
            used |= referenced(template)
    assert used == set(fields(platform))


# Inputs of a credential as a user fills them in: required ones only, and everything.
MINIMAL = {
    'arcgis': {'url': 'https://gis.example.com/arcgis', 'username': 'dr-admin', 'password': 'Pa55-word-1'},
    'jahia': {'api_token': 'jahia-token-1'},
    'atlassian': {'org_id': 'org-1', 'user': 'admin@example.com', 'api_token': 'atl-token-1'},
    'mendix': {'username': 'bot@example.com', 'api_key': 'mx-key-1'},
}
FULL = {
    'arcgis': dict(MINIMAL['arcgis'], token='arcgis-token-1', passcode='Backup-Passcode-1',
                   ca_cert='-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', skip_tls_verify=True),
    'jahia': dict(MINIMAL['jahia'], organization='acme', api_url='https://jahia.test',
                  ca_cert='-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', skip_tls_verify=True),
    'atlassian': dict(MINIMAL['atlassian'], api_url='https://atlassian.test/v1',
                      ca_cert='-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', skip_tls_verify=True),
    'mendix': dict(MINIMAL['mendix'], api_url='https://mendix.test',
                   ca_cert='-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', skip_tls_verify=True),
}


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_required_inputs_alone_give_the_modules_their_defaults(platform, tmp_path, monkeypatch):
    env, dummy, dummy2 = render(platform, MINIMAL[platform], tmp_path)
    params, no_log = module_params(platform, env, monkeypatch)
    defaults = SPECS[platform]()
    reads = env_fallbacks(platform)
    for name in env:
        option = reads[name][0]
        if option in MINIMAL[platform]:
            assert params[option] == MINIMAL[platform][option], option
        elif 'default' in defaults[option]:
            # An input left empty never replaces a module default with an empty value.
            assert params[option] == defaults[option]['default'], option
        else:
            assert not params[option], option
    # Certificates are verified when nothing says otherwise, against the system's authorities.
    assert params['validate_certs'] is True
    assert not params['ca_path']
    for option, value in MINIMAL[platform].items():
        if defaults.get(option, {}).get('no_log'):
            assert value in no_log


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_every_input_reaches_its_option(platform, tmp_path, monkeypatch):
    inputs = FULL[platform]
    env, extra_vars, files = render(platform, inputs, tmp_path)
    params, no_log = module_params(platform, env, monkeypatch)
    for option, value in inputs.items():
        if option in params and option not in ('ca_path', 'validate_certs'):
            assert params[option] == value, option
    assert params['validate_certs'] is False
    assert Path(params['ca_path']) == files['template.ca_cert']
    assert files['template.ca_cert'].read_text(encoding='utf-8') == inputs['ca_cert']
    for option, spec in SPECS[platform]().items():
        if spec.get('no_log') and option in inputs:
            assert inputs[option] in no_log, option
    assert extra_vars == {name: inputs[field] for name, field in EXTRA_VARS.get(platform, {}).items()}


@pytest.mark.parametrize('platform', sorted(SPECS))
def test_the_inventory_wins_over_the_credential(platform, tmp_path, monkeypatch):
    env, dummy, dummy2 = render(platform, FULL[platform], tmp_path)
    url_option = 'url' if platform == 'arcgis' else 'api_url'
    params, dummy = module_params(platform, env, monkeypatch, {url_option: 'https://other.example.com', 'validate_certs': True})
    assert params[url_option] == 'https://other.example.com'
    assert params['validate_certs'] is True


def test_the_example_inventory_hands_the_passcode_on():
    """The ArcGIS passcode arrives as an extra variable: the AWX example inventory must pass it to the modules."""
    text = (ROOT / 'docs' / 'awx' / 'inventory.yml').read_text(encoding='utf-8')
    for name in EXTRA_VARS['arcgis']:
        assert re.search(r'passcode:\s*"\{\{\s*%s\s*\}\}"' % name, text), name
