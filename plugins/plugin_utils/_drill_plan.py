# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore drill of one environment: what may be drilled where, which backup, the restore's
arguments, and what the checks after the restore say.

Pure functions and tables, so every rule reads (and is tested) as data. The restore_drill action
runs the platforms' modules with what is decided here. A drill restores the SOURCE environment's
backup into its DRILL TARGET, another environment of the inventory: never into the source itself,
never into a production environment, and the restore modules always keep their own production guard
(a drill never passes ``allow_production``).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from urllib.parse import urlsplit

from ansible_collections.saasops.backup.plugins.module_utils._convert import iso_from_epoch, parse_time
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _restore_plan as restore_plan
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import printable
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_plan import age_text, type_problems

PASSED, FAILED, PLANNED, SKIPPED = 'passed', 'failed', 'planned', 'skipped'
LATEST = 'latest'
# Per platform: the names that tell one environment from another (the drill target must differ in
# them: the source's identity, never to be overwritten), the names the source and the drill target
# must share (a Mendix snapshot restores only into the same app; an Atlassian backup only into a site
# of the same product and organization; a Jahia restore point is kept by the organization), and
# whether the backups can be listed (Jahia's cannot: the manifests say which backup it is).
PLATFORMS = {
    'arcgis': dict(same=('url',), shared=(), lists=True),
    'atlassian': dict(same=('cloud_id',), shared=('product', 'org_id'), lists=True),
    # UNCONFIRMED whether Jahia restores a backup of another organization: its restore point names no
    # organization, and its storage is the account's. Only one organization's drills are allowed.
    'jahia': dict(same=('organization', 'environment'), shared=('organization',), lists=False),
    'mendix': dict(same=('app_id', 'environment'), shared=('app_id',), lists=True),
}
# The names without which a drill cannot tell its target from its source (Jahia's organization may
# come from JAHIA_CLOUD_ORG for both).
REQUIRED = {'arcgis': ('url',), 'atlassian': ('cloud_id', 'product'), 'jahia': ('environment',),
            'mendix': ('app_id', 'environment')}
# The restore module options a drill sets itself; nothing the user gives may set them.
OWNED_ALL = ('allow_production', 'production', 'wait', 'wait_timeout')
OWNED = {
    'arcgis': OWNED_ALL + ('name',),
    'atlassian': OWNED_ALL + ('backup_id',),
    'jahia': OWNED_ALL + ('backup', 'backup_name', 'timestamp', 'backup_type', 'cloud_provider', 'region', 'env_role'),
    'mendix': OWNED_ALL + ('snapshot_id', 'source_environment', 'stop_environment', 'start_environment'),
}
RUNNING = 'Running'
MAX_TEXT = 256


class InputProblem(ValueError):
    """A variable that makes the drill impossible; the message never holds a credential's value."""


def module_of(platform):
    return restore_plan.PLATFORMS[platform]['module']


# -- names of an environment ------------------------------------------------------------------------
def names_of(connection, target, keys):
    """The values of ``keys`` the inventory gives an environment, saasops_target first."""
    found = {}
    for key in keys:
        value = (target or {}).get(key) if isinstance(target, dict) else None
        if value is None and isinstance(connection, dict):
            value = connection.get(key)
        if value is not None:
            found[key] = value
    return found


def normal(key, value):
    """How two names are compared: URLs by scheme, host, port and path; Mendix modes and products without case."""
    text = str(value).strip()
    if key == 'url':
        parts = urlsplit(text)
        host = (parts.hostname or '').lower()
        port = parts.port if parts.port else {'https': 443, 'http': 80}.get(parts.scheme.lower())
        return '%s://%s:%s%s' % (parts.scheme.lower(), host, port, parts.path.rstrip('/'))
    if key in ('environment', 'product'):
        return text.lower()
    return text


