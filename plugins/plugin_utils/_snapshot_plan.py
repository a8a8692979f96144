# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-deploy snapshot of one environment: input checks, module arguments, manifest entries.

Pure functions, so the rules read (and are tested) as tables. The snapshot_phase action runs
the platform's backup module with what is decided here.
"""

from __future__ import annotations

import datetime
import difflib

from ansible.module_utils.common.validation import (
    check_type_bool, check_type_dict, check_type_float, check_type_int, check_type_list, check_type_path, check_type_str)

from ansible_collections.saasops.backup.plugins.plugin_utils._manifest_store import is_run_id

# Statuses a manifest entry can have. 'planned' only in check mode, never written. 'pending': not started yet - the
# platform's rate limit refused the create in the start phase, and the wait phase starts it (only the started
# manifest can hold it).
COMPLETED, TRIGGERED, RUNNING, FAILED, PLANNED, PENDING = 'completed', 'triggered', 'running', 'failed', 'planned', 'pending'
# What the wait phase runs the module for: a backup still running, or one the start phase could not start yet.
UNFINISHED = (RUNNING, PENDING)
# What a re-run with the same run id keeps; failed and unfinished backups are tried again (and the
# modules find an unfinished one by its key - ArcGIS name, Mendix comment, Atlassian's running backup).
REUSED = (COMPLETED, TRIGGERED)

PLATFORMS = {
    'arcgis': dict(module='arcgis_dr_backup', waits=True, owned=('name', 'description', 'state', 'wait', 'wait_timeout')),
    # Jahia reports nothing about a backup: triggered once in the start phase, never waited for.
    'jahia': dict(module='jahia_backup', waits=False, owned=()),
    'atlassian': dict(module='atlassian_backup', waits=True, owned=('wait', 'wait_timeout')),
    'mendix': dict(module='mendix_snapshot', waits=True, owned=('comment', 'state', 'wait', 'wait_timeout')),
}

# What of connection + target a manifest (and every history beside it) may record: names of the environment,
# never credentials.
IDENTITY_KEYS = ('url', 'store', 'organization', 'environment', 'app_id', 'api_version', 'cloud_id', 'product')

# What a manifest records of a backup that identifies it to the module's `confirm` option on a re-run with the same
# run id: one read then proves it is still there and complete. The module uses these values for that read only (they
# come from a file), never to create, wait for or delete.
CONFIRM_KEYS = {'arcgis': ('name', 'store'), 'atlassian': ('backup_id', 'policy_id'),
                'mendix': ('snapshot_id', 'project_id', 'environment_id')}
# Ids the start phase of this run learnt (its own module's answer, not a file) that spare the wait phase a lookup.
KNOWN_KEYS = {'atlassian': ('policy_id',), 'mendix': ('project_id', 'environment_id')}
# Platforms whose create a rate limit can refuse for minutes: the start phase does not wait for it (see PENDING).
DEFERRABLE = ('atlassian',)

# ansible's own converters: they raise TypeError without echoing a secret's value in our message.
CONVERTERS = {'str': check_type_str, 'int': check_type_int, 'float': check_type_float, 'bool': check_type_bool,
              'list': check_type_list, 'dict': check_type_dict, 'path': check_type_path}


class InputProblem(ValueError):
    """A variable of the environment that cannot work; the message never holds an option's value."""


def check_run_id(run_id):
    if not is_run_id(run_id):
        # The run id is not secret, but it may hold a newline or worse: show it escaped.
        raise InputProblem('saasops_run_id %s is not valid: 1 to 128 letters, digits, ".", "_" or "-", starting with '
                           'a letter or digit (it names backups and files)' % ascii(run_id))


def check_wait_timeout(value):
    try:
        seconds = check_type_int(value)
    except TypeError:
        raise InputProblem('saasops_wait_timeout must be a whole number of seconds') from None
    if seconds <= 0:
        raise InputProblem('saasops_wait_timeout must be a positive number of seconds, got %d' % seconds)
    return seconds


