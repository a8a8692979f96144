# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mendix_snapshot re-runs on the emulator's request log: ids from the inventory, a recorded snapshot confirmed
by one read (option confirm), and no poll of a snapshot found completed."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import mendix_snapshot as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

COMMENT = 'saasops run-1'
# The environment lookup: the app's environments list, one request answering every environment's id.
ENV_LOOKUP = 'GET api/1/apps/calc/environments'


@pytest.fixture
def em(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(em, check_mode=False, **args):
    base = dict(app_id='calc', environment='Acceptance', comment=COMMENT, wait_timeout=600)
    base.update(args)
    return em.run(mod, {k: v for k, v in base.items() if v is not None}, check_mode=check_mode)


def succeeded(em, check_mode=False, **args):
    result = run(em, check_mode=check_mode, **args)
    assert result['failed'] is False, result
    return result


def ids(emu, mode='Acceptance', app_id='calc'):
    """(project_id, environment_id) of an environment, as the emulator holds them."""
    app = emu.state('mendix')['apps'][app_id]
    return app['project_id'], app['environments'][mode]['EnvironmentId']


def record(snapshot):
    """What the pre-deploy snapshot role passes back as confirm."""
    return {k: snapshot[k] for k in ('snapshot_id', 'project_id', 'environment_id')}


def sent_during(emu, action):
    """``(result, requests)``: the requests ``action()`` sent."""
    before = len(emu.requests())
    result = action()
    return result, emu.requests()[before:]


def mutating(requests):
    return [r for r in requests if r['method'] != 'GET']


def paths(requests):
    return ['%s %s' % (r['method'], r['path'].split('/mendix/', 1)[1]) for r in requests]


@pytest.fixture
def first(em, emu):
    """A first run per API version: a snapshot made and waited for."""
    emu.configure({'mendix': {'snapshot_seconds': 20.0}})

    def make(version):
        result = succeeded(em, api_version=version)
        assert result['changed'] is True and result['confirmed'] is False
        return result
    return make


# --- the result says where the snapshot is --------------------------------------------------------------------------

def test_the_result_names_the_v2_ids_of_the_environment_and_none_with_v1(em, emu, first):
    project, env_id = ids(emu)
    v2 = first(2)['snapshot']
    assert (v2['project_id'], v2['environment_id']) == (project, env_id)
    v1 = succeeded(em, api_version=1, comment='other')['snapshot']
    assert (v1['project_id'], v1['environment_id']) == (None, None)


def test_check_mode_predicts_the_snapshot_with_its_environment_ids(em, emu):
    project, env_id = ids(emu)
    result = succeeded(em, check_mode=True)
    assert result['snapshot'] == {'snapshot_id': None, 'comment': COMMENT, 'state': 'queued',
                                  'project_id': project, 'environment_id': env_id}
    assert em.mutations() == []


# --- re-runs without confirm ----------------------------------------------------------------------------------------

def test_a_v2_snapshot_found_completed_is_not_polled(em, emu, first):
    made = first(2)
    again, sent = sent_during(emu, lambda: succeeded(em))
    assert again['changed'] is False and again['snapshot'] == made['snapshot']
    assert [r for r in sent if '/snapshots/' in r['path']] == []
    assert len(sent) == 3 and mutating(sent) == []  # environment, app, list


def test_a_v1_snapshot_found_is_confirmed_by_its_links_without_reading_the_list_again(em, emu, first):
    first(1)
    again, sent = sent_during(emu, lambda: succeeded(em, api_version=1))
    assert again['changed'] is False and again['snapshot']['state'] == 'completed'
    listed = [r for r in sent if r['path'].endswith('/snapshots')]
    links = [r for r in sent if '/snapshots/' in r['path']]
    assert len(listed) == 1 and [r['status'] for r in links] == [200]
    assert len(sent) == 3 and mutating(sent) == []


def test_a_v2_snapshot_found_running_is_still_waited_for(em, emu):
    emu.configure({'mendix': {'snapshot_seconds': 60.0}})
    succeeded(em, wait=False)
    result, sent = sent_during(emu, lambda: succeeded(em))
    assert result['changed'] is False and result['snapshot']['state'] == 'completed'
    assert len([r for r in sent if '/snapshots/' in r['path']]) >= 1
    assert mutating(sent) == []


def test_ids_from_the_inventory_skip_both_lookups_when_reading(em, emu, first):
    project, env_id = ids(emu)
    first(2)
    again, sent = sent_during(emu, lambda: succeeded(em, project_id=project, environment_id=env_id))
    assert again['changed'] is False
    assert paths(sent) == ['GET api/v2/apps/%s/environments/%s/snapshots' % (project, env_id)]


@pytest.mark.parametrize('given', ['project_id', 'environment_id'])
def test_one_id_from_the_inventory_skips_its_own_lookup_only(em, emu, first, given):
    project, env_id = ids(emu)
    first(2)
    args = {'project_id': project} if given == 'project_id' else {'environment_id': env_id}
    again, sent = sent_during(emu, lambda: succeeded(em, **args))
    assert again['changed'] is False
    skipped = 'GET api/1/apps/calc' if given == 'project_id' else ENV_LOOKUP
    assert skipped not in paths(sent) and len(sent) == 2


def test_with_ids_a_create_still_reads_the_environment_and_app_first(em, emu):
    project, env_id = ids(emu)
    emu.configure({'mendix': {'snapshot_seconds': 5.0}})
    result, sent = sent_during(emu, lambda: succeeded(em, project_id=project, environment_id=env_id))
    assert result['changed'] is True and result['snapshot']['state'] == 'completed'
    order = paths(sent)
    create = order.index('POST api/v2/apps/%s/environments/%s/snapshots' % (project, env_id))
    assert {ENV_LOOKUP, 'GET api/1/apps/calc'} <= set(order[:create])
    assert len(mutating(sent)) == 1


@pytest.mark.parametrize('wrong', ['project_id', 'environment_id'])
@pytest.mark.parametrize('check_mode', [False, True])
def test_ids_of_another_environment_are_refused_before_a_create(em, emu, wrong, check_mode):
    project, env_id = ids(emu)
    other_project, other_env = ids(emu, 'Test') if wrong == 'environment_id' else (ids(emu, 'Test', 'other-app')[0], env_id)
    args = dict(project_id=other_project if wrong == 'project_id' else project, environment_id=other_env)
    result = run(em, check_mode=check_mode, **args)
    # A wrong project_id makes the list answer ENVIRONMENT_NOT_FOUND already: the lookups then say which id is wrong.
    assert result['failed'] is True and "%s '" % wrong in result['msg'] and 'nothing was changed' in result['msg']
    assert em.mutations() == []


def test_ids_of_another_environment_are_refused_before_a_delete(em, emu):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Test', 'comment': 'old'}]}})
    project, test_env = ids(emu, 'Test')
    result = run(em, state='absent', comment='old', project_id=project, environment_id=test_env)
    assert result['failed'] is True and 'environment_id' in result['msg']
    assert em.mutations() == [] and len(emu.state('mendix')['snapshots']) == 1


def test_absent_with_ids_deletes_after_checking_them(em, emu):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'old'}]}})
    project, env_id = ids(emu)
    gone = succeeded(em, state='absent', comment='old', project_id=project, environment_id=env_id)
    again, sent = sent_during(emu, lambda: succeeded(em, state='absent', comment='old', project_id=project,
                                                     environment_id=env_id))
    assert gone['changed'] is True and again['changed'] is False
    assert len(sent) == 1 and emu.state('mendix')['snapshots'] == []


