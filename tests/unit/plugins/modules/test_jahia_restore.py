# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""jahia_restore through main() against the emulator: input checked before any request,
production refused after reading only, every field of the restore point sent once."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import jahia_restore as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

POINT = {'backup_name': 'production-acme', 'timestamp': '2026-11-21T02:00:00', 'backup_type': 'manual',
         'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'prod', 'environment': 'production'}
# The backup POINT names, as the platform holds it.
SEEDED = {'organization': 'acme', 'environment': 'production', 'backupName': 'production-acme',
          'timestamp': '2026-11-21T02:00:00', 'backupType': 'manual'}


@pytest.fixture
def env(emu, monkeypatch):
    emu.seed({'jahia': {'backups': [SEEDED]}})
    return Emulated(emu, monkeypatch)


def run(env, check_mode=False, **args):
    """main() restoring POINT into 'staging', with ``args`` over that (an argument given as None is left out)."""
    return env.run(mod, args, check_mode=check_mode, defaults=dict(environment='staging', backup=dict(POINT)))


def app_id(emu, environment='staging'):
    org = next(o for o in emu.state('jahia')['organizations'] if o['name'] == 'acme')
    return next(e['appid'] for e in org['environments'] if e['name'] == environment)


def actions(emu):
    return [r['path'].rsplit('/', 1)[1] for r in emu.requests()]


def test_restore_sends_every_field_of_the_restore_point_to_the_target(env, emu):
    result = run(env)
    assert result['failed'] is False and result['changed'] is True
    assert actions(emu) == ['getContext.do', 'restoreBackup.do']
    assert emu.requests()[1]['form'] == dict((key, [value]) for key, value in {
        'orgName': 'acme', 'envName': 'staging-acme', 'targetAppid': app_id(emu), 'backupName': 'production-acme',
        'timestamp': '2026-11-21T02:00:00', 'backupType': 'manual', 'cloudProvider': 'aws', 'region': 'eu-west-1',
        'envRole': 'prod'}.items())
    assert result['restore'] == {'environment': 'staging', 'short_domain': 'staging-acme', 'app_id': app_id(emu),
                                 'backup': POINT}
    assert result['environment']['name'] == 'staging' and 'context' not in result['environment']
    assert env.connection('jahia')['api_token'] not in repr(result)
    emu.advance_clock(5)
    restores = emu.state('jahia')['restores']
    assert len(restores) == 1 and restores[0]['status'] == 'completed' and restores[0]['shortDomain'] == 'staging-acme'


def test_check_mode_validates_and_reads_but_triggers_nothing(env, emu):
    result = run(env, check_mode=True)
    assert result['failed'] is False and result['changed'] is True and result['restore']['backup'] == POINT
    assert actions(emu) == ['getContext.do']
    assert emu.state('jahia')['restores'] == []


def test_single_options_work_like_the_dict_and_auto_is_sent_as_scheduled(env, emu):
    result = run(env, backup=None, backup_name='staging-acme-scheduled', timestamp='2026-11-21T02:00:00', backup_type='auto',
                 cloud_provider='ovh', region='gra', env_role='preprod')
    assert result['failed'] is False
    form = emu.requests()[1]['form']
    assert (form['backupName'], form['backupType'], form['cloudProvider'], form['region'], form['envRole']) == \
        (['staging-acme-scheduled'], ['scheduled'], ['ovh'], ['gra'], ['preprod'])
    assert result['restore']['backup']['environment'] is None


@pytest.mark.parametrize('args, message', [
    (dict(environment='Staging'), "environment 'Staging' is not a valid"),
    (dict(environment='x' * 21), 'not a valid Jahia Cloud environment name'),
    (dict(app_id=''), 'app_id'),
    (dict(backup=dict(POINT, timestamp='2026-11-21 02:00')), 'backup.timestamp'),
    (dict(backup=dict(POINT, timestamp='2026-11-31T02:00:00')), 'backup.timestamp'),
    (dict(backup=dict(POINT, cloud_provider='gcp')), "backup.cloud_provider 'gcp' must be one of aws, ovh"),
    (dict(backup=dict(POINT, env_role='qa')), "backup.env_role 'qa' must be one of dev, prod, preprod"),
    (dict(backup=dict(POINT, backup_type='weekly')), 'backup.backup_type'),
    (dict(backup=dict(POINT, region=None)), 'backup.region is required'),
    (dict(backup=dict(POINT, environment='PRODUCTION')), 'backup.environment'),
    (dict(backup=dict(POINT, backup_type=None, cloud_provider=None)), 'backup.cloud_provider is required'),
    (dict(backup=None, backup_name='x', timestamp='2026-11-21T02:00:00'), 'cloud_provider is required'),
])
def test_bad_input_fails_before_any_request(env, emu, args, message):
    result = run(env, **args)
    assert result['failed'] is True and message in result['msg']
    assert emu.requests() == []


@pytest.mark.parametrize('args, message', [
    (dict(timestamp='2026-11-21T02:00:00'), 'parameters are mutually exclusive: backup|timestamp'),
    (dict(backup=None), 'one of the following is required: backup, backup_name'),
    (dict(backup=None, backup_name='x', cloud_provider='gcp'), 'cloud_provider'),
    (dict(backup=None, backup_name='x', env_role='qa'), 'env_role'),
    (dict(backup=None, backup_name='x', backup_type='weekly'), 'backup_type'),
    (dict(backup=dict(POINT, size='big')), 'backup.size'),
    (dict(environment=None), 'missing required arguments: environment'),
])
def test_the_argument_spec_refuses_before_any_request(env, emu, args, message):
    result = run(env, **args)
    assert result['failed'] is True and message in result['msg']
    assert emu.requests() == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_production_target_is_refused_after_reading_only(env, emu, check_mode):
    result = run(env, check_mode=check_mode, environment='production')
    assert result['failed'] is True
    assert "environment 'production' has role 'prod'; set allow_production: true" in result['msg']
    assert "refusing to restore backup 'production-acme' of 2026-11-21T02:00:00 into environment 'production'" in result['msg']
    assert actions(emu) == ['getContext.do']


def test_a_target_of_unknown_role_is_refused(env, emu):
    emu.configure({'jahia': {'context_placement': False}})
    result = run(env)
    assert result['failed'] is True and 'did not report the role' in result['msg']
    assert actions(emu) == ['getContext.do']


def test_allow_production_restores_into_production(env, emu):
    result = run(env, environment='production', allow_production=True)
    assert result['failed'] is False and result['changed'] is True
    assert emu.requests()[1]['form']['envName'] == ['production-acme']


def test_a_refused_restore_fails_with_the_vendor_code_and_message(env, emu):
    emu.configure({'jahia': {'restore_seconds': 600.0}})
    assert run(env)['failed'] is False
    result = run(env)  # the first restore still runs
    assert result['failed'] is True and result['error']['code'] == 1
    assert ("failed to restore backup 'production-acme' of 2026-11-21T02:00:00 into environment 'staging' in "
            "organization 'acme'") in result['msg']
    assert 'already in progress' in result['msg']
    assert len(emu.state('jahia')['restores']) == 1


@pytest.mark.parametrize('fault', [dict(action='drop_after'), dict(action='status', status=504)])
def test_a_lost_answer_is_reported_and_never_re_sent(env, emu, fault):
    emu.add_fault(path=r'/restoreBackup\.do$', **fault)
    result = run(env, retries=3)
    assert result['failed'] is True
    assert 'a restore may have started' in result['msg'] and 'Check the environment in the Jahia Cloud console' in result['msg']
    assert actions(emu) == ['getContext.do', 'restoreBackup.do']


@pytest.mark.parametrize('mode, status', [('redirect', 302), ('login_page', 200)])
@pytest.mark.parametrize('check_mode', [False, True])
def test_a_token_sent_to_the_login_page_fails_before_any_restore(env, emu, mode, status, check_mode):
    emu.configure({'jahia': {'unauthenticated_answer': mode}})
    result = run(env, api_token='wrong-token', check_mode=check_mode)
    assert result['failed'] is True and result['error']['status'] == status
    assert "the API token is missing, wrong or expired: check the option 'api_token'" in result['msg']
    assert 'wrong-token' not in repr(result) and '<' not in result['msg']
    assert not [session for session in emu.state('jahia')['issued_tokens'] if session in repr(result)]
    assert actions(emu) == ['getContext.do']
    assert env.mutations() == [] and emu.state('jahia')['restores'] == []
