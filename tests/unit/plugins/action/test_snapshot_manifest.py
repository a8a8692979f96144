# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_manifest: the manifest directory as a task. Check creates the directory only when asked,
check mode writes nothing, a write merges by host (and copies), list never fails on a missing directory;
every problem is a failed result with a message, never an exception."""

import json
import os
import stat
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.saasops.backup.plugins.action.snapshot_manifest import ActionModule
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store


def run(check_mode=False, **args):
    task = MagicMock()
    task.async_val = 0
    task.check_mode = check_mode
    task.args = args
    connection = MagicMock()
    connection._shell.tmpdir = 'set'
    action = ActionModule(task, connection, MagicMock(), MagicMock(), MagicMock(), MagicMock())
    action._execute_module = MagicMock(side_effect=AssertionError('snapshot_manifest runs no module'))
    return action.run(task_vars={'inventory_hostname': 'localhost'})


def entry(host, status='completed'):
    return {'host': host, 'platform': 'jahia', 'status': status, 'restore': {'backup': 'b-' + host}}


def files(directory):
    return sorted(os.listdir(str(directory))) if os.path.isdir(str(directory)) else None


# --- check --------------------------------------------------------------------------------------

def test_check_creates_a_missing_directory_when_asked(tmp_path):
    directory = tmp_path / 'manifests'
    result = run(state='check', dir=str(directory), run_id='r1', create=True)
    assert not result.get('failed') and result['changed'] is True
    assert result['dir'] == str(directory) and result['path'] == str(directory / 'r1.json')
    assert result['previous'] == {}
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700
    again = run(state='check', dir=str(directory), run_id='r1', create=True)
    assert again['changed'] is False and not again.get('failed')


def test_check_refuses_a_missing_directory_when_not_asked_to_create_it(tmp_path):
    directory = tmp_path / 'manifests'
    for check_mode in (False, True):
        result = run(check_mode, state='check', dir=str(directory), run_id='r1')
        assert result['failed'] is True and not result['changed']
        assert result['msg'] == ('the manifest directory %s does not exist: create it, or leave saasops_manifest_dir '
                                 'unset to use the default' % directory)
    assert not directory.exists()


def test_check_in_check_mode_creates_nothing(tmp_path):
    directory = tmp_path / 'manifests'
    result = run(True, state='check', dir=str(directory), run_id='r1', create=True)
    assert not result.get('failed') and result['would_create'] is True and result['changed'] is False
    assert result['previous'] == {} and not directory.exists()


def test_check_returns_what_the_run_already_recorded(tmp_path):
    store.write_run(str(tmp_path), 'r1', [entry('a')], True)
    result = run(state='check', dir=str(tmp_path), run_id='r1')
    assert result['previous'] == store.read_json(str(tmp_path / 'r1.json'))
    assert [e['host'] for e in result['previous']['environments']] == ['a']


@pytest.mark.parametrize('content, message', [
    ('{"schema": 1, "run_id": "r2", "environments": []}',
     "the manifest of run r1 at {path} is not a schema 1 manifest of that run (it holds run 'r2', schema 1): move it away"),
    ('{"schema": 2, "run_id": "r1", "environments": []}', 'is not a schema 1 manifest'),
    ('{"schema": 1, "run_id": "r1", "environments": "a"}', 'the environments of {path} are not a list'),
    ('{"schema": 1', '{path} cannot be read'),
    ('[]', '{path} is not a JSON object'),
])
def test_check_names_the_file_it_cannot_use(tmp_path, content, message):
    path = tmp_path / 'r1.json'
    path.write_text(content)
    result = run(state='check', dir=str(tmp_path), run_id='r1')
    assert result['failed'] is True and message.format(path=path) in result['msg']
    assert 'Traceback' not in result['msg']


@pytest.mark.parametrize('run_id', ['../x', 'a b', '.hidden', '', 'latest'])
def test_run_ids_that_could_name_another_file_fail(tmp_path, run_id):
    for state in ('check', 'write'):
        result = run(state=state, dir=str(tmp_path), run_id=run_id, entries=[entry('a')])
        assert result['failed'] is True and 'is not valid' in result['msg']
    assert files(tmp_path) == []


def test_arguments_are_validated(tmp_path):
    with pytest.raises(AnsibleActionFail, match='run_id'):
        run(state='write', dir=str(tmp_path))
    with pytest.raises(AnsibleActionFail, match='state'):
        run(state='remove', dir=str(tmp_path), run_id='r1')


# --- write --------------------------------------------------------------------------------------

def test_write_merges_by_host_and_points_latest_at_a_complete_final_run(tmp_path):
    first = run(state='write', dir=str(tmp_path), run_id='r1', entries=[entry('a'), entry('b', 'started')])
    assert not first.get('failed') and first['changed'] is True and first['latest'] is False
    assert first['path'] == str(tmp_path / 'r1.json') and first['dir'] == str(tmp_path)
    second = run(state='write', dir=str(tmp_path), run_id='r1', entries=[entry('b', 'triggered')], final=True)
    assert second['latest'] is True
    statuses = [(e['host'], e['status']) for e in second['manifest']['environments']]
    assert statuses == [('a', 'completed'), ('b', 'triggered')]
    assert second['manifest'] == store.read_json(str(tmp_path / 'r1.json'))
    assert store.latest_run_id(str(tmp_path)) == 'r1'


def test_write_copies_the_merged_manifest(tmp_path):
    directory = tmp_path / 'manifests'
    copy = tmp_path / 'saasops-manifest.json'
    run(state='write', dir=str(directory), create=True, run_id='r1', entries=[entry('a')], copy_to=str(copy))
    result = run(state='write', dir=str(directory), run_id='r1', entries=[entry('b')], copy_to=str(copy))
    assert json.loads(copy.read_text()) == result['manifest']
    assert [e['host'] for e in result['manifest']['environments']] == ['a', 'b']
    assert stat.S_IMODE(os.stat(str(copy)).st_mode) == 0o600


def test_write_in_check_mode_writes_nothing_and_returns_the_would_be_manifest(tmp_path):
    store.write_run(str(tmp_path), 'r1', [entry('a', 'started')], False)
    before = (tmp_path / 'r1.json').read_text()
    copy = tmp_path / 'copy.json'
    result = run(True, state='write', dir=str(tmp_path), run_id='r1', entries=[entry('a'), entry('b')], final=True,
                 copy_to=str(copy))
    assert not result.get('failed') and result['changed'] is True and result['latest'] is True
    statuses = [(e['host'], e['status']) for e in result['manifest']['environments']]
    assert statuses == [('a', 'completed'), ('b', 'completed')]
    assert (tmp_path / 'r1.json').read_text() == before
    assert not copy.exists() and store.latest_run_id(str(tmp_path)) is None


def test_write_in_check_mode_into_a_directory_to_be_created(tmp_path):
    # The role in check mode: the check said would_create, then every write runs without create.
    directory = tmp_path / 'manifests'
    for create in (True, False):
        result = run(True, state='write', dir=str(directory), create=create, run_id='r1', entries=[entry('a')],
                     final=True)
        assert not result.get('failed') and result['latest'] is True
        assert result['manifest']['run_id'] == 'r1' and result['manifest']['schema'] == 1
    assert not directory.exists()
    (tmp_path / 'file').write_text('')
    refused = run(True, state='write', dir=str(tmp_path / 'file'), run_id='r1', entries=[entry('a')])
    assert refused['failed'] is True and 'is not a directory' in refused['msg']


@pytest.mark.parametrize('entries, message', [
    (['a'], 'manifest entry 0 is a string, not a dict'),
    ([entry('a'), {'status': 'completed'}], 'manifest entry 1 has no host'),
    ([{'host': ['a']}], 'manifest entry 0 has no host'),
])
def test_entries_without_a_host_fail_in_either_mode(tmp_path, entries, message):
    for check_mode in (True, False):
        result = run(check_mode, state='write', dir=str(tmp_path), run_id='r1', entries=entries)
        assert result['failed'] is True and result['msg'].startswith(message)
    assert files(tmp_path) == []


def test_write_refuses_another_runs_file_and_leaves_it(tmp_path):
    path = tmp_path / 'r1.json'
    path.write_text('{"schema": 1, "run_id": "r2", "environments": []}')
    for check_mode in (True, False):
        result = run(check_mode, state='write', dir=str(tmp_path), run_id='r1', entries=[entry('a')])
        assert result['failed'] is True and 'move it away' in result['msg'] and str(path) in result['msg']
    assert json.loads(path.read_text())['run_id'] == 'r2'


def test_an_unwritable_copy_is_a_message_not_a_traceback(tmp_path):
    result = run(state='write', dir=str(tmp_path), run_id='r1', entries=[entry('a')],
                 copy_to=str(tmp_path / 'missing' / 'copy.json'))
    assert result['failed'] is True and str(tmp_path / 'missing') in result['msg']
    assert 'No such file or directory' in result['msg'] and 'Errno' not in result['msg']


# --- list ---------------------------------------------------------------------------------------

def test_list_returns_the_runs_newest_first_and_the_latest(tmp_path):
    store.write_run(str(tmp_path), 'r1', [entry('a')], True)
    data = store.read_json(str(tmp_path / 'r1.json'))
    data['created'] = '2020-01-01T00:00:00Z'
    store.write_json(str(tmp_path / 'r1.json'), data)
    store.write_run(str(tmp_path), 'r2', [entry('a', 'failed')], True)
    result = run(state='list', dir=str(tmp_path))
    assert not result.get('failed') and result['changed'] is False and result['latest'] == 'r1'
    runs = [(r['run_id'], r['complete'], r['latest']) for r in result['runs']]
    assert runs == [('r2', False, False), ('r1', True, True)]


def test_list_of_a_missing_directory_is_empty(tmp_path):
    result = run(state='list', dir=str(tmp_path / 'missing'))
    assert result == {'changed': False, 'dir': str(tmp_path / 'missing'), 'runs': [], 'latest': None}


def test_list_reports_an_unusable_pointer_as_a_warning(tmp_path):
    (tmp_path / 'latest.json').write_text('{"run_id": "../x"}')
    result = run(state='list', dir=str(tmp_path))
    assert not result.get('failed') and result['latest'] is None and 'is not valid' in result['warnings'][0]


def test_the_default_directory(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_STATE_HOME', str(tmp_path))
    result = run(state='check', run_id='r1', create=True)
    assert result['dir'] == str(tmp_path / 'saasops' / 'manifests') and os.path.isdir(result['dir'])