def check_options(platform, variable, values, options, owned=()):
    """Refuse keys the backup module does not know (naming them, never their values) and wrong types.

    ``options`` is the module's documented options: name -> {type, choices, aliases}.
    """
    if not isinstance(values, dict):
        raise InputProblem('%s must be a dictionary of %s module options' % (variable, PLATFORMS[platform]['module']))
    known = {}
    for name, spec in options.items():
        known[name] = (name, spec)
        for alias in spec.get('aliases') or []:
            known[alias] = (name, spec)
    problems = []
    for key in sorted(values, key=str):
        if key in owned:
            problems.append("%s sets '%s', which the role sets itself" % (variable, key))
            continue
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            problems.append("%s has an unknown option %s for the %s module%s" % (
                variable, ascii(key) if not isinstance(key, str) else "'%s'" % key, PLATFORMS[platform]['module'],
                " (did you mean '%s'?)" % close[0] if close else ''))
            continue
        problems.extend(type_problems(variable, key, values[key], known[key][1]))
    if problems:
        raise InputProblem('; '.join(problems))


def type_problems(variable, key, value, spec):
    if value is None:
        return []
    kind = spec.get('type') or 'str'
    converter = CONVERTERS.get(kind)
    if converter is None:
        return []
    try:
        converted = converter(value)
    except (TypeError, ValueError):
        return ["%s.%s must be of type %s" % (variable, key, kind)]
    choices = spec.get('choices')
    if choices and kind != 'list' and converted not in choices:
        return ["%s.%s must be one of %s" % (variable, key, ', '.join(str(c) for c in choices))]
    return []


def role_defaults(platform, max_age):
    """Options the role chooses that saasops_backup_options may override.

    Atlassian reuses a complete backup up to ``max_age`` old (the module's own default is the
    platform's 7 days, far too old to stand for "before this deployment").
    """
    return dict(max_age=max_age) if platform == 'atlassian' else {}


def confirm_of(platform, entry):
    """The module's ``confirm`` option for a completed backup ``entry`` recorded earlier (None when there is nothing to confirm).

    Only a completed entry of the same platform, with the key that names its backup, and only string values.
    """
    keys = CONFIRM_KEYS.get(platform)
    if not keys or not isinstance(entry, dict) or entry.get('platform') != platform or entry.get('status') != COMPLETED:
        return None
    backup = entry.get('backup') if isinstance(entry.get('backup'), dict) else {}
    confirm = dict((key, backup[key]) for key in keys if isinstance(backup.get(key), str) and backup[key])
    return confirm if keys[0] in confirm else None


def known_ids(platform, entry):
    """Options the wait phase can give the module from what this run's start phase answered (its lookups' results)."""
    backup = (entry or {}).get('backup') if isinstance((entry or {}).get('backup'), dict) else {}
    return dict((key, backup[key]) for key in KNOWN_KEYS.get(platform, ()) if isinstance(backup.get(key), str) and backup[key])


def role_arguments(platform, run_id, phase, wait_timeout):
    """The options the role itself gives the backup module in ``phase`` (start or wait); nothing overrides them."""
    wait = phase == 'wait'
    if platform == 'arcgis':
        return dict(name='saasops-%s' % run_id, description='saasops.backup pre-deploy snapshot %s' % run_id,
                    wait=wait, wait_timeout=wait_timeout)
    if platform == 'mendix':
        return dict(comment='saasops %s' % run_id, wait=wait, wait_timeout=wait_timeout)
    if platform == 'atlassian':
        return dict(wait=wait, wait_timeout=wait_timeout)
    return {}


def module_arguments(connection, target, defaults, options, role):
    """Connection and target from the inventory, the role's defaults, the user's backup options, the role's own last."""
    merged = {}
    for part in (connection, target, defaults, options, role):
        merged.update(part or {})
    return merged


def parse_time(value):
    """A datetime from an ISO 8601 text or epoch milliseconds; None when absent or unreadable."""
    if value is None or value == '':
        return None
    try:
        if isinstance(value, (int, float)):
            return datetime.datetime.fromtimestamp(value / 1000.0, datetime.timezone.utc)
        text = str(value).replace('Z', '+00:00')
        parsed = datetime.datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def age_seconds(created, now):
    when = parse_time(created)
    return None if when is None else max(0, int((now - when).total_seconds()))


def _arcgis(result, identity):
    backup = result.get('backup') or {}
    done = str(backup.get('status') or '').lower() == 'completed'
    store = backup.get('store') or identity.get('store')
    return dict(status=COMPLETED if done else RUNNING,
                backup=dict(name=backup.get('name'), store=store, started=backup.get('start_time_iso')),
                target=dict(url=identity.get('url'), store=store),
                restore=dict(name=backup.get('name'), store=store)), backup.get('start_time_iso')


