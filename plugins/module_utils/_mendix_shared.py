# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deploy API lookups shared by the mendix_snapshot runs in progress at the same time in one process.

Why: the pre-deploy snapshot role runs every environment's module in a thread of one process
(plugin_utils/_in_process.py). The three environments of an app would each read the same app
object and the same environments list; shared, each is read once per app.

What is shared, and for how long, is deliberately narrow:
- only answers that do not change during a run (an app's ProjectId and Url, its environments'
  EnvironmentId, Mode and Url); never snapshot lists or states, nor an environment's Status, which
  a restore stops and starts - callers must not read those from here;
- only between runs that hold the same credentials (api_url, username and a hash of the api_key: a
  user who cannot see an app must never get another user's answer);
- only while a run of those credentials is in progress (``shared_lookups``): when the last one
  ends its entries are dropped, so runs one after another (a playbook's tasks, unit tests) read
  afresh as if each had a process of its own; and at most LIFETIME seconds after the read.
Errors are never kept: the next run asks again.
"""

import hashlib
import threading
import time
from contextlib import contextmanager

from ansible_collections.saasops.backup.plugins.module_utils._shared_read import SharedRead

# Long enough for one fan-out's start phase, short enough that an app changed meanwhile (an
# environment added) is read again by a long-running batch.
LIFETIME = 60.0

_LOCK = threading.Lock()
_RUNS = {}  # credentials key -> [number of runs in progress, their SharedRead]


def credentials_key(api):
    """What separates entries: the API base, the user and a digest of the key (the key itself is not kept)."""
    params = api.params
    digest = hashlib.sha256(str(params.get('api_key') or '').encode('utf-8')).hexdigest()
    return (api.url, params.get('username'), digest)


class SharedLookups:
    """The answers of one set of credentials, for one run (see ``shared_lookups``)."""

    def __init__(self, reads):
        self.reads = reads

    def get(self, name, read):
        """The answer kept under ``name`` (a tuple, e.g. ('app', app_id)), or ``read()`` once and kept (a copy:
        no run can change what another run reads; an error is not kept)."""
        return self.reads.get(name, read)


@contextmanager
def shared_lookups(api, monotonic=time.monotonic):
    """A run of ``api``'s credentials is in progress for the ``with`` block; yields its SharedLookups."""
    key = credentials_key(api)
    with _LOCK:
        held = _RUNS.setdefault(key, [0, SharedRead(LIFETIME, monotonic)])
        held[0] += 1
    try:
        yield SharedLookups(held[1])
    finally:
        with _LOCK:
            held[0] -= 1
            if not held[0]:
                # The last run of these credentials has ended: what it read goes with it.
                del _RUNS[key]