# -- pre-flight: every problem before any request ---------------------------------------------------
def option_problems(variable, values, options, owned, module):
    """Keys of ``values`` the restore module does not know or that the drill sets itself, and wrong types;
    keys are named, values never."""
    if values is None:
        return []
    if not isinstance(values, dict):
        return ['%s must be a dictionary of %s options' % (variable, module)]
    known = {}
    for name, spec in options.items():
        for alias in [name] + list(spec.get('aliases') or []):
            known[alias] = spec
    problems = []
    for key in sorted(values, key=str):
        if key in owned:
            problems.append("%s sets '%s', which a restore drill sets itself%s" % (
                variable, key, ' (a drill never allows a production target)' if key == 'allow_production' else ''))
        elif key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            problems.append('%s has an unknown option %s for the %s module%s' % (
                variable, ascii(key), module, " (did you mean '%s'?)" % close[0] if close else ''))
        else:
            problems.extend(type_problems(variable, key, values[key], known[key]))
    return problems


def check_seconds(value, variable='saasops_drill_timeout'):
    """A wait budget in whole seconds (a positive number)."""
    if isinstance(value, bool):
        raise InputProblem('%s must be a positive number of seconds' % variable)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise InputProblem('%s must be a positive number of seconds' % variable) from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise InputProblem('%s must be a positive number of seconds' % variable)
    return int(math.ceil(seconds))


def check_drill_run(value):
    """None (the newest good backup), 'latest' (the latest complete run) or a run id."""
    if value is None or value == LATEST:
        return value
    if not store.is_run_id(value):
        raise InputProblem("saasops_drill_run %s is not 'latest' nor a valid run id (letters, digits, '.', '_', '-')"
                           % ascii(value))
    return value


def check_health_url(value):
    """A Jahia drill target's health URL: https, a host, no user information (it is polled without credentials)."""
    if value is None:
        return ['a Jahia drill target needs saasops_health_url (its <environment URL>/cms/login, or its healthcheck URL): '
                "Jahia's API reports nothing about a restore, so the drill waits for the environment to answer it"]
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme != 'https' or not parts.hostname or parts.username or parts.password:
        return ['saasops_health_url of the drill target must be an https:// URL with a host and no user name or password']
    return []


def pair_problems(platform, source, drill):
    """Why the source's backup must not, or cannot, be restored into the drill target (both from the inventory).

    ``source`` and ``drill`` are dicts with ``host``, ``connection`` and ``target``; ``drill`` also has
    ``known``, ``platform`` and ``production``.
    """
    if not drill.get('known'):
        return ["saasops_drill_target '%s' is not a host of the inventory" % drill.get('host')]
    if drill['host'] == source['host']:
        return ['saasops_drill_target names this environment itself: a drill never restores into its source']
    if drill.get('platform') != platform:
        return ["the drill target '%s' is on %s, this environment on %s: a drill restores into the same platform"
                % (drill['host'], drill.get('platform'), platform)]
    if not isinstance(drill.get('connection'), dict):
        return ["the drill target '%s' has no saasops_connection (a dictionary)" % drill['host']]
    if drill.get('target') is not None and not isinstance(drill['target'], dict):
        return ["the drill target '%s' has a saasops_target that is not a dictionary" % drill['host']]
    problems = []
    if drill.get('production') or _declares_production(drill):
        problems.append("the drill target '%s' is production (saasops_production: true): a drill never restores into "
                        'production' % drill['host'])
    rules = PLATFORMS[platform]
    keys = tuple(dict.fromkeys(rules['same'] + rules['shared'] + REQUIRED[platform]))
    ours = names_of(source['connection'], source['target'], keys)
    theirs = names_of(drill['connection'], drill['target'], keys)
    missing = ['%s of %s' % (key, host) for key in REQUIRED[platform] for host, names in
               ((source['host'], ours), (drill['host'], theirs)) if names.get(key) in (None, '')]
    if missing:
        problems.append('the drill cannot tell its target from its source without %s: set it in saasops_target'
                        % ', '.join(missing))
        return problems
    if all(normal(k, ours.get(k)) == normal(k, theirs.get(k)) for k in rules['same']):
        problems.append("the drill target '%s' is the same %s environment as this one (%s): a drill never restores "
                        'into its source' % (drill['host'], platform,
                                             ', '.join('%s %s' % (k, ours[k]) for k in rules['same'] if k in ours)))
    for key in rules['shared']:
        if key in ours and key in theirs and normal(key, ours[key]) != normal(key, theirs[key]):
            problems.append("the drill target '%s' has %s %r, this environment %r: %s" % (
                drill['host'], key, theirs[key], ours[key], SHARED_REASONS[platform]))
    return problems


