# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SharedRead: one load per key while fresh, whatever the threads; copies out; failures and stale answers not kept."""

import threading
import time

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._shared_read import SharedRead


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_threads_asking_at_once_share_one_load():
    cache = SharedRead()
    loads = []
    start = threading.Barrier(8)

    def load():
        loads.append(1)
        time.sleep(0.05)  # the others ask meanwhile
        return [{'policyId': 'p1'}]

    answers = []

    def ask():
        start.wait()
        answers.append(cache.get(('org', 'user'), load))

    threads = [threading.Thread(target=ask) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(loads) == 1 and answers == [[{'policyId': 'p1'}]] * 8


def test_keys_never_share():
    cache = SharedRead()
    assert cache.get(('org', 'alice'), lambda: 'a') == 'a'
    assert cache.get(('org', 'bob'), lambda: 'b') == 'b'
    assert cache.get(('org', 'alice'), lambda: 'not read') == 'a'


def test_an_answer_is_kept_for_its_lifetime_only():
    clock = Clock()
    cache = SharedRead(lifetime=60, clock=clock)
    assert cache.get('k', lambda: 1) == 1
    clock.now += 59.9
    assert cache.get('k', lambda: 2) == 1
    clock.now += 0.2
    assert cache.get('k', lambda: 3) == 3


def test_a_failed_load_keeps_nothing():
    cache = SharedRead()

    def fails():
        raise RuntimeError('refused')

    with pytest.raises(RuntimeError):
        cache.get('k', fails)
    assert cache.get('k', lambda: 'read again') == 'read again'


def test_callers_get_copies():
    cache = SharedRead()
    first = cache.get('k', lambda: [{'policyId': 'p1'}])
    first[0]['policyId'] = 'changed'
    assert cache.get('k', lambda: None) == [{'policyId': 'p1'}]


def test_clear_forgets_everything():
    cache = SharedRead()
    cache.get('k', lambda: 1)
    cache.clear()
    assert cache.get('k', lambda: 2) == 2
