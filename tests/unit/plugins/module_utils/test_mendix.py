# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Mendix client: error shapes, start answers, snapshot shapes and reuse rules, busy retries, sidecars."""

import hashlib
import json
import os

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._budget import WaitBudget
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._mendix import (
    Mendix, check_backups_served, is_free_app, is_production, parse_error_body)
from ansible_collections.saasops.backup.plugins.module_utils._mendix_backups import (
    Backups, from_v1, newest_usable, usable, with_optional_keys)
from ansible_collections.saasops.backup.plugins.module_utils._mendix_download import check_dest, recorded, sidecar_path
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import connection_reset_error, reply
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule

BASE = r'https://deploy\.example\.test/api/1/apps/calc/environments/Acceptance'
V2 = r'https://deploy\.example\.test/api/v2/apps/p-1/environments/e-1'
ENV = {'EnvironmentId': 'e-1', 'Mode': 'Acceptance'}
BUSY = reply(400, json={'errorCode': 'ENVIRONMENT_BUSY', 'errorMessage': 'Another job is running'})
DAY_MS = 86400000
NOW_MS = 1795860000000


@pytest.fixture(autouse=True)
def run_clock(monkeypatch, fake_clock):
    """Every client of these tests runs on the fake clock: retry pauses and busy waits take no time."""
    monkeypatch.setattr(PlatformApi, 'clock', fake_clock)
    return fake_clock


def api_with(session, clock, **overrides):  # pylint: disable=unused-argument
    params = dict(api_url='https://deploy.example.test', username='bot@example.com', api_key='secret-key-1234',
                  app_id='calc', environment='Acceptance', api_version=2, validate_certs=True, ca_path=None,
                  timeout=5.0, retries=1)
    params.update(overrides)
    api = Mendix(FakeModule(params))
    api.http.session = session
    return api


def backups_with(session, clock, seconds=60, **overrides):
    """The v2 backups of environment e-1 of project p-1, on a budget of ``seconds``."""
    api = api_with(session, clock, **overrides)
    return Backups(api, ENV, WaitBudget(seconds, clock), project_id='p-1')


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
    # Checked before the client exists: nothing is sent.
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


def test_v2_list_reads_pages_until_total_with_the_project_read_once_up_front(scripted_session, fake_clock):
    v2 = V2 + '/snapshots'
    session = scripted_session([
        ('GET', r'https://deploy\.example\.test/api/1/apps/calc', reply(200, json={'ProjectId': 'p-1'})),
        ('GET', v2, reply(200, json={'snapshots': [{'snapshot_id': 'a'}, {'snapshot_id': 'b'}], 'total': 3})),
        ('GET', v2, reply(200, json={'snapshots': [{'snapshot_id': 'c'}], 'total': 3})),
        ('GET', r'https://deploy\.example\.test/api/v2/apps/p-1/environments/e-2/snapshots/x', reply(404, json={})),
    ])
    backups = Backups.open(api_with(session, fake_clock), ENV, WaitBudget(60, fake_clock))
    assert [s['snapshot_id'] for s in backups.list()] == ['a', 'b', 'c']
    assert [c.params['offset'] for c in session.calls[1:]] == [0, 2]
    assert backups.of({'EnvironmentId': 'e-2', 'Mode': 'Test'}).get('x') is None


def test_an_app_without_project_id_fails_clearly(scripted_session, fake_clock):
    session = scripted_session([('GET', r'https://deploy\.example\.test/api/1/apps/calc', reply(200, json={}))])
    with pytest.raises(PlatformError, match="read app 'calc'.*no ProjectId"):
        Backups.open(api_with(session, fake_clock), ENV, WaitBudget(60, fake_clock))


def test_an_answer_that_is_not_json_names_api_url(scripted_session, fake_clock):
    api = api_with(scripted_session([('GET', BASE, reply(200, text='<html>portal</html>'))]), fake_clock)
    with pytest.raises(PlatformError) as caught:
        api.environment()
    assert str(caught.value).endswith('the answer is not JSON (is api_url the Mendix Deploy API base, '
                                      'e.g. https://deploy.mendix.com?)')


