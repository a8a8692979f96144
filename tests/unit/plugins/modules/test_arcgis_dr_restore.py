# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of arcgis_dr_restore: preconditions, joining a running restore, lost answers, outcomes,
and (through main()) the declared-production guard."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_restore as mod
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import instant_waiter
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule
from ansible_collections.saasops.backup.tests.unit.helpers.module_main import no_http, run_main
from ansible_collections.saasops.backup.tests.unit.plugins.modules.arcgis_fake import FakeArcGIS

PASSCODE = 'a-long-passcode'
BACKUP = {'backupName': 'pre-release-1', 'backupStore': 'default-store', 'status': 'completed', 'startTime': 1}
OLD = {'operation': 'Backup', 'state': 'success', 'backupName': 'pre-release-1', 'backupStore': 'default-store',
       'startTime': 100}


def restore_status(state, start=200, message=''):
    return {'operation': 'Restore', 'state': state, 'backupName': 'pre-release-1', 'backupStore': 'default-store',
            'startTime': start, 'message': message}


@pytest.fixture(autouse=True)
def instant_waits(monkeypatch):
    """Waits poll a fake clock, so tests never sleep."""
    instant_waiter(monkeypatch, mod)


def run(api, check_mode=False, **overrides):
    params = dict(name='pre-release-1', store=None, passcode=PASSCODE, wait=True, wait_timeout=600)
    params.update(overrides)
    module = FakeModule(params, check_mode=check_mode)
    return mod.restore(module, api), module


def test_check_mode_validates_and_starts_nothing():
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD])
    result, dummy = run(api, check_mode=True)
    assert result['changed'] is True
    assert result['status']['operation'] == 'Backup'
    assert api.posts() == []


def test_restore_waits_past_the_previous_operation_until_success():
    # The status still shows the previous backup for one read, then the new restore runs.
    statuses = [OLD, OLD, restore_status('in_progress'), restore_status('in_progress'), restore_status('success')]
    api = FakeArcGIS(backups=[BACKUP], statuses=statuses)
    result, module = run(api)
    assert result['changed'] is True
    assert result['status']['state'] == 'success'
    assert result['elapsed'] > 0
    assert [p[2] for p in api.posts('/restore')] == [{'passcode': PASSCODE}]
    assert module.warnings == []


def test_a_restore_of_the_same_backup_already_running_is_joined():
    api = FakeArcGIS(backups=[BACKUP], statuses=[restore_status('in_progress'), restore_status('success')])
    result, dummy = run(api)
    assert result['changed'] is False
    assert result['status']['state'] == 'success'
    assert api.posts() == []


def test_an_earlier_finished_restore_of_the_same_backup_is_not_taken_for_the_new_one():
    finished = restore_status('success', start=50)
    statuses = [finished, finished, finished, restore_status('success', start=300)]
    api = FakeArcGIS(backups=[BACKUP], statuses=statuses)
    result, dummy = run(api)
    assert result['changed'] is True
    assert result['status']['start_time'] == 300


def test_completed_with_warnings_succeeds_with_one_warning():
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD, restore_status('completed_with_warnings', message='2 items skipped')])
    result, module = run(api)
    assert result['status']['state'] == 'completed_with_warnings'
    assert len(module.warnings) == 1 and '2 items skipped' in module.warnings[0]


def test_a_failed_restore_fails_with_the_platform_message():
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD, restore_status('failed', message='disk full')])
    with pytest.raises(PlatformError, match='disk full'):
        run(api)


def test_without_wait_the_status_is_read_once_after_starting():
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD, restore_status('in_progress')])
    result, dummy = run(api, wait=False)
    assert result['changed'] is True
    assert result['status']['state'] == 'in_progress'
    assert result['elapsed'] == 0.0


class LostAnswer(PlatformError):
    after = True

    def __init__(self):
        super(LostAnswer, self).__init__('ArcGIS', 'restore', 'connection dropped', maybe_applied=True, retryable=True)


def test_a_lost_restore_answer_is_resolved_by_reading_the_status():
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD, restore_status('in_progress'), restore_status('success')],
                     faults={('POST', '/restore$'): [LostAnswer()]})
    result, dummy = run(api)
    assert result['changed'] is True
    assert len(api.posts('/restore')) == 1
    assert result['status']['state'] == 'success'


def test_a_wrong_passcode_names_the_option():
    error = PlatformError('ArcGIS', 'restore', 'Invalid passcode.', code=400)
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD], faults={('POST', '/restore$'): [error]})
    with pytest.raises(PlatformError, match="check the option 'passcode'"):
        run(api)


@pytest.mark.parametrize('backups, overrides, message', [
    ([], {}, 'does not exist'),
    ([dict(BACKUP, status='in_progress')], {}, "its status is 'in_progress'"),
    ([dict(BACKUP, status='failed')], {}, "its status is 'failed'"),
    ([BACKUP], {'passcode': 'short'}, 'at least 8 characters'),
    ([BACKUP], {'store': 'nope'}, "store 'nope' does not exist"),
])
def test_bad_input_fails_before_any_change(backups, overrides, message):
    api = FakeArcGIS(backups=backups, statuses=[OLD])
    with pytest.raises(InputError, match=message):
        run(api, **overrides)
    assert api.posts() == []


# --- the declared-production guard, through main() ---------------------------------------------

ARGS = dict(url='https://gis.example.test/arcgis', username='admin', password='Adm1n-password', name='pre-release-1',
            passcode=PASSCODE)
REFUSED = ('refusing to restore into the organization at https://gis.example.test/arcgis: it is declared production '
           '(production: true); set allow_production: true to do it anyway')


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('extra', [dict(production=True), dict(production=True, allow_production=False)])
def test_a_declared_production_organization_is_refused_before_any_request(monkeypatch, check_mode, extra):
    attempted = no_http(monkeypatch)  # the real client: not even a token is asked for
    result = run_main(monkeypatch, mod.main, dict(ARGS, **extra), check_mode=check_mode)
    assert result['failed'] is True
    assert result['msg'] == REFUSED
    assert attempted == []


def test_the_refusal_names_the_url_without_credentials_or_query(monkeypatch):
    no_http(monkeypatch)
    result = run_main(monkeypatch, mod.main, dict(ARGS, url='https://admin:s3cret@gis.example.test/arcgis/?token=t0ken',
                                                  production=True))
    assert 'the organization at https://gis.example.test/arcgis/:' in result['msg']
    assert 's3cret' not in result['msg'] and 't0ken' not in result['msg']


@pytest.mark.parametrize('extra', [dict(production=True, allow_production=True), dict(), dict(production=False)])
def test_an_allowed_or_undeclared_organization_is_restored(monkeypatch, extra):
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD, restore_status('in_progress'), restore_status('success')])
    monkeypatch.setattr(mod, 'ArcGIS', lambda module: api)
    result = run_main(monkeypatch, mod.main, dict(ARGS, **extra))
    assert result['failed'] is False and result['changed'] is True
    assert result['status']['state'] == 'success'
    assert [p[2] for p in api.posts('/restore')] == [{'passcode': PASSCODE}]


def test_an_allowed_production_organization_in_check_mode_reports_the_restore_and_starts_nothing(monkeypatch):
    api = FakeArcGIS(backups=[BACKUP], statuses=[OLD])
    monkeypatch.setattr(mod, 'ArcGIS', lambda module: api)
    result = run_main(monkeypatch, mod.main, dict(ARGS, production=True, allow_production=True), check_mode=True)
    assert result['failed'] is False and result['changed'] is True
    assert api.posts() == []
