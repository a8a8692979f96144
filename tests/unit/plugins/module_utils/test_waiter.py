# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_waiter: polls on a fake clock until a state-table outcome or the deadline."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._waiter import (
    FAILURE,
    PENDING,
    SUCCESS,
    StateTable,
    Waiter,
    WaitTimeout,
)
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock

JOBS = StateTable(success=('COMPLETED',), failure=('FAILED', 'CANCELLED'))


class Poller:
    """poll() answers from a list (exception instances are raised); each poll takes ``cost`` seconds."""

    def __init__(self, clock, answers, cost=0.0, repeat_last=False):
        self.clock = clock
        self.answers = list(answers)
        self.cost = cost
        self.repeat_last = repeat_last
        self.count = 0

    def __call__(self):
        self.count += 1
        self.clock.advance(self.cost)
        if self.repeat_last and len(self.answers) == 1:
            answer = self.answers[0]
        else:
            assert self.answers, 'polled once more than scripted'
            answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def transient(message='HTTP 503'):
    return PlatformError('ArcGIS', 'read job', message, status=503, retryable=True)


def waiter(clock, timeout=100, **kwargs):
    kwargs.setdefault('interval', 2.0)
    kwargs.setdefault('factor', 1.5)
    kwargs.setdefault('max_interval', 30.0)
    return Waiter(timeout, clock=clock.now, sleep=clock.sleep, **kwargs)


@pytest.mark.parametrize('states, outcome, sleeps', [
    (['COMPLETED'], SUCCESS, []),
    (['SUBMITTED', 'EXECUTING', 'COMPLETED'], SUCCESS, [2.0, 3.0]),
    (['EXECUTING', 'FAILED'], FAILURE, [2.0]),
    (['SUBMITTED', 'cancelled'], FAILURE, [2.0]),
    (['SOMETHING_NEW', 'PAUSED?', None, 'COMPLETED'], SUCCESS, [2.0, 3.0, 4.5]),  # unknown -> keep polling
])
def test_returns_the_outcome_with_elapsed(states, outcome, sleeps):
    clock = FakeClock()
    poll = Poller(clock, [{'status': s} for s in states])
    obj, result, elapsed = waiter(clock).wait('job 1', poll, lambda job: JOBS.outcome(job['status']))
    assert (obj, result, elapsed) == ({'status': states[-1]}, outcome, sum(sleeps))
    assert clock.sleeps == sleeps and poll.count == len(states)


def test_elapsed_counts_the_time_polls_take():
    clock = FakeClock()
    poll = Poller(clock, ['EXECUTING', 'COMPLETED'], cost=0.25)
    assert waiter(clock).wait('job 1', poll, JOBS.outcome) == ('COMPLETED', SUCCESS, 2.5)


@pytest.mark.parametrize('interval, factor, cap, sleeps', [
    (2.0, 2.0, 10.0, [2.0, 4.0, 8.0, 10.0, 10.0, 10.0]),
    (1.0, 1.5, 30.0, [1.0, 1.5, 2.25, 3.375, 5.0625, 7.59375]),
    (5.0, 1.0, 30.0, [5.0] * 6),
])
def test_poll_interval_grows_by_factor_up_to_the_cap(interval, factor, cap, sleeps):
    clock = FakeClock()
    poll = Poller(clock, ['EXECUTING'] * 6 + ['COMPLETED'])
    waiter(clock, timeout=1000, interval=interval, factor=factor, max_interval=cap).wait('job', poll, JOBS.outcome)
    assert clock.sleeps == sleeps


def test_transient_errors_are_tolerated():
    clock = FakeClock()
    poll = Poller(clock, [transient(), 'EXECUTING', transient(), 'COMPLETED'])
    assert waiter(clock).wait('job', poll, JOBS.outcome)[:2] == ('COMPLETED', SUCCESS)
    assert poll.count == 4


def test_transient_errors_until_the_deadline_time_out_saying_so():
    clock = FakeClock()
    poll = Poller(clock, ['EXECUTING', transient('HTTP 503 (restoring)')], repeat_last=True)
    with pytest.raises(WaitTimeout) as info:
        waiter(clock, timeout=20).wait('the restore', poll, JOBS.outcome)
    assert 'last seen: a transient error: HTTP 503 (restoring)' in str(info.value)
    assert info.value.last == 'EXECUTING'   # the last object actually read
    assert info.value.elapsed == 20.0