def test_delete_of_a_snapshot_already_gone_is_done(scripted_session, fake_clock):
    session = scripted_session([
        ('DELETE', V2 + '/snapshots/s-1', reply(200, text='')),
        ('DELETE', V2 + '/snapshots/s-1', reply(404, json={'errorCode': 'NOT_FOUND', 'errorMessage': 'gone'}))])
    backups = backups_with(session, fake_clock)
    assert backups.delete('s-1') is True
    assert backups.delete('s-1') is False


def test_busy_is_retried_with_a_re_read_before_the_re_send(scripted_session, fake_clock):
    created = {'snapshot_id': 's-1', 'comment': 'c', 'state': 'queued'}
    session = scripted_session([
        ('POST', V2 + '/snapshots', BUSY),
        ('GET', V2 + '/snapshots', reply(200, json={'snapshots': [], 'total': 0})),
        ('POST', V2 + '/snapshots', reply(200, json=created))])
    backups = backups_with(session, fake_clock)
    assert backups.create('c') == ('created', created)
    assert len(fake_clock.sleeps) == 1
    assert backups.budget.elapsed == fake_clock.sleeps[0]  # the pause is charged to the run's budget


def test_before_each_re_send_after_busy_the_key_is_read_again(scripted_session, fake_clock):
    # A concurrent run's snapshot keeps the environment busy: once free, it is adopted, not made twice.
    theirs = {'snapshot_id': 'theirs', 'comment': 'c', 'state': 'running'}
    session = scripted_session([
        ('POST', V2 + '/snapshots', BUSY),
        ('GET', V2 + '/snapshots', reply(200, json={'snapshots': [], 'total': 0})),
        ('POST', V2 + '/snapshots', BUSY),
        ('GET', V2 + '/snapshots', reply(200, json={'snapshots': [theirs], 'total': 1}))])
    assert backups_with(session, fake_clock).create('c') == ('adopted', theirs)


def test_a_restore_whose_answer_was_lost_after_busy_is_never_re_sent(scripted_session, fake_clock):
    # A restore has no idempotency key: once it may have arrived, it is not sent again.
    session = scripted_session([('POST', V2 + '/restores', BUSY), ('POST', V2 + '/restores', connection_reset_error())])
    with pytest.raises(PlatformError) as caught:
        backups_with(session, fake_clock).restore('s-1', db_only=False)
    assert caught.value.maybe_applied
    assert 'the restore may have started: check environment' in str(caught.value)
    assert len(session.calls) == 2


class AlwaysBusy:
    """A session whose environment never gets free."""

    headers = {}

    def __init__(self):
        self.calls = 0

    def request(self, method, url, **kwargs):
        self.calls += 1
        return BUSY.build(method, url, kwargs.get('params'))

    def close(self):
        pass


def test_busy_until_the_deadline_times_out_within_the_budget(fake_clock):
    session = AlwaysBusy()
    backups = backups_with(session, fake_clock, seconds=30)
    with pytest.raises(WaitTimeout, match='to be free to restore.*ENVIRONMENT_BUSY') as caught:
        backups.restore('s-1', db_only=True)
    assert caught.value.elapsed == 30 and session.calls > 2


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


# --- what real clients and a live tenant showed (api/mendix.md, "Real clients and current vendor state") ----

def test_every_api_call_says_content_type_json_even_a_get_and_the_download_host_gets_no_mendix_header(
        scripted_session, fake_clock):
    session = scripted_session([('GET', BASE, reply(200, json={'Mode': 'Acceptance'}))])
    api = api_with(session, fake_clock)
    api.environment()
    headers = session.calls[0].headers
    assert headers['Content-Type'] == 'application/json' and headers['Mendix-Username'] == 'bot@example.com'
    assert api.http.headers_for('https://downloads.example.test/backups/x?signature=s') == {}


