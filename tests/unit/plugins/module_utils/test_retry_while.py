# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_retry_while.retry_while: sending again while the platform says "busy", within the run's budget."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._budget import WaitBudget
from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._retry_while import retry_while
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock

BUSY = PlatformError('Mendix', 'create a snapshot', 'another job is running', code='ENVIRONMENT_BUSY')
FATAL = PlatformError('Mendix', 'create a snapshot', 'forbidden', status=403)


def is_busy(exc):
    return getattr(exc, 'code', None) == 'ENVIRONMENT_BUSY'


def scripted(outcomes):
    attempts = []

    def attempt(number):
        attempts.append(number)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    return attempt, attempts


def test_returns_the_first_answer_that_is_not_busy_and_charges_the_budget():
    clock = FakeClock()
    result = {'elapsed': 0.0}
    budget = WaitBudget(60, clock, result=result)
    attempt, attempts = scripted([BUSY, BUSY, 'snapshot-1'])
    assert retry_while(attempt, is_busy, budget, 'a free environment') == 'snapshot-1'
    assert attempts == [1, 2, 3]  # the attempt number lets a re-send re-read first
    assert clock.sleeps == [1.0, 1.5]
    assert result['elapsed'] == 2.5


def test_another_error_leaves_at_once():
    clock = FakeClock()
    attempt, attempts = scripted([BUSY, FATAL, 'never'])
    with pytest.raises(PlatformError) as info:
        retry_while(attempt, is_busy, WaitBudget(60, clock), 'a free environment')
    assert info.value is FATAL and attempts == [1, 2]


def test_busy_until_the_deadline_times_out_naming_the_last_refusal():
    clock = FakeClock()
    attempt, attempts = scripted([BUSY] * 100)
    with pytest.raises(WaitTimeout) as info:
        retry_while(attempt, is_busy, WaitBudget(10, clock), 'a free environment')
    assert info.value.elapsed == 10.0
    assert 'waiting for a free environment; last seen: another job is running' in str(info.value)
    assert 3 < len(attempts) < 10 and sum(clock.sleeps) == 10.0
