# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""URL paths: every id or name is exactly one segment, and an API base URL has the path it should.

Platform files build every path with ``join`` and check the options that go into paths with
``check_options`` before any request; nothing else quotes a path part.
"""

import re
from urllib.parse import quote, urlsplit

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError

# '.' and '..' mean "this" and "the parent" directory: urljoin, urllib3 and most servers resolve
# them whatever the quoting ('.' is never percent-encoded), so a backup named '..' turned
# .../backups/../delete into the store's own .../delete. They are refused, never sent.
DOT_SEGMENTS = frozenset(('.', '..'))
# A slash ends a segment, and an encoded one (%2F) is decoded back to a slash by many servers
# (the emulator too); some servers take a backslash for a slash. Refused rather than encoded.
SEPARATORS = ('/', '\\')
# Refused in plain names only (see segment_problem); elsewhere they are percent-encoded.
URL_MARKS = ('?', '#', '%')
EMPTY = 'it is empty'


def segment_problem(value, plain=False):
    """Why ``value`` cannot be one URL path segment, or None when it can.

    Whatever is not refused is percent-encoded by ``segment``, so '?', '#' and '%2F' stay inside
    their segment. ``plain`` also refuses '?', '#', '%' and white space: names users type and the
    platform does not document (ArcGIS backups, Mendix apps and environments) never need them,
    and a clear error now beats a name the platform may refuse later.
    """
    text = '' if value is None else str(value)
    if not text.strip():
        return EMPTY
    if text in DOT_SEGMENTS:
        return "'.' and '..' mean the current and the parent directory in a URL"
    if any(separator in text for separator in SEPARATORS):
        return "it contains '/' or '\\'"
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return 'it contains a control character'
    if plain and (any(mark in text for mark in URL_MARKS) or any(c.isspace() for c in text)):
        return "it contains '?', '#', '%' or white space"
    return None


def check_segment(value, option, plain=False):
    """InputError naming ``option`` when ``value`` cannot be one URL path segment."""
    problem = segment_problem(value, plain)
    if problem == EMPTY:
        raise InputError('%s must not be empty' % option)
    if problem:
        raise InputError('%s %r cannot be used: it goes into the URL path as one segment, and %s'
                         % (option, value, problem))


def check_options(params, options, plain=False):
    """``check_segment`` for each of ``options`` that is set: called before any request."""
    for option in options:
        if params.get(option) is not None:
            check_segment(params[option], option, plain)


def segment(value, what='id'):
    """``value`` percent-encoded as one path segment; InputError when it cannot be one.

    Ids the server hands out (job, environment, restore ids) pass here too: a server must not
    be able to steer a later request to another resource either.
    """
    check_segment(value, what)
    return quote(str(value), safe='')


def join(*parts):
    """A relative path of ``parts``, each one segment (fixed words and ids alike)."""
    return '/'.join(segment(part) for part in parts)


def check_base_url(url, option, wrong, example):
    """InputError when the path of ``url`` ends like an API path rather than the base the option wants.

    ``wrong`` is a regular expression searched in the URL's path (e.g. ``/admin$``); ``example``
    shows what the option should look like. Users copy URLs from vendor docs or browsers, which
    carry the API's own path: every request then goes to a path that does not exist, and the
    vendor's answer ("not found", "app does not exist") does not say which option is wrong.
    """
    try:
        path = urlsplit(url).path.rstrip('/')
    except ValueError:
        return
    match = re.search(wrong, path, re.IGNORECASE)
    if match:
        raise InputError('%s must be the API base URL, without %s at the end (e.g. %s), got %r'
                         % (option, path[match.start():], example, url))
