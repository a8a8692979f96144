# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of mendix_snapshot against the emulator: create once, reuse, wait, download, delete."""

import hashlib
import os

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.plugins.modules import mendix_snapshot as mod
from ansible_collections.saasops.backup.tests.unit.plugins.modules.mendix_emu import client, mutations


def run(emu, check_mode=False, **overrides):
    base = dict(state='present', comment='release-1', snapshot_id=None, max_age=None, download=None)
    base.update(overrides)
    module, api, clock = client(emu, check_mode=check_mode, **base)
    runner = mod.SnapshotRun(module, api)
    runner.clock = clock.wall
    try:
        return runner.execute(), module
    finally:
        api.http.session.close()


def creates(emu):
    return [r for r in emu.requests(method='POST') if r['path'].endswith('/snapshots')]


def sha256_of(path):
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.mark.parametrize('version', [1, 2])
def test_create_waits_then_reuses_without_a_second_create(emu, version):
    emu.configure({'mendix': {'snapshot_seconds': 30.0}})
    first, dummy = run(emu, api_version=version)
    assert first['changed'] is True and first['snapshot']['state'] == 'completed'
    assert first['elapsed'] >= 30
    second, dummy = run(emu, api_version=version)
    assert second['changed'] is False
    assert second['snapshot']['snapshot_id'] == first['snapshot']['snapshot_id']
    assert len(creates(emu)) == 1


def test_v1_completion_comes_from_the_download_links_not_the_create_answer(emu):
    emu.configure({'mendix': {'snapshot_seconds': 10.0}})
    result, dummy = run(emu, api_version=1)
    links = [r for r in emu.requests(method='GET') if '/snapshots/' in r['path']]
    assert [r['status'] for r in links][0] == 500 and links[-1]['status'] == 200
    assert result['snapshot']['state'] == 'completed'


def test_v1_failed_snapshot_fails_the_module(emu):
    emu.configure({'mendix': {'snapshot_result': 'failed'}})
    with pytest.raises(PlatformError, match='failed'):
        run(emu, api_version=1)


def test_check_mode_predicts_and_sends_nothing(emu, tmp_path):
    result, dummy = run(emu, check_mode=True,
                        download=dict(dest=str(tmp_path / 'x.backup'), data_type='database_only', force=False))
    assert result['changed'] is True
    assert result['snapshot'] == {'snapshot_id': None, 'comment': 'release-1', 'state': 'queued'}
    assert result['download']['sha256'] is None
    assert mutations(emu) == []
    assert os.listdir(str(tmp_path)) == []


def test_no_wait_returns_the_queued_snapshot(emu):
    result, dummy = run(emu, wait=False)
    assert result['changed'] is True and result['snapshot']['state'] == 'queued'


def test_lost_create_answer_is_resolved_by_reading_again(emu):
    emu.add_fault(path='/snapshots$', method='POST', action='drop_after')
    result, dummy = run(emu)
    assert result['changed'] is True
    assert len(creates(emu)) == 1
    assert len(emu.state('mendix')['snapshots']) == 1


def test_busy_environment_is_retried_until_free(emu):
    emu.configure({'mendix': {'snapshot_seconds': 20.0}})
    run(emu, comment='other', wait=False)
    result, dummy = run(emu)
    statuses = [r['status'] for r in creates(emu)]
    assert statuses[0] == 200 and 400 in statuses and statuses[-1] == 200
    assert result['snapshot']['state'] == 'completed'


def test_download_is_atomic_recorded_and_not_repeated(emu, tmp_path):
    dest = str(tmp_path / 'db.backup')
    options = dict(dest=dest, data_type='database_only', force=False)
    first, module = run(emu, download=options)
    served = emu.state('mendix')['downloads'][0]
    assert first['download']['sha256'] == served['sha256'] == sha256_of(dest)
    assert sorted(os.listdir(str(tmp_path))) == ['db.backup', 'db.backup.mendix-snapshot.json']
    assert any('signature=' in v for v in module.no_log_values)  # the signed URL never reaches any output
    again, dummy = run(emu, download=options)
    assert again['changed'] is False and again['download']['sha256'] == served['sha256']
    with open(dest, 'ab') as handle:  # a changed file is not trusted
        handle.write(b'x')
    third, dummy = run(emu, download=options)
    assert third['changed'] is True and sha256_of(dest) == served['sha256']
    archives = [r for r in emu.requests(method='POST') if r['path'].endswith('/archives')]
    assert len(archives) == 2
    hosts = {r['host'] for r in emu.requests() if r['path'].startswith('/mendix/backups/')}
    assert hosts == {'localhost'}
    for entry in emu.requests(host='localhost'):
        assert not [h for h in entry['headers'] if h.lower().startswith('mendix-')]


