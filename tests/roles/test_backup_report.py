# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report over all four platforms: every verdict, the three files, read-only, gated on alarms."""

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

from conftest import SECRETS, every_platform, mendix_host, mutating, published  # pylint: disable=import-error

REPORT = 'saasops.backup.backup_report'
HOUR, DAY = 3600, 86400
EXPECTED = {'gis-prod': 'ok', 'gis-test': 'stale', 'jahia-staging': 'ok', 'jahia-prod': 'unknown',
            'mendix-accp': 'ok', 'mendix-test-v1': 'failing', 'jira-prod': 'missing', 'confluence-staging': 'ok',
            'mendix-locked-out': 'unknown'}


def iso(seconds_ago):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - seconds_ago))


def seed_estate(emu, job):
    """Fresh, stale, failing, missing and unknown environments on all four platforms."""
    now_ms = int(time.time() * 1000)
    emu.seed({
        'arcgis': {'backups': [{'backupName': 'saasops-r1', 'store': 'default-store', 'status': 'completed',
                                'startTime': now_ms - 2 * HOUR * 1000},
                               {'backupName': 'nightly-old', 'store': 'default-store', 'status': 'completed',
                                'startTime': now_ms - 5 * DAY * 1000}]},
        'arcgis2': {'backups': [{'backupName': 'weekly', 'store': 'secondary', 'status': 'completed',
                                 'startTime': now_ms - 3 * DAY * 1000}]},
        'mendix': {'snapshots': [
            {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'saasops r1', 'age_seconds': HOUR},
            {'app_id': 'calc', 'environment': 'Test', 'state': 'failed', 'age_seconds': HOUR,
             'status_message': 'Backup creation failed'},
            {'app_id': 'calc', 'environment': 'Test', 'age_seconds': 2 * DAY}]},
    })
    policies = {p['cloudId']: p['policyId'] for p in emu.state('atlassian')['policies']}
    emu.seed({'atlassian': {'backups': [{'policyId': policies['cloud-staging'], 'status': 'INCOMPLETE', 'ageSeconds': 2 * HOUR}]}})
    # Jahia cannot list backups: the report reads what our own manifests recorded (staging only).
    job.manifest_dir.mkdir(parents=True)
    (job.manifest_dir / 'r1.json').write_text(json.dumps({
        'schema': 1, 'run_id': 'r1', 'created': iso(HOUR), 'environments': [
            {'host': 'jahia-staging', 'platform': 'jahia', 'status': 'triggered',
             'backup': {'backup_name': 'saasops-r1', 'timestamp': iso(HOUR)},
             'target': {'organization': 'acme', 'environment': 'staging'}},
            # A manifest naming another environment for the host is not about this one.
            {'host': 'jahia-prod', 'platform': 'jahia', 'status': 'triggered', 'backup': {'backup_name': 'x'},
             'target': {'organization': 'acme', 'environment': 'elsewhere'}}]}), encoding='utf-8')
    # The last restore drill of mendix-accp, as the restore_drill role records it (and a record to distrust).
    (job.manifest_dir / 'drills').mkdir()
    drill = {'host': 'mendix-accp', 'platform': 'mendix', 'drill_target': 'mendix-test-v1',
             'source': {'app_id': 'calc', 'environment': 'Acceptance'}, 'target': {'app_id': 'calc', 'environment': 'Test'},
             'backup': {'id': 'snap-1', 'name': 'saasops r1', 'time': iso(2 * DAY)}, 'manifest_run_id': None,
             'started_at': iso(DAY + 600), 'finished_at': iso(DAY), 'rto_seconds': 612.5, 'result': 'passed',
             'checks': [{'name': 'environment running', 'ok': True, 'detail': 'Running'}], 'error': None}
    (job.manifest_dir / 'drills' / 'history.json').write_text(json.dumps({'schema': 1, 'drills': [
        drill, dict(drill, host='gis-prod', rto_seconds='fast', api_key='stolen')]}), encoding='utf-8')


def estate_hosts(emu):
    hosts = every_platform(emu)
    hosts['mendix-locked-out'] = mendix_host(emu, 'Production')
    hosts['mendix-locked-out']['saasops_connection']['api_key'] = 'Wrong-Key-For-The-Report'
    return hosts


