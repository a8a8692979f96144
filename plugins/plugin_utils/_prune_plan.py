# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retention of one environment's backups: which ones the prune deletes, which it keeps, and why.

Pure functions and tables over what _estate.backups gives (newest first), so every rule reads, and is
tested, as data; the backup_prune action lists, and deletes, with the platforms' modules. The only I/O
here is reading manifests (protected_runs), which are untrusted data: an entry can protect a backup of
the environment it was recorded from, never make one deletable nor name where to connect.

A backup is deleted only when every one of these holds: this collection made it (its run id is in its
name or comment), it is not among the newest ``keep_last`` completed backups the collection made, it is
older than ``keep_days``, it is not the environment's newest completed backup (whoever made it), it is not
still in progress, no protected manifest run references it, and its platform can delete it.
"""

from __future__ import annotations

import os

from ansible_collections.saasops.backup.plugins.module_utils._convert import parse_time
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _restore_plan as restore_plan
from ansible_collections.saasops.backup.plugins.plugin_utils._estate import RUNNING, USABLE, newest_good
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_plan import age_text, backup_label

# A week of daily pre-deploy snapshots, and a month: a release cycle's worth of rollback points. Both
# must hold before a backup goes (the newest 7 stay however old; a backup younger than 30 days stays
# however many there are).
KEEP_LAST = 7
KEEP_DAYS = 30
DAY = 86400
DELETE, KEEP, REPORT = 'delete', 'keep', 'report'
# Why a backup is kept, in the order the reasons are given.
REASONS = (
    ('in_progress', 'still in progress'),
    ('foreign', 'not made by this collection'),
    ('newest_completed', "the environment's newest completed backup"),
    ('protected', None),  # worded with its runs by _protected_reason
    ('keep_last', None),  # worded with the count
    ('no_time', 'its time is unknown, so its age cannot be judged'),
    ('keep_days', None),  # worded with the days
)
# What each platform's API can do; the role README's table says the same in words. ``module`` deletes one
# backup, ``key`` is the option that names it. Jahia cannot list its backups either: they are what this
# collection's manifests recorded.
PLATFORMS = {
    'arcgis': dict(lists=True, module='arcgis_dr_backup', key='name', cannot=None),
    'mendix': dict(lists=True, module='mendix_snapshot', key='snapshot_id', cannot=None),
    'atlassian': dict(lists=True, module=None, key=None,
                      cannot="Atlassian's API cannot delete backups: they expire by themselves"),
    'jahia': dict(lists=False, module=None, key=None,
                  cannot="Jahia's API can neither list nor delete backups (these are the ones this collection's "
                         'manifests recorded)'),
}
MENDIX_V1 = 'Mendix Backups API v1 cannot delete snapshots (api_version 2 can)'
# The keys of a manifest entry's ``backup`` and ``restore`` that identify a backup, per platform.
RECORDED_IDS = {'arcgis': ('name',), 'mendix': ('snapshot_id',), 'atlassian': ('backup_id',)}
MAX_ID = 256
LATEST, NEWEST, PINNED = 'latest', 'newest', 'pinned'


class InputProblem(ValueError):
    """A variable that makes the prune impossible; the message never holds a credential."""


# -- input --------------------------------------------------------------------------------------------
def check_keep(value, variable):
    """A whole number of at least 1 (an int, or its digits as text: extra vars are text)."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip('-').isdigit():
        number = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None or number < 1:
        raise InputProblem('%s must be a whole number of at least 1, got %s: a prune with nothing to keep is refused'
                           % (variable, ascii(value) if isinstance(value, str) else value))
    return number


def check_protect_runs(value):
    """The run ids of saasops_protect_runs: a list, or one text of run ids separated by commas (``-e``)."""
    if value in (None, ''):
        return []
    runs = value.split(',') if isinstance(value, str) else value
    if not isinstance(runs, (list, tuple)):
        raise InputProblem('saasops_protect_runs must be a list of run ids')
    found = []
    for run_id in runs:
        run_id = run_id.strip() if isinstance(run_id, str) else run_id
        if not store.is_run_id(run_id):
            raise InputProblem('saasops_protect_runs holds %s, which is not a valid run id' % ascii(run_id))
        if run_id not in found:
            found.append(run_id)
    return found


def cannot_delete(platform, identity):
    """Why the platform's API cannot delete this environment's backups, or None when it can."""
    reason = PLATFORMS[platform]['cannot']
    if reason is None and platform == 'mendix' and str(identity.get('api_version', 2)) != '2':
        return MENDIX_V1
    return reason


