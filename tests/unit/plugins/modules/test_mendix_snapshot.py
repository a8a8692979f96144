# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mendix_snapshot through main() against the emulator: create once, reuse, wait, download, delete."""

import hashlib
import json
import os

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _mendix_backups
from ansible_collections.saasops.backup.plugins.module_utils._budget import WaitBudget
from ansible_collections.saasops.backup.plugins.module_utils._mendix import Mendix
from ansible_collections.saasops.backup.plugins.module_utils._mendix_backups import Backups
from ansible_collections.saasops.backup.plugins.modules import mendix_snapshot as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated


@pytest.fixture
def em(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(em, check_mode=False, **args):
    base = dict(app_id='calc', environment='Acceptance', comment='release-1', wait_timeout=600)
    base.update(args)
    return em.run(mod, {k: v for k, v in base.items() if v is not None}, check_mode=check_mode)


def succeeded(em, check_mode=False, **args):
    result = run(em, check_mode=check_mode, **args)
    assert result['failed'] is False, result
    return result


def creates(emu):
    return [r for r in emu.requests(method='POST') if r['path'].endswith('/snapshots')]


def sha256_of(path):
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.mark.parametrize('version', [1, 2])
def test_create_waits_then_reuses_without_a_second_create(em, emu, version):
    emu.configure({'mendix': {'snapshot_seconds': 30.0}})
    first = succeeded(em, api_version=version)
    assert first['changed'] is True and first['snapshot']['state'] == 'completed'
    assert first['elapsed'] >= 30
    second = succeeded(em, api_version=version)
    assert second['changed'] is False
    assert second['snapshot']['snapshot_id'] == first['snapshot']['snapshot_id']
    assert len(creates(emu)) == 1


def test_v1_completion_comes_from_the_download_links_not_the_create_answer(em, emu):
    emu.configure({'mendix': {'snapshot_seconds': 10.0}})
    result = succeeded(em, api_version=1)
    links = [r for r in emu.requests(method='GET') if '/snapshots/' in r['path']]
    assert [r['status'] for r in links][0] == 500 and links[-1]['status'] == 200
    assert result['snapshot']['state'] == 'completed'


def test_v1_failed_snapshot_fails_the_module(em, emu):
    emu.configure({'mendix': {'snapshot_result': 'failed'}})
    result = run(em, api_version=1)
    assert result['failed'] is True and 'failed' in result['msg']
    assert result['changed'] is True  # the failed snapshot was made by this run


def test_check_mode_predicts_and_sends_nothing(em, emu, tmp_path):
    result = succeeded(em, check_mode=True, download=dict(dest=str(tmp_path / 'x.backup'), data_type='database_only'))
    assert result['changed'] is True
    app = emu.state('mendix')['apps']['calc']
    assert result['snapshot'] == {'snapshot_id': None, 'comment': 'release-1', 'state': 'queued',
                                  'project_id': app['project_id'],
                                  'environment_id': app['environments']['Acceptance']['EnvironmentId']}
    assert result['download']['sha256'] is None
    assert result['download']['verified'] is None and result['download']['archive'] is None
    assert em.mutations() == []
    assert os.listdir(str(tmp_path)) == []


def test_no_wait_returns_the_queued_snapshot(em):
    result = succeeded(em, wait=False)
    assert result['changed'] is True and result['snapshot']['state'] == 'queued'


def test_lost_create_answer_is_resolved_by_reading_again(em, emu):
    emu.add_fault(path='/snapshots$', method='POST', action='drop_after')
    result = succeeded(em)
    assert result['changed'] is True
    assert len(creates(emu)) == 1
    assert len(emu.state('mendix')['snapshots']) == 1


def test_busy_environment_is_retried_until_free_within_the_one_budget(em, emu):
    emu.configure({'mendix': {'snapshot_seconds': 20.0}})
    succeeded(em, comment='other', wait=False)
    result = succeeded(em)
    statuses = [r['status'] for r in creates(emu)]
    assert statuses[0] == 200 and 400 in statuses and statuses[-1] == 200
    assert result['snapshot']['state'] == 'completed'
    # The time spent waiting for the environment counts too: the other snapshot took 20 s, ours 20 s.
    assert result['elapsed'] >= 40


def test_busy_past_wait_timeout_fails_naming_the_busy_environment(em, emu):
    emu.configure({'mendix': {'snapshot_seconds': 3600.0}})
    succeeded(em, comment='other', wait=False)
    result = run(em, wait_timeout=30)
    assert result['failed'] is True and result['changed'] is False
    assert 'Timed out after' in result['msg'] and 'ENVIRONMENT_BUSY' in result['msg']
    assert result['elapsed'] >= 30
    assert [r['status'] for r in creates(emu)][1:] == [400] * (len(creates(emu)) - 1)


def test_max_age_takes_seconds_or_a_duration(em, emu):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'aged',
                                        'age_seconds': 7200}]}})
    assert succeeded(em, comment='aged', max_age='1d')['changed'] is False
    assert succeeded(em, comment='aged', max_age=86400)['changed'] is False
    assert creates(emu) == []
    assert succeeded(em, comment='aged', max_age='1h')['changed'] is True
    assert len(creates(emu)) == 1


