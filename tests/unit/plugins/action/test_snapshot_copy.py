# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_copy's decisions with the modules scripted: nothing is recorded as copied unless the HEAD after the upload
shows the file's size and sha256; a failed upload keeps the verified archive for the next run; a copy an earlier run
recorded (or uploaded) is not made again; platforms without a download API are said so; no credential comes back."""

import hashlib
import json
import tempfile
from unittest.mock import MagicMock

import pytest

from ansible_collections.saasops.backup.plugins.action import snapshot_copy
from ansible_collections.saasops.backup.plugins.action.snapshot_copy import ActionModule

SECRET = 'Sup3r-Secret-Key'
S3_SECRET = 'S3-Secret-Key-Not-For-Output'
ARCHIVE = b'\x1f\x8b archive bytes'
SHA = hashlib.sha256(ARCHIVE).hexdigest()
CALC = {'platform': 'mendix', 'connection': {'api_url': 'https://deploy.example', 'username': 'bot', 'api_key': SECRET},
        'target': {'app_id': 'calc', 'environment': 'Acceptance'}}
ENTRY = {'host': 'calc-accp', 'platform': 'mendix', 'status': 'completed', 'backup': {'snapshot_id': 'snap-1'}}
KEY = 'team/calc-accp/saasops-r1.tar.gz'
WHERE = 's3://copies-1/' + KEY


def downloaded(module_args):
    """mendix_snapshot's answer, after writing the archive at its dest."""
    with open(module_args['download']['dest'], 'wb') as handle:
        handle.write(ARCHIVE)
    return {'changed': True, 'download': {'path': module_args['download']['dest'], 'size': len(ARCHIVE), 'sha256': SHA,
                                          'snapshot_id': 'snap-1', 'verified': True, 'archive': {'model_version': '1.0'}}}


def head(size=len(ARCHIVE), sha256=SHA, snapshot_id='snap-1'):
    return {'object_info': [{'object_name': KEY, 'object_data': {
        'content_length': size, 'last_modified': '2026-11-30T08:00:00+00:00',
        'metadata': {'sha256': sha256, 'size': str(size), 'snapshot-id': snapshot_id, 'data-type': 'files_and_database'}}}]}


class Runner:
    """One action run; ``script`` maps a module's short name to its answers in order (a callable gets the arguments)."""

    def __init__(self, script=None, check_mode=False):
        self.calls = []
        self.script = dict((k, list(v)) for k, v in (script or {}).items())
        self.check_mode = check_mode

    def run(self, phase='copy', env=None, host='calc-accp', **args):
        env = env or CALC
        task = MagicMock()
        task.async_val = 0
        task.check_mode = self.check_mode
        task.args = dict(dict(phase=phase, platform=env['platform'], connection=env['connection'], target=env['target'],
                              run_id='r1', offsite='s3://copies-1/team',
                              offsite_s3={'endpoint_url': 'http://127.0.0.1:9', 'secret_key': S3_SECRET},
                              entry=ENTRY, line='calc-accp  mendix  completed'), **args)
        action = ActionModule(task, MagicMock(), MagicMock(), MagicMock(), MagicMock(), MagicMock())

        def execute(module_name, module_args, task_vars):
            del task_vars
            name = module_name.rsplit('.', 1)[-1]
            self.calls.append((name, dict(module_args)))
            answers = self.script.get(name) or [{}]
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
            return answer(module_args) if callable(answer) else dict(answer)

        action._execute_module = execute
        result = action.run(task_vars={'inventory_hostname': host})
        for secret in (SECRET, S3_SECRET):
            assert secret not in json.dumps(result)
        return result

    def names(self):
        return [name for name, dummy in self.calls]


@pytest.fixture(autouse=True)
def staging(monkeypatch, tmp_path):
    monkeypatch.setattr(snapshot_copy, 'accepted', lambda module, values: dict(values))
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path / 'controller-tmp'))
    (tmp_path / 'controller-tmp').mkdir()
    return tmp_path / 'controller-tmp' / 'saasops-offsite' / 'r1' / 'calc-accp'


