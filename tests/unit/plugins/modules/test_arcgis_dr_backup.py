# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of arcgis_dr_backup: create, reuse, update retention, delete, waits, lost answers."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup as mod
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import instant_waiter
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule
from ansible_collections.saasops.backup.tests.unit.plugins.modules.arcgis_fake import FakeArcGIS

DAY_MS = 86400000
PASSCODE = 'a-long-passcode'


@pytest.fixture(autouse=True)
def instant_waits(monkeypatch):
    """Waits poll a fake clock, so tests never sleep."""
    instant_waiter(monkeypatch, mod)


def params(**overrides):
    base = dict(state='present', name='pre-release-1', store=None, passcode=PASSCODE, description=None,
                retention_days=None, retention_date=None, wait=True, wait_timeout=600)
    base.update(overrides)
    return base


def run(api, check_mode=False, **overrides):
    module = FakeModule(params(**overrides), check_mode=check_mode)
    return mod.BackupRun(module, api).execute(), module


def existing(**fields):
    backup = {'backupName': 'pre-release-1', 'backupStore': 'default-store', 'status': 'completed',
              'description': None, 'startTime': 1795860000000, 'retentionDate': -1}
    backup.update(fields)
    return backup


def test_check_mode_predicts_the_create_and_sends_nothing():
    api = FakeArcGIS()
    result, dummy = run(api, check_mode=True, description='before release')
    assert result['changed'] is True
    assert result['backup']['name'] == 'pre-release-1'
    assert result['diff'] == {'before': {}, 'after': {'name': 'pre-release-1', 'store': 'default-store',
                                                      'description': 'before release', 'retention_date': 'never'}}
    assert api.posts() == []


def test_create_waits_for_the_job_and_returns_the_completed_backup():
    api = FakeArcGIS(job_states=['SUBMITTED', 'EXECUTING', 'COMPLETED'])
    result, dummy = run(api, description='before release', retention_days=30)
    assert result['changed'] is True
    assert result['backup']['status'] == 'completed'
    assert result['job']['status'] == 'COMPLETED'
    assert result['elapsed'] > 0
    creates = api.posts('/create')
    assert len(creates) == 1
    sent = creates[0][2]
    assert sent['name'] == 'pre-release-1' and sent['passcode'] == PASSCODE and sent['description'] == 'before release'
    assert sent['retentionDate'] > 0


def test_create_without_wait_returns_the_running_backup():
    api = FakeArcGIS()
    result, dummy = run(api, wait=False)
    assert result['changed'] is True
    assert result['backup']['status'] == 'in_progress'
    assert result['job']['jobid'] == 'j-1'
    assert not [c for c in api.calls if c[1].startswith('admin/jobs/')]


@pytest.mark.parametrize('check_mode', [False, True])
def test_an_existing_backup_is_never_created_again(check_mode):
    api = FakeArcGIS(backups=[existing()])
    result, dummy = run(api, check_mode=check_mode)
    assert result['changed'] is False
    assert result['backup']['status'] == 'completed'
    assert api.posts() == []


def test_an_existing_running_backup_is_waited_for_not_recreated():
    api = FakeArcGIS(backups=[existing(status='in_progress')], job_states=['COMPLETED'])
    api.statuses = [{'state': 'in_progress'}]
    sequence = iter(['in_progress', 'in_progress', 'completed'])
    original = api.backup

    def backup(store, name):
        found = original(store, name)
        found['status'] = next(sequence, 'completed')
        return found

    api.backup = backup
    result, dummy = run(api)
    assert result['changed'] is False
    assert result['backup']['status'] == 'completed'
    assert api.posts() == []


def test_a_failed_backup_of_that_name_is_reported_not_hidden():
    api = FakeArcGIS(backups=[existing(status='failed')])
    with pytest.raises(InputError, match="status is 'failed'"):
        run(api)
    assert api.posts() == []


def test_a_failed_job_fails_the_module_with_its_messages():
    api = FakeArcGIS(job_states=['EXECUTING', 'FAILED'])
    with pytest.raises(PlatformError, match='job j-1 ended FAILED: job said so'):
        run(api)


@pytest.mark.parametrize('check_mode', [False, True])
def test_retention_days_are_counted_from_the_backup_start(check_mode):
    api = FakeArcGIS(backups=[existing()])
    result, dummy = run(api, check_mode=check_mode, retention_days=30)
    assert result['changed'] is True
    assert result['diff']['before']['retention_date'] == 'never'
    assert result['diff']['after']['retention_date'] == '2026-12-28T10:00:00Z'
    updates = api.posts('/update')
    if check_mode:
        assert updates == []
    else:
        assert [u[2] for u in updates] == [{'retentionDate': 1795860000000 + 30 * DAY_MS}]