def test_download_is_atomic_recorded_and_not_repeated(em, emu, tmp_path, monkeypatch):
    modules = []
    original = mod.SnapshotRun.__init__

    def capture(self, module, api):
        modules.append(module)
        original(self, module, api)

    monkeypatch.setattr(mod.SnapshotRun, '__init__', capture)
    dest = str(tmp_path / 'db.backup')
    options = dict(dest=dest, data_type='database_only')
    first = succeeded(em, download=options)
    served = emu.state('mendix')['downloads'][0]
    assert first['download']['sha256'] == served['sha256'] == sha256_of(dest)
    assert sorted(os.listdir(str(tmp_path))) == ['db.backup', 'db.backup.mendix-snapshot.json']
    assert any('signature=' in v for v in modules[0].no_log_values)  # the signed URL never reaches any output
    again = succeeded(em, download=options)
    assert again['changed'] is False and again['download']['sha256'] == served['sha256']
    with open(dest, 'ab') as handle:  # a changed file is not trusted
        handle.write(b'x')
    third = succeeded(em, download=options)
    assert third['changed'] is True and sha256_of(dest) == served['sha256']
    archives = [r for r in emu.requests(method='POST') if r['path'].endswith('/archives')]
    assert len(archives) == 2
    hosts = {r['host'] for r in emu.requests() if r['path'].startswith('/mendix/backups/')}
    assert hosts == {'localhost'}
    for entry in emu.requests(host='localhost'):
        assert not [h for h in entry['headers'] if h.lower().startswith('mendix-')]


def test_expired_archive_url_fails_clearly_without_a_partial_file(em, emu, tmp_path):
    emu.configure({'mendix': {'archive_url_ttl_seconds': 0.0}})
    dest = str(tmp_path / 'db.backup')
    result = run(em, download=dict(dest=dest, data_type='database_only'))
    assert result['failed'] is True and 'HTTP 403' in result['msg']
    assert 'signature' not in result['msg']
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize('args, message', [
    (dict(download=dict(dest='/tmp/x', data_type='files_only')), "'files_only' exists only"),
    (dict(state='absent', api_version=1), 'api_version 2'),
    (dict(comment=None), 'comment is required'),
    (dict(comment=None, snapshot_id='abc'), 'state=absent only'),
    (dict(max_age=0), 'max_age must be a positive duration'),
    (dict(max_age='soon'), 'max_age must be a positive duration'),
    (dict(state='absent', max_age='1d'), 'apply to state=present only'),
    (dict(wait=False, download=dict(dest='/tmp/x', data_type='database_only')), 'wait=true'),
    (dict(download=dict(dest='/no/such/dir/x', data_type='database_only')), 'does not exist'),
    (dict(download=dict(dest='')), 'download.dest is required'),
    (dict(environment='Staging'), "environments: Test, Acceptance"),
    (dict(app_id='nope'), "app 'nope' does not exist"),
    (dict(environment='Test/x'), "environment 'Test/x' cannot be used"),
])
def test_bad_input_fails_before_any_change(em, args, message):
    result = run(em, **args)
    assert result['failed'] is True and message in result['msg'], result
    assert em.mutations() == []


