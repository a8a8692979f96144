# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""jahia_environment_info: one getContext, the summary and the raw context, nothing changed."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.modules import jahia_environment_info as mod
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import reply
from ansible_collections.saasops.backup.tests.unit.plugins.modules.jahia_fake import APP_ID, CONTEXT_URL, context, jahia, sent_form


@pytest.mark.parametrize('check_mode', [False, True])
def test_reads_the_context_of_the_environment(check_mode):
    api, module = jahia([('POST', CONTEXT_URL, context())], check_mode=check_mode, environment='staging')
    result = mod.read(module, api)
    assert result['changed'] is False
    env = result['environment']
    assert (env['app_id'], env['short_domain'], env['cloud_provider'], env['region'], env['env_role'], env['product_version']) == \
        (APP_ID, 'staging-acme', 'aws', 'eu-west-1', 'dev', 'dx_8-2-3-0')
    assert env['context']['environment']['envName'] == 'staging' and env['context']['organisationId'] == 94
    assert sent_form(api.http.session.calls[0]) == {'orgName': 'acme', 'envName': 'staging-acme'}


def test_a_context_without_app_id_is_returned_not_refused():
    api, module = jahia([('POST', CONTEXT_URL, context(app_id=None, provider=None))], environment='staging')
    env = mod.read(module, api)['environment']
    assert env['app_id'] is None and env['cloud_provider'] is None


def test_an_unknown_environment_reports_the_vendor_code():
    unknown = reply(200, json={'jcResponse': 3, 'message': 'Environment nope-acme not found in organization acme'})
    api, module = jahia([('POST', CONTEXT_URL, unknown)], environment='nope')
    with pytest.raises(PlatformError) as info:
        mod.read(module, api)
    assert info.value.code == 3 and "read the context of environment 'nope'" in str(info.value)


def test_a_short_domain_given_as_environment_is_refused_before_any_request():
    api, module = jahia([], environment='staging_acme')
    with pytest.raises(InputError, match='the bare name'):
        mod.read(module, api)
