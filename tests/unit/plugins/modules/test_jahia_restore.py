# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of jahia_restore: input checked before any request, production refused, fields sent."""

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.modules import jahia_restore as mod
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import read_timeout_error, reply
from ansible_collections.saasops.backup.tests.unit.plugins.modules.jahia_fake import (
    ACCEPTED, APP_ID, CONTEXT_URL, RESTORE_URL, TOKEN, context, jahia, sent_form)

POINT = {'backup_name': 'production-acme', 'timestamp': '2026-11-21T02:00:00', 'backup_type': 'manual',
         'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'prod', 'environment': 'production'}
SINGLE = dict.fromkeys(('backup_name', 'timestamp', 'backup_type', 'cloud_provider', 'region', 'env_role'))


def params(**overrides):
    base = dict(environment='staging', app_id=None, allow_production=False, backup=dict(POINT), **SINGLE)
    base.update(overrides)
    return base


def run(script, check_mode=False, **overrides):
    api, module = jahia(script, check_mode=check_mode, **params(**overrides))
    return mod.restore(module, api), api, module


def test_restore_sends_every_field_of_the_restore_point_to_the_target():
    result, api, dummy = run([('POST', CONTEXT_URL, context()), ('POST', RESTORE_URL, ACCEPTED)])
    assert result['changed'] is True
    assert sent_form(api.http.session.calls[1]) == {
        'orgName': 'acme', 'envName': 'staging-acme', 'targetAppid': APP_ID, 'backupName': 'production-acme',
        'timestamp': '2026-11-21T02:00:00', 'backupType': 'manual', 'cloudProvider': 'aws', 'region': 'eu-west-1',
        'envRole': 'prod'}
    # The colons of the timestamp travel URL-encoded in the form body.
    assert 'timestamp=2026-11-21T02%3A00%3A00' in api.http.session.calls[1].data
    assert result['restore'] == {'environment': 'staging', 'short_domain': 'staging-acme', 'app_id': APP_ID, 'backup': POINT}
    assert TOKEN not in repr(result)


def test_check_mode_validates_and_reads_but_triggers_nothing():
    result, api, dummy = run([('POST', CONTEXT_URL, context())], check_mode=True)
    assert result['changed'] is True and result['restore']['backup'] == POINT
    assert len(api.http.session.calls) == 1


def test_single_options_work_like_the_dict_and_auto_is_sent_as_scheduled():
    single = dict(backup=None, backup_name='staging-acme-scheduled', timestamp='2026-11-21T02:00:00', backup_type='auto',
                  cloud_provider='ovh', region='gra', env_role='preprod')
    result, api, dummy = run([('POST', CONTEXT_URL, context()), ('POST', RESTORE_URL, ACCEPTED)], **single)
    form = sent_form(api.http.session.calls[1])
    assert (form['backupName'], form['backupType'], form['cloudProvider'], form['region'], form['envRole']) == \
        ('staging-acme-scheduled', 'scheduled', 'ovh', 'gra', 'preprod')
    assert result['restore']['backup']['environment'] is None


@pytest.mark.parametrize('overrides, message', [
    (dict(environment='Staging'), "environment 'Staging' is not a valid"),
    (dict(environment='x' * 21), 'not a valid Jahia Cloud environment name'),
    (dict(app_id=''), 'app_id'),
    (dict(backup=dict(POINT, timestamp='2026-11-21 02:00')), 'backup.timestamp'),
    (dict(backup=dict(POINT, timestamp='2026-11-31T02:00:00')), 'backup.timestamp'),
    (dict(backup=dict(POINT, cloud_provider='gcp')), 'backup.cloud_provider'),
    (dict(backup=dict(POINT, env_role='qa')), 'backup.env_role'),
    (dict(backup=dict(POINT, backup_type='weekly')), 'backup.backup_type'),
    (dict(backup=dict(POINT, region=None)), 'backup.region is required'),
    (dict(backup=dict(POINT, environment='PRODUCTION')), 'backup.environment'),
    (dict(backup=None, backup_name='x', timestamp='2026-11-21T02:00:00'), 'cloud_provider is required'),
])
def test_bad_input_fails_before_any_request(overrides, message):
    with pytest.raises(InputError, match=message):
        run([], **overrides)


def test_a_production_target_is_refused_after_reading_only():
    with pytest.raises(InputError, match="environment 'production' has role 'prod'; set allow_production: true"):
        run([('POST', CONTEXT_URL, context('production', role='prod'))], environment='production')


def test_a_production_target_is_refused_in_check_mode_too():
    with pytest.raises(InputError, match='allow_production'):
        run([('POST', CONTEXT_URL, context('production', role='prod'))], check_mode=True, environment='production')


def test_a_target_of_unknown_role_is_refused():
    with pytest.raises(InputError, match='did not report the role'):
        run([('POST', CONTEXT_URL, context(role=None))])


def test_allow_production_restores_into_production():
    result, api, dummy = run([('POST', CONTEXT_URL, context('production', role='prod')), ('POST', RESTORE_URL, ACCEPTED)],
                             environment='production', allow_production=True)
    assert result['changed'] is True and sent_form(api.http.session.calls[1])['envName'] == 'production-acme'


def test_a_refused_restore_fails_with_the_vendor_code_and_message():
    busy = reply(200, json={'jcResponse': 1, 'message': 'A backup is already in progress on environment staging-acme'})
    with pytest.raises(PlatformError) as info:
        run([('POST', CONTEXT_URL, context()), ('POST', RESTORE_URL, busy)])
    assert info.value.code == 1
    assert "failed to restore backup 'production-acme' of 2026-11-21T02:00:00 into environment 'staging'" in str(info.value)


def test_a_lost_answer_is_reported_and_never_re_sent():
    with pytest.raises(PlatformError, match='a restore may have started'):
        run([('POST', CONTEXT_URL, context()), ('POST', RESTORE_URL, read_timeout_error('https://jahia.example.test'))],
            retries=3)


def validate_args(**args):
    base = dict(api_token=TOKEN, organization='acme', environment='staging')
    base.update(args)
    validator = ArgumentSpecValidator(mod.argument_spec(), mutually_exclusive=mod.MUTUALLY_EXCLUSIVE,
                                      required_one_of=mod.REQUIRED_ONE_OF)
    return validator.validate(base)


def test_the_backup_dict_and_single_options_are_mutually_exclusive():
    result = validate_args(backup=dict(POINT), timestamp='2026-11-21T02:00:00')
    assert any('mutually exclusive' in m for m in result.error_messages)


def test_one_of_backup_and_backup_name_is_required():
    result = validate_args()
    assert any('one of the following is required: backup, backup_name' in m for m in result.error_messages)


def test_the_backup_dict_accepts_nulls_so_that_the_module_names_the_missing_field():
    result = validate_args(backup=dict(POINT, backup_type=None, cloud_provider=None))
    assert result.error_messages == []
    assert result.validated_parameters['backup']['cloud_provider'] is None
    with pytest.raises(InputError, match=r'backup\.cloud_provider is required'):
        run([], backup=result.validated_parameters['backup'])


@pytest.mark.parametrize('option, value', [('cloud_provider', 'gcp'), ('env_role', 'qa'), ('backup_type', 'weekly')])
def test_choices_are_enforced_by_the_argument_spec(option, value):
    result = validate_args(backup_name='x', **{option: value})
    assert any(option in m for m in result.error_messages)
