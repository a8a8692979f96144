# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of jahia_backup: always changed, check mode sends nothing, the predicted restore point."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.modules import jahia_backup as mod
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import connection_reset_error, reply
from ansible_collections.saasops.backup.tests.unit.plugins.modules.jahia_fake import (
    ACCEPTED, APP_ID, BACKUP_URL, CONTEXT_URL, NOW, context, jahia, sent_form)

POINT = {'backup_name': 'staging-acme', 'timestamp': '2026-11-22T10:05:00', 'backup_type': 'manual',
         'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'dev', 'environment': 'staging'}


def run(script, check_mode=False, clock=None, **params):
    api, module = jahia(script, check_mode=check_mode, clock=clock, **dict(dict(environment='staging', app_id=None), **params))
    return mod.backup(module, api), api, module


def test_a_backup_is_triggered_once_with_the_short_domain_and_the_discovered_app_id():
    result, api, module = run([('POST', CONTEXT_URL, context()), ('POST', BACKUP_URL, ACCEPTED)])
    assert result['changed'] is True
    assert result['backup'] == POINT
    assert result['environment']['app_id'] == APP_ID and 'context' not in result['environment']
    backup_call = api.http.session.calls[1]
    assert sent_form(backup_call) == {'orgName': 'acme', 'envName': 'staging-acme', 'targetAppid': APP_ID}
    assert module.warnings == []


def test_check_mode_reads_the_context_and_triggers_nothing():
    result, api, dummy = run([('POST', CONTEXT_URL, context())], check_mode=True)
    assert result['changed'] is True
    assert result['backup'] == POINT
    assert [c.url.rsplit('/', 1)[1] for c in api.http.session.calls] == ['getContext.do']


def test_a_given_app_id_is_sent_when_the_context_has_none():
    result, api, dummy = run([('POST', CONTEXT_URL, context(app_id=None)), ('POST', BACKUP_URL, ACCEPTED)], app_id='a1b2c3')
    assert sent_form(api.http.session.calls[1])['targetAppid'] == 'a1b2c3'
    assert result['changed'] is True


def test_a_context_without_placement_warns_and_leaves_gaps():
    result, dummy, module = run([('POST', CONTEXT_URL, context(provider=None, region=None, role=None)),
                                 ('POST', BACKUP_URL, ACCEPTED)])
    assert (result['backup']['cloud_provider'], result['backup']['region'], result['backup']['env_role']) == (None, None, None)
    assert len(module.warnings) == 1
    assert 'cloud_provider, region, env_role' in module.warnings[0] and 'jahia_restore will need them' in module.warnings[0]


def test_a_trigger_across_a_minute_boundary_warns_about_the_other_minute():
    times = iter([NOW + 29.5, NOW + 30.5])  # 10:05:59.5 then 10:06:00.5
    result, dummy, module = run([('POST', CONTEXT_URL, context()), ('POST', BACKUP_URL, ACCEPTED)], clock=lambda: next(times))
    assert result['backup']['timestamp'] == '2026-11-22T10:05:00'
    assert module.warnings == ['Jahia Cloud: the backup was triggered across a minute boundary; its timestamp may be '
                               '2026-11-22T10:06:00 instead of the predicted 2026-11-22T10:05:00']


def test_a_busy_environment_fails_with_the_vendor_code():
    busy = reply(200, json={'jcResponse': 1, 'message': 'A backup is already in progress on environment staging-acme'})
    with pytest.raises(PlatformError) as info:
        run([('POST', CONTEXT_URL, context()), ('POST', BACKUP_URL, busy)])
    assert info.value.code == 1
    assert "failed to back up environment 'staging' in organization 'acme'" in str(info.value)
    assert 'already in progress' in str(info.value)


def test_a_lost_answer_is_reported_and_never_re_sent():
    with pytest.raises(PlatformError) as info:
        run([('POST', CONTEXT_URL, context()), ('POST', BACKUP_URL, connection_reset_error())], retries=3)
    assert 'a backup may have started' in str(info.value)


@pytest.mark.parametrize('params, message', [
    (dict(environment='Staging'), "environment 'Staging' is not a valid Jahia Cloud environment name"),
    (dict(environment='staging-acme-with-too-long'), 'not a valid Jahia Cloud environment name'),
    (dict(app_id='has space'), 'app_id'),
])
def test_bad_input_fails_before_any_request(params, message):
    with pytest.raises(InputError, match=message):
        run([], **params)


def test_an_app_id_contradicting_the_context_fails_before_the_backup():
    with pytest.raises(InputError, match='is not the app id'):
        run([('POST', CONTEXT_URL, context())], app_id='0' * 34)


def test_a_production_environment_is_backed_up_without_allow_production():
    result, dummy, dummy = run([('POST', CONTEXT_URL, context('production', role='prod')), ('POST', BACKUP_URL, ACCEPTED)],
                               environment='production')
    assert result['backup']['env_role'] == 'prod' and result['backup']['backup_name'] == 'production-acme'
