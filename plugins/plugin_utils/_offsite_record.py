# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rotation history of the off-site copies: ``<manifest dir>/prune/copies/history.json``.

    {"schema": 1, "deletions": [record, ...]}      oldest first, at most MAX_PER_HOST records per host

Beside the prune history of the vendors' backups (``prune/history.json``), in a folder of its own: a record names a
copy by its location (a path, or s3://bucket/key - never an endpoint or a credential). Read back as untrusted data
(_history_file): a record is kept only when every field has the form written here.
"""

from __future__ import annotations

import os

from ansible_collections.saasops.backup.plugins.plugin_utils import _history_file as hf
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store

FOLDER = os.path.join('prune', 'copies')
RESULTS = ('deleted', 'failed')
MAX_PER_HOST = 500
MAX_BYTES = 16 * 1024 * 1024
HistoryError = hf.HistoryError


def _size(value):
    return value if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0) else False


def clean_record(record):
    """The record with exactly the fields of the schema, each checked; None when any field is unusable."""
    if not isinstance(record, dict):
        return None
    clean = {
        'kind': record.get('kind') if record.get('kind') == 'copy' else None,
        'host': hf.text(record.get('host')),
        'platform': record.get('platform') if record.get('platform') in hf.PLATFORMS else None,
        'location': hf.text(record.get('location'), hf.MAX_DETAIL),
        'run_id': record.get('run_id') if store.is_run_id(record.get('run_id')) else None,
        'time': hf.time_text(record.get('time')) if record.get('time') is not None else '',
        'size': _size(record.get('size')),
        'result': record.get('result') if record.get('result') in RESULTS else None,
        'reason': hf.text(record.get('reason'), hf.MAX_DETAIL), 'at': hf.time_text(record.get('at')),
        'error': record.get('error'),
    }
    if any(value is None for key, value in clean.items() if key not in ('error', 'size')) or clean['size'] is False:
        return None
    clean['time'] = clean['time'] or None
    return hf.optional_error(clean)


HISTORY = hf.History(FOLDER, 'deletions', 'copy rotation history', clean_record, MAX_PER_HOST, MAX_BYTES)


def path_of(directory):
    return HISTORY.path_of(directory)


def append(directory, records):
    return HISTORY.append(directory, records)


def records_of(found):
    """The history records of one environment's rotation (the offsite_prune action's ``copies``)."""
    records = []
    for result in RESULTS:
        for decision in found.get(result) or []:
            records.append(dict(kind='copy', host=found['host'], platform=found['platform'], location=decision['id'],
                                run_id=decision.get('run_id'), time=decision.get('time'), size=decision.get('size'),
                                result=result, reason=decision['reason'], at=decision.get('at') or store.now_iso(),
                                error=decision.get('error')))
    return records
