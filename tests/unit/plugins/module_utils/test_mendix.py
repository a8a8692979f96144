# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Mendix client: error shapes, start answers, snapshot shapes and reuse rules, busy retries, sidecars."""

import json
import os

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._mendix import Mendix, is_production, parse_error_body
from ansible_collections.saasops.backup.plugins.module_utils._mendix_backups import BackupsV2, from_v1, newest_usable, usable
from ansible_collections.saasops.backup.plugins.module_utils._mendix_download import check_dest, recorded, sidecar_path
from ansible_collections.saasops.backup.plugins.module_utils._waiter import Waiter, WaitTimeout
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import reply
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule

BASE = r'https://deploy\.example\.test/api/1/apps/calc/environments/Acceptance'
DAY_MS = 86400000
NOW_MS = 1795860000000


def api_with(session, clock, **overrides):
    params = dict(api_url='https://deploy.example.test', username='bot@example.com', api_key='secret-key-1234',
                  app_id='calc', environment='Acceptance', api_version=2, validate_certs=True, ca_path=None,
                  timeout=5.0, retries=1)
    params.update(overrides)
    api = Mendix(FakeModule(params))
    api.http.session = session
    api.http.sleep = clock.sleep
    api.waiter = lambda timeout: Waiter(timeout, clock=clock.now, sleep=clock.sleep)
    return api


@pytest.mark.parametrize('body, text, expected', [
    ({'errorCode': 'NOT_FOUND', 'errorMessage': 'gone'}, '', ('NOT_FOUND', 'gone')),
    # Not a Mendix answer (a wrong api_url): its message, not the raw dict.
    ({'error': {'code': 404, 'message': 'Not found', 'details': []}}, '', (None, 'Not found')),
    ({'ErrorCode': 'X', 'ErrorMessage': 'y'}, '', ('X', 'y')),
    ({'error_code': 'X', 'message': 'y'}, '', ('X', 'y')),
    (None, 'Service down', (None, 'Service down')),
    (None, '<html>502</html>', (None, None)),
    ({'unrelated': 1}, '', (None, None)),
])
def test_error_bodies_are_read_tolerantly(body, text, expected):
    assert parse_error_body(body, text) == expected


@pytest.mark.parametrize('env, expected', [
    ({'Production': True, 'Mode': 'Acceptance'}, True), ({'Production': 'true'}, True),
    ({'Production': 'false', 'Mode': 'Production'}, True), ({'Production': False, 'Mode': 'Test'}, False)])
def test_production_is_the_flag_or_the_mode(env, expected):
    assert is_production(env) is expected


@pytest.mark.parametrize('params, message', [
    (dict(api_key=None), 'credentials missing'), (dict(api_url='deploy.mendix.com'), 'https://'),
    (dict(app_id='a/b'), 'app_id'), (dict(environment='Test?x'), 'environment')])
def test_bad_connection_input(scripted_session, fake_clock, params, message):
    with pytest.raises(InputError, match=message):
        api_with(scripted_session([]), fake_clock, **params)


@pytest.mark.parametrize('outcome', [
    reply(200, json={'errorCode': 'ALREADY_STARTED', 'errorMessage': 'started'}),
    reply(500, json={'errorCode': 'ALREADY_STARTED', 'errorMessage': 'started'})])
def test_start_of_a_running_app_is_unchanged_with_either_documented_status(scripted_session, fake_clock, outcome):
    api = api_with(scripted_session([('POST', BASE + '/start', outcome)]), fake_clock)
    assert api.start('Acceptance') is None


def test_start_returns_the_job_and_sends_credentials_to_the_api_only(scripted_session, fake_clock):
    session = scripted_session([('POST', BASE + '/start', reply(200, json={'JobId': 'j-1'}))])
    api = api_with(session, fake_clock)
    assert api.start('Acceptance') == 'j-1'
    call = session.calls[0]
    assert call.json == {'AutoSyncDb': True}
    assert call.headers['Mendix-ApiKey'] == 'secret-key-1234'
    assert api.http.headers_for('https://downloads.example.test/backups/x') == {}


def test_auth_failure_names_the_options_not_the_key(scripted_session, fake_clock):
    api = api_with(scripted_session([('GET', BASE, reply(401, json={'errorCode': 'UNAUTHORIZED', 'errorMessage': 'no'}))]),
                   fake_clock)
    with pytest.raises(PlatformError) as caught:
        api.environment()
    assert "'api_key'" in str(caught.value) and 'secret-key-1234' not in str(caught.value)


def test_v2_list_reads_pages_until_total(scripted_session, fake_clock):
    v2 = r'https://deploy\.example\.test/api/v2/apps/p-1/environments/e-1/snapshots'
    session = scripted_session([
        ('GET', r'https://deploy\.example\.test/api/1/apps/calc', reply(200, json={'ProjectId': 'p-1'})),
        ('GET', v2, reply(200, json={'snapshots': [{'snapshot_id': 'a'}, {'snapshot_id': 'b'}], 'total': 3})),
        ('GET', v2, reply(200, json={'snapshots': [{'snapshot_id': 'c'}], 'total': 3}))])
    backups = BackupsV2(api_with(session, fake_clock), {'EnvironmentId': 'e-1', 'Mode': 'Acceptance'})
    assert [s['snapshot_id'] for s in backups.list()] == ['a', 'b', 'c']
    assert [c.params['offset'] for c in session.calls[1:]] == [0, 2]


