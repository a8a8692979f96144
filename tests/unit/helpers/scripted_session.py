# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted stand-in for ``requests.Session`` and a fake clock, for unit tests.

A test declares the exact HTTP conversation it expects::

    session = ScriptedSession([
        ('GET', r'https://api\\.example\\.test/v1/things', reply(503, headers={'Retry-After': '2'})),
        ('GET', r'https://api\\.example\\.test/v1/things', reply(200, json={'things': []})),
    ])
    client = HttpClient('Vendor', 'https://api.example.test/v1', session=session, sleep=clock.sleep)
    ...
    session.assert_done()

Each expectation is ``(method, url_regex, outcome)``: ``url_regex`` must match the whole URL the
client passes to ``session.request`` (query parameters travel in ``params``, not in the URL);
``outcome`` is a ``reply(...)`` (a real ``requests.Response`` is built from it) or an exception
instance, which is raised. A call out of order, or one more than scripted, fails the test with
both the expected and the actual call; ``assert_done()`` fails when scripted calls were not made.
``session.calls`` records every call (``method``, ``url``, ``headers``, ``params``, ``data``,
``json``, ``verify``, ``timeout``, ``stream``) for assertions afterwards.

``with scripted(calls) as session:`` (or the ``scripted_session`` fixture of tests/unit/conftest.py)
calls ``assert_done()`` for you. The ``*_error()`` functions build the exceptions ``requests``
really raises for a reset, a refused connect, a connect timeout, a read timeout, a host name that
does not resolve and a TLS failure.
"""

import contextlib
import http.client
import io
import json as jsonlib
import re
import socket
import ssl

import requests
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import SSLError as Urllib3SSLError


class Reply:
    """What the fake server answers; ``build()`` turns it into a real ``requests.Response``."""

    def __init__(self, status=200, json=None, text=None, content=None, headers=None, reason=None):
        self.status = status
        self.headers = dict(headers or {})
        if json is not None:
            self.body = jsonlib.dumps(json).encode('utf-8')
            self.headers.setdefault('Content-Type', 'application/json')
        elif text is not None:
            self.body = text.encode('utf-8')
            self.headers.setdefault('Content-Type', 'text/html; charset=utf-8')
        else:
            self.body = content or b''
        self.reason = reason

    def build(self, method, url, params=None):
        response = requests.Response()
        response.status_code = self.status
        response.reason = self.reason or http.client.responses.get(self.status, '')
        response.headers = CaseInsensitiveDict(self.headers)
        response.headers.setdefault('Content-Length', str(len(self.body)))
        # As requests does: the response URL carries the query string built from params.
        response.url = requests.Request(method, url, params=params).prepare().url
        response.encoding = 'utf-8'
        response.raw = io.BytesIO(self.body)
        return response


def reply(status=200, json=None, text=None, content=None, headers=None, reason=None):
    """An answer: ``json`` (dict/list), ``text`` (str) or ``content`` (bytes), plus headers."""
    return Reply(status, json=json, text=text, content=content, headers=headers, reason=reason)


class Call:
    """One request the code under test made."""

    def __init__(self, method, url, kwargs):
        self.method = method
        self.url = url
        self.kwargs = kwargs
        self.headers = dict(kwargs.get('headers') or {})
        self.params = kwargs.get('params')
        self.data = kwargs.get('data')
        self.json = kwargs.get('json')
        self.verify = kwargs.get('verify')
        self.timeout = kwargs.get('timeout')
        self.stream = kwargs.get('stream')

    def __repr__(self):
        return '%s %s' % (self.method, self.url)


class ScriptedSession:
    """Answers ``request()`` from a script of ``(method, url_regex, outcome)``, in order."""

    def __init__(self, script):
        self.headers = {}  # HttpClient sets User-Agent here, as on a requests.Session
        self.script = list(script)
        self.calls = []
        self.closed = False

    def _history(self):
        return '\n'.join('  %d. %r' % (n, call) for n, call in enumerate(self.calls, 1)) or '  (none)'

    def request(self, method, url, **kwargs):
        call = Call(method, url, kwargs)
        number = len(self.calls) + 1
        self.calls.append(call)
        if not self.script:
            raise AssertionError('unexpected call #%d: %r (the script is exhausted); calls so far:\n%s'
                                 % (number, call, self._history()))
        want_method, want_url, outcome = self.script.pop(0)
        if method.upper() != want_method.upper() or not re.fullmatch(want_url, url):
            raise AssertionError('call #%d: expected %s %s, got %s %s' % (number, want_method, want_url, method, url))
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome.build(method, url, kwargs.get('params'))

    def close(self):
        self.closed = True

    def assert_done(self):
        if self.script:
            left = '\n'.join('  %s %s' % (m, u) for m, u, _outcome in self.script)
            raise AssertionError('%d scripted call(s) never made:\n%s\ncalls made:\n%s'
                                 % (len(self.script), left, self._history()))


@contextlib.contextmanager
def scripted(script):
    """``with scripted([...]) as session:`` - checks on a normal exit that every call was made."""
    session = ScriptedSession(script)
    yield session
    session.assert_done()


class FakeClock:
    """A clock that moves only when told: ``now()`` for clock=, ``sleep(s)`` for sleep=.

    It is also a run clock (plugins/module_utils/_clock.py: ``time()``, ``monotonic()``,
    ``sleep()``), so ``monkeypatch.setattr(PlatformApi, 'clock', FakeClock())`` puts a whole
    module run on it. ``sleeps`` lists every sleep asked for; ``advance(s)`` moves time without
    a sleep (e.g. a poll that takes a while).
    """

    def __init__(self, start=1000.0):
        self.at = float(start)
        self.sleeps = []

    def now(self):
        return self.at

    time = monotonic = now

    def sleep(self, seconds):
        assert seconds >= 0, 'negative sleep: %r' % seconds
        self.sleeps.append(seconds)
        self.at += seconds

    def advance(self, seconds):
        self.at += seconds


# --- the exceptions requests raises, built as requests builds them ---------------------------

def _pool(url):
    host = re.sub(r'^\w+://(?:[^@/]*@)?([^:/]+).*$', r'\1', url)
    return HTTPSConnectionPool(host, 443), HTTPSConnection(host, 443)


def connection_reset_error():
    """The server closed the connection after the request was sent (it may have acted)."""
    return requests.exceptions.ConnectionError(
        ProtocolError('Connection aborted.', http.client.RemoteDisconnected('Remote end closed connection without response')))


def connection_refused_error(url):
    """The TCP connect was refused: the request never left."""
    pool, conn = _pool(url)
    cause = NewConnectionError(conn, 'Failed to establish a new connection: [Errno 111] Connection refused')
    return requests.exceptions.ConnectionError(MaxRetryError(pool, url, cause))


def connect_timeout_error(url):
    pool, conn = _pool(url)
    cause = ConnectTimeoutError(conn, 'Connection to host timed out. (connect timeout=30)')
    return requests.exceptions.ConnectTimeout(MaxRetryError(pool, url, cause))


def read_timeout_error(url):
    """The request was sent, no answer came in time (it may have acted)."""
    pool, _conn = _pool(url)
    return requests.exceptions.ReadTimeout(ReadTimeoutError(pool, url, 'Read timed out. (read timeout=30)'))


def name_resolution_error(url, temporary=False):
    """The host name did not resolve (``temporary``: the resolver could not answer, EAI_AGAIN).

    Built as urllib3 2 builds it: a NameResolutionError raised ``from`` the ``socket.gaierror``
    (urllib3 1.26 raises a NewConnectionError while handling it; both keep the gaierror in the chain).
    """
    pool, conn = _pool(url)
    gaierror = socket.gaierror(socket.EAI_AGAIN, 'Temporary failure in name resolution') if temporary else \
        socket.gaierror(socket.EAI_NONAME, 'Name or service not known')
    try:
        from urllib3.exceptions import NameResolutionError  # pylint: disable=import-outside-toplevel
        cause = NameResolutionError(pool.host, conn, gaierror)
    except ImportError:  # urllib3 1.26
        cause = NewConnectionError(conn, 'Failed to establish a new connection: %s' % gaierror)
    cause.__cause__ = gaierror
    return requests.exceptions.ConnectionError(MaxRetryError(pool, url, cause))


def ssl_error(url):
    pool, _conn = _pool(url)
    cause = Urllib3SSLError(ssl.SSLCertVerificationError(
        1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate'))
    return requests.exceptions.SSLError(MaxRetryError(pool, url, cause))
