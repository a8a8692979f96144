# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ArcGIS modules through main(), with the real client, against the emulator.

Cross-module cases: errors with HTTP 200 beside objects whose status is 'failed', racing creates,
waits that run out after something was started, dates the platform stores, and wrong urls. Waits run on the
emulator's clock (tests/unit/helpers/emulated.py), so nothing sleeps.
"""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._arcgis import ArcGIS
from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup, arcgis_dr_backup_info, arcgis_dr_restore
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated

SEED_PASSCODE = 'Emul4tor-Passcode'


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def backups(env, store='default-store'):
    return dict((b['backupName'], b) for b in env.emu.state('arcgis')['backups'][store])


def seed_failed(env, name='it-failed'):
    env.emu.seed({'arcgis': {'backups': [{'backupName': name, 'status': 'failed'}]}})
    env.emu.clear_requests()


# --- a backup whose own status is 'failed' is an object, not a failed call -----------------------

def test_a_failed_backup_can_be_read(env):
    seed_failed(env)
    result = env.run(arcgis_dr_backup_info, dict(name='it-failed'))
    assert result['failed'] is False, result['msg']
    assert [(b['name'], b['status']) for b in result['backups']] == [('it-failed', 'failed')]


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_failed_backup_can_be_deleted(env, check_mode):
    seed_failed(env)
    result = env.run(arcgis_dr_backup, dict(name='it-failed', state='absent'), check_mode=check_mode)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True
    assert result['diff']['before']['name'] == 'it-failed'
    assert ('it-failed' in backups(env)) is check_mode
    assert len(env.mutations()) == (0 if check_mode else 1)


def test_present_on_a_failed_backup_says_to_delete_it_or_choose_another_name(env):
    seed_failed(env)
    result = env.run(arcgis_dr_backup, dict(name='it-failed', passcode=SEED_PASSCODE))
    assert result['failed'] is True and result['changed'] is False
    assert "backup 'it-failed' in store 'default-store' exists but its status is 'failed'" in result['msg']
    assert 'delete it (state=absent) or choose another name' in result['msg']
    assert env.mutations() == []


def test_restoring_a_failed_backup_is_refused_saying_why(env):
    seed_failed(env)
    result = env.run(arcgis_dr_restore, dict(name='it-failed', passcode=SEED_PASSCODE))
    assert result['failed'] is True
    assert "its status is 'failed', not 'completed'" in result['msg']
    assert env.mutations() == []


def test_a_backup_that_fails_while_made_reports_its_job_messages(env):
    env.emu.configure({'arcgis': {'backup_result': 'failed', 'job_seconds': 2.0}})
    result = env.run(arcgis_dr_backup, dict(name='it-new', passcode=SEED_PASSCODE))
    assert result['failed'] is True
    assert 'ended FAILED: The operation failed: simulated failure' in result['msg']
    # The run made a (failed) backup: changed, and which one, even though it failed.
    assert result['changed'] is True and result['backup']['name'] == 'it-new'
    assert result['job']['status'] == 'FAILED'
    assert backups(env)['it-new']['status'] == 'failed'


# --- racing identical creates -------------------------------------------------------------------

def test_a_backup_another_run_created_since_our_read_is_adopted_not_a_409(env, monkeypatch):
    env.emu.configure({'arcgis': {'job_seconds': 2.0}})
    original = ArcGIS.backup
    reads = []

    def stale_first_read(api, store, name):
        if not reads:  # our read saw nothing; then the other run created it
            reads.append(name)
            env.emu.seed({'arcgis': {'backups': [{'backupName': name, 'status': 'in_progress'}]}})
            return None
        return original(api, store, name)

    monkeypatch.setattr(ArcGIS, 'backup', stale_first_read)
    result = env.run(arcgis_dr_backup, dict(name='it-race', passcode=SEED_PASSCODE))
    assert result['failed'] is False, result['msg']
    assert result['changed'] is False  # the other run made it
    assert result['backup']['status'] == 'completed'
    creates = [r for r in env.mutations() if r['path'].endswith('/create')]
    assert len(creates) == 1 and list(backups(env)) == ['it-race']


# --- a create sent, then the wait ran out --------------------------------------------------------

def test_a_create_then_a_timeout_reports_changed_and_the_backup(env):
    env.emu.configure({'arcgis': {'job_seconds': 3600.0}})
    result = env.run(arcgis_dr_backup, dict(name='it-slow', passcode=SEED_PASSCODE, wait_timeout=60))
    assert result['failed'] is True and 'Timed out after' in result['msg']
    assert result['changed'] is True
    assert result['backup']['name'] == 'it-slow' and result['backup']['store'] == 'default-store'
    assert result['job']['jobid'].startswith('j')
    assert result['elapsed'] >= 60
    again = env.run(arcgis_dr_backup, dict(name='it-slow', passcode=SEED_PASSCODE, wait=False))
    assert again['changed'] is False  # the next run finds the backup the first one made


def test_a_restore_started_then_a_timeout_reports_changed(env):
    env.emu.seed({'arcgis': {'backups': [{'backupName': 'it-done'}]}})
    env.emu.configure({'arcgis': {'restore_seconds': 3600.0, 'restore_unavailable_seconds': 0.0}})
    result = env.run(arcgis_dr_restore, dict(name='it-done', passcode=SEED_PASSCODE, wait_timeout=60))
    assert result['failed'] is True and 'Timed out after' in result['msg']
    assert result['changed'] is True and result['backup']['name'] == 'it-done'
    assert len(env.emu.state('arcgis')['restores']) == 1


# --- dates beyond what a client can read ----------------------------------------------------------

def test_retention_days_out_of_bounds_is_refused_before_any_request(env):
    env.emu.clear_requests()
    result = env.run(arcgis_dr_backup, dict(name='it-forever', passcode=SEED_PASSCODE, retention_days=999999999))
    assert result['failed'] is True
    assert 'retention_days must be from 1 to 36500' in result['msg'] and 'retention_date: never' in result['msg']
    assert env.emu.requests() == []


def test_a_backup_with_a_date_past_year_9999_is_read_without_a_traceback(env):
    far = 1795860000000 + 999999999 * 86400000  # what retention_days: 999999999 once stored
    env.emu.seed({'arcgis': {'backups': [{'backupName': 'it-far', 'retentionDate': far}, {'backupName': 'it-near'}]}})
    listed = env.run(arcgis_dr_backup_info, {})
    assert listed['failed'] is False, listed['msg']
    far_backup = [b for b in listed['backups'] if b['name'] == 'it-far'][0]
    assert far_backup['retention_date'] == far and far_backup['retention_date_iso'] is None
    kept = env.run(arcgis_dr_backup, dict(name='it-far', passcode=SEED_PASSCODE))
    assert kept['failed'] is False and kept['changed'] is False
    fixed = env.run(arcgis_dr_backup, dict(name='it-far', passcode=SEED_PASSCODE, retention_date='never'))
    assert fixed['failed'] is False and fixed['changed'] is True
    assert backups(env)['it-far']['retentionDate'] == -1


# --- the url of the admin API instead of the deployment's base -----------------------------------

@pytest.mark.parametrize('suffix', ['/admin', '/admin/', '/sharing/rest', '/admin/system/disasterrecovery'])
def test_a_url_with_an_api_path_is_refused_naming_the_option(env, suffix):
    env.emu.clear_requests()
    result = env.run(arcgis_dr_backup_info, dict(url=env.emu.api_base + '/arcgis' + suffix))
    assert result['failed'] is True
    assert result['msg'].startswith('url must be the API base URL, without /')
    assert 'https://gis.example.com/arcgis' in result['msg']
    assert env.emu.requests() == []


def test_a_url_whose_path_does_not_exist_says_to_check_url(env):
    result = env.run(arcgis_dr_backup_info, dict(url=env.emu.api_base + '/nowhere'))
    assert result['failed'] is True
    assert 'HTTP 404' in result['msg'] and "check url: it is the deployment's base" in result['msg']
