# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one error type every platform call raises, and URL redaction."""

import re
from urllib.parse import urlsplit, urlunsplit

# Path parameters (";jsessionid=..."): a servlet container puts the session id there, in a
# redirect to its login page; like a query string it may be a credential.
_PATH_PARAMETERS = re.compile(r';[^/]*')


def redact_url(url):
    """Return ``url`` without query string, fragment, path parameters or user info.

    Query strings may carry tokens (ArcGIS accepts ``?token=``), download URLs carry
    signatures and a login page's URL a session id (``;jsessionid=``), so no URL reaches an
    error message or a log with them.
    """
    if not url:
        return url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        # A malformed URL (bad port, unclosed IPv6 bracket) is still cut at '?' and '#'
        # and stripped of anything before '@' in the authority.
        head = url.split('#', 1)[0].split('?', 1)[0]
        scheme, sep, rest = head.partition('://')
        authority, slash, path = rest.partition('/')
        return scheme + sep + authority.rpartition('@')[2] + slash + _PATH_PARAMETERS.sub('', path)
    netloc = parts.hostname or ''
    if ':' in netloc:  # IPv6 literal
        netloc = '[%s]' % netloc
    if port:
        netloc = '%s:%d' % (netloc, port)
    return urlunsplit((parts.scheme, netloc, _PATH_PARAMETERS.sub('', parts.path), '', ''))


class PlatformError(Exception):
    """A failed call to a vendor API, described once for every module.

    ``retryable`` says a later identical call may succeed (rate limit, outage).
    ``maybe_applied`` says the request may have reached the server and been acted on
    although no answer came back: a create must then re-read before it is sent again.
    ``hint`` says what the user should check (an option, a credential); it is set by the
    platform layer, once, and shown after the message.
    """

    def __init__(self, platform, operation, message, method=None, url=None, status=None,
                 code=None, retryable=False, maybe_applied=False, details=None, hint=None):
        self.platform = platform
        self.operation = operation
        self.message = message
        self.method = method
        self.url = redact_url(url)
        self.status = status
        self.code = code
        self.retryable = retryable
        self.maybe_applied = maybe_applied
        self.details = details or []
        self.hint = hint
        super(PlatformError, self).__init__(self.describe())

    def __str__(self):
        return self.describe()

    def describe(self):
        text = '%s: failed to %s' % (self.platform, self.operation)
        where = []
        if self.method and self.url:
            where.append('%s %s' % (self.method, self.url))
        if self.status is not None:
            where.append('HTTP %s' % self.status)
        if self.code is not None:
            where.append('vendor code %s' % self.code)
        if where:
            text += ' (%s)' % ', '.join(where)
        if self.message:
            text += ': %s' % self.message
        if self.hint:
            text += ' (%s)' % self.hint
        return text

    def restated(self, message, hint=None):
        """This error with another ``message`` (and ``hint``, when given), everything else kept.

        Where an error is understood ("the store is not ready", "the new link was refused too") the
        platform says so in a new error rather than editing the one raised.
        """
        return PlatformError(self.platform, self.operation, message, method=self.method, url=self.url,
                             status=self.status, code=self.code, retryable=self.retryable,
                             maybe_applied=self.maybe_applied, details=self.details, hint=hint or self.hint)

    def as_dict(self):
        return {
            'platform': self.platform,
            'operation': self.operation,
            'method': self.method,
            'url': self.url,
            'status': self.status,
            'code': self.code,
            'message': '%s (%s)' % (self.message, self.hint) if self.hint else self.message,
            'details': list(self.details),
            'retryable': self.retryable,
        }


class InputError(Exception):
    """Bad module input, found before any request that changes anything."""
