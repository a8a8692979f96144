# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The prune history: ``<manifest dir>/prune/history.json``, what the prune deleted (and failed to delete).

    {"schema": 1, "deletions": [record, ...]}      oldest first, at most MAX_PER_HOST records per host

In a folder of its own: a ``<name>.json`` beside the manifests would be listed as a broken run. A record
names the environment, the backup and the run that made it, never a credential. ``kind`` says what was
deleted - ``backup`` (a vendor's backup); the rotation of off-site copies adds its own kind to the same file.
The file is read back as untrusted data, field by field, as the drill history is.
"""

from __future__ import annotations

import contextlib
import os

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils._drill_history import (
    PLATFORMS, _identity, _text, _time, bounded)

SCHEMA = 1
FOLDER = 'prune'
FILE = 'history.json'
# Serialises the writers (a job's slices prune together); _manifest_store.locked names it ``.history.lock``.
LOCK = 'history'
KINDS = ('backup',)
RESULTS = ('deleted', 'failed')
# Years of weekly prunes of a busy environment; the file stays small whatever the schedule.
MAX_PER_HOST = 500
MAX_BYTES = 16 * 1024 * 1024
MAX_DETAIL = 2048


class RecordError(ValueError):
    """history.json cannot be written."""


def folder_of(directory):
    return os.path.join(directory, FOLDER)


def path_of(directory):
    return os.path.join(folder_of(directory), FILE)


def _backup(value):
    if not isinstance(value, dict):
        return None
    backup = {'id': _text(value.get('id')), 'name': None, 'time': None, 'run_id': None}
    if backup['id'] is None:
        return None
    for key, check in (('name', _text), ('time', _time), ('run_id', lambda v: v if store.is_run_id(v) else None)):
        if value.get(key) is not None:
            backup[key] = check(value[key])
            if backup[key] is None:
                return None
    return backup


def clean_record(record):
    """The record with exactly the fields of the schema, each checked; None when any field is unusable."""
    if not isinstance(record, dict):
        return None
    clean = {
        'kind': record.get('kind') if record.get('kind') in KINDS else None,
        'host': _text(record.get('host')),
        'platform': record.get('platform') if record.get('platform') in PLATFORMS else None,
        'identity': _identity(record.get('identity')), 'backup': _backup(record.get('backup')),
        'result': record.get('result') if record.get('result') in RESULTS else None,
        'reason': _text(record.get('reason'), MAX_DETAIL), 'at': _time(record.get('at')),
        'error': record.get('error'),
    }
    if any(value is None for key, value in clean.items() if key != 'error'):
        return None
    if clean['error'] is not None:
        clean['error'] = _text(clean['error'], MAX_DETAIL)
        if clean['error'] is None:
            return None
    return clean


def read(directory):
    """Every valid record, oldest first, and how many entries were left out as unusable.

    A missing file is an empty history; a file that is no prune history raises RecordError.
    """
    path = path_of(directory)
    try:
        if os.path.getsize(path) > MAX_BYTES:
            raise RecordError('%s is larger than a prune history can be (%d bytes)' % (path, MAX_BYTES))
        data = store.read_json(path)
    except FileNotFoundError:
        return [], 0
    except (OSError, store.StoreError) as exc:
        raise RecordError(str(exc)) from None
    if data is None:
        return [], 0
    if data.get('schema') != SCHEMA or not isinstance(data.get('deletions'), list):
        raise RecordError('%s is not a schema %d prune history (an object with "schema" and a list "deletions")'
                          % (path, SCHEMA))
    records = [clean_record(r) for r in data['deletions']]
    kept = [r for r in records if r is not None]
    return kept, len(records) - len(kept)


def append(directory, records, limit=MAX_PER_HOST, timeout=store.LOCK_TIMEOUT):
    """Add ``records`` to the history under its lock, atomically; returns (path, notes).

    Invalid records are refused before anything is written. Unusable records of the file are dropped, and a
    file that is no prune history is moved aside (``history.json.unusable-<time>``), each said in ``notes``.
    """
    checked = [clean_record(r) for r in records]
    if any(r is None for r in checked):
        raise RecordError('a prune record to write does not have the fields of schema %d' % SCHEMA)
    folder, path = folder_of(directory), path_of(directory)
    notes = []
    try:
        store.check_dir(folder, create=True)
    except store.StoreError as exc:
        raise RecordError(str(exc)) from None
    with store.locked(folder, LOCK, timeout):
        try:
            existing, dropped = read(directory)
        except RecordError as exc:
            aside = '%s.unusable-%s' % (path, store.now_iso().replace(':', ''))
            with contextlib.suppress(FileNotFoundError):
                os.replace(path, aside)
            notes.append('%s; moved to %s and a new history started' % (exc, aside))
            existing, dropped = [], 0
        if dropped:
            notes.append('%s had %d unusable record(s); they were left out' % (path, dropped))
        try:
            store.write_json(path, {'schema': SCHEMA, 'deletions': bounded(existing + checked, limit)})
        except (OSError, store.StoreError) as exc:
            raise RecordError('%s cannot be written: %s' % (path, exc)) from None
    return path, notes


def records_of(found, kind='backup'):
    """The history records of one environment's prune result (the backup_prune action's ``prune``)."""
    records = []
    for result, key in (('deleted', 'deleted'), ('failed', 'failed')):
        for decision in found.get(key) or []:
            records.append(dict(kind=kind, host=found['host'], platform=found['platform'], identity=found['identity'],
                                backup={k: decision.get(k) for k in ('id', 'name', 'time', 'run_id')}, result=result,
                                reason=decision['reason'], at=decision.get('at') or store.now_iso(),
                                error=decision.get('error')))
    return records
