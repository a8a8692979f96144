# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The prune's rules as tables: what goes, what stays and why; the protections read from untrusted manifests."""

import json
import time

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _prune_plan as plan
from ansible_collections.saasops.backup.plugins.module_utils._convert import iso_from_epoch

NOW = 1800000000.0
DAY = 86400


def backup(ident, days, status='good', run_id='r', name=None):
    """A backup as _estate.backups gives it; ``run_id`` None is one this collection did not make."""
    return dict(id=ident, name=name or ident, time=None if days is None else iso_from_epoch(NOW - days * DAY),
                status=status, expires=None, run_id=run_id)


def decide(listed, keep_last=2, keep_days=10, protected=(), cannot=None):
    found = plan.plan(listed, NOW, keep_last, keep_days, list(protected), cannot)
    return dict((d['id'], (d['action'], d['codes'])) for d in found)


KEEP, DELETE = plan.KEEP, plan.DELETE


@pytest.mark.parametrize('listed, expected', [
    # keep_last 2, keep_days 10: the third of ours older than 10 days goes.
    ([backup('a', 1), backup('b', 12), backup('c', 13)],
     {'a': (KEEP, ['newest_completed', 'keep_last', 'keep_days']), 'b': (KEEP, ['keep_last']), 'c': (DELETE, [])}),
    # Age edges: exactly 10 days is not older than 10 days; a second more is.
    ([backup('a', 1), backup('b', 2), backup('c', 10), backup('d', 10 + 1.0 / DAY)],
     {'a': (KEEP, ['newest_completed', 'keep_last', 'keep_days']), 'b': (KEEP, ['keep_last', 'keep_days']),
      'c': (KEEP, ['keep_days']), 'd': (DELETE, [])}),
    # Count edges: fewer of ours than keep_last - all kept however old.
    ([backup('a', 40), backup('b', 50)], {'a': (KEEP, ['newest_completed', 'keep_last']), 'b': (KEEP, ['keep_last'])}),
    # Foreign backups count for nothing and are never deleted, however old.
    ([backup('x', 0.5, run_id=None), backup('a', 20), backup('y', 90, run_id=None), backup('b', 21), backup('c', 22)],
     {'x': (KEEP, ['foreign', 'newest_completed', 'keep_days']), 'a': (KEEP, ['keep_last']), 'y': (KEEP, ['foreign']),
      'b': (KEEP, ['keep_last']), 'c': (DELETE, [])}),
    # In progress is kept however old; a failed one is no rollback point: not counted, deleted once old.
    ([backup('run', 30, status='running'), backup('f1', 11, status='failed'), backup('f2', 9, status='failed'),
      backup('a', 20), backup('b', 21), backup('c', 22)],
     {'run': (KEEP, ['in_progress']), 'f1': (DELETE, []), 'f2': (KEEP, ['keep_days']), 'a': (KEEP, ['newest_completed', 'keep_last']),
      'b': (KEEP, ['keep_last']), 'c': (DELETE, [])}),
    # The newest completed backup is kept whoever made it, even beyond the count (ours are all failed here).
    ([backup('f', 30, status='failed'), backup('a', 40)],
     {'f': (DELETE, []), 'a': (KEEP, ['newest_completed', 'keep_last'])}),
    # Without a time, no age: kept.
    ([backup('a', 1), backup('b', 2), backup('t', None)],
     {'a': (KEEP, ['newest_completed', 'keep_last', 'keep_days']), 'b': (KEEP, ['keep_last', 'keep_days']),
      't': (KEEP, ['no_time'])}),
])
def test_what_goes_and_what_stays(listed, expected):
    assert decide(listed) == expected