@pytest.mark.parametrize('option, value', [('project_id', '../x'), ('environment_id', 'a/b')])
def test_ids_that_are_not_one_path_segment_fail_before_any_request(em, emu, option, value):
    result = run(em, **{option: value})
    assert result['failed'] is True and option in result['msg']
    assert emu.requests() == []


# --- re-runs with confirm -------------------------------------------------------------------------------------------

@pytest.mark.parametrize('version', [1, 2])
@pytest.mark.parametrize('check_mode', [False, True])
def test_a_confirmed_rerun_is_one_read(em, emu, first, version, check_mode):
    made = first(version)
    project, env_id = ids(emu)
    given = dict(project_id=project, environment_id=env_id) if version == 2 else {}
    again, sent = sent_during(emu, lambda: succeeded(em, check_mode=check_mode, api_version=version,
                                                     confirm=record(made['snapshot']), **given))
    assert again['confirmed'] is True and again['changed'] is False
    assert again['snapshot']['snapshot_id'] == made['snapshot']['snapshot_id']
    assert again['snapshot']['state'] == 'completed'
    assert (again['snapshot']['project_id'], again['snapshot']['environment_id']) == \
        ((project, env_id) if version == 2 else (None, None))
    assert len(sent) == 1 and mutating(sent) == []
    if version == 2:
        assert paths(sent) == ['GET api/v2/apps/%s/environments/%s/snapshots/%s'
                               % (project, env_id, made['snapshot']['snapshot_id'])]


