# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an environment's backups say about it: its backups in one shape, and its verdict against its RPO.

Pure functions over what the platforms' info modules return (the backup_status action runs them),
so the rules read, and are tested, as tables. Whether a vendor status is done or failed is each
platform's own state table, never a second copy of it here.
"""

from __future__ import annotations

from ansible_collections.saasops.backup.plugins.module_utils._arcgis import BACKUP_STATES as ARCGIS_STATES
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import BACKUP_STATES as ATLASSIAN_STATES
from ansible_collections.saasops.backup.plugins.module_utils._convert import iso_from_epoch, parse_time
from ansible_collections.saasops.backup.plugins.module_utils._mendix import JOB_STATES as MENDIX_STATES
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, SUCCESS
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_plan import age_text

INFO_MODULES = {'arcgis': 'arcgis_dr_backup_info', 'atlassian': 'atlassian_backup_info', 'jahia': 'jahia_environment_info',
                'mendix': 'mendix_snapshot_info'}
# What the snapshot role names its backups: how a backup made by one of its runs is recognised.
RUN_PREFIXES = {'arcgis': ('name', 'saasops-'), 'mendix': ('comment', 'saasops ')}
GOOD, PARTIAL, FAILED, RUNNING, EXPIRED = 'good', 'partial', 'failed', 'running', 'expired'
USABLE = (GOOD, PARTIAL)
VERDICTS = ('ok', 'stale', 'missing', 'failing', 'unknown')
# The verdicts that fail the report play (unknown only warns: it says we could not tell).
ALARMS = ('stale', 'missing', 'failing')
MANIFEST_NOTE = "Jahia's API cannot list backups: from what this collection's manifests recorded"


def info_args(platform, connection, target):
    """The info module's arguments: the inventory's connection and target, plus what to read."""
    args = dict(connection or {})
    args.update(target or {})
    if platform == 'atlassian':
        args['gather'] = ['backups']
    return args


def _run_id(platform, backup):
    key, prefix = RUN_PREFIXES.get(platform, (None, None))
    value = backup.get(key) if key else None
    return value[len(prefix):] if isinstance(value, str) and value.startswith(prefix) else None


def _iso(value):
    # ArcGIS says 0 for "not yet" and -1 for "never": neither is a date.
    seconds = parse_time(value)
    return None if seconds is None or seconds <= 0 else iso_from_epoch(seconds)


def _arcgis(backup):
    outcome = ARCGIS_STATES.outcome(backup.get('status'))
    status = {SUCCESS: GOOD, FAILURE: FAILED}.get(outcome, RUNNING)
    return dict(id=backup.get('name'), name=backup.get('name'), time=_iso(backup.get('start_time')), status=status,
                expires=_iso(backup.get('retention_date')))


def _mendix(snapshot):
    outcome = MENDIX_STATES.outcome(snapshot.get('state'))
    status = {SUCCESS: GOOD, FAILURE: FAILED}.get(outcome, RUNNING)
    return dict(id=snapshot.get('snapshot_id'), name=snapshot.get('comment'), time=_iso(snapshot.get('created_at')),
                status=status, expires=_iso(snapshot.get('expires_at')))


def _atlassian(backup):
    state = str(backup.get('status') or '').upper()
    outcome = ATLASSIAN_STATES.outcome(state)
    if state == 'EXPIRED':
        status = EXPIRED
    elif outcome == SUCCESS:
        # INCOMPLETE restores (Jira without some attachments, Confluence without some spaces).
        status = GOOD if state == 'COMPLETE' else PARTIAL
    else:
        status = FAILED if outcome == FAILURE else RUNNING
    return dict(id=backup.get('backup_id'), name=None, time=_iso(backup.get('created_at')), status=status,
                expires=_iso(backup.get('expiry_time') or backup.get('expires_at')))


NORMALISERS = {'arcgis': ('backups', _arcgis), 'atlassian': ('backups', _atlassian), 'mendix': ('snapshots', _mendix)}


def backups(platform, info_result):
    """The backups an info module listed, newest first, in one shape (see the module docs of backup_status).

    A listed item that is not an object, or has no id, is left out: the platform's answer is data, not code.
    """
    key, normalise = NORMALISERS[platform]
    found = []
    for item in info_result.get(key) or []:
        if not isinstance(item, dict):
            continue
        backup = normalise(item)
        if not isinstance(backup['id'], str) or not backup['id']:
            continue
        backup['run_id'] = _run_id(platform, item)
        found.append(backup)
    return sorted(found, key=lambda b: b['time'] or '', reverse=True)


def newest_good(listed):
    """The newest backup that can be restored (complete, or Atlassian's INCOMPLETE), or None."""
    return next((b for b in listed if b['status'] in USABLE), None)


def _age(backup, now):
    when = parse_time(backup['time']) if backup else None
    return None if when is None else max(0, int(now - when))


def _newest(good, now):
    if good is None:
        return None
    return dict(id=good['id'], name=good['name'], time=good['time'], age_seconds=_age(good, now))


def assess(listed, now, rpo_seconds, window_seconds, rpo_text=None):
    """Verdict, reason and figures of one environment from its backups (newest first), at ``now`` (epoch s).

    failing: the newest finished attempt failed (after the newest usable backup, if any);
    missing: no usable backup; stale: the newest usable one is older than the RPO; else ok.
    A usable backup with no readable time cannot be judged: unknown. ``rpo_text`` is the RPO as the user wrote it.
    """
    good = newest_good(listed)
    recent = [b for b in listed if _age(b, now) is not None and _age(b, now) <= window_seconds]
    usable = [b for b in listed if b['status'] in USABLE]
    expiries = sorted(b['expires'] for b in usable if b['expires'])
    finished = [b for b in listed if b['status'] in USABLE + (FAILED,)]
    figures = dict(newest=_newest(good, now), count=len(usable),
                   expiry=dict(oldest=expiries[0] if expiries else None, newest=expiries[-1] if expiries else None),
                   window=dict(failed=sum(1 for b in recent if b['status'] == FAILED),
                               incomplete=sum(1 for b in recent if b['status'] in (PARTIAL, RUNNING))))
    age = _age(good, now)
    rpo = rpo_text or age_text(rpo_seconds)
    # Newest first, so a failed first attempt is newer than any usable backup.
    if finished and finished[0]['status'] == FAILED:
        latest = finished[0]
        since = 'no usable backup' if good is None else 'the newest usable one is %s old' % age_text(age)
        verdict, reason = 'failing', 'the newest backup attempt (%s, %s) failed; %s' % (latest['name'] or latest['id'], latest['time'], since)
    elif good is None:
        expired = sum(1 for b in listed if b['status'] == EXPIRED)
        verdict, reason = 'missing', 'no usable backup' + (' (%d expired)' % expired if expired else '')
    elif age is None:
        verdict, reason = 'unknown', 'the newest usable backup (%s) has no readable time' % good['id']
    elif age > rpo_seconds:
        verdict, reason = 'stale', 'the newest usable backup is %s old, older than the RPO of %s' % (age_text(age), rpo)
    else:
        verdict, reason = 'ok', 'the newest usable backup is %s old (RPO %s)' % (age_text(age), rpo)
    if verdict in ('ok', 'stale') and good['status'] == PARTIAL:
        reason += '; it is INCOMPLETE (restorable, with some content missing)'
    return dict(figures, verdict=verdict, reason=reason)