@pytest.mark.parametrize('args, message', [
    # The argument spec's rules: refused by AnsibleModule before the client is even built.
    (dict(state='absent', comment=None), 'state is absent but any of the following are missing: snapshot_id, comment'),
    (dict(snapshot_id='abc'), 'parameters are mutually exclusive: snapshot_id|comment'),
    (dict(state='gone'), 'value of state must be one of: present, absent'),
    (dict(api_version=3), 'value of api_version must be one of: 1, 2'),
    (dict(download=dict(dest='/tmp/x', data_type='everything')), 'value of data_type must be one of'),
    (dict(download=dict(dest='/tmp/x', data_type=None)), 'value of data_type must be one of'),
    (dict(download=dict(data_type='database_only')), 'missing required arguments: dest found in download'),
    (dict(app_id=None), 'missing required arguments: app_id'),
])
def test_argument_spec_rules_fail_before_any_request(em, emu, args, message):
    result = run(em, **args)
    assert result['failed'] is True and message in result['msg'], result
    assert emu.requests() == []


def test_absent_deletes_every_snapshot_with_the_comment_once(em, emu):
    emu.seed({'mendix': {'snapshots': [
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'old'},
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'old', 'state': 'failed'},
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'keep'}]}})
    checked = succeeded(em, check_mode=True, state='absent', comment='old')
    assert checked['changed'] is True and len(checked['deleted']) == 2 and em.mutations() == []
    deleted = succeeded(em, state='absent', comment='old')
    again = succeeded(em, state='absent', comment='old')
    assert deleted['changed'] is True and again['changed'] is False
    assert [s['comment'] for s in emu.state('mendix')['snapshots']] == ['keep']
    assert len(emu.requests(method='DELETE')) == 2


def test_absent_by_id_is_done_once(em, emu):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'old'}]}})
    sid = emu.state('mendix')['snapshots'][0]['snapshot_id']
    first = succeeded(em, state='absent', comment=None, snapshot_id=sid)
    second = succeeded(em, state='absent', comment=None, snapshot_id=sid)
    assert first['changed'] is True and [s['snapshot_id'] for s in first['deleted']] == [sid]
    assert second['changed'] is False and second['deleted'] == []
    assert len(emu.requests(method='DELETE')) == 1


def test_racing_runs_with_the_same_comment_make_one_snapshot(em, emu, monkeypatch):
    # Both runs read "no snapshot" before either created one; ours then found the environment busy
    # with the other's snapshot and, once free, must find that one instead of making a second.
    emu.configure({'mendix': {'snapshot_seconds': 20.0}})
    original, theirs = _mendix_backups.newest_usable, []

    def stale_first_read(*args, **kwargs):
        if not theirs:  # the other run, same comment, creates between our read and our create
            dummy, api = em.api(Mendix, 'mendix', app_id='calc', environment='Acceptance', api_version=2)
            backups = Backups.open(api, api.environment(), WaitBudget(60, api.clock))
            theirs.append(backups.strategy.create('release-1'))
            return None
        return original(*args, **kwargs)

    monkeypatch.setattr(_mendix_backups, 'newest_usable', stale_first_read)
    result = succeeded(em)
    assert result['changed'] is False
    assert result['snapshot']['snapshot_id'] == theirs[0]['snapshot_id']
    assert result['snapshot']['state'] == 'completed'
    assert [r['status'] for r in creates(emu)] == [200, 400]
    assert len(emu.state('mendix')['snapshots']) == 1


@pytest.mark.parametrize('version', [1, 2])
def test_a_create_then_a_timeout_reports_changed_and_the_snapshot_id(em, emu, version):
    emu.configure({'mendix': {'snapshot_seconds': 3600.0}})
    result = run(em, api_version=version, wait_timeout=60)
    assert result['failed'] is True and 'Timed out after' in result['msg']
    assert result['changed'] is True and result['snapshot']['snapshot_id']
    assert result['snapshot']['comment'] == 'release-1'
    assert result['elapsed'] >= 60
    assert len(creates(emu)) == 1


# --- what real clients and a live tenant showed (api/mendix.md, "Real clients and current vendor state") ----

def archive_posts(emu):
    return [r for r in emu.requests(method='POST') if r['path'].endswith('/archives')]


def download_requests(emu):
    return [r for r in emu.requests() if r['path'].startswith('/mendix/backups/')]