def test_a_confirm_without_the_environment_id_option_looks_the_environment_up_once(em, emu, first):
    made = first(2)
    again, sent = sent_during(emu, lambda: succeeded(em, confirm=record(made['snapshot'])))
    assert again['confirmed'] is True and again['changed'] is False
    assert paths(sent)[0] == ENV_LOOKUP
    assert len(sent) == 2 and mutating(sent) == []


def same_as_without(em, emu, version, confirm, **args):
    """The run with ``confirm`` sends what the run without sends, after its one read (v2 with ids given)."""
    project, env_id = ids(emu)
    given = dict(project_id=project, environment_id=env_id) if version == 2 else {}
    given.update(args)
    result, sent = sent_during(emu, lambda: run(em, api_version=version, confirm=confirm, **given))
    assert result['confirmed'] is False
    return result, sent


@pytest.mark.parametrize('version', [1, 2])
def test_a_confirm_of_another_comment_is_not_taken_and_the_run_goes_on_as_today(em, emu, first, version):
    made = first(version)
    result, sent = same_as_without(em, emu, version, record(made['snapshot']), comment='saasops run-2')
    assert result['failed'] is False and result['changed'] is True
    assert result['snapshot']['comment'] == 'saasops run-2'
    assert result['snapshot']['snapshot_id'] != made['snapshot']['snapshot_id']
    assert len([r for r in mutating(sent) if r['path'].endswith('/snapshots')]) == 1


@pytest.mark.parametrize('version', [1, 2])
def test_a_confirm_of_a_deleted_snapshot_falls_back_to_finding_by_comment(em, emu, first, version):
    made = first(version)
    gone = dict(record(made['snapshot']), snapshot_id='0c982ca3-0000-4000-8000-000000000000')
    result, sent = same_as_without(em, emu, version, gone)
    assert result['failed'] is False and result['changed'] is False
    assert result['snapshot']['snapshot_id'] == made['snapshot']['snapshot_id']
    assert mutating(sent) == []
    if version == 2:
        assert [r['status'] for r in sent if '/snapshots/' in r['path']] == [404]


@pytest.mark.parametrize('version', [1, 2])
def test_a_confirm_of_a_failed_snapshot_is_not_taken_and_a_new_one_is_made(em, emu, version):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': COMMENT,
                                        'state': 'failed'}]}})
    failed = emu.state('mendix')['snapshots'][0]
    project, env_id = ids(emu)
    confirm = dict(snapshot_id=failed['snapshot_id'], project_id=project, environment_id=env_id)
    result, sent = same_as_without(em, emu, version, confirm)
    assert result['failed'] is False and result['changed'] is True
    assert result['snapshot']['snapshot_id'] != failed['snapshot_id'] and result['snapshot']['state'] == 'completed'
    assert len(mutating(sent)) == 1


def test_a_confirm_of_a_running_snapshot_is_not_taken_and_the_snapshot_is_waited_for(em, emu):
    emu.configure({'mendix': {'snapshot_seconds': 60.0}})
    started = succeeded(em, wait=False)
    result, sent = same_as_without(em, emu, 2, record(started['snapshot']))
    assert result['failed'] is False and result['changed'] is False and result['snapshot']['state'] == 'completed'
    assert mutating(sent) == []


