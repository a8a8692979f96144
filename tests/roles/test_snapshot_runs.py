# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshot runs that never lose a manifest and heal on re-run - through ansible-runner."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

# pylint: disable-next=import-error
from conftest import (SECRETS, arcgis_host, atlassian_host, every_platform, jahia_host, mendix_host, mutating, published,
                      restores)

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
RESTORE = 'saasops.backup.restore'
MENDIX_CREATE = '/mendix/api/v2/apps/[^/]+/environments/[^/]+/snapshots$'


def creates(emu):
    """Backup and snapshot creations the emulator received (all platforms)."""
    return [p for m, p in mutating(emu) if p.endswith(('/backups/create', '/snapshots', 'backupEnv.do', '/backups'))]


def test_two_runs_keep_two_manifests_and_the_earlier_one_can_be_restored(emu, job):
    hosts = {'gis-prod': arcgis_host(emu), 'jira-prod': atlassian_host(emu)}
    assert job.run(SNAPSHOT, hosts, {'saasops_run_id': 'first'}, name='first').rc == 0
    second = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'second'}, name='second')
    assert second.rc == 0, second.output
    assert sorted(p.name for p in job.manifest_dir.glob('*.json')) == ['first.json', 'latest.json', 'second.json']
    assert job.manifest()['run_id'] == 'second'
    assert 'manifest %s (the latest complete run)' % (job.manifest_dir / 'second.json') in second.output

    listing = job.run('saasops.backup.manifests', {'localhost': {}}, name='list')
    assert listing.rc == 0, listing.output
    assert 'first' in listing.output and 'second' in listing.output

    emu.clear_requests()
    restore = job.run(RESTORE, hosts, {'saasops_restore_confirm': True, 'saasops_run_id': 'first'}, name='restore')
    assert restore.rc == 0, restore.output
    assert [p for p in restores(emu) if p.startswith('/arcgis/')] == ['/arcgis/admin/system/disasterrecovery/stores/'
                                                                      'default-store/backups/saasops-first/restore']


def test_a_limit_run_is_merged_into_its_runs_manifest(emu, job):
    hosts = every_platform(emu)
    assert job.run(SNAPSHOT, hosts, {'saasops_run_id': 'merged'}, name='all').rc == 0
    emu.clear_requests()
    limited = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'merged'}, name='limited', cmdline='--limit gis-prod')
    assert limited.rc == 0, limited.output
    manifest = job.manifest('merged')
    assert sorted(e['host'] for e in manifest['environments']) == sorted(hosts)
    assert creates(emu) == []


def test_three_concurrent_job_slices_make_one_manifest_and_restore_from_their_artifacts(emu, job):
    hosts = every_platform(emu)
    hosts['jahia-prod']['saasops_allow_production'] = True
    names = sorted(hosts)
    slices = [names[i::3] for i in range(3)]
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda i: job.run(SNAPSHOT, hosts, {'saasops_run_id': 'sliced'}, name='slice-%d' % i,
                                                  cmdline='--limit ' + ','.join(slices[i])), range(3)))
    for result in results:
        assert result.rc == 0, result.output
    manifest = job.manifest('sliced')
    assert sorted(e['host'] for e in manifest['environments']) == names
    assert all(e['status'] in ('completed', 'triggered') for e in manifest['environments'])

    # What the next workflow node receives: the slices' artifacts merged key by key, the last one winning.
    extravars = {}
    for result in results:
        extravars.update(published(result))
    assert len([k for k in extravars if k.startswith('saasops_manifest_part_')]) == 3
    for path in job.manifest_dir.glob('*.json'):
        path.unlink()
    emu.clear_requests()
    restore = job.run(RESTORE, hosts, dict(extravars, saasops_restore_confirm=True), name='restore')
    assert restore.rc == 0, restore.output
    assert len(restores(emu)) == len(hosts)


def test_a_killed_run_rerun_with_its_id_triggers_no_jahia_backup_twice(emu, job):
    emu.configure({'arcgis': {'job_seconds': 30.0}})
    hosts = {'gis-prod': arcgis_host(emu), 'jahia-staging': jahia_host(emu), 'jahia-prod': jahia_host(emu, 'production')}
    manifest = job.manifest_dir / 'killed.json'
    stop = threading.Event()

    def killer():
        deadline = time.monotonic() + 60
        while not manifest.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()

    watcher = threading.Thread(target=killer, daemon=True)
    watcher.start()
    killed = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'killed'}, name='killed', cancel_callback=stop.is_set)
    watcher.join(5)
    assert killed.rc != 0 and killed.status in ('canceled', 'failed'), killed.status
    assert {e['host']: e['status'] for e in json.loads(manifest.read_text())['environments']} == {
        'gis-prod': 'running', 'jahia-staging': 'triggered', 'jahia-prod': 'triggered'}

    emu.configure({'arcgis': {'job_seconds': 1.0}})
    again = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'killed'}, name='again')
    assert again.rc == 0, again.output
    state = emu.state()
    assert len(state['jahia']['backups']) == 2  # one per environment, not two
    assert [b['backupName'] for b in state['arcgis']['backups']['default-store']] == ['saasops-killed']


def test_a_missing_manifest_directory_is_refused_before_any_backup(emu, job):
    missing = job.workdir / 'no-such-dir'
    result = job.run(SNAPSHOT, every_platform(emu), {'saasops_manifest_dir': str(missing)}, name='refused')
    assert result.rc != 0
    assert 'the manifest directory %s does not exist' % missing in result.output
    assert not missing.exists()
    assert mutating(emu) == []


