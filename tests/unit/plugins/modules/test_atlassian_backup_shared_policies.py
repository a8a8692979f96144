# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlassian_backup runs of one organization in threads of one process, as the pre-deploy snapshot role runs
them (plugin_utils/_in_process): the policies are read once and shared, never across credentials, and a policy of
another site is still refused. Counted on the emulator's request log."""

import threading

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _atlassian
from ansible_collections.saasops.backup.plugins.modules import atlassian_backup
from ansible_collections.saasops.backup.plugins.plugin_utils import _in_process
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

# pylint: disable-next=import-error
from credentials import ATLASSIAN_VIEWER_TOKEN, ATLASSIAN_VIEWER_USER  # tests/emulator, on sys.path

SITES = [('site-%d' % n, product) for n in range(1, 5) for product in ('JIRA', 'CONFLUENCE')]
NO_LIMITS = {'user_post_limit': 100000, 'org_create_limit': 100000, 'read_limit': 1000000}


def policy_id(cloud, product):
    return 'pol-%s-%s' % (cloud, product.lower())


@pytest.fixture
def env(emu, monkeypatch):
    env = Emulated(emu, monkeypatch)
    emu.seed({'atlassian': {'sites': dict((cloud, 'shard-1') for cloud, dummy in SITES),
                            'policies': [{'cloudId': cloud, 'product': product, 'policyId': policy_id(cloud, product)}
                                         for cloud, product in SITES]}})
    emu.configure({'atlassian': NO_LIMITS})
    # _in_process swaps the module's AnsibleModule for its ThreadModule; put it back after the test.
    monkeypatch.setattr(atlassian_backup, 'AnsibleModule', atlassian_backup.AnsibleModule)
    return env


def task(env, cloud, product, **args):
    """The start phase's arguments of one environment: the inventory gives the policy id with the site."""
    return dict(env.connection('atlassian'), cloud_id=cloud, product=product.lower(), policy_id=policy_id(cloud, product),
                max_age='1d', wait=False, defer_on_rate_limit=True, **args)


def in_threads(argument_sets):
    """Every run of atlassian_backup at once, one thread each (as snapshot_phase does); their answers, in order."""
    answers = [None] * len(argument_sets)
    start = threading.Barrier(len(argument_sets))

    def one(index, args):
        start.wait()
        answers[index] = _in_process.run('atlassian_backup', args)

    threads = [threading.Thread(target=one, args=(i, args)) for i, args in enumerate(argument_sets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def policy_reads(env):
    return env.emu.requests(method='GET', path=r'/policies(/[^/]+)?$')


def test_eight_environments_of_one_organization_read_the_policies_once(env):
    answers = in_threads([task(env, cloud, product) for cloud, product in SITES])
    assert [a['failed'] if 'failed' in a else False for a in answers] == [False] * 8, answers
    assert all(a['changed'] is True for a in answers)
    assert [a['backup']['policy_id'] for a in answers] == [policy_id(c, p) for c, p in SITES]
    reads = policy_reads(env)
    assert [(r['method'], r['path'].rsplit('/', 1)[-1], r['query'].get('start')) for r in reads] == [
        ('GET', 'policies', ['0'])]
    # Backup lists are never shared: each environment reads its own policy's, and starts exactly one backup.
    assert len(env.emu.requests(method='GET', path='/backups$')) == 8
    creates = env.emu.requests(method='POST', path='/backups$')
    assert sorted(r['json']['policyId'] for r in creates) == sorted(policy_id(c, p) for c, p in SITES)
    assert len(env.emu.requests()) == 1 + 8 + 8


def test_the_shared_page_serves_a_later_run_of_the_process_but_not_after_its_lifetime(env, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(_atlassian.POLICY_PAGES, 'clock', lambda: now[0])
    (cloud, product), (cloud2, product2) = SITES[:2]
    assert _in_process.run('atlassian_backup', task(env, cloud, product)).get('failed') is not True
    now[0] += 59
    assert _in_process.run('atlassian_backup', task(env, cloud2, product2)).get('failed') is not True
    assert len(policy_reads(env)) == 1
    now[0] += 2
    assert _in_process.run('atlassian_backup', task(env, cloud2, product2)).get('failed') is not True
    assert len(policy_reads(env)) == 2


def test_different_credentials_never_share_the_page(env):
    (cloud, product), (cloud2, product2) = SITES[:2]
    viewer = task(env, cloud2, product2, user=ATLASSIAN_VIEWER_USER, api_token=ATLASSIAN_VIEWER_TOKEN)
    wrong_token = task(env, cloud2, product2, api_token='not-the-token')
    answers = in_threads([task(env, cloud, product), viewer, wrong_token])
    assert answers[0].get('failed') is not True
    # The viewer (403) and the wrong token (401) each sent the read themselves and were refused; nothing served them.
    assert answers[1]['failed'] is True and answers[2]['failed'] is True
    assert 'not-the-token' not in str(answers[2])
    reads = policy_reads(env)
    assert len(reads) == 3 and sorted(r['status'] for r in reads) == [200, 401, 403]
    assert len({r['headers'].get('Authorization') for r in reads}) == 3
    assert len(env.emu.requests(method='POST', path='/backups$')) == 1


def test_a_policy_of_another_site_is_refused_before_anything_starts(env):
    (cloud, product), (cloud2, dummy) = SITES[0], SITES[2]
    # The first run fills the shared page: the refusal below is decided on it.
    assert _in_process.run('atlassian_backup', task(env, cloud, product)).get('failed') is not True
    env.emu.clear_requests()
    wrong_site = dict(task(env, cloud, product), cloud_id=cloud2)
    wrong_product = dict(task(env, cloud, product), product='confluence')
    for args, says in ((wrong_site, "site '%s', not cloud_id '%s'" % (cloud, cloud2)),
                       (wrong_product, 'product JIRA, not CONFLUENCE')):
        answer = _in_process.run('atlassian_backup', args)
        assert answer['failed'] is True and says in answer['msg'], answer
        assert "backup policy '%s' (policy_id) is of" % policy_id(cloud, product) in answer['msg']
    assert env.emu.requests() == [] and env.mutations() == []


def test_a_policy_missing_from_the_shared_page_is_read_by_its_id(env):
    (cloud, product) = SITES[0]
    assert _in_process.run('atlassian_backup', task(env, cloud, product)).get('failed') is not True
    # A policy created after the page was read: its own read finds it.
    env.emu.seed({'atlassian': {'sites': {'site-new': 'shard-1'},
                                'policies': [{'cloudId': 'site-new', 'product': 'JIRA', 'policyId': 'pol-new'}]}})
    env.emu.clear_requests()
    answer = _in_process.run('atlassian_backup', dict(task(env, 'site-new', 'JIRA'), policy_id='pol-new'))
    assert answer.get('failed') is not True, answer
    assert [r['path'].rsplit('/', 1)[-1] for r in policy_reads(env)] == ['pol-new']
    gone = _in_process.run('atlassian_backup', dict(task(env, 'site-new', 'JIRA'), policy_id='pol-gone'))
    assert gone['failed'] is True and "backup policy 'pol-gone' does not exist" in gone['msg']