@pytest.mark.parametrize('current, option, changed', [
    (1795860000000 + 30 * DAY_MS, {'retention_days': 30}, False),
    (1795860000000 + 30 * DAY_MS + 1800000, {'retention_days': 30}, False),   # within the hour of tolerance
    (1795860000000 + 31 * DAY_MS, {'retention_days': 30}, True),
    (4073500800000, {'retention_date': '2099-01-31'}, False),
    (4073500800000, {'retention_date': '2099-01-31T00:00:00Z'}, False),
    (4073500800000, {'retention_date': '2099-01-31T01:00:00+01:00'}, False),
    (4073500800000, {'retention_date': '2099-02-01'}, True),
    (-1, {'retention_date': 'never'}, False),
    (4073500800000, {'retention_date': 'never'}, True),
    (4073500800000, {}, False),                                              # not asked for: left alone
])
def test_retention_comparison(current, option, changed):
    api = FakeArcGIS(backups=[existing(retentionDate=current)])
    result, dummy = run(api, **option)
    assert result['changed'] is changed
    assert len(api.posts('/update')) == (1 if changed else 0)


def test_a_different_description_warns_because_it_cannot_be_changed():
    api = FakeArcGIS(backups=[existing(description='old')])
    result, module = run(api, description='new')
    assert result['changed'] is False
    assert len(module.warnings) == 1 and 'cannot change a description' in module.warnings[0]


class LostAnswer(PlatformError):
    """The request reached the server, which acted, but the answer was lost."""
    after = True

    def __init__(self):
        super(LostAnswer, self).__init__('ArcGIS', 'create', 'connection dropped', maybe_applied=True, retryable=True)


class NotReached(PlatformError):
    """The server did not act (a gateway answered 502 on its own), but the client cannot know."""

    def __init__(self):
        super(NotReached, self).__init__('ArcGIS', 'create', 'bad gateway', status=502, maybe_applied=True, retryable=True)


def test_a_lost_create_answer_is_resolved_by_reading_not_by_creating_again():
    api = FakeArcGIS(faults={('POST', '/create$'): [LostAnswer()]})
    result, dummy = run(api)
    assert result['changed'] is True
    assert result['backup']['status'] == 'completed'
    assert len(api.posts('/create')) == 1
    assert 'job' not in result  # the job id was in the lost answer


def test_a_create_that_did_not_happen_is_sent_again_after_reading():
    api = FakeArcGIS(faults={('POST', '/create$'): [NotReached()]})
    result, dummy = run(api)
    assert result['changed'] is True
    assert len(api.posts('/create')) == 2
    assert len(api.data['default-store']) == 1


@pytest.mark.parametrize('check_mode', [False, True])
def test_absent_deletes_an_existing_backup(check_mode):
    api = FakeArcGIS(backups=[existing()])
    result, dummy = run(api, check_mode=check_mode, state='absent', passcode=None)
    assert result['changed'] is True
    assert result['diff']['after'] == {}
    assert result['diff']['before']['name'] == 'pre-release-1'
    assert len(api.posts('/delete')) == (0 if check_mode else 1)
    assert ('pre-release-1' in api.data['default-store']) is check_mode


def test_absent_of_a_missing_backup_changes_nothing():
    api = FakeArcGIS()
    result, dummy = run(api, state='absent', passcode=None)
    assert result['changed'] is False
    assert api.posts() == []


@pytest.mark.parametrize('overrides, message', [
    ({'passcode': 'short'}, 'at least 8 characters'),
    ({'passcode': None}, 'passcode is required'),
    ({'retention_days': 0}, 'retention_days must be from 1 to 36500'),
    ({'retention_days': 36501}, 'retention_days must be from 1 to 36500'),
    ({'retention_days': 999999999}, 'retention_days must be from 1 to 36500 .* retention_date: never'),
    ({'retention_date': '2001-01-01'}, 'in the past'),
    ({'retention_date': 'soon'}, 'ISO 8601'),
    ({'store': 'nope'}, "store 'nope' does not exist"),
])
def test_bad_input_fails_before_any_change(overrides, message):
    api = FakeArcGIS()
    with pytest.raises(InputError, match=message):
        run(api, **overrides)
    assert api.posts() == []
