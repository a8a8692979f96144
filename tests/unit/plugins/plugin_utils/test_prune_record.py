# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The prune history: in a folder of its own beside the manifests, atomic, locked, bounded; read back as untrusted data."""

import json
import os
import stat
import threading

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _prune_record as record


def entry(**changes):
    base = {'kind': 'backup', 'host': 'gis-prod', 'platform': 'arcgis',
            'identity': {'url': 'https://gis.example.com/arcgis', 'store': 'default-store'},
            'backup': {'id': 'saasops-r1', 'name': 'saasops-r1', 'time': '2026-10-01T10:00:00Z', 'run_id': 'r1'},
            'result': 'deleted', 'reason': '60d old, older than 30 days', 'at': '2026-11-30T10:00:00Z', 'error': None}
    base.update(changes)
    return base


def history(tmp_path):
    return json.loads((tmp_path / 'prune' / 'history.json').read_text(encoding='utf-8'))


def test_records_are_appended_in_a_folder_of_their_own_mode_0600(tmp_path):
    path, notes = record.append(str(tmp_path), [entry()])
    assert path == str(tmp_path / 'prune' / 'history.json') and notes == []
    assert history(tmp_path) == {'schema': 1, 'deletions': [entry()]}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    record.append(str(tmp_path), [entry(host='other', result='failed', error='HTTP 409')])
    assert [(r['host'], r['result']) for r in history(tmp_path)['deletions']] == [('gis-prod', 'deleted'), ('other', 'failed')]
    assert sorted(os.listdir(tmp_path / 'prune')) == ['.history.lock', 'history.json']
    # Nothing beside the manifests looks like a run.
    assert store.list_runs(str(tmp_path)) == []


def test_each_host_keeps_its_newest_records_only(tmp_path):
    record.append(str(tmp_path), [entry(reason=str(i)) for i in range(6)] + [entry(host='b')], limit=2)
    assert [(r['host'], r['reason']) for r in history(tmp_path)['deletions']] == [('gis-prod', '4'), ('gis-prod', '5'),
                                                                                  ('b', '60d old, older than 30 days')]


BAD = [dict(kind='copy'), dict(host=''), dict(host='a\nb'), dict(platform='gitlab'), dict(result='maybe'), dict(at='soon'),
       dict(identity={'url': ['x']}), dict(identity='x'), dict(backup={'id': ''}),
       dict(backup={'id': 'x', 'run_id': '../etc'}), dict(backup={'id': 'x', 'time': 'yesterday'}), dict(error=5),
       dict(reason=None)]


@pytest.mark.parametrize('change', BAD)
def test_a_record_that_does_not_fit_is_refused_and_nothing_written(tmp_path, change):
    with pytest.raises(record.RecordError):
        record.append(str(tmp_path), [entry(), entry(**change)])
    assert not (tmp_path / 'prune' / 'history.json').exists()


def test_only_the_schemas_fields_are_kept(tmp_path):
    (tmp_path / 'prune').mkdir()
    (tmp_path / 'prune' / 'history.json').write_text(json.dumps({'schema': 1, 'deletions': [
        dict(entry(), token='leak', identity={'url': 'https://gis.example.com/arcgis', 'password': 'leak'}),
        entry(kind='unknown'), 'nonsense']}), encoding='utf-8')
    kept, dropped = record.read(str(tmp_path))
    assert dropped == 2 and 'leak' not in json.dumps(kept)
    path, notes = record.append(str(tmp_path), [entry(host='b')])
    assert notes == ['%s had 2 unusable record(s); they were left out' % path]
    assert [r['host'] for r in history(tmp_path)['deletions']] == ['gis-prod', 'b']


@pytest.mark.parametrize('text', ['not json', '[1, 2]', '{"schema": 2, "deletions": []}', '{"schema": 1}'])
def test_a_file_that_is_no_history_is_moved_aside(tmp_path, text):
    (tmp_path / 'prune').mkdir()
    (tmp_path / 'prune' / 'history.json').write_text(text, encoding='utf-8')
    with pytest.raises(record.RecordError):
        record.read(str(tmp_path))
    dummy, notes = record.append(str(tmp_path), [entry()])
    assert 'moved to' in notes[0] and history(tmp_path)['deletions'] == [entry()]
    assert any(name.startswith('history.json.unusable-') for name in os.listdir(tmp_path / 'prune'))


def test_parallel_writers_lose_nothing(tmp_path):
    threads = [threading.Thread(target=record.append, args=(str(tmp_path), [entry(host='h%d' % i)])) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r['host'] for r in history(tmp_path)['deletions']) == ['h%d' % i for i in range(8)]


def test_records_of_a_prune_result():
    found = {'host': 'gis-prod', 'platform': 'arcgis', 'identity': {'url': 'https://gis.example.com/arcgis'},
             'deleted': [dict(id='saasops-r1', name='saasops-r1', time='2026-10-01T10:00:00Z', run_id='r1', reason='old',
                              at='2026-11-30T10:00:00Z', age_seconds=5, action='delete', codes=[])],
             'failed': [dict(id='saasops-r0', name='saasops-r0', time=None, run_id='r0', reason='old', error='HTTP 403',
                             at='2026-11-30T10:00:01Z')]}
    records = record.records_of(found)
    assert [(r['backup']['id'], r['result'], r['error']) for r in records] == [
        ('saasops-r1', 'deleted', None), ('saasops-r0', 'failed', 'HTTP 403')]
    assert all(record.clean_record(r) == r for r in records)
