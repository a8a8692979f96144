# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of mendix_restore against the emulator: safety checks, stop/restore/start, both versions."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.plugins.modules import mendix_restore as mod
from ansible_collections.saasops.backup.tests.unit.plugins.modules.mendix_emu import client, mutations


def _seed(emu):
    body = {'snapshots': [
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'same version', 'model_version': '1.1.0.253'},
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'older model', 'model_version': '1.0.0.7'},
        {'app_id': 'calc', 'environment': 'Production', 'comment': 'prod'},
        {'app_id': 'other-app', 'environment': 'Test', 'comment': 'foreign'}]}
    response = emu.session.post(emu.api_base + '/_emulator/mendix/seed', json=body, timeout=10)
    response.raise_for_status()
    return response.json()['snapshot_ids']


def run(emu, snapshot_id, check_mode=False, **overrides):
    base = dict(snapshot_id=snapshot_id, source_environment=None, db_only=False, stop_environment=False,
                start_environment=False, allow_production=False)
    base.update(overrides)
    module, api, dummy = client(emu, check_mode=check_mode, **base)
    try:
        return mod.RestoreRun(module, api).execute(), module
    finally:
        api.http.session.close()


def posts(emu):
    return [r['path'].rsplit('/', 1)[-1] if '/restore/' not in r['path'] else 'restore'
            for r in emu.requests(method='POST')]


@pytest.mark.parametrize('version, expected', [(2, ['stop', 'restores', 'start']), (1, ['stop', 'restore', 'start'])])
def test_stop_restore_start_in_order(emu, version, expected):
    ids = _seed(emu)
    result, module = run(emu, ids[0], api_version=version, stop_environment=True, start_environment=True)
    assert result['changed'] is True
    assert result['restore']['state'] == 'completed'
    assert result['environment_status'] == 'Running'
    assert posts(emu) == expected
    assert module.warnings == []
    env = emu.state('mendix')['apps']['calc']['environments']['Acceptance']
    assert env['restored_from'] == ids[0] and env['Status'] == 'Running'


def test_stopped_environment_is_restored_without_stop_and_left_stopped(emu):
    ids = _seed(emu)
    run(emu, ids[0], stop_environment=True)
    result, dummy = run(emu, ids[0])
    assert result['environment_status'] == 'Stopped'
    assert posts(emu) == ['stop', 'restores', 'restores']


def test_model_version_difference_warns(emu):
    ids = _seed(emu)
    dummy, module = run(emu, ids[1], check_mode=True, stop_environment=True)
    assert len(module.warnings) == 1 and '1.0.0.7' in module.warnings[0] and '1.1.0.253' in module.warnings[0]


def test_check_mode_changes_nothing(emu):
    ids = _seed(emu)
    result, dummy = run(emu, ids[0], check_mode=True, stop_environment=True, start_environment=True)
    assert result['changed'] is True and result['environment_status'] == 'Running'
    assert mutations(emu) == []


def test_source_environment_and_db_only(emu):
    ids = _seed(emu)
    result, dummy = run(emu, ids[2], environment='Test', source_environment='Production', db_only=True,
                        stop_environment=True)
    assert result['restore']['source_snapshot_id'] == ids[2]
    restore = emu.requests(method='POST', path='/restores$')[0]
    assert restore['query'] == {'source_snapshot_id': [ids[2]], 'db_only': ['true']}


def test_failed_restore_fails_the_module(emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_result': 'failed'}})
    with pytest.raises(PlatformError, match='the restore failed'):
        run(emu, ids[0], stop_environment=True)


@pytest.mark.parametrize('index, overrides, message', [
    (0, dict(), "is 'Running'; a restore needs it stopped"),
    (2, dict(environment='Production', stop_environment=True), 'allow_production: true'),
    (None, dict(stop_environment=True), 'does not exist'),
    (3, dict(stop_environment=True), 'does not exist'),
    (0, dict(api_version=1, db_only=True), 'db_only needs api_version 2'),
    (0, dict(start_environment=True, wait=False), 'start_environment needs wait=true'),
    (0, dict(environment='Staging'), 'environments: Test'),
    (0, dict(source_environment='Nowhere'), "'Nowhere'"),
])
def test_bad_input_fails_before_any_change(emu, index, overrides, message):
    ids = _seed(emu)
    sid = ids[index] if index is not None else '00000000-0000-0000-0000-000000000000'
    with pytest.raises(InputError, match=message):
        run(emu, sid, **overrides)
    assert mutations(emu) == []


def test_production_restore_when_allowed(emu):
    ids = _seed(emu)
    result, dummy = run(emu, ids[2], environment='Production', allow_production=True, stop_environment=True)
    assert result['changed'] is True and result['environment_status'] == 'Stopped'


# --- a restore that fails after the module stopped the environment ------------------------------

def acceptance(emu):
    return emu.state('mendix')['apps']['calc']['environments']['Acceptance']


@pytest.mark.parametrize('version', [1, 2])
def test_a_refused_restore_starts_the_stopped_environment_again_and_says_so(emu, version):
    ids = _seed(emu)
    path = '/restores$' if version == 2 else '/restore/'
    emu.add_fault(path=path, method='POST', action='status', status=500,
                             body='{"errorCode": "INTERNAL", "errorMessage": "restore service down"}')
    with pytest.raises(PlatformError) as caught:
        run(emu, ids[0], api_version=version, stop_environment=True, start_environment=True)
    message = str(caught.value)
    assert 'restore service down' in message
    assert "mendix_restore stopped environment 'Acceptance' of app 'calc' before the restore" in message
    assert 'it was started again' in message and "its status is now 'Starting'" in message
    assert caught.value.result['changed'] is True  # the environment was stopped and started
    assert posts(emu) == ['stop', 'restores' if version == 2 else 'restore', 'start']


def test_a_failed_restore_without_start_environment_says_the_environment_is_left_stopped(emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_result': 'failed'}})
    with pytest.raises(PlatformError) as caught:
        run(emu, ids[0], stop_environment=True)
    message = str(caught.value)
    assert 'the restore failed' in message
    assert "mendix_restore stopped environment 'Acceptance' of app 'calc' before the restore" in message
    assert "start_environment is not set, so it was not started again; its status is now 'Stopped'" in message
    assert 'start it in the Mendix Portal' in message
    assert acceptance(emu)['Status'] == 'Stopped'


def test_a_failed_restore_job_with_start_environment_starts_it_again(emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_result': 'failed'}})
    with pytest.raises(PlatformError, match='it was started again'):
        run(emu, ids[0], stop_environment=True, start_environment=True)
    assert posts(emu) == ['stop', 'restores', 'start']


def test_a_restore_whose_answer_was_lost_is_not_started_under(emu):
    ids = _seed(emu)
    emu.add_fault(path='/restores$', method='POST', action='drop_after')
    with pytest.raises(PlatformError) as caught:
        run(emu, ids[0], stop_environment=True, start_environment=True)
    assert 'the restore may have started' in str(caught.value)
    assert 'it was not started again because the restore may still be running' in str(caught.value)
    assert 'start' not in posts(emu)


def test_a_restore_that_outlives_wait_timeout_reports_changed_and_the_restore(emu):
    ids = _seed(emu)
    emu.configure({'mendix': {'restore_seconds': 3600.0}})
    with pytest.raises(WaitTimeout) as caught:
        run(emu, ids[0], stop_environment=True, start_environment=True, wait_timeout=120)
    carried = caught.value.result
    assert carried['changed'] is True and carried['restore']['restore_id']
    assert 'it was not started again because the restore may still be running' in str(caught.value)
