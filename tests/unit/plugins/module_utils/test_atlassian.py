# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_atlassian: Basic auth kept secret, error shapes, reading every page, rate limits without Retry-After."""

import base64

import pytest

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


def atlassian(script, **params):
    module = fake_module(**params)
    api = Atlassian(module)
    api.http.session = ScriptedSession(script)
    clock = FakeClock()
    api.http.sleep, api.http.clock, api.http.rng = clock.sleep, clock.now, lambda: 0.0
    return api, module, clock


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


def test_basic_auth_header_and_its_value_is_a_no_log_value():
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


def test_every_page_is_read_until_total_items():
    pages = [reply(200, json={'backups': [{'backupId': 'b%d' % i} for i in range(n, n + 2)], 'totalItems': 5}) for n in (0, 2)]
    pages.append(reply(200, json={'backups': [{'backupId': 'b4'}], 'totalItems': 5}))
    api, dummy, dummy = atlassian([('GET', BASE + 'policies/p1/backups', page) for page in pages])
    assert [b['backupId'] for b in api.backups('p1')] == ['b0', 'b1', 'b2', 'b3', 'b4']
    assert [c.params['start'] for c in api.http.session.calls] == [0, 1, 2]
    assert all(c.params['pageSize'] == PAGE_SIZE for c in api.http.session.calls)


def test_without_total_items_pages_are_read_until_an_empty_one():
    # A server capping pageSize answers short pages that are not the last one.
    script = [('GET', BASE + 'restores', reply(200, json={'restores': [{'restoreId': 'r%d' % n}]})) for n in range(3)]
    script.append(('GET', BASE + 'restores', reply(200, json={'restores': []})))
    api, dummy, dummy = atlassian(script)
    assert len(api.restores()) == 3


def test_a_list_without_its_key_is_an_error():
    api, dummy, dummy = atlassian([('GET', BASE + 'exports', reply(200, json={'items': []}))])
    with pytest.raises(PlatformError, match="no 'exports' list"):
        api.exports()


def test_a_429_storm_without_retry_after_backs_off_exponentially_then_succeeds():
    storm = [('POST', BASE + 'backups', reply(429, json={'errors': [{'status': '429', 'detail': 'slow down'}]}))] * 3
    api, dummy, clock = atlassian(storm + [('POST', BASE + 'backups', reply(202, json={'backupId': 'b1'}))])
    assert api.call('POST', api.path('backups'), 'run a backup', body={'policyId': 'p'}) == {'backupId': 'b1'}
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert api.http.retry_summary() == 'Atlassian: 3 requests had to be retried (3x HTTP 429), waiting 3.5 s in all.'


def test_a_429_with_retry_after_waits_that_long():
    api, dummy, clock = atlassian([('GET', BASE + 'policies', reply(429, headers={'Retry-After': '7'})),
                                   ('GET', BASE + 'policies', reply(200, json={'policies': [], 'totalItems': 0}))])
    assert api.policies() == []
    assert clock.sleeps == [7.0]


def test_a_429_storm_longer_than_retries_fails_with_the_vendor_message():
    api, dummy, dummy = atlassian([('GET', BASE + 'storages', reply(429, json={'errors': [{'detail': 'slow down'}]}))] * 2,
                                  retries=1)
    with pytest.raises(PlatformError, match='HTTP 429.*slow down') as caught:
        api.storages()
    assert caught.value.retryable is True


def test_read_returns_none_on_404_and_raises_otherwise():
    api, dummy, dummy = atlassian([('GET', BASE + 'backups/nope', reply(404, json={'errors': [{'detail': 'gone'}]})),
                                   ('GET', BASE + 'backups/x', reply(403, json={'errors': [{'detail': 'not an admin'}]}))])
    assert api.backup('nope') is None
    with pytest.raises(PlatformError, match='HTTP 403.*not an admin'):
        api.backup('x')


def test_the_token_never_appears_in_an_error():
    api, dummy, dummy = atlassian([('GET', BASE + 'policies', reply(401, json={'errors': [{'detail': 'Authentication failed'}]}))])
    with pytest.raises(PlatformError) as caught:
        api.policies()
    text = str(caught.value) + repr(caught.value.as_dict())
    assert TOKEN not in text and base64.b64encode(('admin@example.com:' + TOKEN).encode()).decode() not in text


def test_regions_is_a_post_that_may_be_retried_and_path_segments_are_quoted():
    api, dummy, dummy = atlassian([('POST', BASE + 'storages/regions', reply(503)),
                                   ('POST', BASE + 'storages/regions', reply(200, json={'regions': ['us-east-1']}))])
    assert api.regions('c/1') == ['us-east-1']
    assert api.http.session.calls[1].json == {'cloudId': 'c/1'}
    assert api.path('cloud', 'c?1#%2F', 'restores') == 'orgs/org%201/cloud/c%3F1%23%252F/restores'
    with pytest.raises(InputError, match="id 'c/1' cannot be used"):
        api.path('cloud', 'c/1', 'restores')
