# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mendix_restore through main() against the emulator: safety checks, stop/restore/start, both versions."""

import pytest

from ansible.module_utils import basic

from ansible_collections.saasops.backup.plugins.modules import mendix_restore as mod
from ansible_collections.saasops.backup.plugins.modules import mendix_snapshot
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated


@pytest.fixture
def em(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def _seed(emu):
    body = {'snapshots': [
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'same version', 'model_version': '1.1.0.253'},
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'older model', 'model_version': '1.0.0.7'},
        {'app_id': 'calc', 'environment': 'Production', 'comment': 'prod'},
        {'app_id': 'other-app', 'environment': 'Test', 'comment': 'foreign'}]}
    response = emu.session.post(emu.api_base + '/_emulator/mendix/seed', json=body, timeout=10)
    response.raise_for_status()
    return response.json()['snapshot_ids']


def run(em, snapshot_id, check_mode=False, **args):
    base = dict(app_id='calc', environment='Acceptance', snapshot_id=snapshot_id, wait_timeout=600)
    base.update(args)
    return em.run(mod, {k: v for k, v in base.items() if v is not None}, check_mode=check_mode)


def succeeded(em, snapshot_id, check_mode=False, **args):
    result = run(em, snapshot_id, check_mode=check_mode, **args)
    assert result['failed'] is False, result
    return result


def failed(em, snapshot_id, **args):
    result = run(em, snapshot_id, **args)
    assert result['failed'] is True, result
    return result


def posts(emu):
    return [r['path'].rsplit('/', 1)[-1] if '/restore/' not in r['path'] else 'restore'
            for r in emu.requests(method='POST')]


def warnings_of(monkeypatch):
    """Collect the module's warnings (run_main replaces exit_json, which would return them)."""
    seen = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: seen.append(warning))
    return seen


@pytest.mark.parametrize('version, expected', [(2, ['stop', 'restores', 'start']), (1, ['stop', 'restore', 'start'])])
def test_stop_restore_start_in_order(em, emu, monkeypatch, version, expected):
    warnings = warnings_of(monkeypatch)
    ids = _seed(emu)
    result = succeeded(em, ids[0], api_version=version, stop_environment=True, start_environment=True)
    assert result['changed'] is True
    assert result['restore']['state'] == 'completed'
    assert result['environment_status'] == 'Running'
    assert result['elapsed'] > 0
    assert posts(emu) == expected
    assert warnings == []
    env = emu.state('mendix')['apps']['calc']['environments']['Acceptance']
    assert env['restored_from'] == ids[0] and env['Status'] == 'Running'


def test_stopped_environment_is_restored_without_stop_and_left_stopped(em, emu):
    ids = _seed(emu)
    succeeded(em, ids[0], stop_environment=True)
    result = succeeded(em, ids[0])
    assert result['environment_status'] == 'Stopped'
    assert posts(emu) == ['stop', 'restores', 'restores']


def test_restore_without_wait_reports_the_started_job(em, emu):
    ids = _seed(emu)
    succeeded(em, ids[0], stop_environment=True)
    emu.configure({'mendix': {'restore_seconds': 60.0}})
    emu.clear_requests()
    result = succeeded(em, ids[0], wait=False)
    assert result['changed'] is True and result['restore']['restore_id']
    assert result['restore']['state'] != 'completed' and result['elapsed'] == 0.0
    assert not emu.requests(method='GET', path='/restores/')


def test_model_version_difference_warns(em, emu, monkeypatch):
    warnings = warnings_of(monkeypatch)
    ids = _seed(emu)
    succeeded(em, ids[1], check_mode=True, stop_environment=True)
    assert len(warnings) == 1 and '1.0.0.7' in warnings[0] and '1.1.0.253' in warnings[0]


def test_check_mode_changes_nothing(em, emu):
    ids = _seed(emu)
    result = succeeded(em, ids[0], check_mode=True, stop_environment=True, start_environment=True)
    assert result['changed'] is True and result['environment_status'] == 'Running'
    assert result['restore']['source_snapshot_id'] == ids[0]
    assert em.mutations() == []


