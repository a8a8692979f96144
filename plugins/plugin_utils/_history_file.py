# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bounded history file beside the manifests (``<manifest dir>/<folder>/history.json``), read as untrusted data.

    {"schema": 1, "<key>": [record, ...]}      oldest first, at most ``limit`` records per host

Each history (restore drills, prunes) declares its folder, its list key and how to check one record;
the reading, the bounded append under a lock and the moving aside of a file that is no history are
here once. In a folder of its own: a ``<name>.json`` beside the manifests would be listed as a broken run.
The field checks below keep a record only when every field has the type and form a writer gives it.
"""

from __future__ import annotations

import contextlib
import math
import os

from ansible_collections.saasops.backup.plugins.module_utils._convert import parse_time
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_plan import IDENTITY_KEYS

FILE = 'history.json'
# _manifest_store.locked names the lock file ``<folder>/.history.lock``.
LOCK = 'history'
PLATFORMS = ('arcgis', 'atlassian', 'jahia', 'mendix')
MAX_TEXT = 256
MAX_DETAIL = 2048


class HistoryError(ValueError):
    """A history file cannot be read as one, or cannot be written."""


def text(value, limit=MAX_TEXT, empty=False):
    """``value`` when it is a string of printable characters within ``limit``; else None."""
    if not isinstance(value, str) or len(value) > limit or (not value and not empty):
        return None
    if any(ord(c) < 32 and c not in '\t' or ord(c) == 127 for c in value):
        return None
    return value


def time_text(value):
    """An ISO 8601 time as written here, or None."""
    found = text(value, 40)
    return found if found is not None and parse_time(found) is not None else None


def identity(value):
    """An environment's names (IDENTITY_KEYS, strings or numbers), or None when anything else is there."""
    if not isinstance(value, dict):
        return None
    found = {}
    for key in IDENTITY_KEYS:
        item = value.get(key)
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            return None
        if isinstance(item, str) and text(item) is None:
            return None
        found[key] = item
    return found


def seconds(value):
    """A finite, non-negative number of seconds as a float, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def optional_error(clean):
    """``clean`` with its ``error`` checked (None is fine, else printable text); None when it is not."""
    if clean['error'] is not None:
        clean['error'] = text(clean['error'], MAX_DETAIL)
        if clean['error'] is None:
            return None
    return clean


def bounded(records, limit):
    """The newest ``limit`` records of each host, in their order (oldest first)."""
    seen = {}
    kept = []
    for record in reversed(records):
        seen[record['host']] = seen.get(record['host'], 0) + 1
        if seen[record['host']] <= limit:
            kept.append(record)
    return list(reversed(kept))


class History:
    """One kind of history: where it lives, its list key, and how one record is checked."""

    def __init__(self, folder, key, what, clean_record, limit, max_bytes, schema=1):
        self.folder, self.key, self.what = folder, key, what
        self.clean_record, self.limit, self.max_bytes, self.schema = clean_record, limit, max_bytes, schema

    def path_of(self, directory):
        return os.path.join(directory, self.folder, FILE)

    def read(self, directory):
        """Every valid record, oldest first, and how many entries were left out as unusable.

        A missing file is an empty history. A file that is no such history at all (not JSON, another
        schema, too large) raises HistoryError: a reader reports it, a writer moves it aside.
        """
        path = self.path_of(directory)
        try:
            if os.path.getsize(path) > self.max_bytes:
                raise HistoryError('%s is larger than a %s can be (%d bytes)' % (path, self.what, self.max_bytes))
            data = store.read_json(path)
        except FileNotFoundError:
            return [], 0
        except (OSError, store.StoreError) as exc:
            raise HistoryError(str(exc)) from None
        if data is None:
            return [], 0
        if data.get('schema') != self.schema or not isinstance(data.get(self.key), list):
            raise HistoryError('%s is not a schema %d %s (an object with "schema" and a list "%s")'
                               % (path, self.schema, self.what, self.key))
        records = [self.clean_record(r) for r in data[self.key]]
        kept = [r for r in records if r is not None]
        return kept, len(records) - len(kept)

    def append(self, directory, records, limit=None, timeout=store.LOCK_TIMEOUT):
        """Add ``records`` under the history's lock, atomically; returns (path, notes).

        Records that are not valid are refused (HistoryError) before anything is written. Unusable records of
        the file are dropped, and a file that is no such history is moved aside (``history.json.unusable-<time>``),
        each said in ``notes``: a history must go on being written, and nothing of a bad file is trusted.
        """
        checked = [self.clean_record(r) for r in records]
        if any(r is None for r in checked):
            raise HistoryError('a %s record to write does not have the fields of schema %d' % (self.what, self.schema))
        path = self.path_of(directory)
        notes = []
        try:
            store.check_dir(os.path.dirname(path), True)
        except (OSError, store.StoreError) as exc:
            raise HistoryError('%s cannot be written: %s' % (path, exc)) from None
        with store.locked(os.path.dirname(path), LOCK, timeout):
            try:
                existing, dropped = self.read(directory)
            except HistoryError as exc:
                aside = '%s.unusable-%s' % (path, store.now_iso().replace(':', ''))
                with contextlib.suppress(FileNotFoundError):
                    os.replace(path, aside)
                notes.append('%s; moved to %s and a new history started' % (exc, aside))
                existing, dropped = [], 0
            if dropped:
                notes.append('%s had %d unusable record(s); they were left out' % (path, dropped))
            try:
                store.write_json(path, {'schema': self.schema, self.key: bounded(existing + checked, limit or self.limit)})
            except (OSError, store.StoreError) as exc:
                raise HistoryError('%s cannot be written: %s' % (path, exc)) from None
        return path, notes
