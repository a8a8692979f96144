# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress lines while an action plugin waits for a module that runs for minutes (a backup, a restore, a copy)."""

from __future__ import annotations

import threading
import time


def run_reporting(work, interval, report, name):
    """``work()``, run in a thread of its own; while it runs, ``report(seconds so far)`` every ``interval`` (>= 1) seconds.

    A thread, because a module the action runs gives nothing back until it ends, and a job that prints nothing
    for an hour looks hung to whoever watches it. ``report`` may be None (nothing said). What ``work`` raises is
    raised here.
    """
    outcome = {}

    def target():
        try:
            outcome['value'] = work()
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            outcome['error'] = exc

    worker = threading.Thread(target=target, name=name, daemon=True)
    started = time.monotonic()
    worker.start()
    while worker.is_alive():
        worker.join(max(1.0, interval))
        if worker.is_alive() and report is not None:
            report(time.monotonic() - started)
    if 'error' in outcome:
        raise outcome['error']
    return outcome['value']


def answer_of(call):
    """The module's answer, or an exception while running it as a failed answer: this environment fails, the others go on."""
    try:
        return call()
    except Exception as exc:  # pylint: disable=broad-exception-caught
        return dict(failed=True, msg='%s: %s' % (type(exc).__name__, exc))