def no_mendix_header_at_the_download_host(emu):
    return all(not any(name.lower().startswith('mendix') for name in r['headers']) and r['host'] == 'localhost'
               for r in download_requests(emu))


@pytest.mark.parametrize('status', [401, 403, 410])
def test_an_expired_archive_link_gets_exactly_one_new_archive_and_the_same_bytes(em, emu, tmp_path, status):
    emu.configure({'mendix': {'expired_link_status': status, 'expire_next_archive_urls': 1, 'expire_after_requests': 0}})
    dest = str(tmp_path / 'db.backup')
    result = succeeded(em, download=dict(dest=dest, data_type='database_only'))
    served = emu.state('mendix')['downloads'][0]
    assert result['download']['link_renewed'] is True and result['download']['resumed'] == 0
    assert result['download']['sha256'] == served['sha256'] == sha256_of(dest)
    assert len(archive_posts(emu)) == 2
    assert [r['status'] for r in download_requests(emu)] == [status, 200]
    assert no_mendix_header_at_the_download_host(emu)
    assert sorted(os.listdir(str(tmp_path))) == ['db.backup', 'db.backup.mendix-snapshot.json']


def test_a_link_that_expires_on_the_resume_is_downloaded_again_from_byte_0(em, emu, tmp_path):
    emu.configure({'mendix': {'expire_next_archive_urls': 1, 'expire_after_requests': 1, 'expired_link_status': 410}})
    emu.add_fault(path='^/mendix/backups/', method='GET', action='truncate', truncate_at=100000, count=1)
    dest = str(tmp_path / 'db.backup')
    result = succeeded(em, download=dict(dest=dest, data_type='database_only'))
    served = emu.state('mendix')['downloads'][0]
    assert result['download']['link_renewed'] is True
    assert result['download']['sha256'] == served['sha256'] == sha256_of(dest)
    got = download_requests(emu)
    assert [r['status'] for r in got] == [200, 410, 200]
    assert 'Range' in got[1]['headers'] and 'Range' not in got[2]['headers']  # a new archive starts at byte 0
    assert len(archive_posts(emu)) == 2 and no_mendix_header_at_the_download_host(emu)


def test_a_second_expired_link_fails_naming_the_statuses_and_keeps_the_old_copy(em, emu, tmp_path):
    dest = str(tmp_path / 'db.backup')
    first = succeeded(em, download=dict(dest=dest, data_type='database_only'))
    emu.configure({'mendix': {'expire_next_archive_urls': 2, 'expired_link_status': 401}})
    result = run(em, download=dict(dest=dest, data_type='database_only', force=True))
    assert result['failed'] is True
    assert 'refused the link of a new archive too (HTTP 401; the first link got HTTP 401' in result['msg']
    assert len(archive_posts(emu)) == 3  # the first run's, then one new archive only
    assert sha256_of(dest) == first['download']['sha256']
    assert sorted(os.listdir(str(tmp_path))) == ['db.backup', 'db.backup.mendix-snapshot.json']


def test_every_api_call_carries_content_type_json_as_the_seed_sends_it(em, emu, tmp_path):
    succeeded(em, download=dict(dest=str(tmp_path / 'f'), data_type='database_only'))
    api_calls = [r for r in emu.requests() if r['path'].startswith('/mendix/api/')]
    assert {r['method'] for r in api_calls} == {'GET', 'POST'}
    for call in api_calls:
        headers = {name.lower(): value for name, value in call['headers'].items()}
        assert headers['content-type'] == 'application/json', call['path']
        assert headers['mendix-username'] and headers['mendix-apikey']
    assert no_mendix_header_at_the_download_host(emu)


@pytest.mark.parametrize('version', [1, 2])
def test_a_free_app_sandbox_is_refused_before_any_backups_call(em, emu, version):
    result = run(em, app_id='free-app', environment='Sandbox', api_version=version)
    assert result['failed'] is True and 'free apps and sandboxes have no Backups API' in result['msg']
    assert [r for r in emu.requests() if '/snapshots' in r['path'] or '/api/v2/' in r['path']] == []
    assert em.mutations() == []


