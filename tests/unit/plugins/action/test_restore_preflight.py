# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_preflight: problems are returned, not raised; the restore module runs in check mode only
when the manifest and the inventory agree; credentials never come back."""

import json
from unittest.mock import MagicMock

import pytest

from ansible_collections.saasops.backup.plugins.action.restore_preflight import ActionModule, module_arguments

SECRET = 'Sup3r-Secret-Token'
ENTRY = {'host': 'jira', 'platform': 'atlassian', 'status': 'completed',
         'target': {'cloud_id': 'c1', 'product': 'jira'},
         'restore': {'backup_id': 'bk-1', 'cloud_id': 'c1', 'product': 'jira', 'api_url': 'https://evil.example'}}


def manifest(entry=None):
    return {'schema': 1, 'run_id': 'run-7', 'environments': [entry or ENTRY]}


class Runner:
    """One action run with a scripted restore module."""

    def __init__(self, tmp_path, module_answer=None, check_mode=False):
        self.calls = []
        self.tmp_path = tmp_path
        self.answer = module_answer or {'changed': True}
        self.check_mode = check_mode

    def run(self, **args):
        task = MagicMock()
        task.async_val = 0
        task.check_mode = self.check_mode
        task.args = dict(dict(platform='atlassian', connection={'api_url': 'https://api.example', 'api_token': SECRET},
                              target={'cloud_id': 'c1', 'product': 'jira'}, manifest=manifest(),
                              record_dir=str(self.tmp_path / 'records'), confirm=True), **args)
        connection = MagicMock()
        connection._shell.tmpdir = 'set'
        action = ActionModule(task, connection, MagicMock(), MagicMock(), MagicMock(), MagicMock())

        def execute(module_name, module_args, task_vars):
            self.calls.append((module_name, dict(module_args), task.check_mode))
            return dict(self.answer)

        action._execute_module = execute
        result = action.run(task_vars={'inventory_hostname': 'jira'})
        assert task.check_mode == self.check_mode  # restored after the check
        assert SECRET not in json.dumps(result)
        return result


def test_a_good_entry_is_checked_by_the_restore_module_in_check_mode(tmp_path):
    runner = Runner(tmp_path)
    result = runner.run(options={'consent': ['x']})
    assert result['ok'] is True and result['problems'] == [] and result['skip'] is False
    [(name, args, check_mode)] = runner.calls
    assert name == 'saasops.backup.atlassian_restore' and check_mode is True
    # Connection and target from the inventory; from the manifest only the backup id.
    assert args == {'api_url': 'https://api.example', 'api_token': SECRET, 'cloud_id': 'c1', 'product': 'jira',
                    'wait_timeout': 14400, 'consent': ['x'], 'backup_id': 'bk-1', 'production': False,
                    'allow_production': False}
    assert result['arguments'] == {'backup_id': 'bk-1', 'production': False, 'allow_production': False}
    assert result['record_path'] == str(tmp_path / 'records' / 'run-7' / 'jira.json')


def test_options_cannot_replace_the_backup_the_manifest_names(tmp_path):
    runner = Runner(tmp_path)
    runner.run(options={'backup_id': 'another', 'wait_timeout': 60})
    [(dummy, args, dummy)] = runner.calls
    assert args['backup_id'] == 'bk-1' and args['wait_timeout'] == 60
    assert module_arguments({'a': 1}, {'a': 2}, {}, {'a': 3}, {'a': 4}) == {'a': 4}


def test_the_module_refusal_is_a_problem(tmp_path):
    runner = Runner(tmp_path, {'failed': True, 'msg': "backup 'bk-1' does not exist"})
    result = runner.run()
    assert result['ok'] is False and result['problems'] == ["backup 'bk-1' does not exist"]


@pytest.mark.parametrize('args, problem', [
    (dict(target={'cloud_id': 'c2', 'product': 'jira'}), "taken from cloud_id 'c1', the inventory names 'c2'"),
    (dict(platform='mendix'), "is a 'atlassian' backup; the inventory says this environment is mendix"),
    (dict(production=True), 'it is declared production'),
    (dict(manifest=manifest(dict(ENTRY, status='failed'))), "backup is 'failed'"),
    (dict(manifest=manifest(dict(ENTRY, host='other'))), 'has no entry for this environment'),
    (dict(manifest='{"schema": 1'), 'saasops_manifest is not JSON'),
    (dict(restore_run_id='../up'), 'is not a valid run id'),
])
def test_a_problem_found_before_any_request_sends_nothing(tmp_path, args, problem):
    runner = Runner(tmp_path)
    result = runner.run(**args)
    assert result['ok'] is False
    assert any(problem in p for p in result['problems']), result['problems']
    assert runner.calls == []


def test_without_confirmation_the_problem_comes_first(tmp_path):
    result = Runner(tmp_path).run(confirm=False)
    assert result['problems'][0].startswith('saasops_restore_confirm is not true')


def test_check_mode_needs_no_confirmation(tmp_path):
    result = Runner(tmp_path, check_mode=True).run(confirm=False)
    assert result['ok'] is True


def test_an_environment_already_restored_by_this_run_is_skipped(tmp_path):
    record = tmp_path / 'records' / 'run-7' / 'jira.json'
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({'backup': {'backup_id': 'bk-1'}, 'restored_at': '2026-11-30T10:00:00Z'}), encoding='utf-8')
    runner = Runner(tmp_path)
    result = runner.run()
    assert result['skip'] is True and result['ok'] is True and result['restored_at'] == '2026-11-30T10:00:00Z'
    assert runner.calls == []
    # On purpose, or from another restore run: checked and restored again.
    assert Runner(tmp_path).run(restore_again=True)['skip'] is False
    assert Runner(tmp_path).run(restore_run_id='second')['skip'] is False


def test_a_record_of_another_backup_does_not_skip(tmp_path):
    record = tmp_path / 'records' / 'run-7' / 'jira.json'
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({'backup': {'backup_id': 'bk-0'}}), encoding='utf-8')
    assert Runner(tmp_path).run()['skip'] is False


def test_an_unwritable_record_directory_is_a_problem(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x', encoding='utf-8')
    runner = Runner(tmp_path)
    result = runner.run(record_dir=str(blocker / 'records'))
    assert any('cannot be written' in p for p in result['problems'])
    assert runner.calls == []