@pytest.mark.parametrize('error', [
    PlatformError('ArcGIS', 'read job', 'Job not found.', code=404),
    PlatformError('ArcGIS', 'read job', 'Invalid token.', code=498),
])
def test_non_retryable_errors_are_raised_at_once(error):
    clock = FakeClock()
    poll = Poller(clock, ['EXECUTING', error])
    with pytest.raises(PlatformError) as info:
        waiter(clock).wait('job', poll, JOBS.outcome)
    assert info.value is error
    assert clock.sleeps == [2.0]


def test_other_exceptions_propagate():
    clock = FakeClock()
    poll = Poller(clock, [KeyError('status')])
    with pytest.raises(KeyError):
        waiter(clock).wait('job', poll, JOBS.outcome)


def test_timeout_says_what_was_last_seen_and_for_how_long():
    clock = FakeClock()
    poll = Poller(clock, [{'status': 'SUBMITTED'}, {'status': 'EXECUTING'}], repeat_last=True)
    with pytest.raises(WaitTimeout) as info:
        waiter(clock, timeout=10, interval=4.0, factor=1.0).wait(
            "backup 'b1' in store 's1'", poll, lambda j: JOBS.outcome(j['status']), describe=lambda j: 'job %s' % j['status'])
    message = str(info.value)
    assert message.startswith("Timed out after 10 seconds waiting for backup 'b1' in store 's1'; last seen: job EXECUTING.")
    assert 'wait_timeout' in message
    assert info.value.elapsed == 10.0 and info.value.last == {'status': 'EXECUTING'}
    assert clock.sleeps == [4.0, 4.0, 2.0]   # the last sleep is cut to the deadline
    assert poll.count == 4                   # one last look at the deadline


def test_default_describe_is_repr():
    clock = FakeClock()
    with pytest.raises(WaitTimeout) as info:
        waiter(clock, timeout=1).wait('job', Poller(clock, ['EXECUTING'], repeat_last=True), JOBS.outcome)
    assert "last seen: 'EXECUTING'." in str(info.value)


def test_timeout_before_any_answer():
    clock = FakeClock()
    with pytest.raises(WaitTimeout) as info:
        waiter(clock, timeout=3).wait('job', Poller(clock, [transient()], repeat_last=True), JOBS.outcome)
    assert info.value.last is None


@pytest.mark.parametrize('timeout, cost, interval, factor', [
    (10, 0.0, 4.0, 1.5),
    (10, 3.0, 4.0, 1.5),
    (10, 1.0, 4.0, 1.5),
    (60, 0.7, 2.0, 2.0),
    (7.5, 0.0, 30.0, 1.0),
])
def test_never_sleeps_past_the_deadline(timeout, cost, interval, factor):
    clock = FakeClock()
    deadline = clock.now() + timeout
    real_sleep = clock.sleep

    def sleep(seconds):
        assert clock.now() + seconds <= deadline + 1e-9, 'sleep %s at %s passes the deadline %s' % (seconds, clock.now(), deadline)
        real_sleep(seconds)

    poll = Poller(clock, ['EXECUTING'], cost=cost, repeat_last=True)
    with pytest.raises(WaitTimeout) as info:
        Waiter(timeout, clock=clock.now, sleep=sleep, interval=interval, factor=factor).wait('job', poll, JOBS.outcome)
    assert timeout <= info.value.elapsed <= timeout + cost


@pytest.mark.parametrize('state, outcome', [
    ('COMPLETED', SUCCESS),
    ('completed', SUCCESS),
    ('Completed', SUCCESS),
    ('FAILED', FAILURE),
    ('failed', FAILURE),
    ('Cancelled', FAILURE),
    ('EXECUTING', PENDING),
    ('', PENDING),
    (None, PENDING),
    (3, PENDING),
])
def test_state_table_is_case_insensitive_and_unknown_is_pending(state, outcome):
    assert JOBS.outcome(state) == outcome


def test_state_table_case_sensitive():
    table = StateTable(success=('Done',), failure=('Error',), case_sensitive=True)
    assert [table.outcome(s) for s in ('Done', 'done', 'Error', 'ERROR')] == [SUCCESS, PENDING, FAILURE, PENDING]