# -- protections --------------------------------------------------------------------------------------
def protected_runs(directory, pinned, named=False):
    """The runs whose backups are kept: the latest (latest.json), the newest recorded, and the pinned ones.

    ``[{run_id, why, manifest}]``; ``manifest`` is None when the run has none (only its run id protects then).
    InputProblem when the protections cannot be known: a pinned run without a manifest (the user meant to
    protect something), a pointer or a pinned manifest that cannot be read, a directory the user named
    (``named``) that does not exist.
    """
    if not os.path.isdir(directory):
        if named:
            raise InputProblem('the manifest directory %s (saasops_manifest_dir) does not exist: without it the prune '
                               'cannot tell which backups the latest run made' % directory)
        if pinned:
            raise InputProblem('saasops_protect_runs names %s, but there is no manifest directory (%s)'
                               % (', '.join(pinned), directory))
        return []
    runs = []
    try:
        latest = store.latest_run_id(directory)
    except store.StoreError as exc:
        raise InputProblem('%s; the prune cannot tell which run is the latest: repair or remove it' % exc) from None
    if latest:
        runs.append(dict(run_id=latest, why=LATEST, manifest=_read(directory, latest, 'the latest run')))
    newest = next((r['run_id'] for r in store.list_runs(directory) if not r.get('error')), None)
    if newest and newest != latest:
        runs.append(dict(run_id=newest, why=NEWEST, manifest=_read(directory, newest, 'the newest run')))
    for run_id in pinned:
        manifest = _read(directory, run_id, 'run %s of saasops_protect_runs' % run_id)
        if manifest is None:
            raise InputProblem('saasops_protect_runs names run %s, which has no manifest in %s: nothing is deleted '
                               'while a protected run cannot be found' % (run_id, directory))
        runs.append(dict(run_id=run_id, why=PINNED, manifest=manifest))
    return runs


def _read(directory, run_id, what):
    try:
        return store.read_run(directory, run_id)
    except store.StoreError as exc:
        raise InputProblem('the manifest of %s cannot be used: %s' % (what, exc)) from None


def _clean_id(value):
    if isinstance(value, str) and 0 < len(value) <= MAX_ID and not any(ord(c) < 32 or ord(c) == 127 for c in value):
        return value
    return None


def _same_environment(platform, entry, host, connection, target):
    """Whether a manifest entry was recorded from this environment: same platform, no name that differs, and
    the same host, or (a host renamed in the inventory) every name the inventory gives recorded alike."""
    if entry.get('platform') != platform or restore_plan.target_mismatches(platform, entry, connection, target):
        return False
    if entry.get('host') == host:
        return True
    ours = restore_plan.inventory_target(platform, connection, target)
    theirs = restore_plan.recorded_target(platform, entry)
    return bool(ours) and all(key in theirs for key in ours)


def recorded_ids(platform, manifest, host, connection, target):
    """The ids of the backups a manifest recorded for this environment (names, snapshot or backup ids)."""
    found = set()
    for entry in store.environments_of(manifest or {}):
        if not isinstance(entry, dict) or not _same_environment(platform, entry, host, connection, target):
            continue
        if platform == 'jahia':
            # As _estate_manifests.recorded_backups names a Jahia backup.
            found.add(backup_label(entry))
            continue
        for part in ('backup', 'restore'):
            recorded = entry.get(part)
            for key in RECORDED_IDS[platform]:
                value = _clean_id(recorded.get(key)) if isinstance(recorded, dict) else None
                if value:
                    found.add(value)
    return found


def protections(platform, runs, host, connection, target):
    """Per protected run, the ids it recorded for this environment: ``[{run_id, why, ids}]``."""
    return [dict(run_id=run['run_id'], why=run['why'], ids=recorded_ids(platform, run['manifest'], host, connection, target))
            for run in runs]


# -- the plan -----------------------------------------------------------------------------------------
def age_of(backup, now):
    when = parse_time(backup.get('time'))
    return None if when is None else max(0, int(now - when))


def _protecting(backup, protected):
    """The protected runs that keep ``backup``: they recorded it, or its own name says it is theirs."""
    return [p for p in protected if backup['id'] in p['ids'] or (backup.get('run_id') and backup['run_id'] == p['run_id'])]


def _protected_reason(runs):
    words = {LATEST: 'the latest run', NEWEST: 'the newest run', PINNED: 'saasops_protect_runs'}
    return 'protected: %s' % ', '.join('run %s (%s)' % (p['run_id'], words[p['why']]) for p in runs)


