# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_retry: exponential backoff with equal jitter, and Retry-After (seconds or HTTP-date), capped."""

import random

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._retry import (
    BACKOFF_CAP,
    RETRY_AFTER_CAP,
    backoff_delay,
    parse_retry_after,
    retry_delay,
)

# Wed, 21 Oct 2015 07:28:00 GMT
HTTP_DATE_EPOCH = 1445412480.0


@pytest.mark.parametrize('attempt, step', [
    (1, 1.0),
    (2, 2.0),
    (3, 4.0),
    (4, 8.0),
    (5, 16.0),
    (6, BACKOFF_CAP),   # 32 is capped
    (10, BACKOFF_CAP),
    (64, BACKOFF_CAP),
    (2000, BACKOFF_CAP),  # a huge retries setting must not overflow
])
def test_backoff_step_doubles_then_is_capped(attempt, step):
    assert backoff_delay(attempt, rng=lambda: 0.0) == step / 2
    assert backoff_delay(attempt, rng=lambda: 1.0) == step


def test_backoff_jitter_stays_within_half_step_and_step():
    rng = random.Random(42).random
    for attempt in range(1, 12):
        step = min(BACKOFF_CAP, 2.0 ** (attempt - 1))
        delays = [backoff_delay(attempt, rng=rng) for draw in range(200)]
        assert all(step / 2 <= d <= step for d in delays), (attempt, min(delays), max(delays))
        assert max(delays) - min(delays) > step / 4  # really jittered, not a constant


def test_backoff_uses_base_and_cap_arguments():
    assert backoff_delay(3, rng=lambda: 1.0, base=0.5, cap=100) == 2.0
    assert backoff_delay(3, rng=lambda: 1.0, base=0.5, cap=1.5) == 1.5


@pytest.mark.parametrize('header, expected', [
    ('5', 5.0),
    (' 7 ', 7.0),
    ('0', 0.0),
    ('2.5', 2.5),
    ('-3', 0.0),                                     # negative -> no wait, never a negative sleep
    ('100000', RETRY_AFTER_CAP),                     # huge -> capped
    ('Wed, 21 Oct 2015 07:28:00 GMT', 30.0),         # HTTP-date, 30 s after the injected now
    ('Wed, 21 Oct 2015 07:27:00 GMT', 0.0),          # a date in the past -> 0
    ('Thu, 22 Oct 2015 07:28:00 GMT', RETRY_AFTER_CAP),  # a day later -> capped
    (None, None),
    ('', None),
    ('   ', None),
    ('soon', None),
    ('12abc', None),
    ('Wed, 99 Foo 2015', None),
    ('nan', None),                                   # float() reads it, but it is no delay
])
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header, now=HTTP_DATE_EPOCH - 30) == expected


def test_parse_retry_after_custom_cap():
    assert parse_retry_after('90', now=0, cap=60) == 60


@pytest.mark.parametrize('attempt, retry_after, expected', [
    (1, None, 0.5),      # no Retry-After: the backoff (rng=0: its fixed half)
    (3, None, 2.0),
    (1, 7.0, 7.0),       # Retry-After honoured
    (1, 0.0, 0.5),       # ... but never below the backoff's fixed half
    (4, 1.0, 4.0),
    (8, 0.0, BACKOFF_CAP / 2),
    (2, RETRY_AFTER_CAP, RETRY_AFTER_CAP),
])
def test_retry_delay(attempt, retry_after, expected):
    assert retry_delay(attempt, retry_after, rng=lambda: 0.0) == expected
