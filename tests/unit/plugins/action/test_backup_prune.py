# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_prune: validate sends nothing; prune lists with the info module and deletes with the platform's module
(never in check mode, oldest first, only what the plan says); a failed delete is a result, not a failed task; record
writes the history; no credential ever comes back."""

import json
import time
from unittest.mock import MagicMock

import pytest

from ansible_collections.saasops.backup.plugins.action import backup_prune
from ansible_collections.saasops.backup.plugins.action.backup_prune import ActionModule
from ansible_collections.saasops.backup.plugins.module_utils._convert import iso_from_epoch

SECRET = 'Sup3r-Secret-Key'
PASSCODE = 'Backup-Passcode-1'
DAY = 86400
COMMON = ('url', 'username', 'password', 'store', 'api_url', 'api_key', 'app_id', 'environment', 'api_version', 'ca_path',
          'org_id', 'user', 'api_token', 'cloud_id', 'product', 'gather', 'organization')
OPTIONS = {'arcgis_dr_backup_info': COMMON + ('name',), 'arcgis_dr_backup': COMMON + ('name', 'state', 'passcode', 'wait'),
           'mendix_snapshot_info': COMMON + ('snapshot_id',), 'mendix_snapshot': COMMON + ('snapshot_id', 'state', 'comment'),
           'atlassian_backup_info': COMMON}
GIS = {'platform': 'arcgis', 'connection': {'url': 'https://gis.example.com/arcgis', 'username': 'admin', 'password': SECRET,
                                            'passcode': PASSCODE}, 'target': {}}
CALC = {'platform': 'mendix', 'connection': {'api_url': 'https://deploy.example', 'username': 'bot', 'api_key': SECRET},
        'target': {'app_id': 'calc', 'environment': 'Acceptance', 'api_version': 2}}


def accepted(module, values):
    return dict((k, v) for k, v in values.items() if k in OPTIONS[module])


@pytest.fixture(autouse=True)
def options(monkeypatch):
    monkeypatch.setattr(backup_prune, 'accepted', accepted)


def ms(days):
    return int((time.time() - days * DAY) * 1000)


def iso(days):
    return iso_from_epoch(time.time() - days * DAY)


ARCGIS_LIST = {'store': 'default-store', 'backups': [
    {'name': 'saasops-r3', 'status': 'completed', 'start_time': ms(1)},
    {'name': 'saasops-r2', 'status': 'completed', 'start_time': ms(2)},
    {'name': 'saasops-r1', 'status': 'completed', 'start_time': ms(40)},
    {'name': 'saasops-r0', 'status': 'failed', 'start_time': ms(50)},
    {'name': 'nightly', 'status': 'completed', 'start_time': ms(90)}]}
MENDIX_LIST = {'snapshots': [
    {'snapshot_id': 's3', 'comment': 'saasops r3', 'state': 'completed', 'created_at': iso(1)},
    {'snapshot_id': 's2', 'comment': 'saasops r2', 'state': 'completed', 'created_at': iso(2)},
    {'snapshot_id': 's1', 'comment': 'saasops r1', 'state': 'completed', 'created_at': iso(40)}]}


class Runner:
    """One action run; ``answers`` maps a module name to the answers it gives, in order."""

    def __init__(self, tmp_path, answers=None, check_mode=False):
        self.calls = []
        self.answers = dict((k, list(v)) for k, v in (answers or {}).items())
        self.check_mode = check_mode
        self.tmp_path = tmp_path

    def run(self, phase, env=None, host='gis-prod', **args):
        env = env or GIS
        task = MagicMock()
        task.async_val = 0
        task.check_mode = self.check_mode
        task.args = dict(dict(phase=phase, platform=env['platform'], connection=env['connection'], target=env['target'],
                              keep_last=2, keep_days=10, manifest_dir=str(self.tmp_path)), **args)
        action = ActionModule(task, MagicMock(), MagicMock(), MagicMock(), MagicMock(), MagicMock())

        def execute(module_name, module_args, task_vars):
            self.calls.append((module_name.rsplit('.', 1)[-1], dict(module_args)))
            answers = self.answers.get(module_name.rsplit('.', 1)[-1]) or [{}]
            return dict(answers.pop(0) if len(answers) > 1 else answers[0])

        action._execute_module = execute
        result = action.run(task_vars={'inventory_hostname': host})
        for secret in (SECRET, PASSCODE):
            assert secret not in json.dumps(result)
        return result


def test_validate_sends_nothing_and_returns_the_problems(tmp_path):
    runner = Runner(tmp_path)
    assert runner.run('validate') == dict(changed=False, problems=[], ok=True)
    result = runner.run('validate', keep_last=0)
    assert result['problems'] == ['saasops_keep_last must be a whole number of at least 1, got 0: a prune with nothing to '
                                  'keep is refused']
    assert runner.run('validate', protect_runs=['r404'])['problems'][0].startswith(
        'saasops_protect_runs names run r404, which has no manifest in %s' % tmp_path)
    assert runner.run('validate', platform='gitlab')['problems'] == ['saasops_platform must be one of arcgis, atlassian, jahia, mendix']
    assert runner.run('validate', manifest_dir=str(tmp_path / 'typo'))['problems'][0].startswith('the manifest directory')
    assert runner.calls == []


def test_check_mode_lists_and_plans_and_deletes_nothing(tmp_path):
    runner = Runner(tmp_path, {'arcgis_dr_backup_info': [ARCGIS_LIST]}, check_mode=True)
    result = runner.run('prune')
    assert [c[0] for c in runner.calls] == ['arcgis_dr_backup_info']
    # The info module gets its own options only: the backup's passcode is not one of them.
    assert runner.calls[0][1] == {'url': 'https://gis.example.com/arcgis', 'username': 'admin', 'password': SECRET}
    found = result['prune']
    assert {d['id']: d['action'] for d in found['backups']} == {
        'saasops-r3': 'keep', 'saasops-r2': 'keep', 'saasops-r1': 'delete', 'saasops-r0': 'delete', 'nightly': 'keep'}
    assert found['deleted'] == [] and result['changed'] is False
    assert found['identity'] == {'url': 'https://gis.example.com/arcgis'} and found['label'] == 'gis.example.com'


def test_a_real_run_deletes_oldest_first_in_the_listed_store_without_the_passcode(tmp_path):
    runner = Runner(tmp_path, {'arcgis_dr_backup_info': [ARCGIS_LIST], 'arcgis_dr_backup': [{'changed': True}]})
    result = runner.run('prune')
    deletes = [c[1] for c in runner.calls if c[0] == 'arcgis_dr_backup']
    assert deletes == [dict(url='https://gis.example.com/arcgis', username='admin', password=SECRET, state='absent', name=name,
                            store='default-store') for name in ('saasops-r0', 'saasops-r1')]
    assert [d['id'] for d in result['prune']['deleted']] == ['saasops-r0', 'saasops-r1']
    assert result['changed'] is True


def test_mendix_v2_deletes_by_snapshot_id_and_v1_only_reports(tmp_path):
    runner = Runner(tmp_path, {'mendix_snapshot_info': [MENDIX_LIST], 'mendix_snapshot': [{'changed': True}]})
    result = runner.run('prune', env=CALC, host='calc')
    assert [c[1] for c in runner.calls if c[0] == 'mendix_snapshot'] == [dict(
        CALC['connection'], app_id='calc', environment='Acceptance', api_version=2, state='absent', snapshot_id='s1')]
    assert [d['id'] for d in result['prune']['deleted']] == ['s1']

    v1 = dict(CALC, target=dict(CALC['target'], api_version=1))
    runner = Runner(tmp_path, {'mendix_snapshot_info': [MENDIX_LIST]})
    result = runner.run('prune', env=v1, host='calc')
    assert [c[0] for c in runner.calls] == ['mendix_snapshot_info']
    assert result['prune']['cannot'].startswith('Mendix Backups API v1 cannot delete')
    assert [d['action'] for d in result['prune']['backups']] == ['keep', 'keep', 'report']
    assert 'failed' not in result and result['changed'] is False


def test_a_failed_delete_is_a_result_and_the_others_go_on(tmp_path):
    runner = Runner(tmp_path, {'arcgis_dr_backup_info': [ARCGIS_LIST],
                               'arcgis_dr_backup': [{'failed': True, 'msg': 'ArcGIS: failed to delete (HTTP 409)\nbusy'},
                                                    {'changed': False}]})
    result = runner.run('prune')
    assert 'failed' not in result
    found = result['prune']
    assert [(d['id'], d['error']) for d in found['failed']] == [('saasops-r0', 'ArcGIS: failed to delete (HTTP 409) busy')]
    # Deleted meanwhile by someone else: nothing to do, and not counted as deleted.
    assert [d['id'] for d in found['gone']] == ['saasops-r1'] and found['deleted'] == []


JIRA = dict(CALC, platform='atlassian', target={'cloud_id': 'c', 'product': 'jira'})


@pytest.mark.parametrize('env, error, note', [(GIS, True, False), (JIRA, False, True)])
def test_a_listing_that_fails_is_an_error_where_the_platform_deletes_and_a_note_elsewhere(tmp_path, env, error, note):
    module = 'arcgis_dr_backup_info' if env['platform'] == 'arcgis' else 'atlassian_backup_info'
    runner = Runner(tmp_path, {module: [{'failed': True, 'msg': 'HTTP 401: bad credentials'}]})
    found = runner.run('prune', env=env)['prune']
    assert bool(found['error']) is error and bool(found['note']) is note
    assert 'HTTP 401' in (found['error'] or found['note'])
    assert [c[0] for c in runner.calls] == [module]


def test_jahia_is_read_from_the_manifests_and_nothing_is_sent(tmp_path):
    created = iso(40)
    (tmp_path / 'r1.json').write_text(json.dumps({'schema': 1, 'run_id': 'r1', 'created': created, 'environments': [
        {'host': 'cms', 'platform': 'jahia', 'status': 'triggered', 'backup': {'backup_name': 'saasops-r1', 'timestamp': 'T'},
         'target': {'organization': 'acme', 'environment': 'staging'}}]}), encoding='utf-8')
    env = {'platform': 'jahia', 'connection': {'api_token': SECRET, 'organization': 'acme'}, 'target': {'environment': 'staging'}}
    runner = Runner(tmp_path)
    found = runner.run('prune', env=env, host='cms', keep_last=1, keep_days=1)['prune']
    assert runner.calls == []
    assert [(d['id'], d['run_id'], d['codes']) for d in found['backups']] == [
        ('saasops-r1 T', 'r1', ['newest_completed', 'protected', 'keep_last'])]


def test_record_writes_what_was_deleted_and_check_mode_writes_nothing(tmp_path):
    runner = Runner(tmp_path, {'arcgis_dr_backup_info': [ARCGIS_LIST], 'arcgis_dr_backup': [{'changed': True}]})
    found = runner.run('prune')['prune']
    checked = Runner(tmp_path, check_mode=True).run('record', results=[found])
    assert checked['written'] is False and not (tmp_path / 'prune').exists()
    assert checked['lines'][-1] == 'check mode: nothing was deleted or recorded'
    recorded = runner.run('record', results=[found, {'host': 'x', 'platform': 'arcgis', 'error': 'the prune did not run'}])
    assert recorded['written'] is True and recorded['changed'] is True
    history = json.loads((tmp_path / 'prune' / 'history.json').read_text(encoding='utf-8'))
    assert [(r['host'], r['backup']['id'], r['result']) for r in history['deletions']] == [
        ('gis-prod', 'saasops-r0', 'deleted'), ('gis-prod', 'saasops-r1', 'deleted')]
    assert recorded['deleted'] == history['deletions'] and recorded['delete_errors'] == []
    assert 'x (arcgis, ?): NOT PRUNED - the prune did not run' in recorded['lines']
    assert recorded['lines'][-1] == 'prune history: %s' % (tmp_path / 'prune' / 'history.json')
    assert SECRET not in (tmp_path / 'prune' / 'history.json').read_text(encoding='utf-8')
