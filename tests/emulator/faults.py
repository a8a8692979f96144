"""Fault injection: which request gets which failure.

A fault matches on a path regex (``re.search`` on the path without query string), and optionally
on method and Host name.  The first fault that matches and still has a remaining count is applied;
``skip`` lets the first N matching requests through and ``fraction`` applies it with a probability
drawn from an RNG seeded at reset, so a fault storm is reproducible run after run.

``headers`` (an object of header name to string value) adds headers to a ``status`` answer, e.g. the
``Location`` of a redirect.  ``delay`` on a ``truncate`` fault stalls the connection that long after the
``truncate_at`` bytes before closing it, so a test can interrupt the client mid-body (as a SIGTERM would).
"""

import random
import re
import threading

ACTIONS = ('status', 'drop_before', 'drop_after', 'slow', 'truncate')
RNG_SEED = 20240601
_KEYS = ('path', 'method', 'host', 'action', 'status', 'retry_after', 'body', 'headers', 'delay', 'truncate_at', 'count',
         'fraction', 'skip')
# Header names a fault may not set: the handler writes these itself.
_RESERVED_HEADERS = ('content-length', 'transfer-encoding', 'connection')


def _number(spec, key, kind, minimum, *, maximum=None, default=None):
    value = spec.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise ValueError('%s must be a %s' % (key, kind.__name__))
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError('%s out of range' % key)
    return kind(value)


def _headers(value):
    """The extra headers of a fault as a list of (name, value) pairs."""
    if value is None:
        return []
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError('headers must be an object of header names to string values')
    for name, text in value.items():
        if not re.match(r'^[A-Za-z0-9-]+$', name) or '\r' in text or '\n' in text:
            raise ValueError('bad header %r' % name)
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError('header %s is written by the emulator itself' % name)
    return sorted(value.items())


def validate(spec):
    """Return a normalised copy of a fault spec, or raise ValueError with a message for the caller."""
    if not isinstance(spec, dict):
        raise ValueError('a fault is a JSON object')
    unknown = sorted(set(spec) - set(_KEYS))
    if unknown:
        raise ValueError('unknown fault keys: %s' % ', '.join(unknown))
    if spec.get('action') not in ACTIONS:
        raise ValueError('action must be one of %s' % ', '.join(ACTIONS))
    fault = {
        'path': spec.get('path') or '',
        'method': spec['method'].upper() if spec.get('method') else None,
        'host': spec.get('host') or None,
        'action': spec['action'],
        'status': _number(spec, 'status', int, 100, maximum=599),
        'retry_after': None if spec.get('retry_after') is None else str(spec['retry_after']),
        'body': spec.get('body'),
        'headers': _headers(spec.get('headers')),
        'delay': _number(spec, 'delay', float, 0, default=1.0 if spec['action'] == 'slow' else None),
        'truncate_at': _number(spec, 'truncate_at', int, 0),
        'count': _number(spec, 'count', int, 1, default=1),  # null = unlimited
        'fraction': _number(spec, 'fraction', float, 0, maximum=1),
        'skip': _number(spec, 'skip', int, 0, default=0),
    }
    if fault['action'] == 'status' and fault['status'] is None:
        raise ValueError('action "status" needs "status"')
    if fault['body'] is not None and not isinstance(fault['body'], str):
        raise ValueError('body must be a string')
    try:
        re.compile(fault['path'])
    except re.error as exc:
        raise ValueError('bad path regex: %s' % exc) from exc
    return fault


class FaultStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []
        self._next_id = 1
        self._rng = random.Random(RNG_SEED)

    def add(self, spec):
        fault = validate(spec)
        with self._lock:
            fault.update(id=self._next_id, matched=0, applied=0)
            self._next_id += 1
            self._faults.append(fault)
            return fault['id']

    def clear(self):
        """Drop all faults and re-seed the RNG, so fractions replay identically after a reset."""
        with self._lock:
            self._faults = []
            self._rng = random.Random(RNG_SEED)

    def list(self):
        with self._lock:
            return [dict(f) for f in self._faults]

    def take(self, method, path, host):
        """The fault to apply to this request (a copy), or None.  Consumes one from its count."""
        with self._lock:
            for fault in self._faults:
                if fault['count'] is not None and fault['count'] <= 0:
                    continue
                if fault['method'] and fault['method'] != method:
                    continue
                if fault['host'] and fault['host'].lower() != host.lower():
                    continue
                if not re.search(fault['path'], path):
                    continue
                fault['matched'] += 1
                if fault['matched'] <= fault['skip']:
                    continue
                if fault['fraction'] is not None and self._rng.random() >= fault['fraction']:
                    continue
                fault['applied'] += 1
                if fault['count'] is not None:
                    fault['count'] -= 1
                return dict(fault)
        return None