@pytest.mark.parametrize('pages, expected, requests', [
    # A live tenant: {total, snapshots}, everything in one page, no offset/limit keys.
    ([{'total': 3, 'snapshots': [{'snapshot_id': 'a'}, {'snapshot_id': 'b'}, {'snapshot_id': 'c'}]}], 'abc', 1),
    # A server that ignores offset: the second page adds nothing new, and reading stops.
    ([{'total': 4, 'snapshots': [{'snapshot_id': 'a'}, {'snapshot_id': 'b'}]},
      {'total': 4, 'snapshots': [{'snapshot_id': 'a'}, {'snapshot_id': 'b'}]}], 'ab', 2),
    # No total, or one that is not a number: one page, nothing indexed unguarded.
    ([{'snapshots': [{'snapshot_id': 'a'}]}], 'a', 1),
    ([{'total': 'many', 'snapshots': [{'snapshot_id': 'a'}], 'offset': None}], 'a', 1),
    ([{'total': 5, 'snapshots': []}], '', 1),
])
def test_v2_list_pages_by_counting_whatever_the_envelope(scripted_session, fake_clock, pages, expected, requests):
    session = scripted_session([('GET', V2 + '/snapshots', reply(200, json=page)) for page in pages])
    listed = backups_with(session, fake_clock).list()
    assert ''.join(s['snapshot_id'] for s in listed) == expected and len(session.calls) == requests


def test_failed_snapshots_without_model_version_are_shown_with_their_status_message():
    failed = {'snapshot_id': 'f', 'state': 'failed', 'status_message': 'Database dump failed'}
    assert with_optional_keys(failed) == dict(failed, model_version=None)
    assert with_optional_keys({'snapshot_id': 'q'}) == {'snapshot_id': 'q', 'model_version': None, 'status_message': None}
    assert usable(dict(failed, comment='k'), 'k', NOW_MS) is False


def test_v2_environment_not_found_names_api_version_1_and_is_not_a_missing_snapshot(scripted_session, fake_clock):
    not_served = reply(404, json={'errorCode': 'ENVIRONMENT_NOT_FOUND', 'errorMessage': 'Environment not found.'})
    session = scripted_session([('GET', V2 + '/snapshots/s-1', not_served), ('GET', V2 + '/snapshots', not_served),
                                ('GET', V2 + '/snapshots/s-2', reply(404, json={'errorCode': 'NOT_FOUND'}))])
    backups = backups_with(session, fake_clock)
    for read in (lambda: backups.get('s-1'), backups.list):
        with pytest.raises(PlatformError) as caught:
            read()
        assert 'Backups API v2 may not serve this app' in str(caught.value) and 'api_version: 1' in str(caught.value)
    assert backups.get('s-2') is None


def test_a_v1_environment_not_found_is_not_blamed_on_v2(scripted_session, fake_clock):
    session = scripted_session([('GET', BASE + '/snapshots', reply(404, json={'errorCode': 'ENVIRONMENT_NOT_FOUND'}))])
    api = api_with(session, fake_clock, api_version=1)
    with pytest.raises(PlatformError) as caught:
        Backups(api, ENV, WaitBudget(60, fake_clock)).list()
    assert 'api_version' not in str(caught.value)


@pytest.mark.parametrize('env, app, expected', [
    ({'Mode': 'Sandbox', 'Url': 'https://x.mendixcloud.com'}, None, True),
    ({'Mode': 'sandbox'}, None, True),
    ({'Mode': 'Test', 'Url': 'https://calc-test.mxapps.io'}, None, True),
    ({'Mode': 'Test', 'Url': 'https://calc-test.mendixcloud.com'}, {'Url': 'https://calc.mxapps.io/'}, True),
    ({'Mode': 'Test', 'Url': 'https://mxapps.io.example.test'}, None, False),
    ({'Mode': 'Production', 'Url': 'https://calc.mendixcloud.com'}, {'Url': 'https://calc.mendixcloud.com'}, False),
    ({'Mode': 'Test'}, None, False),
])
def test_which_environments_are_free_apps(env, app, expected):
    assert is_free_app(env, app) is expected