def test_every_verdict_on_every_platform_in_three_files_and_nothing_sent_but_reads(emu, job):
    hosts = estate_hosts(emu)
    seed_estate(emu, job)
    emu.clear_requests()
    report_dir = job.workdir / 'published'
    report_dir.mkdir()
    result = job.run(REPORT, hosts, {'saasops_report_dir': str(report_dir)}, name='estate')

    # stale, failing and missing environments fail the play, after the files are written.
    assert result.rc != 0
    assert '3 environments need attention' in result.output, result.output
    report = json.loads((report_dir / 'backup_report.json').read_text(encoding='utf-8'))
    rows = {row['host']: row for row in report['environments']}
    assert {host: row['verdict'] for host, row in rows.items()} == EXPECTED
    assert report['schema'] == 'saasops.backup/backup_report' and report['schema_version'] == 1
    schema = json.loads((Path(__file__).resolve().parents[2] / 'docs' / 'schemas' / 'backup_report.schema.json').read_text(encoding='utf-8'))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report)
    assert report['summary']['verdicts'] == {'ok': 4, 'stale': 1, 'missing': 1, 'failing': 1, 'unknown': 2}
    assert report['summary']['platforms']['mendix'] == {'environments': 3, 'ok': 1, 'stale': 0, 'missing': 0, 'failing': 1,
                                                        'unknown': 1}
    assert rows['gis-prod']['newest']['name'] == 'saasops-r1' and rows['gis-prod']['count'] == 2
    assert 2 * HOUR - 120 <= rows['gis-prod']['newest']['age_seconds'] <= 2 * HOUR + 600
    assert rows['mendix-test-v1']['window'] == {'failed': 1, 'incomplete': 0}
    assert 'INCOMPLETE' in rows['confluence-staging']['reason']
    assert rows['jahia-staging']['source'] == 'manifest' and 'manifests' in rows['jahia-staging']['reason']
    assert rows['jahia-staging']['newest']['id'].startswith('saasops-r1')
    assert 'none records a backup' in rows['jahia-prod']['reason']
    assert '401' in rows['mendix-locked-out']['reason'] or 'credential' in rows['mendix-locked-out']['reason'].lower()
    assert published(result)['saasops_backup_report'] == report
    drilled = json.loads((job.manifest_dir / 'drills' / 'history.json').read_text(encoding='utf-8'))['drills'][0]
    assert rows['mendix-accp']['last_drill'] == {'at': drilled['finished_at'], 'result': 'passed', 'rto_seconds': 612.5,
                                                 'target': 'mendix-test-v1'}
    assert [host for host, row in rows.items() if row['last_drill']] == ['mendix-accp']

    # JUnit: one test case per environment; alarms are failures, unknown is skipped.
    suite = ET.parse(report_dir / 'backup_report.junit.xml').getroot().find('testsuite')
    cases = {case.get('name'): case for case in suite.iter('testcase')}
    assert set(cases) == set(hosts)
    assert {name for name, case in cases.items() if case.find('failure') is not None} == {'gis-test', 'mendix-test-v1', 'jira-prod'}
    assert {name for name, case in cases.items() if case.find('skipped') is not None} == {'jahia-prod', 'mendix-locked-out'}
    assert (suite.get('tests'), suite.get('failures'), suite.get('skipped')) == ('9', '3', '2')
    page = (report_dir / 'backup_report.html').read_text(encoding='utf-8')
    assert all(host in page for host in hosts)
    assert 'stolen' not in page

    # Read-only: nothing mutating anywhere, and a few reads per environment.
    assert mutating(emu) == []
    assert not [r for r in emu.requests() if r['method'] not in ('GET', 'POST')]
    posts = [r['path'] for r in emu.requests(method='POST')]
    assert all(p.endswith(('/generateToken', 'getContext.do', '/regions')) for p in posts), posts
    assert len(emu.requests()) <= 4 * len(hosts), len(emu.requests())
    for path in report_dir.iterdir():
        text = path.read_text(encoding='utf-8')
        for secret in SECRETS + ('Wrong-Key-For-The-Report',):
            assert secret not in text, path.name
        assert oct(path.stat().st_mode & 0o777) == '0o600', path.name
    assert sorted(p.name for p in report_dir.iterdir()) == ['backup_report.html', 'backup_report.json', 'backup_report.junit.xml']


def test_the_switch_turns_the_alarm_into_a_warning_and_check_mode_writes_nothing(emu, job):
    hosts = estate_hosts(emu)
    seed_estate(emu, job)
    checked = job.run(REPORT, hosts, {'saasops_report_fail': False}, name='check', cmdline='--check')
    assert checked.rc == 0, checked.output
    assert 'WARNING: 3 environments need attention' in checked.output, checked.output
    assert 'not written in check mode' in checked.output
    assert not (job.workdir / 'state' / 'saasops' / 'reports').exists()
    assert mutating(emu) == []

    warned = job.run(REPORT, hosts, {'saasops_report_fail': False}, name='warn')
    assert warned.rc == 0, warned.output
    # The default report directory is created beside the manifests' one.
    written = json.loads((job.workdir / 'state' / 'saasops' / 'reports' / 'backup_report.json').read_text(encoding='utf-8'))
    assert {row['host']: row['verdict'] for row in written['environments']} == EXPECTED


def test_bad_input_fails_before_any_request_and_writes_nothing(emu, job):
    hosts = estate_hosts(emu)
    hosts['gis-test']['saasops_rpo'] = 'soon'
    emu.clear_requests()
    result = job.run(REPORT, hosts, {}, name='bad')
    assert result.rc != 0
    assert 'gis-test' in result.output and 'saasops_rpo must be a positive duration' in result.output
    assert not (job.workdir / 'state' / 'saasops' / 'reports').exists()
    assert emu.requests() == [] or all(r['method'] == 'GET' or r['path'].endswith(('/generateToken', 'getContext.do'))
                                       for r in emu.requests())
