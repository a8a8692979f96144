# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When to retry an HTTP call and how long to wait before the next attempt."""

import email.utils
import math
import random
import time

# 429: rate limited, the server did nothing. 503: unavailable (ArcGIS during a restore), the
# server did nothing. 502/504: a gateway lost the upstream answer - the request may have been
# acted on, so only reads retry them blindly (see REFUSED_STATUSES).
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504))

# Answers that mean "refused before acting": safe to re-send even a create.
REFUSED_STATUSES = frozenset((429, 503))

# Methods that change nothing or converge to the same state when repeated.
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'))

# First backoff step and ceiling in seconds; a minute between attempts is enough for the
# rate limits these vendors document and keeps a stuck module from hanging a pipeline.
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
# A server asking for more than this (Retry-After) is not waited for longer than this.
RETRY_AFTER_CAP = 120.0

# How long one request keeps being retried after transient failures (option retry_timeout).
# Atlassian allows 5 backups or restores a minute and does not always say when to come back,
# and under a sustained 30 % failure rate a read needs about a dozen attempts to be near-certain
# to get through (0.3 ** 12 < 1e-6): five minutes of backoff covers both, and still ends a run
# that meets a real outage instead of hanging the pipeline.
DEFAULT_RETRY_TIMEOUT = 300.0


def _step(attempt, base=BACKOFF_BASE, cap=BACKOFF_CAP):
    # Beyond ~60 doublings the step is past any cap; stop before 2 ** n overflows a float.
    return cap if attempt > 60 else min(cap, base * (2 ** (attempt - 1)))


def backoff_delay(attempt, rng=random.random, base=BACKOFF_BASE, cap=BACKOFF_CAP):
    """Delay before retry number ``attempt`` (1-based): exponential with "equal jitter".

    Half of the step is fixed so retries never hammer the server, half random so that many
    parallel module runs (Ansible forks) do not retry in lockstep.
    """
    step = _step(attempt, base, cap)
    return step / 2.0 + rng() * step / 2.0


def retry_delay(attempt, retry_after=None, rng=random.random):
    """Delay before retry number ``attempt``: the server's ``Retry-After`` (already parsed and
    capped) when it sent one, else the jittered backoff.

    Retry-After is honoured as a minimum, never as permission to hammer: a server answering
    ``Retry-After: 0`` to every attempt still gets the fixed half of the backoff step between
    attempts, so a time budget cannot turn into a busy loop.
    """
    if retry_after is None:
        return backoff_delay(attempt, rng)
    return max(retry_after, _step(attempt) / 2.0)


def parse_retry_after(value, now=None, cap=RETRY_AFTER_CAP):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), capped.

    Returns None when the header is absent or unreadable, so the caller falls back to backoff.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
        if math.isnan(seconds):
            return None
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, min(cap, seconds))