SHARED_REASONS = {
    'atlassian': 'an Atlassian backup restores into a site of the same product and organization',
    'jahia': 'a drill restores a Jahia backup into another environment of the same organization',
    'mendix': 'a Mendix snapshot restores into another environment of the same app',
}


def _declares_production(drill):
    """A production flag in the drill target's own options (what the declared-production guard reads)."""
    return any(isinstance(part, dict) and part.get('production') is True
               for part in (drill.get('connection'), drill.get('target')))


def claimed_twice(claims, host):
    """A problem when another host of the play drills into the same target (two restores into one environment)."""
    target = claims.get(host)
    others = sorted(h for h, t in claims.items() if t == target and h != host)
    if target is None or not others:
        return []
    return ["the drill target '%s' is also the drill target of %s: one drill per target at a time"
            % (target, ', '.join(others))]


# -- which backup -----------------------------------------------------------------------------------
def uses_manifest(platform, drill_run):
    """Whether the backup comes from a manifest run: asked for, or the platform cannot list its backups."""
    return drill_run is not None or not PLATFORMS[platform]['lists']


def restore_identity(platform, backup_id):
    """The restore module's argument naming a listed backup (ArcGIS name, Atlassian backup id, Mendix snapshot id)."""
    [(key, dummy)] = restore_plan.PLATFORMS[platform]['identity'].items()
    return {key: backup_id}


def from_listing(platform, listed, newest_good):
    """The newest good backup of a listing (``_estate.backups``), as (restore identity, backup summary)."""
    good = newest_good(listed)
    if good is None:
        statuses = sorted(set(str(b.get('status')) for b in listed))
        raise ValueError('the source has no usable backup to restore (%d listed%s)'
                         % (len(listed), ': ' + ', '.join(statuses) if statuses else ''))
    backup = {'id': good['id'], 'name': good.get('name'), 'time': good.get('time')}
    return restore_identity(platform, good['id']), backup


def _clean(value):
    return value if isinstance(value, str) and value and len(value) <= MAX_TEXT and value.isprintable() else None


def _clean_time(value):
    seconds = parse_time(value) if isinstance(value, (str, int, float)) else None
    return iso_from_epoch(seconds) if seconds is not None else None


def manifest_backup(platform, entry, identity):
    """What the history records of a manifest entry's backup: id, name, time (untrusted values checked)."""
    recorded = entry.get('backup') if isinstance(entry.get('backup'), dict) else {}
    if platform == 'jahia':
        point = identity['backup']
        return {'id': '%s %s' % (point.get('backup_name'), point.get('timestamp')), 'name': point.get('backup_name'),
                'time': _clean_time(point.get('timestamp'))}
    [(key, dummy)] = restore_plan.PLATFORMS[platform]['identity'].items()
    name = {'arcgis': identity[key], 'mendix': _clean(recorded.get('comment'))}.get(platform)
    time = recorded.get('started') if platform == 'arcgis' else recorded.get('created_at')
    return {'id': identity[key], 'name': name, 'time': _clean_time(time)}


def from_manifest(platform, manifest, host, connection, target):
    """The source's entry of a manifest run as (restore identity, backup summary); ValueError when unusable.

    The entry is data: it must be of this platform, restorable, and recorded from this very environment
    (the same names as the inventory's); only the backup's identity is taken from it.
    """
    entry = restore_plan.find_entry(manifest, host)
    if entry.get('platform') != platform:
        raise ValueError("the manifest entry is a %r backup; the inventory says this environment is %s"
                         % (entry.get('platform'), platform))
    if entry.get('status') not in restore_plan.RESTORABLE:
        raise ValueError("the manifest entry's backup is %r: only %s backups are drilled"
                         % (entry.get('status'), ' or '.join(restore_plan.RESTORABLE)))
    mismatches = restore_plan.target_mismatches(platform, entry, connection, target)
    if mismatches:
        raise ValueError('; '.join(mismatches))
    identity = restore_plan.identity(platform, entry)
    return identity, manifest_backup(platform, entry, identity)