def test_an_upload_confirmed_by_its_head_is_recorded_and_the_temporary_file_goes(staging):
    runner = Runner({'mendix_snapshot': [downloaded], 's3_object_info': [{'object_info': []}, head()],
                     's3_object': [{'changed': True, 'url': 'https://presigned.example/?X-Amz-Signature=abc'}]})
    result = runner.run()
    assert runner.names() == ['s3_object_info', 'mendix_snapshot', 's3_object', 's3_object_info']
    put = runner.calls[2][1]
    assert put['mode'] == 'put' and put['object'] == KEY and put['metadata']['sha256'] == SHA
    assert put['secret_key'] == S3_SECRET and 'comment' not in put
    copy = result['entry']['offsite']
    assert (copy['status'], copy['location'], copy['size'], copy['sha256']) == ('copied', WHERE, len(ARCHIVE), SHA)
    assert 'Signature' not in json.dumps(result) and not staging.exists()
    assert result['changed'] is True and result['line'].startswith('calc-accp  mendix  completed  copy: ' + WHERE)


@pytest.mark.parametrize('put, after, words', [
    ({'failed': True, 'msg': 'Unable to complete PUT operation.: Connection was closed'}, head(), 'the upload to'),
    ({'changed': True}, {'object_info': []}, 'cannot be confirmed: the object is missing'),
    ({'changed': True}, head(size=3), 'cannot be confirmed'),
    ({'changed': True}, head(sha256='b' * 64), 'cannot be confirmed'),
])
def test_nothing_is_recorded_as_copied_unless_the_object_is_the_file(staging, put, after, words):
    runner = Runner({'mendix_snapshot': [downloaded], 's3_object_info': [{'object_info': []}, after], 's3_object': [put]})
    copy = runner.run()['entry']['offsite']
    assert copy['status'] == 'failed' and words in copy['error'] and copy['size'] is None and copy['sha256'] is None
    # The verified archive waits for the next run, which uploads it without downloading it again.
    assert (staging / 'saasops-r1.tar.gz').read_bytes() == ARCHIVE
    assert 'kept at %s' % staging in copy['error']


def test_a_copy_recorded_by_an_earlier_run_and_there_is_not_made_again():
    previous = {'offsite': {'kind': 's3', 'location': WHERE, 'status': 'copied', 'size': len(ARCHIVE), 'sha256': SHA,
                            'copied_at': '2026-11-30T08:00:00Z'}}
    runner = Runner({'s3_object_info': [head()]})
    copy = runner.run(previous=previous)['entry']['offsite']
    assert runner.names() == ['s3_object_info']
    assert copy == dict(previous['offsite'], reused=True)


def test_an_object_an_earlier_run_uploaded_but_could_not_record_is_taken():
    runner = Runner({'s3_object_info': [head()]})
    copy = runner.run()['entry']['offsite']
    assert runner.names() == ['s3_object_info']
    assert copy['status'] == 'copied' and copy['sha256'] == SHA and copy['copied_at'] == '2026-11-30T08:00:00+00:00'
    # Another snapshot's object is not this run's copy: downloaded and uploaded again.
    runner = Runner({'s3_object_info': [head(snapshot_id='snap-0'), head()], 'mendix_snapshot': [downloaded],
                     's3_object': [{'changed': True}]})
    assert runner.run()['entry']['offsite']['status'] == 'copied'
    assert runner.names() == ['s3_object_info', 'mendix_snapshot', 's3_object', 's3_object_info']


def test_a_download_of_another_snapshot_or_unverified_is_no_copy():
    def other(module_args):
        answer = downloaded(module_args)
        answer['download']['snapshot_id'] = 'snap-9'
        return answer
    runner = Runner({'s3_object_info': [{'object_info': []}], 'mendix_snapshot': [other]})
    copy = runner.run()['entry']['offsite']
    assert copy['status'] == 'failed' and "not the run's snapshot snap-1" in copy['error']
    assert 's3_object' not in runner.names()


