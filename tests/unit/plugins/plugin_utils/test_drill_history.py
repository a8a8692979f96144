# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drill history: written atomically under a lock and bounded; read back as untrusted data."""

import json
import os
import stat
import threading

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _drill_history as history
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store


def record(**changes):
    base = {'host': 'calc-prod', 'platform': 'mendix', 'drill_target': 'calc-test',
            'source': {'app_id': 'calc', 'environment': 'Production', 'api_version': 2},
            'target': {'app_id': 'calc', 'environment': 'Test'},
            'backup': {'id': 'snap-1', 'name': 'saasops run-1', 'time': '2026-11-30T02:00:00Z'},
            'manifest_run_id': 'run-1', 'started_at': '2026-11-30T03:00:00Z', 'finished_at': '2026-11-30T03:07:00Z',
            'rto_seconds': 420.5, 'result': 'passed', 'checks': [{'name': 'environment running', 'ok': True, 'detail': ''}],
            'error': None}
    base.update(changes)
    return base


def write(tmp_path, data):
    (tmp_path / 'drills').mkdir(exist_ok=True)
    (tmp_path / 'drills' / 'history.json').write_text(data if isinstance(data, str) else json.dumps(data), encoding='utf-8')


def test_a_record_is_appended_atomically_with_mode_0600(tmp_path):
    path, notes = history.append(str(tmp_path), [record()])
    assert path == str(tmp_path / 'drills' / 'history.json') and notes == []
    assert json.loads((tmp_path / 'drills' / 'history.json').read_text()) == {'schema': 1, 'drills': [record()]}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    history.append(str(tmp_path), [record(host='other')])
    assert [r['host'] for r in json.loads((tmp_path / 'drills' / 'history.json').read_text())['drills']] == ['calc-prod', 'other']
    assert sorted(os.listdir(tmp_path / 'drills')) == ['.history.lock', 'history.json']  # no temporary file left


def test_each_host_keeps_its_newest_records_only(tmp_path):
    records = [record(rto_seconds=float(i)) for i in range(7)] + [record(host='b')]
    history.append(str(tmp_path), records, limit=3)
    kept = history.read(str(tmp_path))[0]
    expected = [('calc-prod', 4.0), ('calc-prod', 5.0), ('calc-prod', 6.0), ('b', 420.5)]
    assert [(r['host'], r['rto_seconds']) for r in kept] == expected
    assert history.MAX_PER_HOST == 50


def test_a_record_that_does_not_fit_the_schema_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(history.HistoryError):
        history.append(str(tmp_path), [record(), record(rto_seconds='fast')])
    assert not (tmp_path / 'drills' / 'history.json').exists()


BAD = [
    dict(rto_seconds='fast'), dict(rto_seconds=True), dict(rto_seconds=-1), dict(rto_seconds=float('nan')),
    dict(host=''), dict(host=['a']), dict(host='a\nb'), dict(host='x' * 300), dict(platform='gitlab'),
    dict(result='excellent'), dict(started_at='yesterday'), dict(finished_at=None), dict(manifest_run_id='../etc'),
    dict(source={'url': ['a']}), dict(source='calc'), dict(target={'app_id': True}), dict(backup={'name': 'x'}),
    dict(backup={'id': 'x', 'time': 'soon'}), dict(checks='all fine'), dict(checks=[{'name': 'x', 'ok': 'yes', 'detail': ''}]),
    dict(checks=[{'name': 'x', 'ok': True}]), dict(error=42), dict(drill_target=None),
]


@pytest.mark.parametrize('change', BAD, ids=[str(sorted(c)) + str(i) for i, c in enumerate(BAD)])
def test_an_unusable_record_is_not_taken(change):
    assert history.clean_record(record(**change)) is None