def test_a_mendix_7_app_that_v2_does_not_serve_names_api_version_1_and_v1_works(em, emu):
    result = run(em, app_id='mx7-app', environment='Test')
    assert result['failed'] is True and result['changed'] is False
    assert 'Backups API v2 may not serve this app' in result['msg'] and 'api_version: 1' in result['msg']
    assert em.mutations() == []
    assert succeeded(em, app_id='mx7-app', environment='Test', api_version=1)['changed'] is True


def test_failed_snapshots_of_a_one_page_list_are_never_reused(em, emu):
    emu.configure({'mendix': {'snapshot_list_envelope': 'total_only', 'max_page_size': 1}})
    emu.seed({'mendix': {'snapshots': [
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'release-1', 'state': 'failed',
         'status_message': 'Database dump failed', 'age_seconds': 60}]}})
    result = succeeded(em)
    assert result['changed'] is True and len(creates(emu)) == 1
    assert len(emu.requests(method='GET', path='/api/v2/.*/snapshots$')) == 1  # one page holds all


# --- verified copies: the download is the archive of its data type, or nothing is saved ---------------

def download_gets(emu):
    return [r for r in download_requests(emu) if r['method'] == 'GET']


@pytest.mark.parametrize('version, data_type, model_version', [
    (2, 'files_and_database', '1.1.0.253'), (2, 'database_only', None), (1, 'files_and_database', '1.1.0.253'),
    (1, 'files_only', '1.1.0.253'), (1, 'database_only', None)])
def test_a_download_is_verified_and_says_what_the_archive_holds(em, emu, tmp_path, version, data_type, model_version):
    dest = str(tmp_path / 'copy')
    options = dict(dest=dest, data_type=data_type)
    first = succeeded(em, api_version=version, download=options)
    served = emu.state('mendix')['downloads'][0]
    got = first['download']
    assert got['verified'] is True and got['sha256'] == served['sha256'] == sha256_of(dest)
    archive = got['archive']
    assert archive['kind'] == data_type and archive['model_version'] == model_version
    assert archive['size'] == got['size'] == served['size']
    assert archive['dump_version'] == (None if data_type == 'files_only' else '1.14.0')
    if data_type == 'files_and_database':
        assert archive['members_checked'] == ['.metadata', 'db/db.backup'] and archive['format'] == 'tar_gzip'
        assert archive['metadata']['files_size'] == 131072
    with open(dest + '.mendix-snapshot.json', encoding='utf-8') as handle:
        assert json.load(handle)['archive'] == archive
    fetched = len(download_gets(emu))
    again = succeeded(em, api_version=version, download=options)
    assert again['changed'] is False and again['download']['verified'] is True and again['download']['archive'] == archive
    assert len(download_gets(emu)) == fetched  # kept: not downloaded, not even read from the host


@pytest.mark.parametrize('data_type, variant, found', [
    ('files_and_database', 'truncated', 'a gzip stream that stops before its end'),
    ('files_and_database', 'corrupt', 'a gzip stream that is corrupt'),
    ('files_and_database', 'zip', 'found a zip archive'),
    ('files_and_database', 'html', 'found an HTML or XML page'),
    ('files_and_database', 'no_database', 'without db/db.backup'),
    ('files_and_database', 'bad_metadata', '.metadata is not JSON'),
    ('database_only', 'swapped', 'found a gzip file'),
    ('database_only', 'zip', 'found a zip archive'),
])
def test_an_archive_that_fails_the_check_fails_leaves_no_file_and_nothing_to_resume(em, emu, tmp_path, data_type, variant,
                                                                                    found):
    emu.configure({'mendix': {'archive_content': variant}})
    dest = str(tmp_path / 'copy')
    result = run(em, download=dict(dest=dest, data_type=data_type))
    assert result['failed'] is True
    assert ('not a %s archive: expected ' % data_type) in result['msg'] and found in result['msg'], result['msg']
    assert 'Nothing was saved' in result['msg'] and 'signature' not in result['msg']
    assert os.listdir(str(tmp_path)) == []  # no dest, no sidecar, no partial file or record to resume
    assert [r['status'] for r in download_gets(emu)] == [200]
    # Served right again, the next run downloads the archive whole, from byte 0, and verifies it.
    emu.configure({'mendix': {'archive_content': 'valid'}})
    emu.clear_requests()
    again = succeeded(em, download=dict(dest=dest, data_type=data_type))
    assert again['changed'] is True and again['download']['verified'] is True and again['download']['resumed'] == 0
    assert [('Range' in r['headers'], r['status']) for r in download_gets(emu)] == [(False, 200)]
    assert sorted(os.listdir(str(tmp_path))) == ['copy', 'copy.mendix-snapshot.json']


