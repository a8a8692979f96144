# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report's files: Jahia's backups from our manifests (untrusted), and the report put together."""

import json

from ansible_collections.saasops.backup.plugins.plugin_utils import _estate_report as report
from ansible_collections.saasops.backup.plugins.plugin_utils._estate_manifests import recorded_backups

IDENTITY = {'organization': 'acme', 'environment': 'staging'}


def manifest(directory, run_id, created, *entries):
    (directory / (run_id + '.json')).write_text(json.dumps(
        {'schema': 1, 'run_id': run_id, 'created': created, 'environments': list(entries)}), encoding='utf-8')


def entry(status='triggered', host='web', environment='staging', **extra):
    return dict({'host': host, 'platform': 'jahia', 'status': status, 'target': {'organization': 'acme', 'environment': environment},
                 'backup': {'backup_name': 'saasops-x', 'timestamp': '2026-11-30T10:00:00'}}, **extra)


def test_the_manifests_record_the_hosts_backups_newest_first(tmp_path):
    manifest(tmp_path, 'r1', '2026-11-28T10:00:00Z', entry())
    manifest(tmp_path, 'r2', '2026-11-30T10:00:00Z', entry(), entry(host='other'))
    manifest(tmp_path, 'r3', '2026-11-29T10:00:00Z', entry(status='failed'))
    listed = recorded_backups(str(tmp_path), 'web', 'jahia', IDENTITY)
    assert [(b['run_id'], b['status'], b['time']) for b in listed] == [
        ('r2', 'good', '2026-11-30T10:00:00Z'), ('r3', 'failed', '2026-11-29T10:00:00Z'), ('r1', 'good', '2026-11-28T10:00:00Z')]
    assert listed[0]['id'] == 'saasops-x 2026-11-30T10:00:00'


def test_untrusted_manifests_never_count_for_the_wrong_environment(tmp_path):
    manifest(tmp_path, 'r1', '2026-11-30T10:00:00Z', entry(environment='production'), entry(status='planned'),
             'not an entry', dict(entry(), platform='mendix'), dict(entry(), target='https://evil.example'))
    (tmp_path / 'r2.json').write_text('{not json', encoding='utf-8')
    (tmp_path / 'r3.json').write_text(json.dumps({'schema': 1, 'run_id': 'another', 'environments': [entry()]}), encoding='utf-8')
    (tmp_path / 'drills').mkdir()
    assert recorded_backups(str(tmp_path), 'web', 'jahia', IDENTITY) == []
    assert recorded_backups(str(tmp_path / 'absent'), 'web', 'jahia', IDENTITY) == []


def row(host, platform, verdict):
    return {'host': host, 'platform': platform, 'verdict': verdict, 'reason': 'because', 'label': host}


def test_the_report_counts_verdicts_per_platform_and_adds_the_last_drill():
    rows = [row('b', 'mendix', 'ok'), row('a', 'mendix', 'stale'), row('c', 'jahia', 'unknown')]
    drills = {'b': {'finished_at': '2026-11-30T11:00:00Z', 'result': 'passed', 'rto_seconds': 42.5, 'drill_target': 'b-drill'}}
    built = report.build(rows, drills, '24h', '7d', generated_at='2026-11-30T12:00:00Z')
    assert [r['host'] for r in built['environments']] == ['a', 'b', 'c']
    assert built['environments'][1]['last_drill'] == {'at': '2026-11-30T11:00:00Z', 'result': 'passed', 'rto_seconds': 42.5,
                                                      'target': 'b-drill'}
    assert built['environments'][0]['last_drill'] is None
    assert built['summary'] == {'environments': 3, 'verdicts': {'ok': 1, 'stale': 1, 'missing': 0, 'failing': 0, 'unknown': 1},
                                'platforms': {'jahia': {'environments': 1, 'ok': 0, 'stale': 0, 'missing': 0, 'failing': 0, 'unknown': 1},
                                              'mendix': {'environments': 2, 'ok': 1, 'stale': 1, 'missing': 0, 'failing': 0,
                                                         'unknown': 0}}}
    assert report.alarms(built) == ['a: stale: because']
    assert report.lines(built)[-1] == '3 environments: 1 ok, 1 stale, 1 unknown'
    # The rows handed in are not changed (they are the hosts' registered results).
    assert 'last_drill' not in rows[1]
