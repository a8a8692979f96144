# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup_export and atlassian_backup_import against the emulator: once, skip, wait, failures, and
(through main()) the argument spec of ``backups``."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.plugins.modules import atlassian_backup_export, atlassian_backup_import
from ansible_collections.saasops.backup.plugins.modules.atlassian_backup_export import ExportRun
from ansible_collections.saasops.backup.plugins.modules.atlassian_backup_import import ImportRun
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

BUCKET = dict(storageId='stg-1', storageName='b', storageRegion='us-east-1', storagePrefix='p', roleIdentifier='r',
              principalTag='t', cloudId='cloud-prod')


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.seed({'atlassian': {'storages': [BUCKET], 'policies': [dict(cloudId='cloud-prod', product='JIRA', storageId='stg-1'),
                                                               dict(cloudId='cloud-prod', product='CONFLUENCE')]}})
    env.policy, env.bare = emu.state('atlassian')['policies']
    emu.seed({'atlassian': {'backups': [{'policyId': env.policy['policyId'], 'status': 'COMPLETE', 'count': 2},
                                        {'policyId': env.bare['policyId'], 'status': 'COMPLETE'}]}})
    backups = emu.state('atlassian')['backups']
    env.jira = [b['backupId'] for b in backups if b['product'] == 'JIRA']
    env.confluence = [b['backupId'] for b in backups if b['product'] == 'CONFLUENCE']
    return env


def items(backup_ids, product='jira'):
    return [dict(product=product, cloud_id='cloud-prod', backup_id=b) for b in backup_ids]


def transfer(env, run_class, backup_ids, check_mode=False, product='jira', wait_timeout=600):
    module, api = env.api(Atlassian, 'atlassian', check_mode=check_mode, backups=items(backup_ids, product), wait=True,
                          wait_timeout=wait_timeout)
    return run_class(module, api).execute()


def export(env, backup_ids, check_mode=False, product='jira'):
    return transfer(env, ExportRun, backup_ids, check_mode, product)


def import_(env, backup_ids, check_mode=False):
    return transfer(env, ImportRun, backup_ids, check_mode)


def posts(env, path):
    return [r for r in env.mutations() if r['path'].endswith(path)]


def test_export_four_times_then_a_new_backup_alone(env):
    check = export(env, env.jira[:1], check_mode=True)
    assert check['changed'] is True and check['exports'][0]['status'] == 'IN_PROGRESS' and env.mutations() == []
    done = export(env, env.jira[:1])
    assert done['changed'] is True and done['exports'][0]['status'] == 'COMPLETE' and done['elapsed'] > 0
    for check_mode in (True, False):
        again = export(env, env.jira[:1], check_mode=check_mode)
        assert again['changed'] is False and again['skipped_backups'] == env.jira[:1]
    both = export(env, env.jira)
    assert both['changed'] is True and both['skipped_backups'] == env.jira[:1]
    assert [e['status'] for e in both['exports']] == ['COMPLETE', 'COMPLETE']
    sent = posts(env, '/exports')
    assert [len(p['json']) for p in sent] == [1, 1]
    assert sent[1]['json'] == [{'product': 'JIRA', 'cloudId': 'cloud-prod', 'backupId': env.jira[1]}]


@pytest.mark.parametrize('which, product, message', [
    ('confluence', 'confluence', 'has no external storage'),
    ('jira', 'confluence', 'is a JIRA backup of site'),
    ('missing', 'jira', "backup 'bkp-missing' does not exist"),
])
def test_export_prechecks_fail_before_any_change(env, which, product, message):
    ids = {'confluence': env.confluence, 'jira': env.jira[:1], 'missing': ['bkp-missing']}[which]
    with pytest.raises(InputError, match=message):
        export(env, ids, product=product)
    assert env.mutations() == []


def test_bad_backups_lists_fail_before_any_request(env):
    with pytest.raises(InputError, match='twice'):
        export(env, env.jira[:1] * 2)
    with pytest.raises(InputError, match=r'backups\[1\].product must be one of'):
        export(env, env.jira[:1], product='jiraa')
    assert env.emu.requests() == []


def test_a_failed_export_fails_with_the_message(env):
    env.emu.configure({'atlassian': {'export_result': 'FAILED'}})
    with pytest.raises(PlatformError, match='export of backup .* failed: The export failed'):
        export(env, env.jira[:1])


def test_a_lost_export_answer_starts_one_export(env):
    env.emu.add_fault(path='/exports$', method='POST', action='drop_after')
    result = export(env, env.jira[:1])
    assert result['changed'] is True and len(env.emu.state('atlassian')['exports']) == 1


def test_import_after_export_four_times(env):
    export(env, env.jira[:1])
    check = import_(env, env.jira[:1], check_mode=True)
    assert check['changed'] is True and posts(env, '/imports') == []
    done = import_(env, env.jira[:1])
    assert done['changed'] is True and done['imports'][0]['status'] == 'COMPLETE'
    for check_mode in (True, False):
        assert import_(env, env.jira[:1], check_mode=check_mode)['changed'] is False
    assert len(posts(env, '/imports')) == 1


def test_import_of_a_backup_never_exported_fails_with_the_platform_message(env):
    with pytest.raises(PlatformError, match='HTTP 400.*not in external storage'):
        import_(env, env.jira[1:])


def test_an_export_started_then_a_timeout_reports_changed_and_the_exports(env):
    env.emu.configure({'atlassian': {'export_seconds': 36000.0}})
    with pytest.raises(WaitTimeout) as caught:
        transfer(env, ExportRun, env.jira[:1], wait_timeout=60)
    carried = caught.value.result
    assert carried['changed'] is True
    assert [(e['backup_id'], e['status']) for e in carried['exports']] == [(env.jira[0], 'IN_PROGRESS')]
    assert carried['exports'][0]['export_id']


# --- through main() ----------------------------------------------------------------------------

@pytest.mark.parametrize('module', [atlassian_backup_export, atlassian_backup_import])
@pytest.mark.parametrize('backups, message', [
    ([{'product': 'jira', 'cloud_id': 'cloud-prod'}], 'missing required arguments: backup_id found in backups'),
    ([{'product': 'jira', 'cloud_id': 'cloud-prod', 'backup_id': 'b', 'colour': 'blue'}],
     'Unsupported parameters for (basic.py) module: backups.colour'),
    ([], 'backups must list at least one {product, cloud_id, backup_id}'),
])
def test_the_argument_spec_of_backups_fails_before_any_request(env, module, backups, message):
    result = env.run(module, dict(backups=backups))
    assert result['failed'] is True and message in result['msg'], result['msg']
    assert env.emu.requests() == []


def test_main_exports_then_imports(env):
    backups = items(env.jira[:1])
    exported = env.run(atlassian_backup_export, dict(backups=backups))
    imported = env.run(atlassian_backup_import, dict(backups=backups))
    assert exported['failed'] is False and exported['exports'][0]['status'] == 'COMPLETE'
    assert imported['failed'] is False and imported['imports'][0]['status'] == 'COMPLETE'
    assert imported['elapsed'] > 0 and imported['skipped_backups'] == []
    assert [(r['method'], r['path']) for r in env.mutations()] == [
        ('POST', '/atlassian/orgs/org-emulator-1/exports'), ('POST', '/atlassian/orgs/org-emulator-1/imports')]
