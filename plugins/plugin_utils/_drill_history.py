# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore drill history: ``<manifest dir>/drills/history.json``, beside the manifests.

    {"schema": 1, "drills": [record, ...]}      oldest first, at most MAX_PER_HOST records per host

A record says which backup of which environment was restored into which drill target, when, how long
the restore took until its checks passed (the RTO), and how it ended. It holds names only, never a
credential. The file is read back as untrusted data: a record is kept only when every field has the
type and form written here, and only the fields written here are kept, so a hand-edited file can
neither crash a reader nor add a key (a URL, a token) to what the report shows.
"""

from __future__ import annotations

import contextlib
import math
import os

from ansible_collections.saasops.backup.plugins.module_utils._convert import parse_time
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store

SCHEMA = 1
# A folder of its own: a drills.json beside the manifests would be listed as a broken run 'drills', and
# its lock would be the lock of a real run of that name.
FOLDER, FILE = 'drills', 'history.json'
# Serialises the writers of the history (the drills of one play run in parallel forks, a job's slices
# in parallel jobs); _manifest_store.locked names the lock file ``drills/.history.lock``.
LOCK = 'history'
# Enough for a year of weekly drills; the file stays small whatever the schedule.
MAX_PER_HOST = 50
# The history of a few hundred environments is well under this; anything larger is not ours.
MAX_BYTES = 8 * 1024 * 1024
RESULTS = ('passed', 'failed', 'planned')
# What last_drills reports: a drill that ran (a planned one is check mode's, and never written).
RAN = ('passed', 'failed')
PLATFORMS = ('arcgis', 'atlassian', 'jahia', 'mendix')
# The names an identity may hold (snapshot_phase.IDENTITY_KEYS): an environment's names, never a credential.
IDENTITY_KEYS = ('url', 'store', 'organization', 'environment', 'app_id', 'api_version', 'cloud_id', 'product')
MAX_TEXT = 256
MAX_DETAIL = 2048
MAX_CHECKS = 20


class HistoryError(ValueError):
    """The drill history cannot be written."""


def path_of(directory):
    return os.path.join(directory, FOLDER, FILE)


def _text(value, limit=MAX_TEXT, empty=False):
    """``value`` when it is a string of printable characters within ``limit``; else None."""
    if not isinstance(value, str) or len(value) > limit or (not value and not empty):
        return None
    if any(ord(c) < 32 and c not in '\t' or ord(c) == 127 for c in value):
        return None
    return value


def _time(value):
    """An ISO 8601 time as written here, or None."""
    text = _text(value, 40)
    return text if text is not None and parse_time(text) is not None else None


def _identity(value):
    if not isinstance(value, dict):
        return None
    found = {}
    for key in IDENTITY_KEYS:
        item = value.get(key)
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            return None
        if isinstance(item, str) and _text(item) is None:
            return None
        found[key] = item
    return found


def _backup(value):
    if not isinstance(value, dict):
        return None
    backup = {'id': _text(value.get('id')), 'name': None, 'time': None}
    if backup['id'] is None:
        return None
    for key, check in (('name', _text), ('time', _time)):
        if value.get(key) is not None:
            backup[key] = check(value[key])
            if backup[key] is None:
                return None
    return backup


def _checks(value):
    if not isinstance(value, list) or len(value) > MAX_CHECKS:
        return None
    checks = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get('ok'), bool):
            return None
        name, detail = _text(item.get('name')), _text(item.get('detail'), MAX_DETAIL, empty=True)
        if name is None or detail is None:
            return None
        checks.append({'name': name, 'ok': item['ok'], 'detail': detail})
    return checks


def _seconds(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def clean_record(record):
    """The record with exactly the fields of the schema, each checked; None when any field is unusable."""
    if not isinstance(record, dict):
        return None
    clean = {
        'host': _text(record.get('host')), 'platform': record.get('platform') if record.get('platform') in PLATFORMS else None,
        'drill_target': _text(record.get('drill_target')), 'source': _identity(record.get('source')),
        'target': _identity(record.get('target')), 'backup': _backup(record.get('backup')),
        'manifest_run_id': record.get('manifest_run_id'), 'started_at': _time(record.get('started_at')),
        'finished_at': _time(record.get('finished_at')), 'rto_seconds': _seconds(record.get('rto_seconds')),
        'result': record.get('result') if record.get('result') in RESULTS else None,
        'checks': _checks(record.get('checks')), 'error': record.get('error'),
    }
    if any(value is None for key, value in clean.items() if key not in ('manifest_run_id', 'error')):
        return None
    if clean['manifest_run_id'] is not None and not store.is_run_id(clean['manifest_run_id']):
        return None
    if clean['error'] is not None:
        clean['error'] = _text(clean['error'], MAX_DETAIL)
        if clean['error'] is None:
            return None
    return clean


def read(directory):
    """Every valid record of the history, oldest first, and the number of entries left out as unusable.

    A missing file is an empty history. A file that is not a drill history at all (not JSON, another
    schema, too large) raises HistoryError: a reader reports it, a writer moves it aside.
    """
    path = path_of(directory)
    try:
        if os.path.getsize(path) > MAX_BYTES:
            raise HistoryError('%s is larger than a drill history can be (%d bytes)' % (path, MAX_BYTES))
        data = store.read_json(path)
    except FileNotFoundError:
        return [], 0
    except (OSError, store.StoreError) as exc:
        raise HistoryError(str(exc)) from None
    if data is None:
        return [], 0
    if data.get('schema') != SCHEMA or not isinstance(data.get('drills'), list):
        raise HistoryError('%s is not a schema %d drill history (an object with "schema" and a list "drills")' % (path, SCHEMA))
    records = [clean_record(r) for r in data['drills']]
    kept = [r for r in records if r is not None]
    return kept, len(records) - len(kept)


def bounded(records, limit=MAX_PER_HOST):
    """The newest ``limit`` records of each host, in their order (oldest first)."""
    seen = {}
    kept = []
    for record in reversed(records):
        seen[record['host']] = seen.get(record['host'], 0) + 1
        if seen[record['host']] <= limit:
            kept.append(record)
    return list(reversed(kept))


def append(directory, records, limit=MAX_PER_HOST, timeout=store.LOCK_TIMEOUT):
    """Add ``records`` to the directory's drill history under its lock, atomically; returns (path, notes).

    Records that are not valid are refused (HistoryError) before anything is written. Unusable records of
    the file are dropped, and a file that is no drill history is moved aside (``history.json.unusable-<time>``),
    each said in ``notes``: a history must go on being written, and nothing of a bad file is trusted.
    """
    checked = [clean_record(r) for r in records]
    if any(r is None for r in checked):
        raise HistoryError('a drill record to write does not have the fields of schema %d' % SCHEMA)
    path = path_of(directory)
    notes = []
    try:
        store.check_dir(os.path.dirname(path), True)
    except (OSError, store.StoreError) as exc:
        raise HistoryError('%s cannot be written: %s' % (path, exc)) from None
    with store.locked(os.path.dirname(path), LOCK, timeout):
        try:
            existing, dropped = read(directory)
        except HistoryError as exc:
            aside = '%s.unusable-%s' % (path, store.now_iso().replace(':', ''))
            with contextlib.suppress(FileNotFoundError):
                os.replace(path, aside)
            notes.append('%s; moved to %s and a new history started' % (exc, aside))
            existing, dropped = [], 0
        if dropped:
            notes.append('%s had %d unusable record(s); they were left out' % (path, dropped))
        try:
            store.write_json(path, {'schema': SCHEMA, 'drills': bounded(existing + checked, limit)})
        except (OSError, store.StoreError) as exc:
            raise HistoryError('%s cannot be written: %s' % (path, exc)) from None
    return path, notes


def _newer(record, other):
    return (parse_time(record['finished_at']) or 0) >= (parse_time(other['finished_at']) or 0)


def last_drills(directory):
    """{host: its newest drill that ran ('passed' or 'failed')} from the directory's drill history.

    Never raises for what the file holds: an unreadable file, or one that is no drill history, gives {}.
    """
    try:
        records, dummy = read(directory)
    except HistoryError:
        return {}
    newest = {}
    for record in records:
        if record['result'] not in RAN:
            continue
        if record['host'] not in newest or _newer(record, newest[record['host']]):
            newest[record['host']] = record
    return newest
