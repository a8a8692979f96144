# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module run inside the controller's process answers as the same module run by Ansible: the argument
spec is applied, no_log values are masked, check mode holds, and threads do not share a run."""

import threading
import types

import pytest

from ansible_collections.saasops.backup.plugins.modules import jahia_backup, mendix_snapshot
from ansible_collections.saasops.backup.plugins.plugin_utils import _in_process
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

SECRET = 'N0-Log-Secret-Value'


def echo_module(spec, **kwargs):
    """A module whose main() answers with its params (and says the secret in a warning and its message)."""
    module = types.ModuleType('echo')

    def main():
        built = module.AnsibleModule(argument_spec=spec, supports_check_mode=kwargs.pop('check_mode', True), **kwargs)
        built.warn('the token is %s' % built.params.get('token'))
        if built.params.get('fail'):
            built.fail_json(msg='refused %s' % built.params.get('token'), params=built.params)
        built.exit_json(changed=not built.check_mode, params=built.params, check_mode=built.check_mode)

    module.main = main
    module.AnsibleModule = _in_process.ThreadModule
    return module


SPEC = dict(name=dict(type='str', required=True, aliases=['label']), count=dict(type='int', default=3),
            token=dict(type='str', no_log=True), fail=dict(type='bool', default=False),
            inner=dict(type='dict', options=dict(key=dict(type='str', no_log=True), size=dict(type='int'))))


def test_the_argument_spec_converts_defaults_and_aliases_and_masks_every_no_log_value():
    answer = _in_process.run_main(echo_module(SPEC), {'label': 'a', 'count': '5', 'token': SECRET,
                                                      'inner': {'key': 'inner-' + SECRET, 'size': '2'}})
    params = answer['params']
    assert (params['name'], params['count'], params['inner']['size']) == ('a', 5, 2) and answer['changed'] is True
    # What AnsibleModule.exit_json makes of them: a whole value is named, a part of a text starred.
    assert params['token'] == params['inner']['key'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert answer['warnings'] == ['the token is ********']
    # An empty secret masks nothing (masking '' would star every character of every text).
    empty = _in_process.run_main(echo_module(SPEC), {'name': 'plain', 'token': ''})
    assert empty['params']['name'] == 'plain' and empty['warnings'] == ['the token is ']
    failed = _in_process.run_main(echo_module(SPEC), {'name': 'a', 'token': SECRET, 'fail': True})
    assert failed['failed'] is True and failed['msg'] == 'refused ********' and SECRET not in repr(failed)


@pytest.mark.parametrize('args, message', [
    ({'count': 'many'}, 'name'),
    ({'name': 'a', 'count': 'many'}, "argument 'count' is of type"),
    ({'name': 'a', 'colour': 'red'}, 'colour'),
])
def test_bad_arguments_fail_as_ansible_would_name_them(args, message):
    answer = _in_process.run_main(echo_module(SPEC), args)
    assert answer['failed'] is True and message in answer['msg']


def test_the_module_options_rules_apply():
    module = echo_module(SPEC, mutually_exclusive=[('token', 'count')], required_if=[('fail', True, ('token',))])
    assert 'mutually exclusive' in _in_process.run_main(module, {'name': 'a', 'token': SECRET, 'count': 2})['msg']
    assert 'token' in _in_process.run_main(module, {'name': 'a', 'fail': True})['msg']


def test_check_mode_is_the_runs_and_a_module_without_it_is_skipped():
    answer = _in_process.run_main(echo_module(SPEC), {'name': 'a'}, check_mode=True)
    assert answer['check_mode'] is True and answer['changed'] is False
    assert _in_process.run_main(echo_module(SPEC, check_mode=False), {'name': 'a'}, check_mode=True)['skipped'] is True


def test_threads_run_their_own_arguments():
    answers = {}

    def one(number):
        answers[number] = _in_process.run_main(echo_module(SPEC), {'name': 'n%d' % number, 'count': number})

    threads = [threading.Thread(target=one, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(answers[n]['params'] == dict(name='n%d' % n, count=n, token=None, fail=False, inner=None) for n in range(20))


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


@pytest.mark.parametrize('module, platform, args', [
    (jahia_backup, 'jahia', dict(environment='staging')),
    (mendix_snapshot, 'mendix', dict(app_id='calc', environment='Acceptance', comment='saasops r1', wait=False)),
])
def test_a_collection_module_answers_in_process_as_it_does_under_ansible(env, emu, module, platform, args):
    args = dict(env.connection(platform), **args)
    real = env.run(module, args, check_mode=True)
    sent_by_real = [(r['method'], r['path']) for r in emu.requests()]
    emu.clear_requests()
    here = _in_process.run(module.__name__.rsplit('.', 1)[-1], args, check_mode=True)
    assert [(r['method'], r['path']) for r in emu.requests()] == sent_by_real and not env.mutations()
    assert here.get('failed', False) is False and here['changed'] is True and real['changed'] is True
    assert sorted(key for key in here if key != 'warnings') == sorted(key for key in real if key not in ('failed', 'warnings'))
    assert env.connection(platform)['api_token' if platform == 'jahia' else 'api_key'] not in repr(here)


def test_the_module_still_runs_as_a_module_outside_of_an_in_process_run(env, emu):
    args = dict(env.connection('jahia'), environment='staging')
    assert _in_process.run('jahia_backup', args, check_mode=True)['changed'] is True
    # main() called the way Ansible (and the module tests) call it gets the real AnsibleModule.
    assert env.run(jahia_backup, args, check_mode=True)['failed'] is False