def plan(listed, now, keep_last, keep_days, protected=(), cannot=None):
    """One decision per listed backup (newest first): ``{id, name, time, status, run_id, age_seconds, action,
    codes, reason}``.

    ``action`` is DELETE, KEEP (``codes`` say why, in REASONS' order) or, on a platform that cannot delete
    (``cannot`` says why), REPORT for what would have been deleted. ``keep_last`` counts this collection's
    completed backups only: a failed one is never a rollback point, and goes once it is older than ``keep_days``.
    """
    newest = newest_good(listed)
    ours = [b for b in listed if b.get('run_id') and b['status'] in USABLE]
    recent = set(id(b) for b in ours[:keep_last])
    decisions = []
    for backup in listed:
        age = age_of(backup, now)
        runs = _protecting(backup, protected)
        held = dict(in_progress=backup['status'] == RUNNING, foreign=not backup.get('run_id'),
                    newest_completed=backup is newest, protected=bool(runs), keep_last=id(backup) in recent,
                    no_time=age is None, keep_days=age is not None and age <= keep_days * DAY)
        codes = [code for code, dummy in REASONS if held[code]]
        words = {'protected': _protected_reason(runs),
                 'keep_last': "one of the newest %d completed backups this collection made" % keep_last,
                 'keep_days': '%s old, not older than %d days' % (age_text(age), keep_days)}
        if codes:
            action = KEEP
            reason = '; '.join(words.get(code) or dict(REASONS)[code] for code in codes)
        else:
            action = REPORT if cannot else DELETE
            reason = 'older than %d days, and not one of the newest %d completed backups of this collection' % (
                keep_days, keep_last)
            if cannot:
                codes = ['cannot_delete']
                reason = 'would be deleted (%s), but %s' % (reason, cannot)
        decisions.append(dict(id=backup['id'], name=backup.get('name'), time=backup.get('time'), status=backup['status'],
                              run_id=backup.get('run_id'), age_seconds=age, action=action, codes=codes, reason=reason))
    return decisions


def to_delete(decisions):
    """The backups to delete, oldest first: a prune cut short leaves the newer ones."""
    return list(reversed([d for d in decisions if d['action'] == DELETE]))


def old_count(decisions, keep_days):
    """How many listed backups, whoever made them, are older than ``keep_days`` (what a platform that
    deletes nothing is reported with)."""
    return sum(1 for d in decisions if d['age_seconds'] is not None and d['age_seconds'] > keep_days * DAY)


# -- words --------------------------------------------------------------------------------------------
# A kept backup counted under its first reason, in the summary.
SHORT = {'in_progress': 'in progress', 'foreign': 'not ours', 'newest_completed': 'newest completed', 'protected': 'protected',
         'keep_last': 'within keep_last', 'no_time': 'no time', 'keep_days': 'within keep_days'}


def kept_words(decisions):
    """'kept 7 (1 in progress, 2 protected, ...)': how many were kept, by their first reason."""
    counts = {}
    for decision in decisions:
        if decision['action'] == KEEP:
            counts[decision['codes'][0]] = counts.get(decision['codes'][0], 0) + 1
    detail = ', '.join('%d %s' % (counts[code], SHORT[code]) for code, dummy in REASONS if code in counts)
    return '%d (%s)' % (sum(counts.values()), detail) if counts else '0'


def backup_words(decision):
    """'<id> "<name>" (<age> old)' for the summary."""
    name = decision.get('name')
    named = " '%s'" % name if name and name != decision['id'] else ''
    return '%s%s (%s old)' % (decision['id'], named, age_text(decision['age_seconds']))


def host_lines(found, check_mode):
    """The summary lines of one environment: what was (or would be) deleted, and why, one line each."""
    head = '%s (%s, %s)' % (found['host'], found['platform'], found.get('label') or '?')
    decisions = found.get('backups') or []
    if found.get('error'):
        return ['%s: NOT PRUNED - %s' % (head, found['error'])]
    kept = kept_words(decisions)
    if found.get('cannot'):
        reported = [d for d in decisions if d['action'] == REPORT]
        lines = ['%s: nothing deleted - %s; %d backups, %d older than %d days, %d this collection would delete' % (
            head, found['cannot'], len(decisions), old_count(decisions, found['keep_days']), found['keep_days'],
            len(reported))]
        return lines + ['  - would be old: %s: %s' % (backup_words(d), d['reason']) for d in reported]
    if check_mode:
        doomed = [d for d in decisions if d['action'] == DELETE]
        lines = ['%s: would delete %d of %d backups, keep %s' % (head, len(doomed), len(decisions), kept)]
        return lines + ['  - would delete %s: %s' % (backup_words(d), d['reason']) for d in doomed]
    deleted, failed, gone = found.get('deleted') or [], found.get('failed') or [], found.get('gone') or []
    lines = ['%s: deleted %d of %d backups, kept %s%s%s' % (
        head, len(deleted), len(decisions), kept, ', %d already gone' % len(gone) if gone else '',
        ', %d FAILED' % len(failed) if failed else '')]
    lines += ['  - deleted %s: %s' % (backup_words(d), d['reason']) for d in deleted]
    lines += ['  - FAILED to delete %s: %s' % (backup_words(d), d['error']) for d in failed]
    return lines