def test_expired_archive_url_fails_clearly_without_a_partial_file(emu, tmp_path):
    emu.configure({'mendix': {'archive_url_ttl_seconds': 0.0}})
    dest = str(tmp_path / 'db.backup')
    with pytest.raises(PlatformError, match='HTTP 403') as caught:
        run(emu, download=dict(dest=dest, data_type='database_only', force=False))
    assert 'signature' not in str(caught.value)
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize('overrides, message', [
    (dict(download=dict(dest='/tmp/x', data_type='files_only', force=False)), "'files_only' exists only"),
    (dict(state='absent', api_version=1), 'api_version 2'),
    (dict(comment=None), 'comment is required'),
    (dict(snapshot_id='abc'), 'state=absent only'),
    (dict(max_age=0), 'max_age'),
    (dict(wait=False, download=dict(dest='/tmp/x', data_type='database_only', force=False)), 'wait=true'),
    (dict(download=dict(dest='/no/such/dir/x', data_type='database_only', force=False)), 'does not exist'),
    (dict(environment='Staging'), "environments: Test, Acceptance"),
    (dict(app_id='nope'), "app 'nope' does not exist"),
    (dict(environment='Test/x'), "environment 'Test/x' cannot be used"),
])
def test_bad_input_fails_before_any_change(emu, overrides, message):
    with pytest.raises(InputError, match=message):
        run(emu, **overrides)
    assert mutations(emu) == []


def test_absent_deletes_every_snapshot_with_the_comment_once(emu):
    emu.seed({'mendix': {'snapshots': [
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'old'},
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'old', 'state': 'failed'},
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'keep'}]}})
    checked, dummy = run(emu, check_mode=True, state='absent', comment='old')
    assert checked['changed'] is True and len(checked['deleted']) == 2 and mutations(emu) == []
    deleted, dummy = run(emu, state='absent', comment='old')
    again, dummy = run(emu, state='absent', comment='old')
    assert deleted['changed'] is True and again['changed'] is False
    assert [s['comment'] for s in emu.state('mendix')['snapshots']] == ['keep']
    assert len(emu.requests(method='DELETE')) == 2


def test_racing_runs_with_the_same_comment_make_one_snapshot(emu, monkeypatch):
    # Both runs read "no snapshot" before either created one; ours then found the environment busy
    # with the other's snapshot and, once free, must find that one instead of making a second.
    emu.configure({'mendix': {'snapshot_seconds': 20.0}})
    original, theirs = mod.newest_usable, []

    def stale_first_read(*args, **kwargs):
        if not theirs:
            theirs.append(None)
            theirs[0] = run(emu, wait=False)[0]['snapshot']  # the other run, same comment
            return None
        return original(*args, **kwargs)

    monkeypatch.setattr(mod, 'newest_usable', stale_first_read)
    result, dummy = run(emu)
    assert result['changed'] is False
    assert result['snapshot']['snapshot_id'] == theirs[0]['snapshot_id']
    assert result['snapshot']['state'] == 'completed'
    assert [r['status'] for r in creates(emu)] == [200, 400]
    assert len(emu.state('mendix')['snapshots']) == 1


@pytest.mark.parametrize('version', [1, 2])
def test_a_create_then_a_timeout_reports_changed_and_the_snapshot_id(emu, version):
    emu.configure({'mendix': {'snapshot_seconds': 3600.0}})
    with pytest.raises(WaitTimeout) as caught:
        run(emu, api_version=version, wait_timeout=60)
    carried = caught.value.result
    assert carried['changed'] is True and carried['snapshot']['snapshot_id']
    assert carried['snapshot']['comment'] == 'release-1'
    assert len(creates(emu)) == 1