def test_a_sandbox_is_refused_before_any_backups_call(scripted_session, fake_clock):
    # v2: the app is read (its Url may be on mxapps.io too), no Backups call is made.
    session = scripted_session([('GET', r'https://deploy\.example\.test/api/1/apps/calc',
                                 reply(200, json={'ProjectId': 'p-1', 'Url': 'https://calc.mxapps.io'}))])
    with pytest.raises(InputError, match='free apps and sandboxes have no Backups API'):
        Backups.open(api_with(session, fake_clock), ENV, WaitBudget(60, fake_clock))
    with pytest.raises(InputError, match="'Sandbox' of app 'calc'"):
        check_backups_served({'Mode': 'Sandbox'}, 'calc')


def _links(name):
    return reply(200, json={'DatabaseOnly': 'https://files.example.test/b/%s?sig=1' % name,
                            'FilesOnly': 'https://files.example.test/b/f', 'DatabaseAndFiles': 'https://files.example.test/b/d'})


def _v1_download(scripted_session, fake_clock, tmp_path, first, second):
    links = BASE + '/snapshots/s-1'
    session = scripted_session([
        ('GET', links, _links('one')), ('GET', r'https://files\.example\.test/b/one\?sig=1', first),
        ('GET', links, _links('two')), ('GET', r'https://files\.example\.test/b/two\?sig=1', second)])
    backups = Backups(api_with(session, fake_clock, api_version=1), ENV, WaitBudget(60, fake_clock))
    dest = str(tmp_path / 'db.backup')
    return session, backups.download({'snapshot_id': 's-1', 'state': 'completed'}, 'c', dest, 'database_only')


@pytest.mark.parametrize('status', [401, 403, 410])
def test_an_expired_link_gets_one_new_link_and_a_download_from_byte_0(scripted_session, fake_clock, tmp_path, status):
    # A custom-format dump: PGDMP, archive version 1.14.0, int size 4, offset size 8, format 1 (custom).
    body = b'PGDMP\x01\x0e\x00\x04\x08\x01' + b'x' * 1000
    session, got = _v1_download(scripted_session, fake_clock, tmp_path,
                                reply(status, content=b'AccessDenied: Request has expired'),
                                reply(200, content=body, headers={'Content-Type': 'application/octet-stream'}))
    assert got['link_renewed'] is True and got['size'] == len(body) and got['resumed'] == 0
    assert got['sha256'] == hashlib.sha256(body).hexdigest()
    with open(str(tmp_path / 'db.backup'), 'rb') as handle:
        assert handle.read() == body
    downloads = [c for c in session.calls if 'files.example.test' in c.url]
    assert all('Range' not in c.headers and not any(k.lower().startswith('mendix') for k in c.headers) for c in downloads)


def test_a_second_refusal_fails_naming_both_statuses(scripted_session, fake_clock, tmp_path):
    with pytest.raises(PlatformError) as caught:
        _v1_download(scripted_session, fake_clock, tmp_path, reply(410, content=b'Gone'), reply(401, content=b'no'))
    assert 'refused the link of a new download link too (HTTP 401; the first link got HTTP 410' in str(caught.value)
    assert sorted(os.listdir(str(tmp_path))) == []


def test_an_api_refusal_while_asking_for_the_link_is_not_read_as_expiry(scripted_session, fake_clock, tmp_path):
    session = scripted_session([('GET', BASE + '/snapshots/s-1', reply(403, json={'errorCode': 'NO_ACCESS'}))])
    backups = Backups(api_with(session, fake_clock, api_version=1), ENV, WaitBudget(60, fake_clock))
    with pytest.raises(PlatformError, match='NO_ACCESS|Forbidden'):
        backups.download({'snapshot_id': 's-1', 'state': 'completed'}, 'c', str(tmp_path / 'x'), 'database_only')
    assert len(session.calls) == 1
