# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One read answer shared, for a short while, by the module runs of one process.

Why: the pre-deploy snapshot role runs every environment's backup module in a thread of one process
(plugin_utils/_in_process). Eight Atlassian sites of one organization would each read the same list of
the organization's policies; read once, the answer serves them all. A module run as its own process
(AnsiballZ) finds the cache empty and reads as it always did.

Only what does not change from one minute to the next belongs here (a policy's site and product), never
a state (a backup list, a status): the caller's key decides what is shared, and must hold everything the
answer depends on - credentials included - so that a read is never served to a run that could not make it.
"""

import copy
import threading
import time

# Long enough for a fan-out's start phase (every thread starts within a second or two), short enough that
# a long-lived process (a controller running several plays) never serves an hour-old answer.
LIFETIME = 60.0


class SharedRead(object):
    """Answers of ``load()`` by key, each kept ``lifetime`` seconds; at most one load per key at a time."""

    def __init__(self, lifetime=LIFETIME, clock=time.monotonic):
        self.lifetime = lifetime
        self.clock = clock
        self._lock = threading.Lock()
        self._answers = {}
        # One lock per key being loaded: the threads that ask meanwhile wait for that one read, not read too.
        self._loading = {}

    def _fresh(self, key):
        """The kept answer of ``key`` while it is fresh, else None (called with the lock held)."""
        kept = self._answers.get(key)
        if kept is not None and kept[0] > self.clock():
            return kept
        self._answers.pop(key, None)
        return None

    def get(self, key, load):
        """A copy of the answer kept for ``key``, or of ``load()``'s (then kept). A load that fails keeps nothing:
        the next caller reads for itself."""
        with self._lock:
            kept = self._fresh(key)
            if kept is None:
                loading = self._loading.setdefault(key, threading.Lock())
        if kept is None:
            with loading:
                with self._lock:
                    kept = self._fresh(key)
                if kept is None:
                    kept = (self.clock() + self.lifetime, load())
                    with self._lock:
                        self._answers[key] = kept
                        self._prune()
        # A copy: a caller that changes what it got must not change what the other threads get.
        return copy.deepcopy(kept[1])

    def _prune(self):
        now = self.clock()
        for key in [key for key, kept in self._answers.items() if kept[0] <= now]:
            del self._answers[key]
            self._loading.pop(key, None)

    def clear(self):
        with self._lock:
            self._answers.clear()
            self._loading.clear()
