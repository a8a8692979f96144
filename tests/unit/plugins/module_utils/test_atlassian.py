# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_atlassian: Basic auth kept secret, error shapes, reading every page, rate limits without Retry-After,
and the path and body of every named operation."""

import base64

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import PAGE_SIZE, Atlassian, parse_error
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, ScriptedSession, reply
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule as BaseFakeModule

BASE = r'https://api\.example\.test/backup/v1/orgs/org%201/'
TOKEN = 'atl-token-secret-1234'


def fake_module(**params):
    return BaseFakeModule(params, defaults=dict(
        api_url='https://api.example.test/backup/v1', org_id='org 1', user='admin@example.com', api_token=TOKEN,
        validate_certs=True, ca_path=None, timeout=30.0, retries=3))


@pytest.fixture
def atlassian(monkeypatch):
    """``atlassian(script, **params)`` -> ``(api, module, clock)``: the client on a FakeClock, answering from ``script``."""
    sessions = []

    def make(script, **params):
        clock = FakeClock()
        monkeypatch.setattr(PlatformApi, 'clock', clock)
        module = fake_module(**params)
        api = Atlassian(module)
        api.http.session = ScriptedSession(script)
        api.http.rng = lambda: 0.0  # backoff without jitter: the pauses are exact
        sessions.append(api.http.session)
        return api, module, clock

    yield make
    for session in sessions:
        session.assert_done()


@pytest.mark.parametrize('body, expected', [
    ({'errors': [{'status': '409', 'code': 'BACKUP-409', 'title': 'Conflict', 'detail': 'In progress.'}]}, ('BACKUP-409', 'In progress.')),
    ({'errors': [{'status': '400', 'title': 'Bad Request'}]}, ('Bad Request', 'Bad Request')),
    ({'errors': [{'detail': 'A.'}, {'detail': 'B.', 'code': 'X'}]}, ('X', 'A.; B.')),
    ({'errors': ['plain']}, (None, 'plain')),
    ({'message': 'Rate limited', 'code': 429}, (429, 'Rate limited')),
    ({'errors': []}, (None, None)),
    ({}, (None, None)),
])
def test_parse_error_json_shapes(body, expected):
    assert parse_error(reply(400, json=body).build('GET', 'https://x')) == expected


def test_parse_error_plain_text_and_html():
    assert parse_error(reply(500, content=b'upstream broke', headers={'Content-Type': 'text/plain'}).build('GET', 'https://x')) == \
        (None, 'upstream broke')
    assert parse_error(reply(502, text='<html><body>Bad gateway</body></html>').build('GET', 'https://x')) == (None, None)


def test_basic_auth_header_and_its_value_is_a_no_log_value(atlassian):
    api, module, dummy = atlassian([('GET', BASE + 'policies/p1', reply(200, json={'policyId': 'p1'}))])
    assert api.policy('p1') == {'policyId': 'p1'}
    sent = api.http.session.calls[0].headers['Authorization']
    encoded = base64.b64encode(('admin@example.com:' + TOKEN).encode()).decode()
    assert sent == 'Basic ' + encoded
    assert encoded in module.no_log_values
    assert api.http.session.calls[0].headers['Accept'] == 'application/json'


@pytest.mark.parametrize('params, message', [
    ({'api_url': 'api.example.test/v1'}, 'must start with https://'),
    ({'org_id': ' '}, 'org_id must not be empty'),
    ({'api_token': ''}, 'api_token must not be empty'),
])
def test_bad_connection_options_fail_before_any_request(params, message):
    with pytest.raises(InputError, match=message):
        Atlassian(fake_module(**params))


@pytest.mark.parametrize('params, message', [
    (dict(user=' ', api_token=''), '^user, api_token must not be empty$'),
    (dict(user='', cloud_id=' ', backup_id='', policy_id=None), '^user, cloud_id, backup_id must not be empty$'),
])
def test_empty_credentials_and_ids_are_named_together(params, message):
    with pytest.raises(InputError, match=message):
        Atlassian(fake_module(**params))


def test_every_page_is_read_until_total_items(atlassian):
    pages = [reply(200, json={'backups': [{'backupId': 'b%d' % i} for i in range(n, n + 2)], 'totalItems': 5}) for n in (0, 2)]
    pages.append(reply(200, json={'backups': [{'backupId': 'b4'}], 'totalItems': 5}))
    api, dummy, dummy = atlassian([('GET', BASE + 'policies/p1/backups', page) for page in pages])
    assert [b['backupId'] for b in api.backups('p1')] == ['b0', 'b1', 'b2', 'b3', 'b4']
    assert [c.params['start'] for c in api.http.session.calls] == [0, 1, 2]
    assert all(c.params['pageSize'] == PAGE_SIZE for c in api.http.session.calls)


def test_without_total_items_pages_are_read_until_an_empty_one(atlassian):
    # A server capping pageSize answers short pages that are not the last one.
    script = [('GET', BASE + 'restores', reply(200, json={'restores': [{'restoreId': 'r%d' % n}]})) for n in range(3)]
    script.append(('GET', BASE + 'restores', reply(200, json={'restores': []})))
    api, dummy, dummy = atlassian(script)
    assert len(api.restores()) == 3


def test_a_list_without_its_key_is_an_error(atlassian):
    api, dummy, dummy = atlassian([('GET', BASE + 'exports', reply(200, json={'items': []}))])
    with pytest.raises(PlatformError, match="no 'exports' list"):
        api.exports()


def test_a_429_storm_without_retry_after_backs_off_exponentially_then_succeeds(atlassian):
    storm = [('POST', BASE + 'backups', reply(429, json={'errors': [{'status': '429', 'detail': 'slow down'}]}))] * 3
    api, dummy, clock = atlassian(storm + [('POST', BASE + 'backups', reply(202, json={'backupId': 'b1'}))])
    assert api.run_backup({'policyId': 'p', 'cloudId': 'c'}, 'JIRA backup') == {'backupId': 'b1'}
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert api.http.retry_summary() == 'Atlassian: 3 requests had to be retried (3x HTTP 429), waiting 3.5 s in all.'


def test_a_429_with_retry_after_waits_that_long(atlassian):
    api, dummy, clock = atlassian([('GET', BASE + 'policies', reply(429, headers={'Retry-After': '7'})),
                                   ('GET', BASE + 'policies', reply(200, json={'policies': [], 'totalItems': 0}))])
    assert api.policies() == []
    assert clock.sleeps == [7.0]


def test_a_429_storm_longer_than_retries_fails_with_the_vendor_message(atlassian):
    api, dummy, dummy = atlassian([('GET', BASE + 'storages', reply(429, json={'errors': [{'detail': 'slow down'}]}))] * 2,
                                  retries=1)
    with pytest.raises(PlatformError, match='HTTP 429.*slow down') as caught:
        api.storages()
    assert caught.value.retryable is True


def test_a_read_returns_none_on_404_and_raises_otherwise(atlassian):
    api, dummy, dummy = atlassian([('GET', BASE + 'backups/nope', reply(404, json={'errors': [{'detail': 'gone'}]})),
                                   ('GET', BASE + 'backups/x', reply(403, json={'errors': [{'detail': 'not an admin'}]}))])
    assert api.backup('nope') is None
    with pytest.raises(PlatformError, match='HTTP 403.*not an admin'):
        api.backup('x')


def test_the_token_never_appears_in_an_error(atlassian):
    api, dummy, dummy = atlassian([('GET', BASE + 'policies', reply(401, json={'errors': [{'detail': 'Authentication failed'}]}))])
    with pytest.raises(PlatformError) as caught:
        api.policies()
    text = str(caught.value) + repr(caught.value.as_dict())
    assert TOKEN not in text and base64.b64encode(('admin@example.com:' + TOKEN).encode()).decode() not in text


def test_regions_is_a_post_that_may_be_retried_and_path_segments_are_quoted(atlassian):
    api, dummy, dummy = atlassian([('POST', BASE + 'storages/regions', reply(503)),
                                   ('POST', BASE + 'storages/regions', reply(200, json={'regions': ['us-east-1']}))])
    assert api.regions('c/1') == ['us-east-1']
    assert api.http.session.calls[1].json == {'cloudId': 'c/1'}
    assert api.path('cloud', 'c?1#%2F', 'restores') == 'orgs/org%201/cloud/c%3F1%23%252F/restores'
    with pytest.raises(InputError, match="id 'c/1' cannot be used"):
        api.path('cloud', 'c/1', 'restores')


def test_an_answer_that_is_not_json_names_the_api_base_and_an_empty_one_is_no_fields(atlassian):
    api, dummy, dummy = atlassian([('GET', BASE + 'restores/r1', reply(200, text='<html>login</html>')),
                                   ('GET', BASE + 'restores/r2', reply(200))])
    with pytest.raises(PlatformError) as caught:
        api.restore('r1')
    assert str(caught.value).endswith(': the answer is not JSON (is api_url the backup-management API base, '
                                      'e.g. https://api.atlassian.com/public/backup-management/v1?)')
    assert api.restore('r2') == {}


POLICY = {'policyId': 'pol 1', 'cloudId': 'c 1'}


# (operation call, method, path below orgs/<org>/, body sent): every write the modules make.
WRITES = [
    (lambda api: api.run_backup(POLICY, 'JIRA backup'), 'POST', 'backups', {'policyId': 'pol 1', 'cloudId': 'c 1'}),
    (lambda api: api.create_policy({'cloudId': 'c 1', 'product': 'JIRA'}, 'policy'), 'POST', 'cloud/c%201/policies',
     {'product': 'JIRA'}),
    (lambda api: api.update_policy('pol 1', {'storageId': 's'}, 'policy'), 'PUT', 'policies/pol%201', {'storageId': 's'}),
    (lambda api: api.create_storage({'storageName': 'b'}, 'storage'), 'POST', 'storages', {'storageName': 'b'}),
    (lambda api: api.start_restore('c 1', {'backupId': 'b'}, 'restore'), 'POST', 'cloud/c%201/restores', {'backupId': 'b'}),
    (lambda api: api.revalidate_restore('c 1', 'r1', ['X'], 'restore'), 'POST', 'cloud/c%201/restores/revalidate',
     {'restoreId': 'r1', 'consent': ['X']}),
    (lambda api: api.start_transfers('export', [{'backupId': 'b'}], 'export b'), 'POST', 'exports', [{'backupId': 'b'}]),
    (lambda api: api.start_transfers('import', [{'backupId': 'b'}], 'import b'), 'POST', 'imports', [{'backupId': 'b'}]),
]


@pytest.mark.parametrize('operation, method, path, body', WRITES)
def test_every_write_has_its_path_and_body(atlassian, operation, method, path, body):
    answer = {'exports': [{'exportId': 'e'}], 'imports': [{'importId': 'i'}], 'id': 1}
    api, dummy, dummy = atlassian([(method, BASE + path, reply(202, json=answer))])
    operation(api)
    assert api.http.session.calls[0].json == body


def test_a_refused_create_names_the_operation(atlassian):
    api, dummy, dummy = atlassian([('POST', BASE + 'cloud/c%201/policies', reply(409, json={'errors': [{'detail': 'exists'}]}))])
    with pytest.raises(PlatformError, match="failed to create the JIRA policy of site 'c 1' .*HTTP 409.*exists"):
        api.create_policy({'cloudId': 'c 1', 'product': 'JIRA'}, "the JIRA policy of site 'c 1'")
