# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for asynchronous vendor work: a deadline, growing polls, a state table."""

import time

from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError

SUCCESS = 'success'
FAILURE = 'failure'
PENDING = 'pending'


class StateTable:
    """Maps a vendor state string to SUCCESS, FAILURE or PENDING.

    A state the table does not know is PENDING: vendors add states, and reporting an
    unknown one as done would let a pipeline deploy without a finished backup.
    """

    def __init__(self, success, failure, case_sensitive=False):
        self._norm = (lambda s: s) if case_sensitive else (lambda s: s.lower() if isinstance(s, str) else s)
        self.success = frozenset(self._norm(s) for s in success)
        self.failure = frozenset(self._norm(s) for s in failure)

    def outcome(self, state):
        state = self._norm(state)
        if state in self.success:
            return SUCCESS
        if state in self.failure:
            return FAILURE
        return PENDING


class WaitTimeout(Exception):
    """The deadline passed; the message says what was last seen and for how long we waited."""

    def __init__(self, message, last=None, elapsed=0.0):
        super(WaitTimeout, self).__init__(message)
        self.last = last
        self.elapsed = elapsed


class Waiter:
    """Polls until an outcome is reached or ``timeout`` seconds have passed.

    Transient errors (PlatformError with ``retryable``) are tolerated until the deadline:
    an ArcGIS organization answers 503 while it restores itself. The clock and sleep are
    injectable so unit tests run in milliseconds. Modules never build one in check mode:
    nothing was started there, and polling would send requests the user asked not to send.
    """

    def __init__(self, timeout, clock=time.monotonic, sleep=time.sleep, interval=1.0,
                 factor=1.5, max_interval=30.0):
        self.timeout = float(timeout)
        self.clock = clock
        self.sleep = sleep
        self.interval = interval
        self.factor = factor
        self.max_interval = max_interval

    def wait(self, what, poll, outcome, describe=repr):
        """Return ``(obj, outcome, elapsed)`` once ``outcome(poll())`` is not PENDING.

        ``what`` names the thing awaited in the timeout message ("backup 'x' in store 'y'").
        """
        start = self.clock()
        deadline = start + self.timeout
        delay = self.interval
        last_seen = 'no answer yet'
        last = None
        while True:
            try:
                last = poll()
            except PlatformError as exc:
                if not exc.retryable:
                    raise
                last_seen = 'a transient error: %s' % exc.message
            else:
                result = outcome(last)
                last_seen = describe(last)
                if result != PENDING:
                    return last, result, round(self.clock() - start, 3)
            now = self.clock()
            if now >= deadline:
                elapsed = round(now - start, 3)
                raise WaitTimeout('Timed out after %.0f seconds waiting for %s; last seen: %s. '
                                  'Raise wait_timeout, or run again later (the operation goes on).'
                                  % (elapsed, what, last_seen), last=last, elapsed=elapsed)
            self.sleep(min(delay, deadline - now))
            delay = min(delay * self.factor, self.max_interval)