def test_source_environment_and_db_only(em, emu):
    ids = _seed(emu)
    result = succeeded(em, ids[2], environment='Test', source_environment='Production', db_only=True,
                       stop_environment=True)
    assert result['restore']['source_snapshot_id'] == ids[2]
    restore = emu.requests(method='POST', path='/restores$')[0]
    assert restore['query'] == {'source_snapshot_id': [ids[2]], 'db_only': ['true']}
    # The app (its ProjectId) is read once, for both environments.
    assert len(emu.requests(method='GET', path='/apps/calc$')) == 1


def test_failed_restore_fails_the_module(em, emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_result': 'failed'}})
    assert 'the restore failed' in failed(em, ids[0], stop_environment=True)['msg']


def test_busy_environment_delays_the_restore_within_the_budget(em, emu):
    ids = _seed(emu)
    succeeded(em, ids[0], stop_environment=True)
    emu.configure({'mendix': {'snapshot_seconds': 20.0}})
    em.run(mendix_snapshot, dict(app_id='calc', environment='Acceptance', comment='busy', wait=False))
    result = succeeded(em, ids[0])
    statuses = [r['status'] for r in emu.requests(method='POST', path='/restores$')]
    assert statuses[0] == 200 and 400 in statuses[1:] and statuses[-1] == 200
    assert result['restore']['state'] == 'completed' and result['elapsed'] >= 15


@pytest.mark.parametrize('index, args, message', [
    (0, dict(), "is 'Running'; a restore needs it stopped"),
    (2, dict(environment='Production', stop_environment=True), 'allow_production: true'),
    (None, dict(stop_environment=True), 'does not exist'),
    (3, dict(stop_environment=True), 'does not exist'),
    (0, dict(api_version=1, db_only=True), 'db_only needs api_version 2'),
    (0, dict(start_environment=True, wait=False), 'start_environment needs wait=true'),
    (0, dict(environment='Staging'), 'environments: Test'),
    (0, dict(source_environment='Nowhere'), "'Nowhere'"),
])
def test_bad_input_fails_before_any_change(em, emu, index, args, message):
    ids = _seed(emu)
    sid = ids[index] if index is not None else '00000000-0000-0000-0000-000000000000'
    result = failed(em, sid, **args)
    assert message in result['msg'] and result.get('changed', False) is False
    assert em.mutations() == []


@pytest.mark.parametrize('args, message', [
    # The argument spec's rules: refused by AnsibleModule before the client is even built.
    (dict(snapshot_id=None), 'missing required arguments: snapshot_id'),
    (dict(api_version=0), 'value of api_version must be one of: 1, 2'),
    (dict(environment=None), 'missing required arguments: environment'),
    (dict(stop_environment='maybe'), "stop_environment"),
])
def test_argument_spec_rules_fail_before_any_request(em, emu, args, message):
    result = failed(em, args.pop('snapshot_id', 's-1'), **args)
    assert message in result['msg'], result
    assert emu.requests() == []


def test_production_restore_when_allowed(em, emu):
    ids = _seed(emu)
    result = succeeded(em, ids[2], environment='Production', allow_production=True, stop_environment=True)
    assert result['changed'] is True and result['environment_status'] == 'Stopped'


# --- a restore that fails after the module stopped the environment ------------------------------

def acceptance(emu):
    return emu.state('mendix')['apps']['calc']['environments']['Acceptance']


@pytest.mark.parametrize('version', [1, 2])
def test_a_refused_restore_starts_the_stopped_environment_again_and_says_so(em, emu, version):
    ids = _seed(emu)
    path = '/restores$' if version == 2 else '/restore/'
    emu.add_fault(path=path, method='POST', action='status', status=500,
                  body='{"errorCode": "INTERNAL", "errorMessage": "restore service down"}')
    result = failed(em, ids[0], api_version=version, stop_environment=True, start_environment=True)
    message = result['msg']
    assert 'restore service down' in message
    assert "mendix_restore stopped environment 'Acceptance' of app 'calc' before the restore" in message
    assert 'it was started again' in message and "its status is now 'Starting'" in message
    assert result['changed'] is True  # the environment was stopped and started
    assert result['environment_status'] == 'Starting'
    assert posts(emu) == ['stop', 'restores' if version == 2 else 'restore', 'start']


def test_a_failed_restore_without_start_environment_says_the_environment_is_left_stopped(em, emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_result': 'failed'}})
    message = failed(em, ids[0], stop_environment=True)['msg']
    assert 'the restore failed' in message
    assert "mendix_restore stopped environment 'Acceptance' of app 'calc' before the restore" in message
    assert "start_environment is not set, so it was not started again; its status is now 'Stopped'" in message
    assert 'start it in the Mendix Portal' in message
    assert acceptance(emu)['Status'] == 'Stopped'


def test_a_failed_restore_job_with_start_environment_starts_it_again(em, emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_result': 'failed'}})
    assert 'it was started again' in failed(em, ids[0], stop_environment=True, start_environment=True)['msg']
    assert posts(emu) == ['stop', 'restores', 'start']


def test_a_restore_whose_answer_was_lost_is_not_started_under(em, emu):
    ids = _seed(emu)
    emu.add_fault(path='/restores$', method='POST', action='drop_after')
    message = failed(em, ids[0], stop_environment=True, start_environment=True)['msg']
    assert 'the restore may have started' in message
    assert 'it was not started again because the restore may still be running' in message
    assert 'start' not in posts(emu)
    assert len(emu.requests(method='POST', path='/restores$')) == 1  # never re-sent


def test_a_restore_that_outlives_wait_timeout_reports_changed_and_the_restore(em, emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_seconds': 3600.0}})
    result = failed(em, ids[0], stop_environment=True, start_environment=True, wait_timeout=120)
    assert 'Timed out after' in result['msg']
    assert result['changed'] is True and result['restore']['restore_id']
    assert result['elapsed'] >= 120
    assert 'it was not started again because the restore may still be running' in result['msg']


# --- "restore into": a snapshot of another environment, found by reads only ---------------------------

@pytest.mark.parametrize('version', [1, 2])
def test_a_snapshot_of_another_environment_is_found_without_source_environment(em, emu, version):
    ids = _seed(emu)
    result = succeeded(em, ids[2], environment='Test', api_version=version, stop_environment=True)
    assert result['source_environment'] == 'Production'
    assert posts(emu) == ['stop', 'restores' if version == 2 else 'restore']
    assert emu.state('mendix')['apps']['calc']['environments']['Test']['restored_from'] == ids[2]


def test_the_search_reads_only_and_names_every_environment_searched(em, emu):
    ids = _seed(emu)
    result = failed(em, ids[3], stop_environment=True, start_environment=True)
    assert "does not exist in environment 'Acceptance' of app 'calc' nor in the app's other environments" in result['msg']
    assert 'searched: Test, Production, legacy-v3 (not readable: NOT_SUPPORTED)' in result['msg']
    assert em.mutations() == [] and result['changed'] is False


def test_check_mode_finds_it_too_and_changes_nothing(em, emu):
    ids = _seed(emu)
    result = succeeded(em, ids[2], check_mode=True, environment='Test', stop_environment=True)
    assert result['changed'] is True and result['source_environment'] == 'Production'
    assert result['restore']['source_snapshot_id'] == ids[2]
    assert em.mutations() == []


def test_a_failed_snapshot_is_refused_with_its_status_message(em, emu):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'state': 'failed',
                                        'status_message': 'Database dump failed'}]}})
    sid = emu.state('mendix')['snapshots'][0]['snapshot_id']
    result = failed(em, sid, stop_environment=True)
    assert "is 'failed' (Database dump failed); only a completed snapshot can be restored" in result['msg']
    assert em.mutations() == []


def test_a_sandbox_target_is_refused_before_any_change(em, emu):
    result = failed(em, 'any', app_id='free-app', environment='Sandbox', stop_environment=True)
    assert 'free apps and sandboxes have no Backups API' in result['msg']
    assert em.mutations() == []
