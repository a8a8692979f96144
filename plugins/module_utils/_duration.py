# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durations as users write them: a number of seconds, or a number with a unit (90m, 12h, 7d, 2w)."""

import math
import re

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError

DAY = 86400
_DURATION = re.compile(r'^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$', re.IGNORECASE)
_UNITS = {'': 1, 's': 1, 'm': 60, 'h': 3600, 'd': DAY, 'w': 7 * DAY}


def parse_duration(value, option='max_age'):
    """Seconds (a float) from ``3600``, ``'3600'``, ``'90m'``, ``'12h'``, ``'7d'`` or ``'2w'``.

    Options of type ``raw`` take both an integer (what ``max_age: 86400`` gives) and a string,
    so every duration option of the collection reads the same way. Anything else, zero or a
    negative number is an InputError naming ``option``.
    """
    if isinstance(value, bool):
        match = None
    elif isinstance(value, (int, float)):
        match = _DURATION.match('%r' % value) if math.isfinite(value) and value > 0 else None
    else:
        match = _DURATION.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise InputError("%s must be a positive duration such as 3600 (seconds), 90m, 12h, 7d or 2w, got %r"
                         % (option, value))
    return float(match.group(1)) * _UNITS[match.group(2).lower()]
