# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sending a request again while the platform says "not now"."""

from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout


def retry_while(attempt, busy, budget, what, interval=1.0, factor=1.5, max_interval=30.0):
    """Return ``attempt()``, called again while it raises an error that ``busy(error)`` accepts.

    Mendix answers ENVIRONMENT_BUSY while another job runs on an environment and ArcGIS refuses a
    restore while a backup runs: the request is refused, nothing was done, and it may be sent again
    later. ``attempt`` is called with the attempt number (1, 2, ...), so it can re-read before a
    re-send. The pauses grow like a Waiter's; ``budget`` (a WaitBudget) ends them at its deadline
    with WaitTimeout naming ``what`` and the last refusal (its ``elapsed`` is added to the failed run's
    result by run_module, as for any wait). Any other error leaves at once.
    """
    clock = budget.clock
    start = clock.monotonic()
    deadline = start + budget.remaining()
    delay = interval
    number = 1
    while True:
        try:
            value = attempt(number)
        except Exception as exc:  # pylint: disable=broad-except
            if not busy(exc):
                raise
            refusal = exc
        else:
            budget.spend(clock.monotonic() - start)
            return value
        now = clock.monotonic()
        if now >= deadline:
            elapsed = round(now - start, 3)
            raise WaitTimeout('Timed out after %.0f seconds waiting for %s; last seen: %s. Raise wait_timeout, or run '
                              'again later.' % (elapsed, what, getattr(refusal, 'message', refusal)), elapsed=elapsed)
        clock.sleep(min(delay, deadline - now))
        delay = min(delay * factor, max_interval)
        number += 1
