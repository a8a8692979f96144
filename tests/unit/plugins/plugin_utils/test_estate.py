# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report's rules: every platform's backups in one shape, and the verdict against the RPO."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._convert import iso_from_epoch
from ansible_collections.saasops.backup.plugins.plugin_utils import _estate as estate

NOW = 1796040000.0  # 2026-11-30T12:00:00Z
HOUR, DAY = 3600, 86400


def iso(seconds_ago):
    return iso_from_epoch(NOW - seconds_ago)


def ms(seconds_ago):
    return int((NOW - seconds_ago) * 1000)


def test_arcgis_backups_in_one_shape_newest_first_with_run_ids():
    info = {'backups': [
        {'name': 'nightly', 'status': 'completed', 'start_time': ms(2 * DAY), 'retention_date': ms(-5 * DAY)},
        {'name': 'saasops-20261130t1100z-ab12', 'status': 'completed', 'start_time': ms(HOUR), 'retention_date': -1},
        {'name': 'saasops-broken', 'status': 'failed', 'start_time': ms(3 * HOUR)},
        {'name': 'running', 'status': 'in_progress', 'start_time': ms(60)},
        'not an object', {'status': 'completed'}]}
    listed = estate.backups('arcgis', info)
    assert [b['id'] for b in listed] == ['running', 'saasops-20261130t1100z-ab12', 'saasops-broken', 'nightly']
    assert [b['status'] for b in listed] == ['running', 'good', 'failed', 'good']
    assert [b['run_id'] for b in listed] == [None, '20261130t1100z-ab12', 'broken', None]
    assert listed[1]['expires'] is None and listed[3]['expires'] == iso(-5 * DAY)
    assert estate.newest_good(listed)['id'] == 'saasops-20261130t1100z-ab12'


def test_mendix_snapshots_recognise_the_snapshot_role_comment():
    info = {'snapshots': [
        {'snapshot_id': 's1', 'comment': 'saasops 20261129-x', 'state': 'completed', 'created_at': iso(DAY),
         'expires_at': iso(-90 * DAY)},
        {'snapshot_id': 's2', 'comment': 'Automatically created nightly snapshot', 'state': 'failed', 'created_at': iso(HOUR)},
        {'snapshot_id': 's3', 'comment': None, 'state': 'queued', 'created_at': iso(60)}]}
    listed = estate.backups('mendix', info)
    assert [(b['id'], b['status'], b['run_id']) for b in listed] == [
        ('s3', 'running', None), ('s2', 'failed', None), ('s1', 'good', '20261129-x')]


@pytest.mark.parametrize('status, normalised', [('COMPLETE', 'good'), ('INCOMPLETE', 'partial'), ('FAILED', 'failed'),
                                                ('EXPIRED', 'expired'), ('IN_PROGRESS', 'running'), ('SOMETHING_NEW', 'running')])
def test_atlassian_statuses(status, normalised):
    listed = estate.backups('atlassian', {'backups': [{'backup_id': 'b', 'status': status, 'created_at': iso(HOUR)}]})
    assert listed[0]['status'] == normalised


def backup(status, seconds_ago, ident=None, expires=None):
    return dict(id=ident or '%s-%s' % (status, seconds_ago), name=None, time=iso(seconds_ago) if seconds_ago is not None else None,
                status=status, expires=expires, run_id=None)


@pytest.mark.parametrize('listed, verdict, words', [
    ([backup('good', 2 * HOUR)], 'ok', 'is 2h old (RPO 1d)'),
    ([backup('good', 3 * DAY)], 'stale', 'is 3d old, older than the RPO of 1d'),
    ([], 'missing', 'no usable backup'),
    ([backup('expired', 20 * DAY)], 'missing', 'no usable backup (1 expired)'),
    ([backup('failed', HOUR), backup('good', 2 * HOUR)], 'failing', 'failed; the newest usable one is 2h old'),
    ([backup('failed', HOUR), backup('failed', 2 * HOUR)], 'failing', 'failed; no usable backup'),
    # A failure older than the newest good backup is history, not a failing environment.
    ([backup('good', HOUR), backup('failed', 2 * HOUR)], 'ok', '1h old'),
    # A backup still running neither helps nor hurts.
    ([backup('running', 60), backup('good', 3 * DAY)], 'stale', '3d old'),
    ([backup('partial', HOUR)], 'ok', 'INCOMPLETE'),
    ([backup('good', None)], 'unknown', 'no readable time'),
])
def test_verdicts(listed, verdict, words):
    found = estate.assess(listed, NOW, DAY, 7 * DAY)
    assert found['verdict'] == verdict
    assert words in found['reason']


def test_figures_count_usable_backups_and_the_window():
    listed = [backup('running', 60), backup('failed', HOUR), backup('partial', 2 * HOUR, expires=iso(-13 * DAY)),
              backup('good', 2 * DAY, ident='g', expires=iso(-12 * DAY)), backup('failed', 9 * DAY),
              backup('expired', 15 * DAY)]
    found = estate.assess(listed, NOW, DAY, 7 * DAY)
    assert found['count'] == 2
    assert found['newest'] == dict(id='partial-7200', name=None, time=iso(2 * HOUR), age_seconds=2 * HOUR)
    assert found['expiry'] == dict(oldest=iso(-12 * DAY), newest=iso(-13 * DAY))
    # The failure 9 days ago is outside the 7-day window.
    assert found['window'] == dict(failed=1, incomplete=2)


def test_info_args_ask_atlassian_for_the_backups_only():
    args = estate.info_args('atlassian', {'org_id': 'o'}, {'cloud_id': 'c', 'product': 'jira'})
    assert args == {'org_id': 'o', 'cloud_id': 'c', 'product': 'jira', 'gather': ['backups']}
    assert estate.info_args('mendix', {'api_url': 'u'}, {'app_id': 'a'}) == {'api_url': 'u', 'app_id': 'a'}


def test_the_reason_says_the_rpo_as_the_user_wrote_it():
    assert estate.assess([backup('good', 3 * DAY)], NOW, DAY, 7 * DAY, '24h')['reason'].endswith('older than the RPO of 24h')
