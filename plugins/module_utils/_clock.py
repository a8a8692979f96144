# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one clock of a module run: wall time, a monotonic timer and sleep, in one object.

Every time-dependent part of a run (retry backoff, Retry-After dates, waits, "how old is this
backup") reads the clock of its platform API, so a test swaps one object (``PlatformApi.clock``)
to run a half-hour wait in milliseconds against the emulator's clock.
"""

import time


class SystemClock:
    """The real clock."""

    @staticmethod
    def time():
        """Seconds since the epoch (wall clock: ages, Retry-After dates, Jahia trigger minutes)."""
        return time.time()

    @staticmethod
    def monotonic():
        """Seconds on a clock that never goes back (deadlines and elapsed times)."""
        return time.monotonic()

    @staticmethod
    def sleep(seconds):
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()