def test_protected_runs_keep_what_they_recorded_and_what_their_name_says_is_theirs():
    listed = [backup('a', 1), backup('b', 2), backup('old-1', 20, run_id='r1'), backup('old-2', 21, run_id='r2'),
              backup('old-3', 22, run_id='r3'), backup('old-4', 23, run_id='r4')]
    protected = [dict(run_id='r9', why=plan.LATEST, ids={'old-1'}), dict(run_id='r2', why=plan.PINNED, ids=set()),
                 dict(run_id='r8', why=plan.NEWEST, ids={'old-3', 'elsewhere'})]
    found = {d['id']: d for d in plan.plan(listed, NOW, 2, 10, protected)}
    assert {k: d['action'] for k, d in found.items()} == {'a': KEEP, 'b': KEEP, 'old-1': KEEP, 'old-2': KEEP, 'old-3': KEEP,
                                                          'old-4': DELETE}
    assert found['old-1']['reason'] == 'protected: run r9 (the latest run)'
    assert found['old-2']['reason'] == 'protected: run r2 (saasops_protect_runs)'
    assert found['old-3']['codes'] == ['protected'] and 'run r8 (the newest run)' in found['old-3']['reason']
    assert found['old-4']['reason'] == 'older than 10 days, and not one of the newest 2 completed backups of this collection'


def test_a_platform_that_cannot_delete_reports_what_would_go():
    listed = [backup('a', 1), backup('b', 2), backup('c', 30)]
    found = plan.plan(listed, NOW, 2, 10, [], 'X cannot delete')
    assert [(d['id'], d['action'], d['codes']) for d in found] == [
        ('a', KEEP, ['newest_completed', 'keep_last', 'keep_days']), ('b', KEEP, ['keep_last', 'keep_days']),
        ('c', plan.REPORT, ['cannot_delete'])]
    assert found[2]['reason'].startswith('would be deleted (older than 10 days') and found[2]['reason'].endswith('but X cannot delete')
    assert plan.to_delete(found) == []
    assert plan.old_count(found, 10) == 1


def test_deletions_go_oldest_first():
    listed = [backup('a', 1), backup('b', 2), backup('c', 30), backup('d', 40), backup('e', 50)]
    assert [d['id'] for d in plan.to_delete(plan.plan(listed, NOW, 2, 10))] == ['e', 'd', 'c']


@pytest.mark.parametrize('platform, identity, reason', [
    ('arcgis', {}, None), ('mendix', {'api_version': 2}, None), ('mendix', {}, None),
    ('mendix', {'api_version': 1}, plan.MENDIX_V1), ('mendix', {'api_version': '1'}, plan.MENDIX_V1),
    ('atlassian', {}, plan.PLATFORMS['atlassian']['cannot']), ('jahia', {}, plan.PLATFORMS['jahia']['cannot']),
])
def test_which_platforms_can_delete(platform, identity, reason):
    assert plan.cannot_delete(platform, identity) == reason


@pytest.mark.parametrize('value, expected', [(7, 7), ('7', 7), (' 30 ', 30), (1, 1), (3.0, 3)])
def test_keep_values(value, expected):
    assert plan.check_keep(value, 'saasops_keep_last') == expected


@pytest.mark.parametrize('value', [0, -1, '0', '-3', 'many', '', None, True, 2.5, [], {}])
def test_bad_keep_values_are_refused_naming_the_variable(value):
    with pytest.raises(plan.InputProblem, match='^saasops_keep_days must be a whole number of at least 1'):
        plan.check_keep(value, 'saasops_keep_days')


@pytest.mark.parametrize('value, expected', [(None, []), ('', []), ([], []), ('r1', ['r1']), ('r1, r2,r1', ['r1', 'r2']),
                                             (['r1', 'r2'], ['r1', 'r2'])])
def test_protect_runs(value, expected):
    assert plan.check_protect_runs(value) == expected


@pytest.mark.parametrize('value', [['../etc'], ['latest'], [1], 'a,,b', {'r1': True}, 5])
def test_bad_protect_runs_are_refused(value):
    with pytest.raises(plan.InputProblem, match='saasops_protect_runs'):
        plan.check_protect_runs(value)


