# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning vendor data into what modules return: snake_case keys, ISO 8601 UTC times."""

import datetime
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


def epoch_ms_from_iso(text):
    """ISO 8601 date or date-time -> epoch milliseconds (naive times are taken as UTC).

    Raises ValueError with the accepted forms when ``text`` cannot be read.
    """
    raw = text.strip()
    if raw.endswith(('Z', 'z')):
        raw = raw[:-1] + '+00:00'
    try:
        when = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError("'%s' is not an ISO 8601 date or date-time (e.g. 2026-12-31 or 2026-12-31T23:00:00Z)" % text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return int(when.timestamp() * 1000)
