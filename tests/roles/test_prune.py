# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The prune playbook: only what this collection made, beyond the count and the age, never a protected backup;
check mode sends no delete; a real run deletes exactly that, records and publishes it; a second run deletes nothing;
platforms that cannot delete are reported; bad input is refused before any request."""

import json
import re
import time
import uuid

from conftest import SECRETS, arcgis_host, atlassian_host, jahia_host, mendix_host, mutating, published  # pylint: disable=import-error

PRUNE = 'saasops.backup.prune'
DAY = 86400
KEEP = {'saasops_keep_last': 2, 'saasops_keep_days': 10, 'saasops_protect_runs': ['r5']}
# Per run id: how many days ago. r9 is still running; r3 failed; "nightly" is not ours.
AGES = {'r9': 40, 'r8': 1, 'r7': 3, 'r2': 8, 'r6': 12, 'r5': 20, 'r4': 25, 'r3': 30, 'r1': 45}
# beyond the newest 2 of ours and older than 10 days, and not protected (r6: the latest run, r5: pinned).
DOOMED = ('r4', 'r3', 'r1')
KEPT = {'r9': 'still in progress', 'r8': "the environment's newest completed backup", 'r7': 'one of the newest 2',
        'r2': 'not older than 10 days', 'r6': 'protected: run r6 (the latest run)',
        'r5': 'protected: run r5 (saasops_protect_runs)'}


def snapshot_id(run):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'saasops-prune-test/' + run))


def status_of(run, arcgis):
    if run == 'r9':
        return 'in_progress' if arcgis else 'running'
    return 'failed' if run == 'r3' else 'completed'


def iso(days_ago):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - days_ago * DAY))


def hosts_of(emu):
    return {'gis-prod': arcgis_host(emu, 'arcgis'), 'mendix-accp': mendix_host(emu),
            'mendix-test-v1': mendix_host(emu, 'Test', api_version=1), 'jira-prod': atlassian_host(emu),
            'jahia-staging': jahia_host(emu)}


def seed(emu, job, trap=None):
    """The same history on ArcGIS and on Mendix v2, some of it on Mendix v1, old Atlassian backups, Jahia's runs in
    the manifests; the latest run is r6."""
    # The in-progress ArcGIS backup's job goes on for an hour.
    emu.configure({'arcgis': {'job_seconds': 3600.0}})
    now_ms = int(time.time() * 1000)
    emu.seed({
        'arcgis': {'backups': [{'backupName': 'saasops-' + run, 'store': 'default-store', 'status': status_of(run, True),
                                'startTime': now_ms - int(days * DAY * 1000)} for run, days in AGES.items()]
                   + [{'backupName': 'nightly-old', 'store': 'default-store', 'startTime': now_ms - 60 * DAY * 1000}]},
        'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'saasops ' + run,
                                  'snapshot_id': snapshot_id(run), 'age_seconds': days * DAY, 'state': status_of(run, False)}
                                 for run, days in AGES.items()]
                   + [{'app_id': 'calc', 'environment': 'Acceptance', 'age_seconds': 60 * DAY, 'snapshot_id': snapshot_id('nightly')}]
                   + [{'app_id': 'calc', 'environment': 'Test', 'comment': 'saasops ' + run, 'age_seconds': days * DAY,
                       'snapshot_id': snapshot_id('v1-' + run)} for run, days in (('r8', 1), ('r7', 3), ('r1', 45))]},
    })
    policy = next(p['policyId'] for p in emu.state('atlassian')['policies'] if p['cloudId'] == 'cloud-prod')
    emu.seed({'atlassian': {'backups': [{'policyId': policy, 'status': 'COMPLETE', 'ageSeconds': 40 * DAY},
                                        {'policyId': policy, 'status': 'COMPLETE', 'ageSeconds': DAY}]}})
    job.manifest_dir.mkdir(parents=True)
    jahia = {'host': 'jahia-staging', 'platform': 'jahia', 'status': 'triggered',
             'target': {'organization': 'acme', 'environment': 'staging'}}
    for run in ('r1', 'r5', 'r6'):
        entries = [
            {'host': 'gis-prod', 'platform': 'arcgis', 'status': 'completed',
             'backup': {'name': 'saasops-' + run, 'store': 'default-store'},
             'target': {'url': emu.url('/arcgis'), 'store': 'default-store'},
             'restore': {'name': 'saasops-' + run, 'store': 'default-store'}},
            {'host': 'mendix-accp', 'platform': 'mendix', 'status': 'completed',
             'backup': {'snapshot_id': snapshot_id(run), 'comment': 'saasops ' + run},
             'target': {'app_id': 'calc', 'environment': 'Acceptance'}, 'restore': {'snapshot_id': snapshot_id(run)}},
            dict(jahia, backup={'backup_name': 'saasops-' + run, 'timestamp': iso(AGES[run])})]
        if run == 'r6' and trap is not None:
            # Untrusted data: an entry naming another environment protects nothing there, and a manifest never says
            # where to connect - r1 is deleted, and the trap's address is never called.
            entries += [{'host': 'mendix-accp', 'platform': 'mendix', 'status': 'completed',
                         'backup': {'snapshot_id': snapshot_id('r1')}, 'target': {'app_id': 'calc', 'environment': 'Test'}},
                        {'host': 'gis-prod', 'platform': 'arcgis', 'status': 'completed', 'backup': {'name': 'saasops-r1'},
                         'target': {'url': trap.url('/arcgis'), 'store': 'default-store'}, 'restore': {'name': 'saasops-r1'}}]
        (job.manifest_dir / (run + '.json')).write_text(json.dumps(
            {'schema': 1, 'run_id': run, 'created': iso(AGES[run]), 'environments': entries}), encoding='utf-8')
    (job.manifest_dir / 'latest.json').write_text(json.dumps({'run_id': 'r6'}), encoding='utf-8')


def arcgis_names(emu):
    return {b['backupName'] for b in emu.state('arcgis')['backups']['default-store']}


def mendix_ids(emu, environment='Acceptance'):
    env_id = emu.state('mendix')['apps']['calc']['environments'][environment]['EnvironmentId']
    return {s['snapshot_id'] for s in emu.state('mendix')['snapshots'] if s['environment_id'] == env_id}


def deletes(emu):
    """The delete requests, as (platform, backup): ArcGIS's POST .../<name>/delete, Mendix's DELETE .../snapshots/<id>."""
    found = []
    for request in emu.requests():
        arcgis = re.search(r'/backups/([^/]+)/delete$', request['path'])
        if request['method'] == 'POST' and arcgis:
            found.append(('arcgis', arcgis.group(1)))
        elif request['method'] == 'DELETE':
            found.append(('mendix', request['path'].rsplit('/', 1)[-1]))
    return sorted(found)


def expected_deletes():
    return sorted([('arcgis', 'saasops-' + run) for run in DOOMED] + [('mendix', snapshot_id(run)) for run in DOOMED])


def all_names():
    return {'saasops-' + run for run in AGES} | {'nightly-old'}


def all_ids():
    return {snapshot_id(run) for run in AGES} | {snapshot_id('nightly')}


def test_check_mode_lists_exactly_what_would_go_and_sends_no_delete(emu, job, trap):
    seed(emu, job, trap)
    emu.clear_requests()
    result = job.run(PRUNE, hosts_of(emu), KEEP, name='check', cmdline='--check')
    assert result.rc == 0, result.output

    assert deletes(emu) == [] and mutating(emu) == []
    assert not [r for r in emu.requests() if r['method'] not in ('GET', 'POST')]
    assert all(r['path'].endswith(('/generateToken', '/regions')) for r in emu.requests(method='POST')), emu.requests(method='POST')
    assert arcgis_names(emu) == all_names() and mendix_ids(emu) == all_ids()
    assert not (job.manifest_dir / 'prune').exists()

    would = published(result)['saasops_prune']['would_delete']
    assert sorted((w['host'], w['id']) for w in would) == sorted(
        [('gis-prod', 'saasops-' + run) for run in DOOMED] + [('mendix-accp', snapshot_id(run)) for run in DOOMED])
    for line in ('gis-prod (arcgis, 127.0.0.1 / default-store): would delete 3 of 10 backups, keep 7 (1 in progress, 1 not '
                 'ours, 1 newest completed, 2 protected, 1 within keep_last, 1 within keep_days)',
                 '  - would delete saasops-r4 (25d old): older than 10 days, and not one of the newest 2',
                 "  - would delete %s 'saasops r1' (45d old): older than 10 days" % snapshot_id('r1'),
                 'mendix-accp (mendix, calc / Acceptance): would delete 3 of 10 backups, keep 7',
                 'check mode: nothing was deleted or recorded'):
        assert line in result.output, line
    assert published(result)['saasops_prune']['deleted'] == []
    assert trap.connections == 0


def test_the_real_run_deletes_exactly_that_records_it_and_a_second_run_deletes_nothing(emu, job, trap):
    seed(emu, job, trap)
    emu.clear_requests()
    result = job.run(PRUNE, hosts_of(emu), KEEP, name='real')
    assert result.rc == 0, result.output

    # Exactly one delete per doomed backup, on the two platforms that can delete, and nothing else changed.
    assert deletes(emu) == expected_deletes()
    assert arcgis_names(emu) == all_names() - {'saasops-' + run for run in DOOMED}
    assert mendix_ids(emu) == all_ids() - {snapshot_id(run) for run in DOOMED}
    assert emu.state('arcgis')['counts']['deletes'] == 3 and emu.state('mendix')['counts']['deletes'] == 3
    # Mendix v1, Atlassian and Jahia: reported, nothing sent to delete, the play did not fail.
    assert mendix_ids(emu, 'Test') == {snapshot_id('v1-' + run) for run in ('r8', 'r7', 'r1')}
    assert not [r for r in emu.requests() if '/jahia' in r['path']]
    assert not [r for r in emu.requests(path='/atlassian') if r['method'] not in ('GET',)]
    assert 'mendix-test-v1 (mendix, calc / Test): nothing deleted - Mendix Backups API v1 cannot delete snapshots' in result.output
    assert "jira-prod (atlassian, cloud-prod / jira): nothing deleted - Atlassian's API cannot delete backups" in result.output
    assert '2 backups, 1 older than 10 days, 0 this collection would delete' in result.output
    assert "jahia-staging (jahia, acme / staging): nothing deleted - Jahia's API can neither list nor delete" in result.output
    assert '  - would be old: saasops-r1' in result.output

    # Each kept backup with its reason, in the summary of a check run now (the same plan minus what went).
    history = json.loads((job.manifest_dir / 'prune' / 'history.json').read_text(encoding='utf-8'))
    assert history['schema'] == 1
    assert sorted((r['host'], r['backup']['id'], r['result'], r['kind']) for r in history['deletions']) == sorted(
        [('gis-prod', 'saasops-' + run, 'deleted', 'backup') for run in DOOMED]
        + [('mendix-accp', snapshot_id(run), 'deleted', 'backup') for run in DOOMED])
    assert all(r['backup']['run_id'] in DOOMED for r in history['deletions'])
    assert published(result)['saasops_prune']['deleted'] == history['deletions']
    assert published(result)['saasops_prune']['history'] == str(job.manifest_dir / 'prune' / 'history.json')
    text = (job.manifest_dir / 'prune' / 'history.json').read_text(encoding='utf-8')
    for secret in SECRETS:
        assert secret not in text and secret not in result.output
    assert oct((job.manifest_dir / 'prune' / 'history.json').stat().st_mode & 0o777) == '0o600'
    # A folder of its own: the manifests' listing sees no new run.
    runs = sorted(p.name for p in job.manifest_dir.iterdir() if p.suffix == '.json')
    assert runs == ['latest.json', 'r1.json', 'r5.json', 'r6.json']
    assert trap.connections == 0

    emu.clear_requests()
    again = job.run(PRUNE, hosts_of(emu), KEEP, name='again')
    assert again.rc == 0, again.output
    assert deletes(emu) == []
    assert not any(again.stats.get('changed', {}).values()), again.stats
    assert 'gis-prod (arcgis, 127.0.0.1 / default-store): deleted 0 of 7 backups, kept 7' in again.output
    assert 'prune history: nothing deleted, nothing recorded' in again.output
    assert json.loads((job.manifest_dir / 'prune' / 'history.json').read_text(encoding='utf-8')) == history

    # Why each one stayed (check mode prints only what would go; the reasons of the kept ones are in the result).
    checked = job.run(PRUNE, hosts_of(emu), KEEP, name='reasons', cmdline='--check')
    reasons = kept_reasons(checked, 'gis-prod')
    for run, words in KEPT.items():
        assert words in reasons['saasops-' + run], (run, reasons['saasops-' + run])
    assert reasons['nightly-old'] == 'not made by this collection'
    mendix_reasons = kept_reasons(checked, 'mendix-accp')
    assert mendix_reasons[snapshot_id('nightly')] == 'not made by this collection'
    assert 'protected: run r6 (the latest run)' in mendix_reasons[snapshot_id('r6')]


def kept_reasons(result, host):
    """{backup id: reason} of one host's prune task result."""
    for event in result.events:
        data = event.get('event_data', {})
        if event.get('event') == 'runner_on_ok' and data.get('host') == host and 'prune' in (data.get('res') or {}):
            return {d['id']: d['reason'] for d in data['res']['prune']['backups']}
    raise AssertionError('no prune result for %s' % host)