def test_only_the_schema_fields_are_kept():
    hostile = record(url='https://evil.example/collect', api_key='stolen',
                     source={'app_id': 'calc', 'api_key': 'stolen', 'url': 'https://gis.example.com/arcgis'},
                     backup={'id': 's', 'name': None, 'time': None, 'download_url': 'https://evil.example'},
                     checks=[{'name': 'n', 'ok': False, 'detail': 'd', 'href': 'https://evil.example'}])
    clean = history.clean_record(hostile)
    assert set(clean) == set(record())
    assert clean['source'] == {'app_id': 'calc', 'url': 'https://gis.example.com/arcgis'}
    assert clean['backup'] == {'id': 's', 'name': None, 'time': None}
    assert clean['checks'] == [{'name': 'n', 'ok': False, 'detail': 'd'}]
    assert 'evil' not in json.dumps(clean) and 'stolen' not in json.dumps(clean)


def test_unusable_records_of_the_file_are_dropped_on_the_next_write(tmp_path):
    write(tmp_path, {'schema': 1, 'drills': [record(host='old'), 'garbage', None, record(rto_seconds='x')]})
    path, notes = history.append(str(tmp_path), [record()])
    assert [r['host'] for r in history.read(str(tmp_path))[0]] == ['old', 'calc-prod']
    assert notes == ['%s had 3 unusable record(s); they were left out' % path]


@pytest.mark.parametrize('content', ['not json{', '[1, 2]', '{"schema": 2, "drills": []}', '{"schema": 1, "drills": "x"}'])
def test_a_file_that_is_no_drill_history_is_moved_aside(tmp_path, content):
    write(tmp_path, content)
    dummy, notes = history.append(str(tmp_path), [record()])
    [aside] = [n for n in os.listdir(tmp_path / 'drills') if n.startswith('history.json.unusable-')]
    assert (tmp_path / 'drills' / aside).read_text() == content
    assert len(notes) == 1 and 'moved to' in notes[0]
    assert history.read(str(tmp_path))[0] == [record()]


def test_last_drills_gives_each_hosts_newest_drill_that_ran(tmp_path):
    write(tmp_path, {'schema': 1, 'drills': [
        record(finished_at='2026-11-30T03:07:00Z'), record(finished_at='2026-12-07T03:07:00Z', result='failed', error='boom'),
        record(finished_at='2026-12-08T03:07:00Z', result='planned'), record(host='b', finished_at='2026-12-01T00:00:00Z'),
        record(host='b', finished_at='2026-11-01T00:00:00Z', rto_seconds=1.0), {'host': 'c', 'url': 'https://evil.example'}]})
    last = history.last_drills(str(tmp_path))
    assert sorted(last) == ['b', 'calc-prod']
    assert last['calc-prod']['result'] == 'failed' and last['calc-prod']['error'] == 'boom'
    assert last['b']['rto_seconds'] == 420.5


@pytest.mark.parametrize('content', [None, 'not json{', '{"schema": 1}', '{"schema": 1, "drills": [1, "x", null]}', '"a string"'])
def test_last_drills_never_raises_for_what_the_file_holds(tmp_path, content):
    if content is not None:
        write(tmp_path, content)
    assert history.last_drills(str(tmp_path)) == {}
    assert history.last_drills(str(tmp_path / 'missing')) == {}


def test_writers_in_parallel_lose_no_record(tmp_path):
    def writer(name):
        for index in range(10):
            history.append(str(tmp_path), [record(host=name, rto_seconds=float(index))])

    threads = [threading.Thread(target=writer, args=('host-%d' % n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = history.read(str(tmp_path))[0]
    assert len(kept) == 40
    for n in range(4):
        assert [r['rto_seconds'] for r in kept if r['host'] == 'host-%d' % n] == [float(i) for i in range(10)]


def test_the_history_is_never_listed_as_a_run_of_the_manifest_directory(tmp_path):
    history.append(str(tmp_path), [record()])
    # Beside the manifests, a top-level drills.json would be listed as a broken run 'drills', and its lock
    # would be the lock of a real run named 'drills'.
    assert store.list_runs(str(tmp_path)) == []
    assert os.listdir(tmp_path) == ['drills']