def test_a_failed_backup_heals_on_a_rerun_with_the_same_id(emu, job):
    hosts = {'mendix-accp': mendix_host(emu), 'gis-prod': arcgis_host(emu)}
    emu.add_fault(path=MENDIX_CREATE, method='POST', action='status', status=400, count=1)
    first = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'heal'}, name='first')
    assert first.rc != 0
    assert {e['host']: e['status'] for e in job.manifest('heal')['environments']} == {
        'mendix-accp': 'failed', 'gis-prod': 'completed'}
    second = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'heal'}, name='second')
    assert second.rc == 0, second.output
    assert [s['comment'] for s in emu.state('mendix')['snapshots']] == ['saasops heal']
    assert len(emu.state('arcgis')['backups']['default-store']) == 1
    assert job.manifest()['run_id'] == 'heal'


def test_a_timed_out_backup_is_reattached_not_created_twice(emu, job):
    emu.configure({'arcgis': {'job_seconds': 6.0}})
    hosts = {'gis-prod': arcgis_host(emu)}
    first = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'slow', 'saasops_wait_timeout': 1}, name='first')
    assert first.rc != 0
    [entry] = job.manifest('slow')['environments']
    assert entry['status'] == 'failed' and 'saasops-slow' in entry['error']
    second = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'slow'}, name='second')
    assert second.rc == 0, second.output
    assert len([p for p in creates(emu) if p.endswith('/backups/create')]) == 1
    assert job.manifest('slow')['environments'][0]['status'] == 'completed'


BAD_INPUT = [
    ('run id with a space', {}, {'saasops_run_id': 'a b'}, 'saasops_run_id'),
    ('run id with a slash', {}, {'saasops_run_id': '../x'}, 'saasops_run_id'),
    ('run id with a newline', {}, {'saasops_run_id': 'a\nb'}, 'saasops_run_id'),
    ('run id in unicode', {}, {'saasops_run_id': 'caf\u00e9'}, 'saasops_run_id'),
    ('negative wait', {}, {'saasops_wait_timeout': -1}, 'saasops_wait_timeout must be a positive number'),
    ('unknown target key', {'saasops_target': {'stor': 'default-store'}}, {}, "unknown option 'stor'"),
    ('wrong type', {'saasops_backup_options': {'retention_days': 'two weeks'}}, {},
     'saasops_backup_options.retention_days must be of type int'),
]


@pytest.mark.parametrize('case, host_vars, extravars, message', BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_on_one_host_stops_every_backup(emu, job, case, host_vars, extravars, message):
    hosts = every_platform(emu)
    hosts['gis-test'].update(host_vars)
    result = job.run(SNAPSHOT, hosts, extravars, name='bad')
    assert result.rc != 0, case
    assert message in result.output
    assert mutating(emu) == []


def test_a_misspelled_secret_key_is_refused_without_its_value_anywhere(emu, job):
    hosts = every_platform(emu)
    secret = 'Misspelled-Secret-Value-0042'
    hosts['jahia-staging']['saasops_connection']['api_tokn'] = secret
    result = job.run(SNAPSHOT, hosts, name='secret', verbosity=4)
    assert result.rc != 0
    assert "unknown option 'api_tokn' for the jahia_backup module (did you mean 'api_token'?)" in result.output
    assert mutating(emu) == []
    assert secret not in result.output
    assert secret not in json.dumps(list(result.events))


def test_check_mode_sends_nothing_and_says_what_it_would_back_up(emu, job):
    hosts = every_platform(emu)
    result = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'dry'}, name='check', cmdline='--check')
    assert result.rc == 0, result.output
    assert mutating(emu) == []
    assert result.output.count('would back up') == len(hosts)
    assert not (job.manifest_dir / 'dry.json').exists()


def test_progress_lines_and_a_summary_with_the_reused_age(emu, job):
    emu.configure({'arcgis': {'job_seconds': 4.0}})
    hosts = {'gis-prod': arcgis_host(emu), 'jira-prod': atlassian_host(emu)}
    assert job.run(SNAPSHOT, hosts, {'saasops_run_id': 'before'}, name='before').rc == 0
    result = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'progress', 'saasops_progress_interval': 1}, name='progress')
    assert result.rc == 0, result.output
    assert 'saasops: gis-prod (arcgis) still backing up (run progress)' in result.output
    entries = {e['host']: e for e in job.manifest('progress')['environments']}
    # Atlassian allows one backup a week: the one of the run 'before' is reused, and its age is said.
    assert entries['jira-prod']['reused'] is True and entries['jira-prod']['age_s'] >= 0
    assert entries['gis-prod']['reused'] is False  # made by this run, found again by its wait
    assert 'reused, ' in result.output and ' old)' in result.output
    assert 'environment' in result.output and 'manifest %s' % (job.manifest_dir / 'progress.json') in result.output
    text = json.dumps(job.manifest('progress'))
    for secret in SECRETS:
        assert secret not in text


def test_the_manifest_path_of_earlier_versions_still_gets_a_copy(emu, job):
    path = job.workdir / 'saasops-manifest.json'
    result = job.run(SNAPSHOT, {'gis-prod': arcgis_host(emu)}, {'saasops_run_id': 'copy', 'saasops_manifest_path': str(path)})
    assert result.rc == 0, result.output
    assert json.loads(path.read_text()) == job.manifest('copy')