# -- the restore ------------------------------------------------------------------------------------
def restore_arguments(platform, source, drill, identity, options, wait_timeout):
    """The restore module's arguments: the drill target's connection and target, the user's drill options,
    then what the drill decides (the backup, the wait, the source environment) last.

    ``allow_production`` is never among them, so the module's own production guard always applies.
    """
    arguments = dict(identity)
    if restore_plan.PLATFORMS[platform]['waits']:
        arguments.update(wait=True, wait_timeout=wait_timeout)
    if platform == 'mendix':
        # The snapshot is the source environment's; the target is stopped for the restore and started after.
        arguments.update(source_environment=names_of(source['connection'], source['target'], ('environment',))['environment'],
                         stop_environment=True, start_environment=True)
    if platform == 'arcgis':
        # The backup's passcode is the one it was made with: the source's (the target's is for its own backups).
        passcode = (source.get('connection') or {}).get('passcode')
        if passcode is not None:
            arguments['passcode'] = passcode
    if restore_plan.PLATFORMS[platform]['declared_production']:
        arguments['production'] = bool(drill.get('production'))
    merged = {}
    for part in (drill.get('connection'), drill.get('target'), options, arguments):
        merged.update(part or {})
    merged.pop('allow_production', None)
    return merged


# -- the checks after the restore -------------------------------------------------------------------
def check(name, ok, detail):
    return {'name': name, 'ok': bool(ok), 'detail': printable(detail)}


def _arcgis_checks(answer):
    status = answer.get('status') or {}
    state = str(status.get('state') or '')
    return [check('DR status success', state.lower() == 'success',
                  "the disaster recovery status of the restore of '%s' is '%s'%s" % (
                      status.get('backup_name') or (answer.get('backup') or {}).get('name'), state or 'unknown',
                      ': %s' % status['message'] if status.get('message') else ''))]


def _atlassian_checks(answer):
    restore = answer.get('restore') or {}
    status = str(restore.get('status') or '').upper()
    reused = '' if answer.get('changed') else (' (an earlier restore of this backup into this site, reused: Atlassian '
                                               'restores a backup at most once per 7 days)')
    detail = 'restore %s is %s%s' % (restore.get('restore_id'), status or 'unknown', reused)
    return [check('restore complete', status == 'COMPLETE', detail)]


def _mendix_checks(answer):
    restore = answer.get('restore') or {}
    state = str(restore.get('state') or '')
    status = answer.get('environment_status')
    return [check('restore completed', state.lower() == 'completed',
                  "restore %s of snapshot %s is '%s'" % (restore.get('restore_id') or '-', restore.get('source_snapshot_id')
                                                         or (restore.get('snapshot') or {}).get('snapshot_id') or '-',
                                                         state or 'unknown')),
            check('environment running', status == RUNNING, "the environment's status is '%s' after the start" % status)]


def _jahia_checks(answer):
    return [check('restore triggered', answer.get('changed'), 'restoreBackup answered jcResponse 0'
                  if answer.get('changed') else 'the restore was not triggered')]


MODULE_CHECKS = {'arcgis': _arcgis_checks, 'atlassian': _atlassian_checks, 'jahia': _jahia_checks, 'mendix': _mendix_checks}


def module_checks(platform, answer):
    """The checks the restore module's own answer settles."""
    return MODULE_CHECKS[platform](answer)


# Report columns that name an outcome or a count; the report's format is UNCONFIRMED (Atlassian documents only
# that the link exists), so any CSV is summarised by what it has.
STATUS_COLUMNS = ('status', 'result', 'state', 'outcome')
COUNT_COLUMNS = ('count', 'total', 'number')
MAX_REPORT_ROWS = 100000


def summarise_report(text):
    """A post-operation report (CSV) in counts: rows, rows by status, and the sum of a count column, per entity.

    Raises ValueError when it holds no CSV rows.
    """
    reader = csv.DictReader(io.StringIO(text))
    columns = {str(c).strip().lower(): c for c in reader.fieldnames or [] if c is not None}
    status_col = next((columns[c] for c in STATUS_COLUMNS if c in columns), None)
    count_col = next((columns[c] for c in COUNT_COLUMNS if c in columns), None)
    entity_col = next((c for c in reader.fieldnames or [] if c not in (status_col, count_col)), None)
    rows, statuses, counts = 0, {}, {}
    for row in reader:
        rows += 1
        if rows > MAX_REPORT_ROWS:
            break
        if status_col:
            status = printable(row.get(status_col) or '-', 40)
            statuses[status] = statuses.get(status, 0) + 1
        if count_col and entity_col:
            try:
                number = int(str(row.get(count_col) or '').strip())
            except ValueError:
                continue
            entity = printable(row.get(entity_col) or '-', 60)
            counts[entity] = counts.get(entity, 0) + number
    if not rows:
        raise ValueError('the post-operation report holds no rows')
    return {'rows': rows, 'statuses': statuses, 'counts': counts}


