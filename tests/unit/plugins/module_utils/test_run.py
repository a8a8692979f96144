# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_run.ModuleRun: the run base every module's decisions sit on."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._module import carried
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock


class Api:
    clock = FakeClock()


class MakeThing(ModuleRun):
    RESULT = dict(changed=False, thing={}, elapsed=0.0)

    def validate(self):
        if self.params.get('name') == 'bad':
            raise InputError('name is bad')

    def run(self):
        self.result['changed'] = True
        self.result['thing']['name'] = self.params['name']
        if self.params.get('fail'):
            raise PlatformError('Vendor', 'make a thing', 'server error', status=500)


def run(check_mode=False, **params):
    params.setdefault('wait', True)
    params.setdefault('wait_timeout', 60)
    return MakeThing(FakeModule(params, check_mode=check_mode), Api())


def test_a_run_starts_from_a_copy_of_its_declared_result():
    assert run(name='a').execute() == {'changed': True, 'thing': {'name': 'a'}, 'elapsed': 0.0}
    assert MakeThing.RESULT == {'changed': False, 'thing': {}, 'elapsed': 0.0}
    assert run(name='b').execute()['thing'] == {'name': 'b'}


def test_a_failure_carries_what_the_run_did_so_far():
    with pytest.raises(PlatformError) as info:
        run(name='a', fail=True).execute()
    assert carried(info.value) == {'changed': True, 'thing': {'name': 'a'}, 'elapsed': 0.0}


def test_bad_input_fails_before_the_run_and_carries_nothing():
    with pytest.raises(InputError) as info:
        run(name='bad').execute()
    assert carried(info.value) == {}


def test_the_budget_comes_from_the_options_and_check_mode():
    assert run(name='a').budget.active is True
    assert run(name='a', wait=False).budget.active is False
    assert run(name='a', check_mode=True).budget.active is False
    assert run(name='a').budget.timeout == 60.0
    thing = run(name='a')
    thing.budget.spend(4.5)
    assert thing.result['elapsed'] == 4.5  # kept in the result, so a later failure reports it
