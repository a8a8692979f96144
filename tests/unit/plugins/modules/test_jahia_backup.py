# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""jahia_backup through main() against the emulator: always changed, check mode sends nothing,
the predicted restore point is the one the platform records, a lost answer is never re-sent."""

import pytest


from ansible_collections.saasops.backup.plugins.modules import jahia_backup as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

# 2026-11-22T10:05:30Z: the trigger minute is 10:05.
NOW = 1795341930.0
FORM_KEYS = ('backupName', 'timestamp', 'backupType', 'cloudProvider', 'region', 'envRole')


@pytest.fixture
def env(emu, monkeypatch):
    """The emulated platform, with the warnings of the run in ``env.warnings``."""
    return Emulated(emu, monkeypatch)


def run(env, check_mode=False, **args):
    """main() with ``args`` over environment 'staging' (an argument given as None is left out)."""
    return env.run(mod, args, check_mode=check_mode, defaults=dict(environment='staging'))


def app_id(emu, environment='staging'):
    org = next(o for o in emu.state('jahia')['organizations'] if o['name'] == 'acme')
    return next(e['appid'] for e in org['environments'] if e['name'] == environment)


def sent(emu, action):
    return emu.requests(path='/modules/cloudAction/%s.do' % action)


def recorded_point(backup):
    """A backup the emulator recorded, as the restore point jahia_backup returns."""
    return dict(zip(('backup_name', 'timestamp', 'backup_type', 'cloud_provider', 'region', 'env_role'),
                    (backup[key] for key in FORM_KEYS)), environment=backup['environment'])


def test_a_backup_is_triggered_once_with_the_short_domain_and_the_discovered_app_id(env, emu):
    result = run(env)
    assert result['failed'] is False and result['changed'] is True
    assert result['environment']['app_id'] == app_id(emu) and 'context' not in result['environment']
    backups = emu.state('jahia')['backups']
    assert len(backups) == 1 and backups[0]['shortDomain'] == 'staging-acme'
    assert [r['form'] for r in sent(emu, 'backupEnv')] == [
        {'orgName': ['acme'], 'envName': ['staging-acme'], 'targetAppid': [app_id(emu)]}]
    if not env.warnings:  # unless the trigger crossed a minute boundary, the prediction is what the platform recorded
        assert result['backup'] == recorded_point(backups[0])
    assert result['backup']['backup_name'] == 'staging-acme' and result['backup']['backup_type'] == 'manual'


def test_check_mode_reads_the_context_and_triggers_nothing(env, emu):
    result = run(env, check_mode=True)
    assert result['failed'] is False and result['changed'] is True
    assert (result['backup']['backup_name'], result['backup']['cloud_provider'], result['backup']['env_role']) == \
        ('staging-acme', 'aws', 'dev')
    assert [r['path'].rsplit('/', 1)[1] for r in emu.requests()] == ['getContext.do']
    assert emu.state('jahia')['backups'] == []


def test_the_prediction_is_the_trigger_minute_in_utc(env, monkeypatch):
    monkeypatch.setattr(env.clock, 'time', lambda: NOW)
    result = run(env)
    assert result['backup'] == {'backup_name': 'staging-acme', 'timestamp': '2026-11-22T10:05:00', 'backup_type': 'manual',
                                'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'dev', 'environment': 'staging'}
    assert env.warnings == []


def test_a_trigger_across_a_minute_boundary_warns_about_the_other_minute(env, monkeypatch):
    times = iter([NOW + 29.5, NOW + 30.5])  # sent at 10:05:59.5, answered at 10:06:00.5
    monkeypatch.setattr(env.clock, 'time', lambda: next(times))
    result = run(env)
    assert result['backup']['timestamp'] == '2026-11-22T10:05:00'
    assert env.warnings == ['Jahia Cloud: the backup was triggered across a minute boundary; its timestamp may be '
                            '2026-11-22T10:06:00 instead of the predicted 2026-11-22T10:05:00']


def test_a_given_app_id_is_sent_when_the_context_has_none(env, emu):
    emu.configure({'jahia': {'context_app_id_key': 'none'}})
    given = app_id(emu)
    result = run(env, app_id=given)
    assert result['failed'] is False and result['changed'] is True
    assert sent(emu, 'backupEnv')[0]['form']['targetAppid'] == [given]


def test_without_an_app_id_anywhere_the_option_is_asked_for(env, emu):
    emu.configure({'jahia': {'context_app_id_key': 'none'}})
    result = run(env)
    assert result['failed'] is True and 'set the option app_id' in result['msg']
    assert sent(emu, 'backupEnv') == []


@pytest.mark.parametrize('where', ['environment.appId', 'environment.targetAppId', 'appid', 'targetAppid'])
def test_the_app_id_is_found_wherever_the_context_puts_it(env, emu, where):
    emu.configure({'jahia': {'context_app_id_key': where}})
    result = run(env)
    assert result['failed'] is False and result['environment']['app_id'] == app_id(emu)


def test_a_context_without_placement_warns_and_leaves_gaps(env, emu):
    emu.configure({'jahia': {'context_placement': False}})
    result = run(env)
    assert result['failed'] is False
    assert (result['backup']['cloud_provider'], result['backup']['region'], result['backup']['env_role']) == (None, None, None)
    placement = [w for w in env.warnings if 'minute boundary' not in w]
    assert len(placement) == 1
    assert 'cloud_provider, region, env_role' in placement[0] and 'jahia_restore will need them' in placement[0]


def test_a_busy_environment_fails_with_the_vendor_code(env, emu):
    emu.configure({'jahia': {'backup_seconds': 600.0}})
    assert run(env)['failed'] is False
    result = run(env)  # the first backup still runs
    assert result['failed'] is True and result['error']['code'] == 1
    assert "failed to back up environment 'staging' in organization 'acme'" in result['msg']
    assert 'already in progress' in result['msg']
    assert len(emu.state('jahia')['backups']) == 1


@pytest.mark.parametrize('fault', [dict(action='drop_after'), dict(action='status', status=502), dict(action='status', status=504)])
def test_a_lost_answer_is_reported_and_never_re_sent(env, emu, fault):
    emu.add_fault(path=r'/backupEnv\.do$', **fault)
    result = run(env, retries=3)
    assert result['failed'] is True
    assert 'a backup may have started' in result['msg'] and 'not sent again' in result['msg']
    assert 'Check the environment in the Jahia Cloud console' in result['msg']
    assert len(sent(emu, 'backupEnv')) == 1


@pytest.mark.parametrize('args, message', [
    (dict(environment='Staging'), "environment 'Staging' is not a valid Jahia Cloud environment name"),
    (dict(environment='staging-acme-with-too-long'), 'not a valid Jahia Cloud environment name'),
    (dict(environment='staging_acme'), 'the bare name'),
    (dict(app_id='has space'), 'app_id'),
    (dict(organization='ac me'), 'not a valid Jahia Cloud organization name'),
    (dict(api_url='jahia.cloud'), 'api_url must start with https://'),
])
def test_bad_input_fails_before_any_request(env, emu, args, message):
    result = run(env, **args)
    assert result['failed'] is True and message in result['msg']
    assert emu.requests() == []


@pytest.mark.parametrize('args, message', [
    (dict(environment=None), 'missing required arguments: environment'),
    (dict(allow_production=True), 'Unsupported parameters'),
    (dict(retries='many'), "argument 'retries' is of type"),
])
def test_the_argument_spec_refuses_before_any_request(env, emu, args, message):
    result = run(env, **args)
    assert result['failed'] is True and message in result['msg']
    assert emu.requests() == []


def test_an_app_id_contradicting_the_context_fails_before_the_backup(env, emu):
    result = run(env, app_id='0' * 34)
    assert result['failed'] is True and 'is not the app id' in result['msg']
    assert [r['path'].rsplit('/', 1)[1] for r in emu.requests()] == ['getContext.do']


def test_a_production_environment_is_backed_up_without_allow_production(env, emu):
    result = run(env, environment='production')
    assert result['failed'] is False
    assert result['backup']['env_role'] == 'prod' and result['backup']['backup_name'] == 'production-acme'
    assert emu.state('jahia')['backups'][0]['shortDomain'] == 'production-acme'


@pytest.mark.parametrize('mode, status', [('redirect', 302), ('login_page', 200)])
@pytest.mark.parametrize('check_mode', [False, True])
def test_a_token_sent_to_the_login_page_fails_before_any_backup(env, emu, mode, status, check_mode):
    emu.seed({'jahia': {'expired_tokens': ['expired-token']}})
    emu.configure({'jahia': {'unauthenticated_answer': mode}})
    result = run(env, api_token='expired-token', check_mode=check_mode)
    assert result['failed'] is True and result['error']['status'] == status
    assert "the API token is missing, wrong or expired: check the option 'api_token'" in result['msg']
    assert 'expired-token' not in repr(result) and '<' not in result['msg']
    assert not [session for session in emu.state('jahia')['issued_tokens'] if session in repr(result)]
    assert [r['path'] for r in emu.requests()] == ['/jahia/modules/cloudAction/getContext.do']
    assert env.mutations() == [] and emu.state('jahia')['backups'] == []
