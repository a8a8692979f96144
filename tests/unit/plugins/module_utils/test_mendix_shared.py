# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_mendix_shared: what is shared, between which runs, and for how long."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _mendix_shared
from ansible_collections.saasops.backup.plugins.module_utils._mendix_shared import LIFETIME, shared_lookups

URL = 'https://deploy.example.test'


class Api:
    def __init__(self, url=URL, username='bot', api_key='key-1'):
        self.url = url
        self.params = dict(username=username, api_key=api_key)


class Reads:
    """A read that counts its calls and answers a new list each time."""

    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return [{'ProjectId': 'p', 'read': self.count}]


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_runs_in_progress_together_read_once_and_get_copies():
    reads = Reads()
    with shared_lookups(Api()) as first, shared_lookups(Api()) as second:
        one = first.get(('app', 'calc'), reads)
        one[0]['ProjectId'] = 'changed by a run'
        assert second.get(('app', 'calc'), reads) == [{'ProjectId': 'p', 'read': 1}]
        assert second.get(('app', 'other'), reads)[0]['read'] == 2
    assert reads.count == 2


@pytest.mark.parametrize('other', [Api(api_key='key-2'), Api(username='someone'), Api(url='https://elsewhere.test')])
def test_other_credentials_or_another_api_never_share(other):
    reads = Reads()
    with shared_lookups(Api()) as mine, shared_lookups(other) as theirs:
        mine.get(('app', 'calc'), reads)
        assert theirs.get(('app', 'calc'), reads)[0]['read'] == 2


def test_the_key_itself_is_not_kept():
    with shared_lookups(Api(api_key='s3cret-key')) as shared:
        shared.get(('app', 'calc'), Reads())
        assert 's3cret-key' not in repr(_mendix_shared._RUNS) + repr(shared.reads.__dict__)


def test_entries_go_when_the_last_run_of_the_credentials_ends():
    reads = Reads()
    with shared_lookups(Api()) as first:
        with shared_lookups(Api()) as second:
            second.get(('app', 'calc'), reads)
        first.get(('app', 'calc'), reads)  # still held by the first run
    assert reads.count == 1 and _mendix_shared._RUNS == {}
    with shared_lookups(Api()) as later:
        later.get(('app', 'calc'), reads)
    assert reads.count == 2


def test_an_answer_is_read_again_after_its_lifetime():
    reads, clock = Reads(), Clock()
    with shared_lookups(Api(), monotonic=clock) as shared:
        shared.get(('app', 'calc'), reads)
        clock.now += LIFETIME - 1
        shared.get(('app', 'calc'), reads)
        clock.now += 1
        assert shared.get(('app', 'calc'), reads)[0]['read'] == 2


def test_an_error_is_not_kept():
    def failing():
        raise RuntimeError('HTTP 503')

    reads = Reads()
    with shared_lookups(Api()) as shared:
        with pytest.raises(RuntimeError):
            shared.get(('app', 'calc'), failing)
        assert shared.get(('app', 'calc'), reads)[0]['read'] == 1
