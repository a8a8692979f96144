# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_restore against the emulator: the consent flow, reuse, failures, bad input, and (through main())
the argument spec and the declared-production guard."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.plugins.modules import atlassian_restore
from ansible_collections.saasops.backup.plugins.modules.atlassian_restore import RestoreRun
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated
from ansible_collections.saasops.backup.tests.unit.helpers.module_main import no_http

SPACES = 'Consent_Conflicting_Space_Check'
CUSTOM = 'Accept_Custom_Group_Check'


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.seed({'atlassian': {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA'}]}})
    policy = emu.state('atlassian')['policies'][0]
    emu.seed({'atlassian': {'backups': [{'policyId': policy['policyId'], 'status': 'COMPLETE'},
                                        {'policyId': policy['policyId'], 'status': 'FAILED', 'ageSeconds': 7200}]}})
    backups = emu.state('atlassian')['backups']
    env.failed = backups[0]['backupId']
    env.backup = backups[1]['backupId']
    return env


def run(env, check_mode=False, **overrides):
    params = dict(backup_id=env.backup, cloud_id='cloud-staging', product='jira', include_attachments=True,
                  include_users_and_groups=True, consent=[], wait=True, wait_timeout=600)
    params.update(overrides)
    module, api = env.api(Atlassian, 'atlassian', check_mode=check_mode, **params)
    return RestoreRun(module, api).execute()


def posts(env, path=None):
    return [r for r in env.mutations() if path is None or r['path'].endswith(path)]


def restores(env):
    return env.emu.state('atlassian')['restores']


def test_a_restore_without_failing_checks_completes_with_its_report_then_is_reused(env):
    check = run(env, check_mode=True)
    assert check['changed'] is True and check['restore']['status'] == 'VALIDATING' and posts(env) == []
    result = run(env)
    assert result['changed'] is True and result['restore']['status'] == 'COMPLETE'
    assert result['post_op_report_url'].endswith('/files/post-op-report-%s.csv' % result['restore']['migration_id'])
    assert result['elapsed'] > 0
    for check_mode in (True, False):
        again = run(env, check_mode=check_mode)
        assert again['changed'] is False and again['restore']['restore_id'] == result['restore']['restore_id']
    sent = posts(env)
    assert len(sent) == 1
    assert sent[0]['json'] == {'backupId': env.backup, 'product': 'JIRA', 'includeAttachments': True, 'includeUsersAndGroups': True}


def test_consent_flow_end_to_end(env):
    env.emu.configure({'atlassian': {'failing_checks': [SPACES, CUSTOM]}})
    with pytest.raises(InputError) as caught:
        run(env, consent=['Consent_Site_License_Check'])
    text = str(caught.value)
    assert 'Consent_Conflicting_Space_Check: Spaces with the keys DOCS and TEAM' in text
    assert 'add Consent_Conflicting_Space_Check to consent' in text
    assert 'add Accept_Custom_Group_Check or Deny_Custom_Group_Check to consent' in text
    assert posts(env, '/revalidate') == []
    # A second run with too little consent fails the same way, on the same restore.
    with pytest.raises(InputError, match='Accept_Custom_Group_Check or Deny_Custom_Group_Check'):
        run(env, consent=[SPACES])
    check = run(env, check_mode=True, consent=[SPACES, 'deny_custom_group_check'])
    assert check['changed'] is True and posts(env, '/revalidate') == []
    result = run(env, consent=[SPACES, 'deny_custom_group_check'])
    assert result['changed'] is True and result['restore']['status'] == 'COMPLETE'
    revalidations = posts(env, '/revalidate')
    assert len(revalidations) == 1
    assert revalidations[0]['json']['consent'] == [SPACES, 'Deny_Custom_Group_Check']
    assert len(posts(env, '/restores')) == 1
    assert run(env, consent=[SPACES, 'Deny_Custom_Group_Check'])['changed'] is False


def test_without_wait_the_restore_is_started_and_revalidated_on_later_runs(env):
    env.emu.configure({'atlassian': {'failing_checks': [SPACES]}})
    started = run(env, wait=False)
    assert started['changed'] is True and started['restore']['status'] == 'VALIDATING'
    env.clock.sleep(1.0)  # validation ends
    revalidated = run(env, wait=False, consent=[SPACES])
    assert revalidated['changed'] is True and revalidated['restore']['status'] == 'VALIDATING'
    done = run(env, consent=[SPACES])
    assert done['changed'] is False and done['restore']['status'] == 'COMPLETE'
    assert len(posts(env, '/restores')) == 1 and len(posts(env, '/revalidate')) == 1


def test_a_failed_restore_fails_with_the_message(env):
    env.emu.configure({'atlassian': {'restore_result': 'FAILED'}})
    with pytest.raises(PlatformError, match='FAILED: The restore failed: simulated failure'):
        run(env)


@pytest.mark.parametrize('overrides, message', [
    (dict(consent=['Consent_Conflicting_Spaces_Check']), "did you mean 'Consent_Conflicting_Space_Check'"),
    (dict(consent=['Accept_Custom_Group_Check', 'Deny_Custom_Group_Check']), 'not both'),
    (dict(product='jira service management'), 'product must be one of'),
    (dict(product='confluence'), 'is a JIRA backup, not CONFLUENCE'),
    (dict(backup_id='bkp-missing'), "backup 'bkp-missing' does not exist"),
    (dict(backup_id='FAILED'), 'is FAILED; only COMPLETE or INCOMPLETE backups can be restored'),
])
def test_bad_input_fails_before_any_change(env, overrides, message):
    if overrides.get('backup_id') == 'FAILED':
        overrides['backup_id'] = env.failed
    with pytest.raises(InputError, match=message):
        run(env, **overrides)
    assert posts(env) == []


def test_a_lost_create_answer_starts_one_restore(env):
    env.emu.add_fault(path='/restores$', method='POST', action='drop_after')
    result = run(env)
    assert result['changed'] is True and result['restore']['status'] == 'COMPLETE'
    assert len(restores(env)) == 1


# --- the declared-production guard, through main() ---------------------------------------------

REFUSED = ("refusing to restore into site 'cloud-prod': it is declared production (production: true); "
           "set allow_production: true to do it anyway")


def run_main_against(env, check_mode=False, **overrides):
    args = dict(backup_id=env.backup, cloud_id='cloud-prod', product='jira', wait_timeout=600)
    args.update(overrides)
    return env.run(atlassian_restore, args, check_mode=check_mode)


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_declared_production_site_is_refused_before_any_request(env, monkeypatch, check_mode):
    env.emu.clear_requests()
    with monkeypatch.context() as patch:
        attempted = no_http(patch)
        result = run_main_against(env, check_mode=check_mode, production=True)
    assert result['failed'] is True
    assert result['msg'] == REFUSED
    assert attempted == []
    assert env.emu.requests() == []
    assert restores(env) == []


@pytest.mark.parametrize('overrides', [dict(production=True, allow_production=True), dict(), dict(production=False)])
def test_an_allowed_or_undeclared_site_is_restored(env, overrides):
    result = run_main_against(env, **overrides)
    assert result['failed'] is False and result['changed'] is True
    assert result['restore']['status'] == 'COMPLETE' and result['restore']['cloud_id'] == 'cloud-prod'
    assert len(posts(env, '/restores')) == 1


def test_a_restore_started_then_a_timeout_reports_changed_and_the_restore_id(env):
    env.emu.configure({'atlassian': {'restore_seconds': 36000.0}})
    with pytest.raises(WaitTimeout) as caught:
        run(env, wait_timeout=60)
    carried = caught.value.result
    assert carried['changed'] is True
    assert carried['restore']['restore_id'] == restores(env)[0]['restoreId']


@pytest.mark.parametrize('overrides, message', [
    (dict(backup_id=None), 'missing required arguments: backup_id'),
    (dict(consent='Consent_Site_License_Check', include_attachments='maybe'), 'include_attachments'),
    (dict(production='yes-ish'), 'production'),
])
def test_the_argument_spec_fails_before_any_request(env, overrides, message):
    args = dict(backup_id=env.backup, cloud_id='cloud-prod', product='jira')
    args.update(overrides)
    result = env.run(atlassian_restore, dict((k, v) for k, v in args.items() if v is not None))
    assert result['failed'] is True and message in result['msg'], result['msg']
    assert env.emu.requests() == []


@pytest.mark.parametrize('overrides, message', [
    (dict(backup_id=' '), '^backup_id must not be empty$'),
    (dict(backup_id='', cloud_id=' '), '^cloud_id, backup_id must not be empty$'),
])
def test_empty_ids_are_named_together_before_any_request(env, overrides, message):
    with pytest.raises(InputError, match=message):
        run(env, **overrides)
    assert env.emu.requests() == []