def test_busy_is_retried_then_other_errors_end_the_wait(scripted_session, fake_clock):
    backups = BackupsV2(api_with(scripted_session([]), fake_clock), {'Mode': 'Acceptance'})
    answers = iter([PlatformError('Mendix', 'x', 'busy', code='ENVIRONMENT_BUSY'), 'done'])

    def send():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert backups.send_when_free(send, 60, 'create a snapshot') == ('created', 'done')
    assert len(fake_clock.sleeps) == 1
    lost = PlatformError('Mendix', 'x', 'dropped', maybe_applied=True, retryable=True)

    def dropped():
        raise lost

    with pytest.raises(PlatformError) as caught:
        backups.send_when_free(dropped, 60, 'create a snapshot')
    assert caught.value is lost  # a create whose answer was lost is never re-sent from here


def test_before_each_re_send_after_busy_the_key_is_read_again(scripted_session, fake_clock):
    # A concurrent run's snapshot keeps the environment busy: once free, it is adopted, not made twice.
    backups = BackupsV2(api_with(scripted_session([]), fake_clock), {'Mode': 'Acceptance'})
    sent, reads = [], iter([None, {'snapshot_id': 'theirs'}])

    def send():
        sent.append(1)
        raise PlatformError('Mendix', 'x', 'busy', code='ENVIRONMENT_BUSY')

    assert backups.send_when_free(send, 60, 'create a snapshot', find=lambda: next(reads)) == ('adopted', {'snapshot_id': 'theirs'})
    assert len(sent) == 2  # the first create, and one more after a read that found nothing


def test_busy_until_the_deadline_times_out(scripted_session, fake_clock):
    backups = BackupsV2(api_with(scripted_session([]), fake_clock), {'Mode': 'Acceptance'})

    def busy():
        raise PlatformError('Mendix', 'x', 'busy', code='ENVIRONMENT_BUSY')

    with pytest.raises(WaitTimeout, match='ENVIRONMENT_BUSY'):
        backups.send_when_free(busy, 30, 'restore')


def test_v1_snapshot_in_the_v2_shape():
    snap = from_v1({'SnapshotID': 's', 'Comment': 'c', 'State': 'Completed', 'ExpiresOn': NOW_MS, 'CreatedOn': NOW_MS - DAY_MS,
                    'ModelVersion': '1.0'})
    assert snap == {'snapshot_id': 's', 'comment': 'c', 'state': 'completed', 'model_version': '1.0',
                    'created_at': '2026-11-27T10:00:00Z', 'expires_at': '2026-11-28T10:00:00Z',
                    'created_on': NOW_MS - DAY_MS, 'expires_on': NOW_MS}


@pytest.mark.parametrize('snapshot, max_age, expected', [
    ({'comment': 'k', 'state': 'completed', 'created_on': NOW_MS - 10, 'expires_on': NOW_MS + DAY_MS}, None, True),
    ({'comment': 'k', 'state': 'running', 'created_at': '2026-11-28T09:59:00Z', 'expires_at': '2027-01-01T00:00:00Z'}, 3600, True),
    ({'comment': 'other', 'state': 'completed', 'created_on': NOW_MS}, None, False),
    ({'comment': 'k', 'state': 'failed', 'created_on': NOW_MS}, None, False),
    ({'comment': 'k', 'state': 'completed', 'created_on': NOW_MS - DAY_MS, 'expires_on': NOW_MS - 1}, None, False),
    ({'comment': 'k', 'state': 'completed', 'created_on': NOW_MS - 7200 * 1000}, 3600, False),
])
def test_which_snapshots_may_be_reused(snapshot, max_age, expected):
    assert usable(snapshot, 'k', NOW_MS, max_age) is expected


def test_the_newest_usable_snapshot_wins():
    old = {'snapshot_id': 'old', 'comment': 'k', 'state': 'completed', 'created_on': NOW_MS - 100}
    new = {'snapshot_id': 'new', 'comment': 'k', 'state': 'completed', 'created_on': NOW_MS - 10}
    assert newest_usable([old, new], 'k', NOW_MS)['snapshot_id'] == 'new'
    assert newest_usable([], 'k', NOW_MS) is None


def test_sidecar_must_match_snapshot_type_size_and_mtime(tmp_path):
    dest = str(tmp_path / 'f.backup')
    with open(dest, 'wb') as handle:
        handle.write(b'12345')
    stat = os.stat(dest)
    with open(sidecar_path(dest), 'w') as handle:
        json.dump({'snapshot_id': 's', 'data_type': 'database_only', 'size': 5, 'sha256': 'x', 'mtime_ns': stat.st_mtime_ns}, handle)
    assert recorded(dest, 's', 'database_only')['sha256'] == 'x'
    assert recorded(dest, 's', 'files_and_database') is None
    assert recorded(dest, 'other', 'database_only') is None
    os.utime(dest, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10))
    assert recorded(dest, 's', 'database_only') is None


def test_check_dest(tmp_path):
    assert check_dest({'dest': str(tmp_path / 'a'), 'data_type': 'files_only'}, 1) == (str(tmp_path / 'a'), 'files_only')
    with pytest.raises(InputError, match='api_version: 1'):
        check_dest({'dest': str(tmp_path / 'a'), 'data_type': 'files_only'}, 2)
    with pytest.raises(InputError, match='is a directory'):
        check_dest({'dest': str(tmp_path), 'data_type': 'database_only'}, 2)
