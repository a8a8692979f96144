# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared HTTP client: one session per module run, retries, typed errors.

Platform files give it paths, payloads and an error parser; only this file knows HTTP.
"""

import collections
import random
import socket
import time
import traceback
from urllib.parse import urljoin, urlsplit

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError, redact_url
from ansible_collections.saasops.backup.plugins.module_utils._retry import (
    DEFAULT_RETRY_TIMEOUT,
    IDEMPOTENT_METHODS,
    REFUSED_STATUSES,
    RETRYABLE_STATUSES,
    parse_retry_after,
    retry_delay,
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


def _causes(exc):
    """``exc`` and everything it wraps: args[0], ``reason`` (urllib3), ``__cause__``, ``__context__``."""
    seen = []
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen) or len(seen) > 20:
            continue
        seen.append(current)
        if isinstance(current, BaseException):
            todo.extend([current.args[0] if current.args else None, getattr(current, 'reason', None),
                         current.__cause__, current.__context__])
    return [c for c in seen if isinstance(c, BaseException)]


def resolution_failure(exc):
    """The ``socket.gaierror`` behind a connection error when the host name did not resolve, else None.

    urllib3 2 raises NameResolutionError ``from`` it, urllib3 1.26 a NewConnectionError while
    handling it: both keep it in the exception chain.
    """
    return next((c for c in _causes(exc) if isinstance(c, socket.gaierror)), None)


def resolution_is_temporary(gaierror):
    # EAI_AGAIN: the resolver could not answer right now (a flaky DNS server), unlike "no such
    # name", which no retry can fix and which is usually a typo in the URL option.
    return gaierror.errno == getattr(socket, 'EAI_AGAIN', -3)


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
                 retries=None, retry_timeout=DEFAULT_RETRY_TIMEOUT, allow_insecure_http=False,
                 url_option='api_url', error_parser=None, session=None, sleep=time.sleep, clock=time.time,
                 monotonic=time.monotonic, rng=random.random, user_agent='saasops.backup'):
        self.platform = platform
        self.url_option = url_option
        if urlsplit(base_url).scheme.lower() == 'http' and not allow_insecure_http:
            # Every platform authenticates on every call (or sends a password to get a token):
            # over plain HTTP that travels in cleartext, so nothing is sent without the opt-in.
            raise InputError(insecure_url_message(url_option, base_url))
        self.base_url = base_url.rstrip('/') + '/'
        self.verify = (ca_path or True) if validate_certs else False
        self.timeout = timeout
        # None: no count limit, only the time budget ends the retries of one request.
        self.retries = None if retries is None else max(0, int(retries))
        self.retry_timeout = DEFAULT_RETRY_TIMEOUT if retry_timeout is None else max(0.0, float(retry_timeout))
        self.error_parser = error_parser or (lambda response: (None, None))
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = user_agent
        self.auth_headers = {}
        self.sleep = sleep
        self.clock = clock
        self.monotonic = monotonic
        self.rng = rng
        self.retry_reasons = collections.Counter()
        self.waited = 0.0

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
        Statuses >= 400 not in ``ok_statuses`` raise PlatformError, and so does a redirect (3xx):
        it is never followed, the error says where it pointed.

        Transient failures are retried with backoff until ``retries`` (when set) or
        ``retry_timeout`` seconds after the first attempt, whichever comes first.
        """
        method = method.upper()
        url = self.url(path)
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        start = self.monotonic()
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
                unresolved = resolution_failure(exc)
                if unresolved is not None:
                    reason = self._unresolved_message(url)
                    retryable = resolution_is_temporary(unresolved)
                delay = self._next_delay(attempt, start) if retryable and safe else None
                if delay is not None:
                    self._wait(reason, delay)
                    continue
                raise PlatformError(self.platform, operation, reason + self._gave_up(attempt, start), method=method,
                                    url=url, retryable=retryable, maybe_applied=not never_reached_server(exc))
            except (rexc.RequestException, ValueError) as exc:
                # requests refused to build the request (bad URL, a header with a newline):
                # nothing was sent. Its message may quote a header value - a token - so only
                # the exception's name is reported.
                raise PlatformError(self.platform, operation, 'the request could not be built (%s); check the URL '
                                    'and credential options for typos, spaces or line breaks' % type(exc).__name__,
                                    method=method, url=url)
            except OSError as exc:
                # requests reads the CA bundle (option ca_path) itself and raises a bare OSError when it
                # is missing or unreadable; nothing was sent. The message names only the file.
                raise PlatformError(self.platform, operation, 'the request could not be sent: %s (check the option '
                                    "'ca_path')" % (exc.strerror or exc), method=method, url=url)
            status = response.status_code
            if status in RETRYABLE_STATUSES:
                safe = idempotent or status in REFUSED_STATUSES
                retry_after = parse_retry_after(response.headers.get('Retry-After'), now=self.clock())
                delay = self._next_delay(attempt, start, retry_after) if safe else None
                if delay is not None:
                    response.close()
                    self._wait('HTTP %d' % status, delay)
                    continue
                error = self.error_from(response, method, operation, retryable=True, maybe_applied=not safe)
                error.message += self._gave_up(attempt, start)
                raise error
            if 300 <= status < 400 and status not in (ok_statuses or ()):
                response.close()
                raise self.redirect_error(response, method, operation)
            if status >= 400 and status not in (ok_statuses or ()):
                raise self.error_from(response, method, operation)
            return response

    def _next_delay(self, attempt, start, retry_after=None):
        """Seconds to wait before retry number ``attempt``, or None when the retries are used up.

        They end after ``retries`` retries (when set) or once the next wait would end more than
        ``retry_timeout`` seconds after the first attempt. A backoff wait is shortened to fit the
        budget; a Retry-After that does not fit ends the retries (coming back earlier is refused).
        """
        if self.retries is not None and attempt > self.retries:
            return None
        remaining = self.retry_timeout - (self.monotonic() - start)
        if remaining <= 0:
            return None
        delay = retry_delay(attempt, retry_after, self.rng)
        if delay > remaining:
            return None if retry_after is not None else remaining
        return delay

    def _wait(self, reason, delay):
        self._note_retry(reason)
        self.waited += delay
        self.sleep(delay)

    def _gave_up(self, attempt, start):
        """What the retries of one request amounted to, for the error that ends them ('' without retries)."""
        if attempt <= 1:
            return ''
        limit = ('retries: %d' % self.retries if self.retries is not None and attempt > self.retries
                 else 'retry_timeout: %g s' % self.retry_timeout)
        return ' (still failing after %d attempts over %s s; %s)' % (attempt, _seconds(self.monotonic() - start), limit)

    def _is_api(self, url):
        return same_origin(url, self.base_url)

    def _unresolved_message(self, url):
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        message = 'could not resolve host %s' % (host or '?')
        if self._is_api(url):
            message += ": check the option '%s'" % self.url_option
        return message

    def redirect_error(self, response, method, operation):
        """A 3xx answer: never followed (it could carry the credentials to another place), reported."""
        location = response.headers.get('Location')
        if location:
            try:
                target = redact_url(urljoin(response.url or '', location.strip()))
            except ValueError:
                target = redact_url(location.strip())
            message = 'redirected to %s' % target
        else:
            message = 'answered with a redirect without a Location header'
        if self._is_api(response.url or ''):
            message += ("; redirects are not followed: check the option '%s' (the API's base URL; a redirect "
                        "to a login page can also mean the credentials were refused)" % self.url_option)
        else:
            message += '; redirects are not followed'
        return PlatformError(self.platform, operation, message, method=method, url=response.url,
                             status=response.status_code)

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
        """One sentence about the retries this run needed and how long they waited, or None."""
        total = sum(self.retry_reasons.values())
        if not total:
            return None
        parts = ', '.join('%dx %s' % (n, reason) for reason, n in sorted(self.retry_reasons.items()))
        return '%s: %d request%s had to be retried (%s), waiting %s s in all.' % (
            self.platform, total, '' if total == 1 else 's', parts, _seconds(self.waited))


def _seconds(value):
    """Seconds for a message, to a tenth and without a trailing '.0': 1.5 -> '1.5', 12.0 -> '12'."""
    text = '%.1f' % value
    return text[:-2] if text.endswith('.0') else text


def insecure_url_message(url_option, url):
    return ("%s %s uses plain http://: the credentials would travel in cleartext. Use https://, or set "
            "allow_insecure_http: true to accept that (test systems only)" % (url_option, redact_url(url)))