def test_a_failed_delete_fails_its_host_after_the_others_and_the_record(emu, job):
    seed(emu, job)
    emu.add_fault(path=r'/backups/saasops-r3/delete$', method='POST', action='status', status=403, count=None)
    emu.clear_requests()
    result = job.run(PRUNE, hosts_of(emu), KEEP, name='failed')
    assert result.rc != 0
    assert 'gis-prod: ' in result.output and 'could not delete saasops-r3' in result.output, result.output
    # The other deletes went on, on this host and the others.
    assert arcgis_names(emu) == all_names() - {'saasops-r4', 'saasops-r1'}
    assert mendix_ids(emu) == all_ids() - {snapshot_id(run) for run in DOOMED}
    history = json.loads((job.manifest_dir / 'prune' / 'history.json').read_text(encoding='utf-8'))
    assert sorted((r['backup']['id'], r['result']) for r in history['deletions'] if r['host'] == 'gis-prod') == [
        ('saasops-r1', 'deleted'), ('saasops-r3', 'failed'), ('saasops-r4', 'deleted')]
    failed = next(r for r in history['deletions'] if r['result'] == 'failed')
    assert '403' in failed['error']
    assert '  - FAILED to delete saasops-r3 (30d old): ' in result.output
    assert len(history['deletions']) == 6


