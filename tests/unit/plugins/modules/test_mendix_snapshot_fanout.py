# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mendix_snapshot in the pre-deploy snapshot role's fan-out, on the emulator's request log: a comment made up for
the run (assume_new) skips the list read, and the environments of an app run in threads of one process
(plugin_utils/_in_process) read the app and its environments once between them."""

import threading

import pytest

from ansible_collections.saasops.backup.plugins.modules import mendix_snapshot as mod
from ansible_collections.saasops.backup.plugins.plugin_utils import _in_process
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

COMMENT = 'saasops run-17'
APP_READ = 'GET api/1/apps/calc'
ENV_LOOKUP = 'GET api/1/apps/calc/environments'
CREATE = '/snapshots$'
OTHER_USER, OTHER_KEY = 'deploy-bot@example.com', 'other-key-0123456789'


@pytest.fixture
def em(emu, monkeypatch):
    # _in_process swaps the module's AnsibleModule for good: put the real one back after the test.
    monkeypatch.setattr(mod, 'AnsibleModule', mod.AnsibleModule)
    return Emulated(emu, monkeypatch)


def ids(emu, mode='Acceptance', app_id='calc'):
    app = emu.state('mendix')['apps'][app_id]
    return app['project_id'], app['environments'][mode]['EnvironmentId']


def args(em, emu, mode='Acceptance', app_id='calc', given=True, **extra):
    base = dict(em.connection('mendix'), app_id=app_id, environment=mode, comment=COMMENT, assume_new=True,
                wait=False)
    if given:
        base['project_id'], base['environment_id'] = ids(emu, mode, app_id)
    base.update(extra)
    return base


def paths(requests):
    return ['%s %s' % (r['method'], r['path'].split('/mendix/', 1)[1]) for r in requests]


def creates(emu):
    return [r for r in emu.requests() if r['method'] == 'POST' and r['path'].endswith('/snapshots')]


def lists(emu):
    return [r for r in emu.requests() if r['method'] == 'GET' and r['path'].endswith('/snapshots')]


def snapshots(emu, comment=COMMENT):
    return [s for s in emu.state('mendix')['snapshots'] if s['comment'] == comment]


def in_threads(runs, emu=None):
    """The answers of ``_in_process.run('mendix_snapshot', args)`` for every args of ``runs``, each in a thread.

    The creates are slowed down: every run is then still in progress when the others look up, as in the role's
    fan-out, where one create takes longer than starting every thread.
    """
    if emu is not None:
        emu.add_fault(path=CREATE, method='POST', action='slow', delay=0.5, count=len(runs))
    answers = [None] * len(runs)
    barrier = threading.Barrier(len(runs))

    def one(number):
        barrier.wait()
        answers[number] = _in_process.run('mendix_snapshot', runs[number])

    threads = [threading.Thread(target=one, args=(number,)) for number in range(len(runs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


# --- assume_new ------------------------------------------------------------------------------------------------------

def test_assume_new_with_ids_sends_the_checks_and_the_create_only(em, emu):
    project, env_id = ids(emu)
    result = _in_process.run('mendix_snapshot', args(em, emu))
    assert result.get('failed') is not True and result['changed'] is True, result
    assert paths(emu.requests()) == [ENV_LOOKUP, APP_READ,
                                     'POST api/v2/apps/%s/environments/%s/snapshots' % (project, env_id)]
    assert len(snapshots(emu)) == 1


def test_assume_new_without_ids_sends_the_lookups_and_the_create_only(em, emu):
    result = em.run(mod, args(em, emu, given=False))
    assert result['failed'] is False and result['changed'] is True
    assert paths(emu.requests())[:2] == [ENV_LOOKUP, APP_READ] and len(emu.requests()) == 3
    assert lists(emu) == [] and len(creates(emu)) == 1


def test_assume_new_in_check_mode_predicts_a_create_without_the_list(em, emu):
    result = em.run(mod, args(em, emu), check_mode=True)
    assert result['failed'] is False and result['changed'] is True and result['snapshot']['snapshot_id'] is None
    assert paths(emu.requests()) == [ENV_LOOKUP, APP_READ] and em.mutations() == []


def test_without_assume_new_the_list_is_read_before_the_create(em, emu):
    result = em.run(mod, args(em, emu, assume_new=False))
    assert result['failed'] is False and result['changed'] is True
    assert len(lists(emu)) == 1 and lists(emu)[0]['seq'] < creates(emu)[0]['seq']


def test_a_lost_create_answer_with_assume_new_is_read_again_and_never_sent_twice(em, emu):
    emu.add_fault(path=CREATE, method='POST', action='drop_after', count=1)
    result = em.run(mod, args(em, emu, wait=True, wait_timeout=600))
    assert result['failed'] is False and result['changed'] is True and result['snapshot']['state'] == 'completed'
    assert len(snapshots(emu)) == 1 and len(creates(emu)) == 1
    assert len(lists(emu)) == 1 and lists(emu)[0]['seq'] > creates(emu)[0]['seq']


def test_a_busy_environment_with_assume_new_is_read_again_before_the_create_is_sent_again(em, emu):
    emu.add_fault(path=CREATE, method='POST', action='status', status=400, count=1,
                  body='{"errorCode": "ENVIRONMENT_BUSY", "errorMessage": "Another job is running."}')
    result = em.run(mod, args(em, emu, wait=True, wait_timeout=600))
    assert result['failed'] is False and result['changed'] is True
    refused, sent = creates(emu)
    assert [r['status'] for r in (refused, sent)] == [400, 200] and len(snapshots(emu)) == 1
    assert [r['seq'] for r in lists(emu) if refused['seq'] < r['seq'] < sent['seq']] != []


@pytest.mark.parametrize('extra, message', [
    (dict(state='absent'), 'state=present only'),
    (dict(confirm={'snapshot_id': 'x'}), 'exclude each other'),
])
def test_assume_new_with_what_contradicts_it_fails_before_any_request(em, emu, extra, message):
    result = em.run(mod, args(em, emu, **extra))
    assert result['failed'] is True and message in result['msg'] and emu.requests() == []


@pytest.mark.parametrize('wrong', ['project_id', 'environment_id'])
def test_ids_of_another_environment_are_refused_before_the_create_with_assume_new(em, emu, wrong):
    other = ids(emu, 'Test', 'other-app')[0] if wrong == 'project_id' else ids(emu, 'Test')[1]
    result = em.run(mod, args(em, emu, **{wrong: other}))
    assert result['failed'] is True and "%s '" % wrong in result['msg'] and 'nothing was changed' in result['msg']
    assert em.mutations() == []


# --- lookups shared between threads of one process ----------------------------------------------------------------------

MODES = ('Test', 'Acceptance', 'Production')


def test_three_environments_of_an_app_in_threads_read_the_app_and_its_environments_once(em, emu):
    answers = in_threads([args(em, emu, mode) for mode in MODES], emu)
    assert all(a.get('failed') is not True and a['changed'] is True for a in answers), answers
    sent = paths(emu.requests())
    assert sent.count(APP_READ) == 1 and sent.count(ENV_LOOKUP) == 1 and len(sent) == 2 + 3
    assert len(creates(emu)) == 3 and lists(emu) == [] and len(snapshots(emu)) == 3
    # Each snapshot is in the environment its task names.
    assert sorted(a['snapshot']['environment_id'] for a in answers) == sorted(ids(emu, m)[1] for m in MODES)


def test_24_environments_of_8_apps_in_threads_read_each_app_once(em, emu):
    apps = ['app%d' % number for number in range(8)]
    emu.seed({'mendix': {'apps': [{'app_id': app, 'environments': [{'mode': m, 'status': 'Running'} for m in MODES]}
                                  for app in apps]}})
    answers = in_threads([args(em, emu, mode, app) for app in apps for mode in MODES], emu)
    assert all(a.get('failed') is not True and a['changed'] is True for a in answers)
    reads = [r for r in emu.requests() if r['method'] == 'GET']
    # One app object and one environments list per app, whatever the number of its environments.
    assert len(reads) == 2 * len(apps) and len(set(r['path'] for r in reads)) == len(reads)
    assert len(creates(emu)) == 24 and len(emu.requests()) == 24 + 16


def test_runs_with_other_credentials_never_share_a_lookup(em, emu):
    emu.seed({'mendix': {'users': {OTHER_USER: OTHER_KEY}}})
    runs = [args(em, emu, 'Test'), args(em, emu, 'Acceptance', username=OTHER_USER, api_key=OTHER_KEY)]
    answers = in_threads(runs, emu)
    assert all(a.get('failed') is not True for a in answers), answers
    by_user = {}
    for request in emu.requests():
        if request['method'] == 'GET':
            by_user.setdefault(request['headers'].get('Mendix-Username'), []).append(paths([request])[0])
    assert {user: sorted(sent) for user, sent in by_user.items()} == {
        'release-bot@example.com': [APP_READ, ENV_LOOKUP], OTHER_USER: [APP_READ, ENV_LOOKUP]}


def test_runs_with_another_key_of_the_same_user_never_share_a_lookup(em, emu):
    # A wrong key is refused, even while a run with the right key of the same user holds the answers.
    runs = [args(em, emu, 'Test'), args(em, emu, 'Acceptance', api_key='not-the-key-0123456789')]
    right, wrong = in_threads(runs, emu)
    assert right.get('failed') is not True and wrong['failed'] is True and 'HTTP 401' in wrong['msg']
    assert len(creates(emu)) == 1


def test_ids_of_another_environment_are_refused_while_the_lookups_are_shared(em, emu):
    test_env = ids(emu, 'Test')[1]
    runs = [args(em, emu, 'Test'), args(em, emu, 'Acceptance'), args(em, emu, 'Production', environment_id=test_env)]
    answers = in_threads(runs, emu)
    assert [a.get('failed') is True for a in answers] == [False, False, True]
    assert "environment_id '%s'" % test_env in answers[2]['msg'] and 'nothing was changed' in answers[2]['msg']
    assert len(creates(emu)) == 2
    assert sorted(s['environment_id'] for s in snapshots(emu)) == sorted([ids(emu, 'Test')[1], ids(emu)[1]])


def test_runs_one_after_another_share_nothing(em, emu):
    # A playbook's tasks run one after another: each reads afresh, as in a process of its own.
    for comment in ('saasops a', 'saasops b'):
        assert _in_process.run('mendix_snapshot', args(em, emu, comment=comment)).get('failed') is not True
    sent = paths(emu.requests())
    assert sent.count(APP_READ) == 2 and sent.count(ENV_LOOKUP) == 2
