# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore drill history: ``<manifest dir>/drills/history.json``, beside the manifests (see _history_file).

    {"schema": 1, "drills": [record, ...]}      oldest first, at most MAX_PER_HOST records per host

A record says which backup of which environment was restored into which drill target, when, how long
the restore took until its checks passed (the RTO), and how it ended. It holds names only, never a
credential. The file is read back as untrusted data: a record is kept only when every field has the
type and form written here, and only the fields written here are kept, so a hand-edited file can
neither crash a reader nor add a key (a URL, a token) to what the report shows.
"""

from __future__ import annotations

from ansible_collections.saasops.backup.plugins.module_utils._convert import parse_time
from ansible_collections.saasops.backup.plugins.plugin_utils import _history_file as hf
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store

SCHEMA = 1
FOLDER = 'drills'
# Enough for a year of weekly drills; the file stays small whatever the schedule.
MAX_PER_HOST = 50
# The history of a few hundred environments is well under this; anything larger is not ours.
MAX_BYTES = 8 * 1024 * 1024
RESULTS = ('passed', 'failed', 'planned')
# What last_drills reports: a drill that ran (a planned one is check mode's, and never written).
RAN = ('passed', 'failed')
MAX_CHECKS = 20
HistoryError = hf.HistoryError


def _backup(value):
    if not isinstance(value, dict):
        return None
    backup = {'id': hf.text(value.get('id')), 'name': None, 'time': None}
    if backup['id'] is None:
        return None
    for key, check in (('name', hf.text), ('time', hf.time_text)):
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
        name, detail = hf.text(item.get('name')), hf.text(item.get('detail'), hf.MAX_DETAIL, empty=True)
        if name is None or detail is None:
            return None
        checks.append({'name': name, 'ok': item['ok'], 'detail': detail})
    return checks


def clean_record(record):
    """The record with exactly the fields of the schema, each checked; None when any field is unusable."""
    if not isinstance(record, dict):
        return None
    clean = {
        'host': hf.text(record.get('host')),
        'platform': record.get('platform') if record.get('platform') in hf.PLATFORMS else None,
        'drill_target': hf.text(record.get('drill_target')), 'source': hf.identity(record.get('source')),
        'target': hf.identity(record.get('target')), 'backup': _backup(record.get('backup')),
        'manifest_run_id': record.get('manifest_run_id'), 'started_at': hf.time_text(record.get('started_at')),
        'finished_at': hf.time_text(record.get('finished_at')), 'rto_seconds': hf.seconds(record.get('rto_seconds')),
        'result': record.get('result') if record.get('result') in RESULTS else None,
        'checks': _checks(record.get('checks')), 'error': record.get('error'),
    }
    if any(value is None for key, value in clean.items() if key not in ('manifest_run_id', 'error')):
        return None
    if clean['manifest_run_id'] is not None and not store.is_run_id(clean['manifest_run_id']):
        return None
    return hf.optional_error(clean)


HISTORY = hf.History(FOLDER, 'drills', 'drill history', clean_record, MAX_PER_HOST, MAX_BYTES, SCHEMA)
path_of, read, append = HISTORY.path_of, HISTORY.read, HISTORY.append


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