def test_a_directory_copy_there_with_the_recorded_sha256_is_not_downloaded_again(tmp_path):
    folder = tmp_path / 'offsite'
    (folder / 'calc-accp').mkdir(parents=True)
    (folder / 'calc-accp' / 'saasops-r1.tar.gz').write_bytes(ARCHIVE)
    where = str(folder / 'calc-accp' / 'saasops-r1.tar.gz')
    previous = {'offsite': {'kind': 'dir', 'location': where, 'status': 'copied', 'size': len(ARCHIVE), 'sha256': SHA}}
    runner = Runner({'mendix_snapshot': [downloaded]})
    assert runner.run(offsite=str(folder), previous=previous)['entry']['offsite']['reused'] is True
    assert runner.names() == []
    # A file that is not the one recorded is downloaded again (mendix_snapshot decides from its own record).
    (folder / 'calc-accp' / 'saasops-r1.tar.gz').write_bytes(b'changed')
    copy = runner.run(offsite=str(folder), previous=previous)['entry']['offsite']
    assert runner.names() == ['mendix_snapshot'] and copy['status'] == 'copied' and copy['location'] == where


@pytest.mark.parametrize('env, note', [
    ({'platform': 'arcgis', 'connection': {'url': 'https://gis.example', 'password': SECRET}, 'target': {}}, 'ArcGIS has no API'),
    ({'platform': 'jahia', 'connection': {'api_token': SECRET}, 'target': {}}, 'Jahia has no API'),
    ({'platform': 'atlassian', 'connection': {'api_token': SECRET}, 'target': {'api_version': 2}}, 'v2 has no export'),
])
def test_platforms_without_a_download_api_are_said_so_and_send_nothing(env, note):
    runner = Runner()
    result = runner.run(env=env, entry=dict(ENTRY, platform=env['platform']))
    assert result['entry']['offsite']['status'] == 'unsupported' and note in result['entry']['offsite']['note']
    assert runner.names() == [] and 'failed' not in result


def test_planned_and_failed_backups_are_not_copied():
    runner = Runner()
    assert runner.run(entry=dict(ENTRY, status='planned'))['entry']['offsite']['status'] == 'planned'
    assert runner.run(entry=dict(ENTRY, status='failed'))['entry']['offsite']['status'] == 'skipped'
    assert runner.names() == []


def test_no_offsite_leaves_the_entry_and_its_line_as_they_are():
    runner = Runner()
    result = runner.run(offsite='none')
    assert result['entry'] == ENTRY and result['line'] == 'calc-accp  mendix  completed'


def test_validate_refuses_before_anything_is_sent(tmp_path, monkeypatch):
    runner = Runner()
    result = runner.run('validate', offsite=str(tmp_path / 'typo'))
    assert result['failed'] and 'is not an existing directory' in result['msg']
    result = runner.run('validate', offsite_s3={'secret_kye': S3_SECRET})
    assert result['failed'] and "unknown option 'secret_kye'" in result['msg']
    assert runner.names() == []
    missing = MagicMock()
    missing.resolved = False
    monkeypatch.setattr(snapshot_copy.module_loader, 'find_plugin_with_context', lambda name: missing)
    result = runner.run('validate')
    assert result['failed'] and 'needs the amazon.aws collection' in result['msg']
    assert runner.names() == []


def test_validate_reads_the_bucket_once(monkeypatch):
    found = MagicMock()
    found.resolved = True
    monkeypatch.setattr(snapshot_copy.module_loader, 'find_plugin_with_context', lambda name: found)
    runner = Runner({'s3_object_info': [{'failed': True, 'msg': 'The bucket copies-1 does not exist'}]})
    result = runner.run('validate')
    assert result['failed'] and 'cannot be read: The bucket copies-1 does not exist' in result['msg']
    assert runner.calls == [('s3_object_info', {'endpoint_url': 'http://127.0.0.1:9', 'secret_key': S3_SECRET,
                                                'bucket_name': 'copies-1', 'prefix': 'team/calc-accp/', 'max_keys': 1})]