def test_bad_input_is_refused_before_any_request_on_any_host(emu, job):
    seed(emu, job)
    for bad, words in (({'saasops_keep_last': 0}, 'saasops_keep_last must be a whole number of at least 1, got 0'),
                       ({'saasops_keep_days': -3}, 'saasops_keep_days must be a whole number of at least 1, got -3'),
                       ({'saasops_protect_runs': ['r5', 'r404']}, 'saasops_protect_runs names run r404, which has no manifest')):
        hosts = hosts_of(emu)
        for variables in hosts.values():
            variables.update(saasops_keep_last=2, saasops_keep_days=10)
        # One host's bad value (a host variable: extra vars would override it) stops every host.
        hosts['mendix-accp'].update(bad)
        emu.clear_requests()
        result = job.run(PRUNE, hosts, {}, name='bad-%s' % next(iter(bad)))
        assert result.rc != 0, result.output
        assert 'mendix-accp: ' + words in result.output, result.output
        assert 'so nothing was sent to any platform' in result.output
        assert emu.requests() == []
    # From the command line a value is text, and applies to every host.
    result = job.run(PRUNE, hosts_of(emu), {}, name='bad-cli', cmdline='-e saasops_keep_days=0')
    assert result.rc != 0
    assert 'Pre-flight refused 5 of 5 environments, so nothing was sent to any platform' in result.output, result.output
    assert "jira-prod: saasops_keep_days must be a whole number of at least 1, got '0'" in result.output
    assert emu.requests() == []
    assert arcgis_names(emu) == all_names() and mendix_ids(emu) == all_ids()
    assert not (job.manifest_dir / 'prune').exists()


def test_a_bad_offsite_setting_stops_the_prune_before_any_backup_is_deleted(emu, job):
    seed(emu, job)
    hosts = hosts_of(emu)
    for variables in hosts.values():
        variables.update(saasops_keep_last=2, saasops_keep_days=10)
    # The copies' folder does not exist: the copies cannot be rotated, so nothing is pruned anywhere.
    hosts['mendix-accp']['saasops_offsite'] = str(job.workdir / 'no-such-folder')
    emu.clear_requests()
    result = job.run(PRUNE, hosts, {}, name='bad-offsite')
    assert result.rc != 0, result.output
    assert 'mendix-accp' in result.output and 'no-such-folder' in result.output, result.output
    assert deletes(emu) == []
    assert arcgis_names(emu) == all_names() and mendix_ids(emu) == all_ids()