def report_detail(summary):
    parts = ['%d rows' % summary['rows']]
    if summary['statuses']:
        parts.append('by status ' + ', '.join('%s %d' % kv for kv in sorted(summary['statuses'].items())))
    if summary['counts']:
        parts.append(', '.join('%s %d' % kv for kv in summary['counts'].items()))
    return 'post-operation report: ' + '; '.join(parts)


class HealthWatch:
    """Whether a Jahia environment came back after a restore, from its health URL's answers.

    The restore runs after restoreBackup answered, so right after the trigger the old site may still answer
    200: an answer counts as "back" only after the environment was seen down (any answer but 200). If it
    answers 200 all along for ``settle`` seconds, the restore did not visibly run, and the check fails.
    """

    UP, WAITING, NEVER_DOWN = 'up', 'waiting', 'never_down'

    def __init__(self, settle):
        self.settle = settle
        self.down_since = None
        self.last = None

    def observe(self, status, elapsed):
        """``status``: the HTTP status (or None: no answer); ``elapsed``: seconds since the trigger."""
        self.last = status
        if status != 200:
            if self.down_since is None:
                self.down_since = elapsed
            return self.WAITING
        if self.down_since is not None:
            return self.UP
        return self.NEVER_DOWN if elapsed >= self.settle else self.WAITING

    def detail(self, url_label, elapsed):
        if self.down_since is None:
            return ('%s answered 200 throughout the %s after the restore was triggered: the environment never went down, '
                    'so the restore did not visibly run' % (url_label, age_text(int(elapsed))))
        return ('%s answered 200 after %s (down from %s after the trigger); this shows the site is up, not that the '
                'restore finished' % (url_label, age_text(int(elapsed)), age_text(int(self.down_since))))


# -- records and lines ------------------------------------------------------------------------------
def backup_text(backup, manifest_run_id=None):
    """'<id>' (name, taken <time>, manifest run <id>): what is restored, in words."""
    name = backup.get('name')
    details = [name] if name and name not in str(backup.get('id')) else []
    if backup.get('time'):
        details.append('taken %s' % backup['time'])
    if manifest_run_id:
        details.append('manifest run %s' % manifest_run_id)
    return "'%s'%s" % (backup.get('id'), ' (%s)' % ', '.join(details) if details else '')


def where_text(identity):
    return ', '.join('%s %s' % (k, v) for k, v in sorted(identity.items()) if k != 'api_version') or 'the inventory target'


def plan_line(host, drill_target, backup, source_identity, target_identity, manifest_run_id):
    what = backup_text(backup, manifest_run_id)
    return 'backup %s of %s [%s] into %s [%s]' % (what, host, where_text(source_identity), drill_target, where_text(target_identity))


def new_record(host, platform, drill_target, plan, started_at, finished_at, rto, result, checks, error):
    """A drill history record (see _drill_history): names and figures only."""
    return {'host': host, 'platform': platform, 'drill_target': drill_target, 'source': plan['source'],
            'target': plan['target'], 'backup': plan['backup'], 'manifest_run_id': plan.get('manifest_run_id'),
            'started_at': started_at, 'finished_at': finished_at, 'rto_seconds': round(max(0.0, rto), 1),
            'result': result, 'checks': checks, 'error': printable(error) if error else None}


def result_line(host, platform, record, plan_text):
    """One line of the end-of-drill summary."""
    label = {PASSED: 'passed', FAILED: 'FAILED', PLANNED: 'would restore'}[record['result']]
    if record['result'] == PLANNED:
        return '%s (%s): would restore %s' % (host, platform, plan_text)
    text = '%s (%s): drill %s into %s in %.1f s (RTO)' % (host, platform, label, record['drill_target'], record['rto_seconds'])
    if record['error']:
        text += ': ' + record['error']
    failed = [c['name'] for c in record['checks'] if not c['ok']]
    if failed and not record['error']:
        text += ': checks failed: ' + ', '.join(failed)
    return text
