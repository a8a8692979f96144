# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_idempotent.create_once: a lost create answer is re-read before the create is sent again."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._budget import WaitBudget
from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import MAX_CREATE_ATTEMPTS, create_once, create_when_free
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock

CREATED = {'name': 'b1', 'id': 1}


def lost():
    return PlatformError('ArcGIS', 'create backup', 'connection failed or dropped', retryable=True, maybe_applied=True)


class Script:
    """create() and find() answering from lists (an exception instance is raised), counting calls."""

    def __init__(self, creates, finds=()):
        self.creates = list(creates)
        self.finds = list(finds)
        self.log = []

    def _next(self, name, outcomes):
        self.log.append(name)
        assert outcomes, 'unexpected %s() call; calls so far: %s' % (name, self.log)
        outcome = outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def create(self):
        return self._next('create', self.creates)

    def find(self):
        return self._next('find', self.finds)

    def assert_done(self):
        assert not self.creates and not self.finds, 'unused: creates %s, finds %s' % (self.creates, self.finds)


@pytest.mark.parametrize('creates, finds, expected, log', [
    ([CREATED], [], ('created', CREATED), ['create']),
    ([lost()], [CREATED], ('found', CREATED), ['create', 'find']),
    ([lost(), CREATED], [None], ('created', CREATED), ['create', 'find', 'create']),
    ([lost(), lost(), CREATED], [None, None], ('created', CREATED), ['create', 'find', 'create', 'find', 'create']),
    ([lost(), lost()], [None, CREATED], ('found', CREATED), ['create', 'find', 'create', 'find']),
])
def test_create_once(creates, finds, expected, log):
    script = Script(creates, finds)
    assert create_once(script.create, script.find) == expected
    assert script.log == log
    script.assert_done()


@pytest.mark.parametrize('error', [
    PlatformError('ArcGIS', 'create backup', 'Backup exists.', status=200, code=409),
    PlatformError('ArcGIS', 'create backup', 'rate limited', status=429, retryable=True),
])
def test_error_that_was_not_applied_is_raised_without_find(error):
    script = Script([error])
    with pytest.raises(PlatformError) as info:
        create_once(script.create, script.find)
    assert info.value is error
    assert script.log == ['create']


def test_gives_up_after_attempts_with_the_last_error():
    errors = [lost() for attempt in range(MAX_CREATE_ATTEMPTS)]
    script = Script(errors, [None] * MAX_CREATE_ATTEMPTS)
    with pytest.raises(PlatformError) as info:
        create_once(script.create, script.find)
    assert info.value is errors[-1] and info.value.maybe_applied
    assert script.log == ['create', 'find'] * MAX_CREATE_ATTEMPTS
    assert MAX_CREATE_ATTEMPTS == 3


def test_attempts_argument():
    script = Script([lost()], [None])
    with pytest.raises(PlatformError):
        create_once(script.create, script.find, attempts=1)
    assert script.log == ['create', 'find']


def exists():
    return PlatformError('ArcGIS', 'create backup', "Backup 'b1' already exists.", status=200, code=409)


def conflict(exc):
    return exc.code == 409


@pytest.mark.parametrize('creates, finds, expected, log', [
    # A concurrent run made it between our read and our create: found, not a failure.
    ([exists()], [CREATED], ('adopted', CREATED), ['create', 'find']),
    # A lost answer is still re-read the usual way.
    ([lost()], [CREATED], ('found', CREATED), ['create', 'find']),
])
def test_already_exists_is_adopted_once_read(creates, finds, expected, log):
    script = Script(creates, finds)
    assert create_once(script.create, script.find, exists=conflict) == expected
    assert script.log == log
    script.assert_done()


def test_already_exists_that_the_read_does_not_confirm_stands():
    # 409 also means "another operation runs" on ArcGIS: nothing of that name, so the error stands.
    error = exists()
    script = Script([error], [None])
    with pytest.raises(PlatformError) as info:
        create_once(script.create, script.find, exists=conflict)
    assert info.value is error and script.log == ['create', 'find']


def budget(seconds=60):
    """A WaitBudget on a fake clock: busy pauses take no real time."""
    return WaitBudget(seconds, FakeClock())


def busy():
    return PlatformError('Mendix', 'create snapshot', 'Another job is running', status=400, code='ENVIRONMENT_BUSY')


@pytest.mark.parametrize('creates, finds, expected, log', [
    ([CREATED], [], ('created', CREATED), ['create']),
    ([busy(), CREATED], [None], ('created', CREATED), ['create', 'find', 'create']),
    # The concurrent run's object is what kept the environment busy: adopted, not made twice.
    ([busy()], [CREATED], ('adopted', CREATED), ['create', 'find']),
    ([busy(), busy()], [None, CREATED], ('adopted', CREATED), ['create', 'find', 'create', 'find']),
    # A lost answer inside one attempt: re-read (create_once) before anything is sent again.
    ([lost()], [CREATED], ('found', CREATED), ['create', 'find']),
])
def test_create_when_free_re_reads_before_every_re_send(creates, finds, expected, log):
    script = Script(creates, finds)
    result = create_when_free(script.create, script.find, lambda exc: exc.code == 'ENVIRONMENT_BUSY', budget(), 'it')
    assert result == expected
    assert script.log == log
    script.assert_done()


def test_create_when_free_stops_at_the_budget_deadline():
    script = Script([busy()] * 50, [None] * 50)
    with pytest.raises(WaitTimeout, match='waiting for it; last seen: Another job is running'):
        create_when_free(script.create, script.find, lambda exc: exc.code == 'ENVIRONMENT_BUSY', budget(10), 'it')
    assert script.log[:3] == ['create', 'find', 'create']
