# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared HTTP client: one session per module run, retries, typed errors.

Platform files give it paths, payloads and an error parser; only this file knows HTTP.
"""

import collections
import random
import time
import traceback
from urllib.parse import urljoin, urlsplit

from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._retry import (
    IDEMPOTENT_METHODS,
    REFUSED_STATUSES,
    RETRYABLE_STATUSES,
    backoff_delay,
    parse_retry_after,
)

try:
    import requests
    from requests import exceptions as rexc
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # the import sanity test runs without requests
    requests = None
    rexc = None
    ConnectTimeoutError = NewConnectionError = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()


def same_origin(url_a, url_b):
    """True when both URLs have the same scheme, host and port (False when either is malformed)."""
    try:
        a, b = urlsplit(url_a), urlsplit(url_b)
        return (a.scheme, a.hostname, a.port or _default_port(a.scheme)) == \
            (b.scheme, b.hostname, b.port or _default_port(b.scheme))
    except ValueError:
        return False


def _default_port(scheme):
    return 443 if scheme == 'https' else 80


def never_reached_server(exc):
    """True when a connection error happened before the request could be sent.

    Only then is re-sending a non-idempotent request harmless. A refused or timed-out
    connect and a TLS failure qualify; a reset or a read timeout after sending does not.
    """
    if isinstance(exc, (rexc.ConnectTimeout, rexc.SSLError)):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, 'reason', reason)  # urllib3's MaxRetryError wraps the cause
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def describe_connection_error(exc):
    """A short, secret-free reason for a connection failure."""
    if isinstance(exc, rexc.SSLError):
        return 'TLS verification failed (check validate_certs / ca_path)'
    if isinstance(exc, rexc.Timeout):
        return 'timed out'
    if isinstance(exc, rexc.ChunkedEncodingError):
        return 'connection dropped mid-response'
    return 'connection failed or dropped'


class HttpClient:
    """HTTP for one module run.

    ``error_parser(response)`` returns ``(code, message)`` from a vendor error body.
    ``auth_headers`` are sent only to the API's own origin, never to another host
    (download URLs may point at a storage host that must not see vendor credentials).
    """

    def __init__(self, platform, base_url, validate_certs=True, ca_path=None, timeout=30.0,
                 retries=3, error_parser=None, session=None, sleep=time.sleep, clock=time.time,
                 rng=random.random, user_agent='saasops.backup'):
        self.platform = platform
        self.base_url = base_url.rstrip('/') + '/'
        self.verify = (ca_path or True) if validate_certs else False
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.error_parser = error_parser or (lambda response: (None, None))
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = user_agent
        self.auth_headers = {}
        self.sleep = sleep
        self.clock = clock
        self.rng = rng
        self.retry_reasons = collections.Counter()

    def url(self, path):
        """Absolute URL for a path relative to the API base (absolute URLs pass through)."""
        return urljoin(self.base_url, path.lstrip('/')) if '://' not in path else path

    def headers_for(self, url, extra=None):
        headers = dict(self.auth_headers) if same_origin(url, self.base_url) else {}
        headers.update(extra or {})
        return headers

    def request(self, method, path, operation, params=None, data=None, json=None, headers=None,
                idempotent=None, stream=False, ok_statuses=None):
        """Send one logical request, retrying what is safe to retry; return the response.

        ``idempotent`` defaults from the method (POST is not). A non-idempotent request is
        re-sent only when the server certainly did not act on it; otherwise PlatformError
        with ``maybe_applied=True`` tells the caller to re-read before trying again.
        Statuses >= 400 not in ``ok_statuses`` raise PlatformError.
        """
        method = method.upper()
        url = self.url(path)
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.request(
                    method, url, params=params, data=data, json=json,
                    headers=self.headers_for(url, headers), verify=self.verify,
                    timeout=self.timeout, stream=stream, allow_redirects=False)
            except (rexc.ConnectionError, rexc.Timeout, rexc.ChunkedEncodingError) as exc:
                reason = describe_connection_error(exc)
                safe = idempotent or never_reached_server(exc)
                retryable = not isinstance(exc, rexc.SSLError)
                if retryable and safe and attempt <= self.retries:
                    self._note_retry(reason)
                    self.sleep(backoff_delay(attempt, self.rng))
                    continue
                raise PlatformError(self.platform, operation, reason, method=method, url=url,
                                    retryable=retryable, maybe_applied=not never_reached_server(exc))
            except (rexc.RequestException, ValueError) as exc:
                # requests refused to build the request (bad URL, a header with a newline):
                # nothing was sent. Its message may quote a header value - a token - so only
                # the exception's name is reported.
                raise PlatformError(self.platform, operation, 'the request could not be built (%s); check the URL '
                                    'and credential options for typos, spaces or line breaks' % type(exc).__name__,
                                    method=method, url=url)
            status = response.status_code
            if status in RETRYABLE_STATUSES:
                safe = idempotent or status in REFUSED_STATUSES
                if safe and attempt <= self.retries:
                    delay = parse_retry_after(response.headers.get('Retry-After'), now=self.clock())
                    self._note_retry('HTTP %d' % status)
                    response.close()
                    self.sleep(backoff_delay(attempt, self.rng) if delay is None else delay)
                    continue
                raise self.error_from(response, method, operation, retryable=True,
                                      maybe_applied=not safe)
            if status >= 400 and status not in (ok_statuses or ()):
                raise self.error_from(response, method, operation)
            return response

    def error_from(self, response, method, operation, retryable=False, maybe_applied=False):
        try:
            code, message = self.error_parser(response)
        except ValueError:
            code, message = None, None
        if not message:
            message = (response.reason or 'HTTP error')
        return PlatformError(self.platform, operation, message, method=method, url=response.url,
                             status=response.status_code, code=code, retryable=retryable,
                             maybe_applied=maybe_applied)

    def _note_retry(self, reason):
        self.retry_reasons[reason] += 1

    def retry_summary(self):
        """One sentence about the retries this run needed, or None."""
        total = sum(self.retry_reasons.values())
        if not total:
            return None
        parts = ', '.join('%dx %s' % (n, reason) for reason, n in sorted(self.retry_reasons.items()))
        return '%s: %d request%s had to be retried (%s).' % (
            self.platform, total, '' if total == 1 else 's', parts)
