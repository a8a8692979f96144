# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_budget.WaitBudget: one wait_timeout shared by every wait of a run, and the one "do we wait" rule."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._budget import MIN_REMAINING, WaitBudget
from ansible_collections.saasops.backup.plugins.module_utils._waiter import SUCCESS, StateTable, WaitTimeout
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock

TABLE = StateTable(success=('done',), failure=('failed',))


def countdown(clock, states, step=0.0):
    states = list(states)

    def poll():
        clock.advance(step)
        return {'state': states.pop(0)}
    return poll


@pytest.mark.parametrize('wait, check_mode, timeout, active', [
    (True, False, 60, True), (False, False, 60, False), (True, True, 60, False), (True, False, None, False)])
def test_active_is_the_one_rule_for_waiting(wait, check_mode, timeout, active):
    assert WaitBudget(timeout, FakeClock(), wait=wait, check_mode=check_mode).active is active


def test_waits_share_the_budget_and_add_up_elapsed():
    clock = FakeClock()
    result = {'elapsed': 0.0}
    budget = WaitBudget(30, clock, result=result)
    obj, outcome = budget.wait_for('job 1', countdown(clock, ['running', 'running', 'done']), TABLE, 'state')
    assert (obj, outcome) == ({'state': 'done'}, SUCCESS)
    assert clock.sleeps == [1.0, 1.5]
    assert result['elapsed'] == budget.elapsed == 2.5
    assert budget.remaining() == 27.5
    budget.wait_for('backup b', countdown(clock, ['running', 'done']), TABLE, 'state')
    assert result['elapsed'] == 3.5 and budget.remaining() == 26.5


def test_a_later_wait_gets_only_what_is_left():
    clock = FakeClock()
    budget = WaitBudget(10, clock)
    budget.spend(8)
    with pytest.raises(WaitTimeout) as info:
        budget.wait_for('backup b', countdown(clock, ['running'] * 50), TABLE, 'state')
    assert info.value.elapsed == 2.0
    assert "last seen: state 'running'" in str(info.value)
    assert budget.elapsed == 8.0  # a timed-out wait is charged by run_module from the WaitTimeout, not twice


def test_a_spent_budget_still_looks_once():
    clock = FakeClock()
    budget = WaitBudget(5, clock)
    budget.spend(50)
    assert budget.remaining() == MIN_REMAINING
    assert budget.wait_for('x', countdown(clock, ['done']), TABLE, 'state')[1] == SUCCESS


def test_negative_time_is_never_charged():
    budget = WaitBudget(5, FakeClock(), result={})
    budget.spend(-3)
    assert budget.elapsed == 0.0 and budget.result == {'elapsed': 0.0}
