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

import os

from ansible_collections.saasops.backup.plugins.plugin_utils import _history_file as hf
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store

SCHEMA = 1
FOLDER = 'prune'
KINDS = ('backup',)
RESULTS = ('deleted', 'failed')
# Years of weekly prunes of a busy environment; the file stays small whatever the schedule.
MAX_PER_HOST = 500
MAX_BYTES = 16 * 1024 * 1024
RecordError = hf.HistoryError


def _backup(value):
    if not isinstance(value, dict):
        return None
    backup = {'id': hf.text(value.get('id')), 'name': None, 'time': None, 'run_id': None}
    if backup['id'] is None:
        return None
    for key, check in (('name', hf.text), ('time', hf.time_text), ('run_id', lambda v: v if store.is_run_id(v) else None)):
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
        'host': hf.text(record.get('host')),
        'platform': record.get('platform') if record.get('platform') in hf.PLATFORMS else None,
        'identity': hf.identity(record.get('identity')), 'backup': _backup(record.get('backup')),
        'result': record.get('result') if record.get('result') in RESULTS else None,
        'reason': hf.text(record.get('reason'), hf.MAX_DETAIL), 'at': hf.time_text(record.get('at')),
        'error': record.get('error'),
    }
    if any(value is None for key, value in clean.items() if key != 'error'):
        return None
    return hf.optional_error(clean)


HISTORY = hf.History(FOLDER, 'deletions', 'prune history', clean_record, MAX_PER_HOST, MAX_BYTES, SCHEMA)
path_of, read, append = HISTORY.path_of, HISTORY.read, HISTORY.append


def folder_of(directory):
    return os.path.dirname(path_of(directory))


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
