# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning vendor data into what modules return: snake_case keys, ISO 8601 UTC times.

Every ISO 8601 text of the collection is read by ``_datetime`` here (``parse_time`` for vendor
values that may be absent or malformed, ``epoch_ms_from_iso`` for user input that must be valid)
and every epoch written out by ``iso_from_epoch``.
"""

import datetime
import math
import re

_CAMEL_BOUNDARY = re.compile(r'(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])')


def snake(name):
    """``backupName`` -> ``backup_name``, ``jobsUrl`` -> ``jobs_url``, ``HTTPCode`` -> ``http_code``."""
    return _CAMEL_BOUNDARY.sub('_', name).replace('-', '_').replace(' ', '_').lower()


def snake_keys(value):
    """Recursively convert the keys of dicts (inside lists too) to snake_case."""
    if isinstance(value, dict):
        return dict((snake(k), snake_keys(v)) for k, v in value.items())
    if isinstance(value, list):
        return [snake_keys(v) for v in value]
    return value


def iso_from_epoch_ms(value):
    """Epoch milliseconds -> ``2026-11-22T10:00:00Z``; None for missing, 0 or negative values.

    ArcGIS uses 0 for "not yet" and -1 for "never", neither of which is a date.
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        return None
    return iso_from_epoch(value / 1000.0)


def iso_from_epoch(seconds):
    """Epoch seconds -> ``2026-11-22T10:00:00Z``, or None when it is no date Python can hold.

    A server may store any number (an ArcGIS retention date 999999999 days ahead is year
    2.7 million): such a value is shown as no date, never a traceback, wherever it is read.
    """
    try:
        when = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    except (OverflowError, OSError, ValueError, TypeError):
        return None
    return when.strftime('%Y-%m-%dT%H:%M:%SZ')


def _datetime(text):
    """An aware datetime from an ISO 8601 date or date-time (naive times are UTC); None when unreadable."""
    raw = text.strip()
    if raw.endswith(('Z', 'z')):
        raw = raw[:-1] + '+00:00'
    try:
        when = datetime.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=datetime.timezone.utc)


def epoch_ms_from_iso(text):
    """ISO 8601 date or date-time -> epoch milliseconds (naive times are taken as UTC).

    Raises ValueError with the accepted forms when ``text`` cannot be read.
    """
    when = _datetime(text)
    if when is None:
        raise ValueError("'%s' is not an ISO 8601 date or date-time (e.g. 2026-12-31 or 2026-12-31T23:00:00Z)" % text)
    return int(when.timestamp() * 1000)


def parse_time(value):
    """Epoch seconds from an ISO 8601 string or an epoch number (milliseconds when that large); else None.

    A vendor time that cannot be read is no time (None), never a traceback: the caller decides
    what an object without a usable date means.
    """
    if isinstance(value, bool) or value in (None, ''):
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        # 1e11 seconds is the year 5138; 1e11 milliseconds is 1973: a number that large is milliseconds.
        return value / 1000.0 if value > 1e11 else float(value)
    when = _datetime(str(value))
    return when.timestamp() if when is not None else None


def iso(seconds):
    """Epoch seconds as ISO 8601 UTC; the number itself when it is no date (never a traceback)."""
    return iso_from_epoch(seconds) or str(seconds)
