# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One wait budget per module run: ``wait_timeout`` shared by every wait of the run."""

from ansible_collections.saasops.backup.plugins.module_utils._waiter import Waiter

# A later wait of a run whose earlier waits used up the budget still polls once or twice
# instead of timing out before its first look.
MIN_REMAINING = 1.0


class WaitBudget:
    """Hands out what is left of ``timeout`` and adds up the time the run spent waiting.

    ``active`` is the one rule for whether a run waits at all: the user asked to (``wait``)
    and this is not check mode, where nothing was started and a poll would send requests the
    user asked not to send. ``result``, when given, gets ``elapsed`` kept up to date, so a run
    that fails later still reports how long it waited. A wait that times out is not charged
    here: its WaitTimeout carries its own ``elapsed``, which run_module adds to the result.
    """

    def __init__(self, timeout, clock, wait=True, check_mode=False, result=None):
        self.timeout = float(timeout) if timeout is not None else None
        self.clock = clock
        self.active = bool(wait) and not check_mode and self.timeout is not None
        self.result = result
        self.spent = 0.0

    @property
    def elapsed(self):
        return round(self.spent, 3)

    def remaining(self):
        return max(MIN_REMAINING, (self.timeout or 0.0) - self.spent)

    def spend(self, seconds):
        self.spent += max(0.0, seconds)
        if self.result is not None:
            self.result['elapsed'] = self.elapsed

    def waiter(self):
        """A Waiter over what is left of the budget, on the run's clock."""
        return Waiter(self.remaining(), clock=self.clock.monotonic, sleep=self.clock.sleep)

    def wait(self, what, poll, outcome, describe=repr):
        """``Waiter.wait`` within the budget; returns ``(obj, outcome)`` and charges the time spent."""
        obj, result, elapsed = self.waiter().wait(what, poll, outcome, describe)
        self.spend(elapsed)
        return obj, result

    def wait_for(self, what, poll, table, key):
        """Wait until ``table`` (a StateTable) says ``poll()[key]`` is done; ``(obj, outcome)``."""
        return self.wait(what, poll, lambda obj: table.outcome((obj or {}).get(key)),
                         lambda obj: "%s '%s'" % (key, (obj or {}).get(key)))
