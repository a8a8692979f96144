# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The manifest directory: merge by host, atomic files, a latest pointer that only names complete runs,
writers of one run serialised, run ids that cannot name another file."""

import contextlib
import json
import multiprocessing
import os
import stat

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store


def entry(host, status='completed', platform='arcgis', **extra):
    return dict(host=host, platform=platform, status=status, **extra)


def manifest_of(directory, run_id):
    with open(os.path.join(str(directory), run_id + '.json'), encoding='utf-8') as handle:
        return json.load(handle)


def hosts(manifest):
    return [e['host'] for e in manifest['environments']]


def pointer(directory):
    return store.latest_run_id(str(directory))


# --- run ids ------------------------------------------------------------------------------------

@pytest.mark.parametrize('run_id', ['../x', 'a b', '.hidden', '', 'a/b', 'run\n', 'latest', 'LATEST', 'x' * 129, None, 7])
def test_run_ids_that_could_name_another_file_are_refused(tmp_path, run_id):
    with pytest.raises(store.StoreError, match='is not valid'):
        store.check_run_id(run_id)
    with pytest.raises(store.StoreError):
        store.run_path(str(tmp_path), run_id)
    with pytest.raises(store.StoreError):
        store.write_run(str(tmp_path), run_id, [entry('a')], True)
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize('run_id', ['20261130t101500z-ab12', 'a', 'r.1_x-2', 'latest-1', 'x' * 128])
def test_usual_run_ids_are_accepted(tmp_path, run_id):
    assert store.run_path(str(tmp_path), run_id) == os.path.join(str(tmp_path), run_id + '.json')


# --- the directory ------------------------------------------------------------------------------

def test_default_dir_honours_xdg_state_home(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_STATE_HOME', str(tmp_path / 'state'))
    assert store.default_dir() == str(tmp_path / 'state' / 'saasops' / 'manifests')
    monkeypatch.delenv('XDG_STATE_HOME')
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    assert store.default_dir() == str(tmp_path / 'home' / '.local' / 'state' / 'saasops' / 'manifests')
    monkeypatch.setenv('XDG_STATE_HOME', '')  # empty means unset (XDG base directory specification)
    assert store.default_dir() == str(tmp_path / 'home' / '.local' / 'state' / 'saasops' / 'manifests')


def test_a_missing_directory_is_created_only_when_asked(tmp_path):
    directory = str(tmp_path / 'a' / 'manifests')
    with pytest.raises(store.StoreError, match='does not exist: create it, or leave saasops_manifest_dir unset'):
        store.check_dir(directory, False)
    assert not os.path.exists(directory)
    assert store.check_dir(directory, True) is True
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert store.check_dir(directory, True) is False


def test_a_file_is_not_a_directory(tmp_path):
    (tmp_path / 'f').write_text('x')
    for create in (False, True):
        with pytest.raises(store.StoreError, match='is not a directory'):
            store.check_dir(str(tmp_path / 'f'), create)


# --- files --------------------------------------------------------------------------------------

def test_write_json_is_atomic_leaves_no_temporary_file_and_mode_0600(tmp_path):
    path = str(tmp_path / 'r.json')
    old = os.umask(0o022)
    try:
        store.write_json(path, {'a': 1})
        store.write_json(path, {'a': 2})
    finally:
        os.umask(old)
    assert os.listdir(str(tmp_path)) == ['r.json']
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert store.read_json(path) == {'a': 2}


def test_a_value_json_cannot_hold_changes_nothing(tmp_path):
    path = str(tmp_path / 'r.json')
    store.write_json(path, {'a': 1})
    with pytest.raises(store.StoreError, match='cannot be written as JSON'):
        store.write_json(path, {'a': object()})
    assert os.listdir(str(tmp_path)) == ['r.json'] and store.read_json(path) == {'a': 1}


@pytest.mark.parametrize('content, message', [('{"a": ', 'cannot be read'), ('[1]', 'is not a JSON object'),
                                              (b'\xff\xfe', 'cannot be read')])
def test_an_unreadable_file_is_named(tmp_path, content, message):
    path = tmp_path / 'r.json'
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(store.StoreError, match=message) as info:
        store.read_json(str(path))
    assert str(path) in str(info.value)
    assert store.read_json(str(tmp_path / 'missing.json')) is None


# --- merge --------------------------------------------------------------------------------------

def test_merge_keeps_other_hosts_and_replaces_the_same_host(tmp_path):
    directory = str(tmp_path)
    store.write_run(directory, 'r1', [entry('a', 'started'), entry('b', 'started')], False)
    first = manifest_of(directory, 'r1')
    manifest, path, latest = store.write_run(directory, 'r1', [entry('b'), entry('c')], False)
    assert path == os.path.join(directory, 'r1.json') and latest is False
    assert hosts(manifest) == ['a', 'b', 'c']
    assert [e['status'] for e in manifest['environments']] == ['started', 'completed', 'completed']
    assert manifest == manifest_of(directory, 'r1')
    assert manifest['created'] == first['created'] and manifest['schema'] == 1 and manifest['run_id'] == 'r1'


def test_merge_refuses_the_manifest_of_another_run(tmp_path):
    directory = str(tmp_path)
    store.write_json(os.path.join(directory, 'r1.json'), {'schema': 1, 'run_id': 'r2', 'environments': []})
    with pytest.raises(store.StoreError, match='move it away'):
        store.write_run(directory, 'r1', [entry('a')], True)
    with pytest.raises(store.StoreError, match='refusing to merge'):
        store.merge({'schema': 1, 'run_id': 'r2'}, 'r1', [entry('a')])
    with pytest.raises(store.StoreError, match='refusing to merge'):
        store.merge({'schema': 2, 'run_id': 'r1'}, 'r1', [entry('a')])
    assert manifest_of(directory, 'r1')['run_id'] == 'r2'


@pytest.mark.parametrize('entries, message', [
    ([entry('a'), 'b'], 'entry 1 is a string, not a dict'),
    ([{'status': 'completed'}], 'entry 0 has no host'),
    ([{'host': 3}], 'entry 0 has no host'),
    ([{'host': ''}], 'entry 0 has no host'),
    ({'host': 'a'}, 'entries are a dict, not a list'),
])
def test_entries_must_name_their_host(tmp_path, entries, message):
    with pytest.raises(store.StoreError, match=message):
        store.write_run(str(tmp_path), 'r1', entries, True)
    assert os.listdir(str(tmp_path)) == []


def test_environments_that_are_not_a_list_are_refused(tmp_path):
    store.write_json(str(tmp_path / 'r1.json'), {'schema': 1, 'run_id': 'r1', 'environments': {'a': 1}})
    with pytest.raises(store.StoreError, match='environments of .* are not a list'):
        store.write_run(str(tmp_path), 'r1', [entry('a')], True)


# --- the latest pointer -------------------------------------------------------------------------

def test_latest_only_when_final_and_complete(tmp_path):
    directory = str(tmp_path)
    assert store.write_run(directory, 'r1', [entry('a'), entry('b', 'started')], True)[2] is False
    assert pointer(directory) is None
    assert store.write_run(directory, 'r1', [entry('b')], False)[2] is False  # complete, not final
    assert pointer(directory) is None
    assert store.write_run(directory, 'r1', [], True)[2] is True
    assert pointer(directory) == 'r1'
    assert stat.S_IMODE(os.stat(os.path.join(directory, store.LATEST)).st_mode) == 0o600


@pytest.mark.parametrize('statuses, complete', [
    (['completed', 'triggered'], True), (['completed', 'failed'], False), (['completed', None], False), ([], False),
])
def test_is_complete(statuses, complete):
    environments = [entry(str(i), s) for i, s in enumerate(statuses)]
    assert store.is_complete({'environments': environments}) is complete
    assert store.is_complete({'environments': ['x']}) is False
    assert store.is_complete({'environments': 'completed'}) is False


def test_an_older_run_made_complete_again_does_not_take_the_pointer(tmp_path):
    directory = str(tmp_path)
    store.write_run(directory, 'old', [entry('a')], True)
    with open(os.path.join(directory, 'old.json'), encoding='utf-8') as handle:
        old = json.load(handle)
    old['created'] = '2020-01-01T00:00:00Z'
    store.write_json(os.path.join(directory, 'old.json'), old)
    assert store.write_run(directory, 'new', [entry('a')], True)[2] is True
    assert store.write_run(directory, 'old', [entry('a')], True)[2] is False  # a --limit re-run of the old run
    assert pointer(directory) == 'new'


def test_a_slice_recording_a_failure_takes_the_pointer_back(tmp_path):
    directory = str(tmp_path)
    store.write_run(directory, 'r0', [entry('a'), entry('b')], True)
    data = manifest_of(directory, 'r0')
    data['created'] = '2020-01-01T00:00:00Z'
    store.write_json(os.path.join(directory, 'r0.json'), data)
    assert store.write_run(directory, 'r1', [entry('a')], True)[2] is True  # slice 1: its hosts all done
    assert pointer(directory) == 'r1'
    assert store.write_run(directory, 'r1', [entry('b', 'failed')], True)[2] is False  # slice 2: one failed
    assert pointer(directory) == 'r0'  # as if the run had been written in one piece
    os.unlink(os.path.join(directory, 'r0.json'))
    store.write_run(directory, 'r1', [entry('b')], True)
    assert pointer(directory) == 'r1'
    store.write_run(directory, 'r1', [entry('b', 'failed')], False)
    assert pointer(directory) is None  # no complete run left: no pointer rather than an incomplete run


def test_a_pointer_naming_nothing_usable_is_replaced(tmp_path):
    directory = str(tmp_path)
    store.write_json(os.path.join(directory, store.LATEST), {'run_id': '../../etc/passwd'})
    assert store.write_run(directory, 'r1', [entry('a')], True)[2] is True
    assert pointer(directory) == 'r1'


# --- writers ------------------------------------------------------------------------------------

def test_copy_to_holds_the_whole_merged_manifest(tmp_path):
    directory = str(tmp_path / 'm')
    os.mkdir(directory)
    copy = str(tmp_path / 'saasops-manifest.json')
    store.write_run(directory, 'r1', [entry('a')], False, copy_to=copy)
    manifest = store.write_run(directory, 'r1', [entry('b')], True, copy_to=copy)[0]
    assert store.read_json(copy) == manifest and hosts(manifest) == ['a', 'b']
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600


def test_the_lock_times_out_on_the_injected_clock(tmp_path):
    now = [100.0]
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    directory = str(tmp_path)
    with store.locked(directory, 'r1'):
        # flock locks are per open file description: a second open in this process blocks like another writer.
        with pytest.raises(store.StoreError, match=r'another writer holds .*\.r1\.lock for more than 2 s'):
            with store.locked(directory, 'r1', timeout=2, sleep=sleep, clock=lambda: now[0]):
                pytest.fail('the lock was taken twice')
        with pytest.raises(store.StoreError, match='another writer holds'):
            store.write_run(directory, 'r1', [entry('a')], True, timeout=1, sleep=sleep, clock=lambda: now[0])
        with store.locked(directory, 'r2', timeout=0):  # another run's lock is free
            pass
    assert 2 <= sum(sleeps) < 3.2 and len(sleeps) < 100
    with store.locked(directory, 'r1', timeout=0):  # released
        pass
    assert not os.path.exists(os.path.join(directory, 'r1.json'))


def _writer(directory, worker, count):
    """One --limit run or job slice: ``count`` writes of its own hosts into run r1."""
    for index in range(count):
        store.write_run(directory, 'r1', [entry('w%d-h%02d' % (worker, index))], index == count - 1)


def test_concurrent_writers_of_one_run_lose_no_host(tmp_path):
    directory = str(tmp_path)
    context = multiprocessing.get_context('fork')
    workers = [context.Process(target=_writer, args=(directory, worker, 20)) for worker in range(3)]
    for process in workers:
        process.start()
    try:
        for process in workers:
            process.join(60)
        assert [p.exitcode for p in workers] == [0, 0, 0]
    finally:
        for process in workers:
            if process.is_alive():
                process.kill()
                process.join(5)
    manifest = manifest_of(directory, 'r1')  # valid JSON, or json.load raises
    assert sorted(hosts(manifest)) == sorted('w%d-h%02d' % (w, i) for w in range(3) for i in range(20))
    assert pointer(directory) == 'r1'
    assert sorted(os.listdir(directory)) == ['.latest.lock', '.r1.lock', 'latest.json', 'r1.json']


# --- listing ------------------------------------------------------------------------------------

def test_list_runs_newest_first_marks_latest_and_names_unusable_files(tmp_path):
    directory = str(tmp_path)
    for run_id, created, status in (('r1', '2026-01-01T00:00:00Z', 'completed'),
                                    ('r3', '2026-03-01T00:00:00Z', 'failed'),
                                    ('r2', '2026-02-01T00:00:00Z', 'triggered')):
        store.write_json(os.path.join(directory, run_id + '.json'),
                         {'schema': 1, 'run_id': run_id, 'created': created,
                          'environments': [entry('a', status), entry('b')]})
    store.write_json(os.path.join(directory, store.LATEST), {'run_id': 'r2'})
    (tmp_path / 'broken.json').write_text('{')
    store.write_json(os.path.join(directory, 'copy.json'), {'schema': 1, 'run_id': 'r1', 'environments': []})
    (tmp_path / '.r1.lock').write_text('')
    (tmp_path / 'notes.txt').write_text('')
    runs = store.list_runs(directory)
    assert [r['run_id'] for r in runs] == ['r3', 'r2', 'r1', 'copy', 'broken']
    r3, r2, r1 = runs[:3]
    assert r2 == {'run_id': 'r2', 'created': '2026-02-01T00:00:00Z', 'complete': True, 'environments': 2,
                  'statuses': {'triggered': 1, 'completed': 1}, 'latest': True,
                  'path': os.path.join(directory, 'r2.json')}
    assert r3['complete'] is False and r3['statuses'] == {'failed': 1, 'completed': 1} and not r3['latest']
    assert r1['complete'] is True and not r1['latest']
    assert 'move it away' in runs[3]['error'] and runs[3]['complete'] is False
    assert 'cannot be read' in runs[4]['error'] and runs[4]['complete'] is False


def test_list_runs_of_a_missing_directory_is_empty(tmp_path):
    assert store.list_runs(str(tmp_path / 'missing')) == []


def test_umask_does_not_widen_files(tmp_path):
    with contextlib.ExitStack() as stack:
        old = os.umask(0)
        stack.callback(os.umask, old)
        store.write_run(str(tmp_path), 'r1', [entry('a')], True)
    for name in ('r1.json', 'latest.json', '.r1.lock', '.latest.lock'):
        assert stat.S_IMODE(os.stat(str(tmp_path / name)).st_mode) == 0o600, name