# -- protections from the manifests ----------------------------------------------------------------------
def manifest(run_id, created, entries):
    return {'schema': 1, 'run_id': run_id, 'created': created, 'environments': entries}


def write(directory, data, name=None):
    (directory / (name or data['run_id'] + '.json')).write_text(json.dumps(data), encoding='utf-8')


def gis_entry(name, host='gis-prod', url='https://gis.example.com/arcgis', status='completed'):
    return {'host': host, 'platform': 'arcgis', 'status': status, 'backup': {'name': name, 'store': 'default-store'},
            'target': {'url': url, 'store': 'default-store'}, 'restore': {'name': name, 'store': 'default-store'}}


def test_the_latest_the_newest_and_the_pinned_runs_are_protected(tmp_path):
    write(tmp_path, manifest('r1', '2026-01-01T00:00:00Z', [gis_entry('saasops-r1')]))
    write(tmp_path, manifest('r2', '2026-02-01T00:00:00Z', [gis_entry('saasops-r2')]))
    # r3 is newer but incomplete: not the latest, still the newest run recorded.
    write(tmp_path, manifest('r3', '2026-03-01T00:00:00Z', [gis_entry('saasops-r3', status='failed')]))
    write(tmp_path, {'run_id': 'r2'}, 'latest.json')
    runs = plan.protected_runs(str(tmp_path), ['r1'])
    assert [(r['run_id'], r['why']) for r in runs] == [('r2', plan.LATEST), ('r3', plan.NEWEST), ('r1', plan.PINNED)]
    assert runs[0]['manifest']['environments'][0]['backup']['name'] == 'saasops-r2'


def test_a_pinned_run_without_a_manifest_is_an_error(tmp_path):
    write(tmp_path, manifest('r1', '2026-01-01T00:00:00Z', []))
    with pytest.raises(plan.InputProblem, match='saasops_protect_runs names run r7, which has no manifest in'):
        plan.protected_runs(str(tmp_path), ['r7'])


@pytest.mark.parametrize('files, match', [
    ({'latest.json': '{"run_id": "../x"}'}, 'the prune cannot tell which run is the latest'),
    ({'latest.json': 'not json'}, 'the prune cannot tell which run is the latest'),
    ({'latest.json': '{"run_id": "r1"}', 'r1.json': '{"schema": 1, "run_id": "other"}'}, 'the latest run cannot be used'),
    ({'r5.json': '[1]'}, 'run r5 of saasops_protect_runs cannot be used'),
])
def test_protections_that_cannot_be_read_stop_the_prune(tmp_path, files, match):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding='utf-8')
    with pytest.raises(plan.InputProblem, match=match):
        plan.protected_runs(str(tmp_path), ['r5'] if 'r5.json' in files else [])


def test_a_missing_directory_protects_nothing_unless_named_or_pinned(tmp_path):
    missing = str(tmp_path / 'nowhere')
    assert plan.protected_runs(missing, []) == []
    with pytest.raises(plan.InputProblem, match='saasops_manifest_dir.*does not exist'):
        plan.protected_runs(missing, [], named=True)
    with pytest.raises(plan.InputProblem, match='saasops_protect_runs names r1'):
        plan.protected_runs(missing, ['r1'])


GIS = ({'url': 'https://gis.example.com/arcgis/'}, {'store': 'default-store'})


@pytest.mark.parametrize('entry, ids', [
    (gis_entry('saasops-r1'), {'saasops-r1'}),
    # Another host of the inventory naming the same organization (a host renamed): the same environment.
    (gis_entry('saasops-r1', host='renamed'), {'saasops-r1'}),
    # The same host name, recorded from another organization: not this environment's backup.
    (gis_entry('saasops-r1', url='https://other.example.com/arcgis'), set()),
    (dict(gis_entry('saasops-r1'), platform='mendix'), set()),
    # Only ids are taken, and only clean text.
    (dict(gis_entry('x'), backup={'name': ['list']}, restore={'name': 'bad\nname'}), set()),
    (dict(gis_entry('x'), backup='nonsense', restore=None), set()),
    ('not an entry', set()),
])
def test_a_manifest_identifies_backups_of_its_own_environment_only(entry, ids):
    found = plan.recorded_ids('arcgis', manifest('r1', 'c', [entry]), 'gis-prod', *GIS)
    assert found == ids