def test_a_truncated_archive_cut_again_in_transit_fails_and_is_not_resumed_by_the_next_run(em, emu, tmp_path):
    emu.configure({'mendix': {'archive_content': 'truncated', 'database_bytes': 3 * 1024 * 1024}})
    emu.add_fault(path='^/mendix/backups/', method='GET', action='truncate', truncate_at=1000000, count=1)
    dest = str(tmp_path / 'copy')
    result = run(em, download=dict(dest=dest, data_type='files_and_database'))
    assert result['failed'] is True and 'truncated' in result['msg']
    assert [r['status'] for r in download_gets(emu)] == [200, 206]  # resumed in transit, then refused as a whole
    assert os.listdir(str(tmp_path)) == []


def test_a_failed_check_keeps_the_copy_already_at_dest(em, emu, tmp_path):
    dest = str(tmp_path / 'copy')
    options = dict(dest=dest, data_type='files_and_database')
    first = succeeded(em, download=options)
    with open(dest + '.mendix-snapshot.json', 'rb') as handle:
        record = handle.read()
    emu.configure({'mendix': {'archive_content': 'truncated'}})
    result = run(em, download=dict(options, force=True))
    assert result['failed'] is True and 'truncated' in result['msg']
    assert sha256_of(dest) == first['download']['sha256']
    with open(dest + '.mendix-snapshot.json', 'rb') as handle:
        assert handle.read() == record
    assert sorted(os.listdir(str(tmp_path))) == ['copy', 'copy.mendix-snapshot.json']


def _forget_the_check(dest):
    """Make the sidecar look like one written before downloads were verified (no 'archive')."""
    path = dest + '.mendix-snapshot.json'
    with open(path, encoding='utf-8') as handle:
        record = json.load(handle)
    del record['archive']
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(record, handle)
    return record


def test_a_copy_recorded_before_the_checks_is_verified_once_by_reading_it(em, emu, tmp_path):
    dest = str(tmp_path / 'copy')
    options = dict(dest=dest, data_type='files_and_database')
    first = succeeded(em, download=options)
    _forget_the_check(dest)
    fetched = len(download_gets(emu))
    checked = succeeded(em, check_mode=True, download=options)
    assert checked['changed'] is False and checked['download']['archive'] == first['download']['archive']
    with open(dest + '.mendix-snapshot.json', encoding='utf-8') as handle:
        assert 'archive' not in json.load(handle)  # check mode writes nothing
    kept = succeeded(em, download=options)
    assert kept['changed'] is False and kept['download']['verified'] is True
    assert kept['download']['archive'] == first['download']['archive']
    with open(dest + '.mendix-snapshot.json', encoding='utf-8') as handle:
        assert json.load(handle)['archive'] == first['download']['archive']  # recorded: not read again next time
    assert len(download_gets(emu)) == fetched and em.warnings == []


def test_a_recorded_copy_that_fails_the_check_is_downloaded_again_with_a_warning(em, emu, tmp_path):
    dest = str(tmp_path / 'copy')
    options = dict(dest=dest, data_type='files_and_database')
    first = succeeded(em, download=options)
    record = _forget_the_check(dest)
    with open(dest, 'r+b') as handle:  # what an earlier version could have kept: the same size, cut inside
        handle.seek(record['size'] // 2)
        handle.write(b'\0' * 1000)
    stat = os.stat(dest)
    record['mtime_ns'] = stat.st_mtime_ns
    with open(dest + '.mendix-snapshot.json', 'w', encoding='utf-8') as handle:
        json.dump(record, handle)
    checked = succeeded(em, check_mode=True, download=options)
    assert checked['changed'] is True and 'would be downloaded again' in em.warnings[-1]
    again = succeeded(em, download=options)
    assert again['changed'] is True and again['download']['verified'] is True
    assert 'is downloaded again' in em.warnings[-1] and 'not a files_and_database archive' in em.warnings[-1]
    assert sha256_of(dest) == first['download']['sha256']