@pytest.mark.parametrize('same_comment', [False, True])
def test_a_confirm_pointing_at_another_environments_snapshot_is_not_taken(em, emu, first, same_comment):
    # Every environment of a run has the same comment: a record of a sibling's snapshot must not pass for ours.
    test_snapshot = succeeded(em, environment='Test', comment=COMMENT if same_comment else 'saasops run-0')['snapshot']
    project, env_id = ids(emu)
    result, sent = sent_during(emu, lambda: succeeded(em, confirm=record(test_snapshot)))
    assert result['confirmed'] is False and result['changed'] is True
    assert result['snapshot']['snapshot_id'] != test_snapshot['snapshot_id']
    assert (result['snapshot']['project_id'], result['snapshot']['environment_id']) == (project, env_id)
    # The record's ids were not used for any request: its environment is not ours, so it was not even read.
    assert [r for r in sent if ids(emu, 'Test')[1] in r['path']] == []


def test_a_confirm_with_the_right_environment_and_another_project_is_not_taken(em, emu, first):
    made = first(2)
    project, env_id = ids(emu)
    forged = dict(record(made['snapshot']), project_id=ids(emu, 'Test', 'other-app')[0])
    result, sent = same_as_without(em, emu, 2, forged)
    assert result['failed'] is False and result['changed'] is False
    assert [r for r in sent if forged['project_id'] in r['path']] == []


def test_a_confirm_of_a_v1_snapshot_of_another_environment_is_not_taken(em, emu):
    test_snapshot = succeeded(em, api_version=1, environment='Test')['snapshot']
    result, sent = same_as_without(em, emu, 1, record(test_snapshot))
    assert result['failed'] is False and result['changed'] is True
    assert result['snapshot']['snapshot_id'] != test_snapshot['snapshot_id']
    assert [r for r in sent if '/environments/Test/' in r['path']] == []


@pytest.mark.parametrize('bad', ['../x', 'a/b', ''])
def test_a_confirm_whose_ids_are_not_path_segments_is_not_taken_and_not_sent(em, emu, first, bad):
    made = first(2)
    result, sent = same_as_without(em, emu, 2, dict(record(made['snapshot']), snapshot_id=bad or 'x', project_id=bad))
    assert result['failed'] is False and result['changed'] is False
    assert [r for r in sent if '/snapshots/' in r['path']] == []


def test_a_confirm_is_not_taken_when_max_age_refuses_the_snapshot(em, emu):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': COMMENT,
                                        'age_seconds': 7200}]}})
    aged = emu.state('mendix')['snapshots'][0]
    project, env_id = ids(emu)
    confirm = dict(snapshot_id=aged['snapshot_id'], project_id=project, environment_id=env_id)
    result, dummy = same_as_without(em, emu, 2, confirm, max_age='1h')
    assert result['failed'] is False and result['changed'] is True
    assert result['snapshot']['snapshot_id'] != aged['snapshot_id']


def test_a_confirm_read_that_fails_falls_back(em, emu, first):
    made = first(2)
    emu.add_fault(path='/snapshots/[^/]+$', method='GET', action='status', status=500, count=10)
    result, sent = same_as_without(em, emu, 2, record(made['snapshot']))
    assert result['failed'] is False and result['changed'] is False
    assert result['snapshot']['snapshot_id'] == made['snapshot']['snapshot_id'] and mutating(sent) == []


def test_confirm_is_refused_with_state_absent(em, emu):
    result = run(em, state='absent', confirm={'snapshot_id': 'x'})
    assert result['failed'] is True and 'state=present only' in result['msg']
    assert emu.requests() == []


def test_confirm_is_not_consulted_with_a_download(em, emu, first, tmp_path):
    made = first(2)
    result, sent = sent_during(emu, lambda: succeeded(em, confirm=record(made['snapshot']),
                                                      download=dict(dest=str(tmp_path / 'x.backup'),
                                                                    data_type='database_only')))
    assert result['confirmed'] is False and result['download']['snapshot_id'] == made['snapshot']['snapshot_id']
    assert paths(sent)[0] == ENV_LOOKUP
    assert [r for r in sent if r['method'] == 'GET' and '/snapshots/' in r['path'] and 'archives' not in r['path']] == []