def _atlassian(result, identity):
    backup = result.get('backup') or {}
    done = str(backup.get('status') or '').upper() in ('COMPLETE', 'INCOMPLETE')
    cloud_id = backup.get('cloud_id') or identity.get('cloud_id')
    product = str(backup.get('product') or identity.get('product') or '').lower() or None
    return dict(status=COMPLETED if done else RUNNING,
                backup=dict(backup_id=backup.get('backup_id'), status=backup.get('status'), created_at=backup.get('created_at'),
                            policy_id=backup.get('policy_id')),
                target=dict(cloud_id=cloud_id, product=product),
                restore=dict(backup_id=backup.get('backup_id'), cloud_id=cloud_id, product=product)), backup.get('created_at')


def _mendix(result, identity):
    snapshot = result.get('snapshot') or {}
    done = str(snapshot.get('state') or '').lower() == 'completed'
    return dict(status=COMPLETED if done else RUNNING,
                backup=dict(snapshot_id=snapshot.get('snapshot_id'), comment=snapshot.get('comment'),
                            created_at=snapshot.get('created_at'), project_id=snapshot.get('project_id'),
                            environment_id=snapshot.get('environment_id')),
                target=dict(app_id=identity.get('app_id'), environment=identity.get('environment')),
                restore=dict(app_id=identity.get('app_id'), environment=identity.get('environment'),
                             api_version=identity.get('api_version', 2), snapshot_id=snapshot.get('snapshot_id'),
                             # A running environment must be stopped to be restored, and started again after.
                             stop_environment=True, start_environment=True)), snapshot.get('created_at')


def _jahia(result, identity):
    environment = (result.get('environment') or {}).get('name') or identity.get('environment')
    where = dict(environment=environment)
    if identity.get('organization'):
        where['organization'] = identity['organization']
    return dict(status=TRIGGERED, backup=result.get('backup'), target=dict(where),
                restore=dict(where, backup=result.get('backup'))), None


ENTRY_BUILDERS = {'arcgis': _arcgis, 'atlassian': _atlassian, 'mendix': _mendix, 'jahia': _jahia}


def entry_from_result(host, platform, result, identity, check_mode, now):
    """The manifest entry for a backup module's result. ``identity`` is connection + target (no secret is copied)."""
    entry, created = ENTRY_BUILDERS[platform](result, identity)
    entry = dict(host=host, platform=platform, **entry)
    if check_mode:
        entry['status'] = PLANNED
    # A backup that was there already (Atlassian within max_age, a re-run of the same run id) is reused:
    # say how old it is, since "before this deployment" is what it stands for.
    entry['reused'] = not result.get('changed', False)
    entry['age_s'] = age_seconds(created, now) if entry['reused'] else 0
    return entry


def failed_entry(host, platform, message):
    return dict(host=host, platform=platform, status=FAILED, error=message)


def pending_entry(host, platform, identity, retry_after):
    """A backup the platform's rate limit did not let the start phase begin: the wait phase starts it."""
    entry = dict(host=host, platform=platform, status=PENDING, backup={}, reused=False, age_s=0,
                 target=dict((k, identity[k]) for k in ('cloud_id', 'product') if identity.get(k)))
    if isinstance(retry_after, (int, float)) and not isinstance(retry_after, bool):
        entry['retry_after_s'] = retry_after
    return entry


def backup_label(entry):
    """The backup's identity in a few words (for the summary)."""
    backup = entry.get('backup') or {}
    if not isinstance(backup, dict):
        return '-'
    for key in ('name', 'backup_id', 'snapshot_id'):
        if backup.get(key):
            return str(backup[key])
    if backup.get('backup_name'):
        return '%s %s' % (backup['backup_name'], backup.get('timestamp') or '')
    return '-'


def age_text(seconds):
    if seconds is None:
        return 'age unknown'
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60)):
        if seconds >= size:
            return '%d%s' % (seconds // size, unit)
    return '%ds' % seconds


def summary_line(entry):
    """One line of the end-of-run table: environment, platform, status, backup, age, duration."""
    status = entry.get('status')
    if status == FAILED:
        what = 'error: %s' % entry.get('error')
    else:
        what = backup_label(entry)
        if entry.get('reused'):
            what += ' (reused, %s old)' % age_text(entry.get('age_s'))
    if status == PENDING:
        what = 'rate-limited, started in the wait phase'
    label = {PLANNED: 'would back up', PENDING: 'not started yet'}.get(status, status)
    return '%-24s %-10s %-13s %s  [%ss]' % (entry.get('host'), entry.get('platform'), label, what, entry.get('elapsed_s', 0))