def test_mendix_and_jahia_entries_are_matched_by_snapshot_id_and_label():
    mendix = {'host': 'calc', 'platform': 'mendix', 'status': 'completed', 'backup': {'snapshot_id': 's-1', 'comment': 'saasops r1'},
              'target': {'app_id': 'calc', 'environment': 'Acceptance'}, 'restore': {'snapshot_id': 's-1'}}
    assert plan.recorded_ids('mendix', manifest('r1', 'c', [mendix]), 'calc', {}, {'app_id': 'calc', 'environment': 'Acceptance'}) == {'s-1'}
    assert plan.recorded_ids('mendix', manifest('r1', 'c', [mendix]), 'calc', {}, {'app_id': 'calc', 'environment': 'Test'}) == set()
    jahia = {'host': 'cms', 'platform': 'jahia', 'status': 'triggered', 'backup': {'backup_name': 'saasops-r1', 'timestamp': 'T'},
             'target': {'organization': 'acme', 'environment': 'staging'}}
    assert plan.recorded_ids('jahia', manifest('r1', 'c', [jahia]), 'cms', {}, {'organization': 'acme', 'environment': 'staging'}) \
        == {'saasops-r1 T'}


def test_mixed_platforms_each_by_its_own_rules():
    """One plan per environment: ArcGIS and Mendix delete, Atlassian and Mendix v1 only report."""
    listed = [backup('a', 1), backup('b', 2), backup('c', 30)]
    for platform, identity, action in (('arcgis', {}, DELETE), ('mendix', {'api_version': 2}, DELETE),
                                       ('mendix', {'api_version': 1}, plan.REPORT), ('atlassian', {}, None)):
        rows = listed if platform != 'atlassian' else [dict(b, run_id=None) for b in listed]
        found = plan.plan(rows, NOW, 2, 10, [], plan.cannot_delete(platform, identity))
        assert [d['action'] for d in found][2] == (action or KEEP), platform
        assert not any(d['action'] == DELETE for d in found) or action == DELETE


def test_summary_lines_name_each_backup_its_age_and_reason():
    found = dict(host='gis-prod', platform='arcgis', label='gis / default-store', keep_days=10, cannot=None, error=None,
                 backups=plan.plan([backup('a', 1), backup('b', 2), backup('saasops-r0', 30, name='saasops-r0')], NOW, 2, 10))
    assert plan.host_lines(found, True) == [
        'gis-prod (arcgis, gis / default-store): would delete 1 of 3 backups, keep 2 (1 newest completed, 1 within keep_last)',
        '  - would delete saasops-r0 (30d old): older than 10 days, and not one of the newest 2 completed backups '
        'of this collection']
    found['deleted'] = [found['backups'][2]]
    assert plan.host_lines(found, False)[0] == ('gis-prod (arcgis, gis / default-store): deleted 1 of 3 backups, kept 2 (1 newest completed, '
                                                '1 within keep_last)')
    found['failed'] = [dict(found['backups'][2], error='HTTP 409')]
    found['deleted'] = []
    assert plan.host_lines(found, False)[-1] == '  - FAILED to delete saasops-r0 (30d old): HTTP 409'
    assert plan.host_lines(dict(found, error='the backups could not be listed: 401'), False) == [
        'gis-prod (arcgis, gis / default-store): NOT PRUNED - the backups could not be listed: 401']


def test_age_is_measured_from_now():
    assert plan.age_of({'time': iso_from_epoch(time.time() - 3600)}, time.time()) in (3599, 3600, 3601)
    assert plan.age_of({'time': 'yesterday'}, NOW) is None
