"""The request log: what the clients under test actually sent.

Tests assert on it ("exactly one create", "no secret sent to the download host"), so every
vendor-facing request is recorded with headers and body verbatim (secrets included, on purpose).
Control requests are never recorded.
"""

import re
import threading

BODY_CAP = 64 * 1024
MAX_ENTRIES = 100000  # a bound so a fault storm or benchmark cannot exhaust memory


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def record(self, request, when):
        """Append an entry for ``request``; returns it so the handler can fill in status and fault."""
        entry = {
            'seq': 0, 'time': when, 'method': request.method, 'path': request.path,
            'query': request.query, 'query_string': request.query_string, 'host': request.host,
            'headers': dict(request.headers.items()),
            'body': request.body[:BODY_CAP].decode('utf-8', 'replace'),
            'form': request.form, 'json': request.json, 'status': None, 'fault': None,
        }
        with self._lock:
            self._seq += 1
            entry['seq'] = self._seq
            self._entries.append(entry)
            del self._entries[:-MAX_ENTRIES]
        return entry

    def clear(self):
        with self._lock:
            self._entries = []

    def query(self, method=None, path=None, host=None):
        """Entries in arrival order, filtered by method, path regex (re.search) and host name."""
        pattern = re.compile(path) if path else None
        with self._lock:
            entries = list(self._entries)
        return [dict(e) for e in entries
                if (not method or e['method'] == method.upper())
                and (not host or e['host'].lower() == host.lower())
                and (not pattern or pattern.search(e['path']))]
