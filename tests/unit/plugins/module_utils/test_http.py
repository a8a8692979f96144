# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_http.HttpClient: what is retried, how long it waits, what it sends, and the errors it raises.

Every test scripts the exact calls (tests/unit/helpers/scripted_session.py); a missing or extra
call fails it. rng=0 makes the backoff deterministic: 0.5, 1, 2, 4 ... seconds.
"""

import pytest
import requests

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient, never_reached_server, same_origin
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import (
    FakeClock,
    ScriptedSession,
    connect_timeout_error,
    connection_refused_error,
    connection_reset_error,
    name_resolution_error,
    read_timeout_error,
    reply,
    ssl_error,
)

API = 'https://api.example.test/v1'
URL = API + '/things'
THINGS = r'https://api\.example\.test/v1/things'
OK = reply(200, json={'things': []})
# Wed, 21 Oct 2015 07:28:00 GMT
HTTP_DATE_EPOCH = 1445412480.0


def vendor_errors(response):
    body = response.json()
    return body.get('code'), body.get('message')


@pytest.fixture
def clock():
    return FakeClock(start=HTTP_DATE_EPOCH - 60)


def client_for(session, clock, **kwargs):
    kwargs.setdefault('retries', 3)
    return HttpClient('Vendor', API, session=session, sleep=clock.sleep, clock=clock.now, monotonic=clock.now,
                      rng=lambda: 0.0, error_parser=vendor_errors, **kwargs)


# --- reads are retried on every transient failure -------------------------------------------

TRANSIENT = [
    pytest.param(reply(429), 'HTTP 429', id='429'),
    pytest.param(reply(502), 'HTTP 502', id='502'),
    pytest.param(reply(503), 'HTTP 503', id='503'),
    pytest.param(reply(504), 'HTTP 504', id='504'),
    pytest.param(connection_reset_error(), 'connection failed or dropped', id='reset'),
    pytest.param(connection_refused_error(URL), 'connection failed or dropped', id='refused'),
    pytest.param(read_timeout_error(URL), 'timed out', id='read-timeout'),
]


@pytest.mark.parametrize('failure, reason', TRANSIENT)
@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE'])
def test_idempotent_request_is_retried_then_succeeds(scripted_session, clock, method, failure, reason):
    session = scripted_session([(method, THINGS, failure), (method, THINGS, OK)])
    client = client_for(session, clock)
    assert client.request(method, 'things', 'touch things').json() == {'things': []}
    assert clock.sleeps == [0.5]
    assert dict(client.retry_reasons) == {reason: 1}


def test_backoff_grows_between_attempts(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(503))] * 4 + [('GET', THINGS, OK)])
    client_for(session, clock, retries=4).request('GET', 'things', 'list things')
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]


@pytest.mark.parametrize('headers, slept', [
    ({'Retry-After': '7'}, 7.0),
    ({'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'}, 60.0),   # the injected clock is 60 s before
    ({'Retry-After': 'Wed, 21 Oct 2015 07:27:30 GMT'}, 30.0),
    ({'Retry-After': '0'}, 0.5),                                # never less than the backoff's fixed half
    ({'Retry-After': '-5'}, 0.5),
    ({'Retry-After': '86400'}, 120.0),
    ({'Retry-After': 'later'}, 0.5),                            # unreadable -> backoff
    ({}, 0.5),                                                  # absent -> backoff
])
@pytest.mark.parametrize('status', [429, 503])
def test_sleep_is_retry_after_when_present_else_backoff(scripted_session, clock, status, headers, slept):
    session = scripted_session([('GET', THINGS, reply(status, headers=headers)), ('GET', THINGS, OK)])
    client_for(session, clock).request('GET', 'things', 'list things')
    assert clock.sleeps == [slept]


@pytest.mark.parametrize('failure, status', [
    (reply(503, json={'code': 'UNAVAILABLE', 'message': 'down for maintenance'}), 503),
    (reply(429), 429),
    (reply(504), 504),
])
def test_gives_up_after_retries_with_a_retryable_error(scripted_session, clock, failure, status):
    session = scripted_session([('GET', THINGS, failure)] * 3)
    with pytest.raises(PlatformError) as info:
        client_for(session, clock, retries=2).request('GET', 'things', 'list things')
    exc = info.value
    assert (exc.retryable, exc.status, exc.maybe_applied, exc.method, exc.url) == (True, status, False, 'GET', URL)
    assert exc.operation == 'list things' and exc.platform == 'Vendor'
    assert len(session.calls) == 3 and len(clock.sleeps) == 2


def test_gives_up_after_retries_on_connection_errors(scripted_session, clock):
    session = scripted_session([('GET', THINGS, connection_reset_error())] * 2)
    with pytest.raises(PlatformError) as info:
        client_for(session, clock, retries=1).request('GET', 'things', 'list things')
    assert info.value.retryable is True
    assert info.value.status is None
    assert info.value.message == 'connection failed or dropped (still failing after 2 attempts over 0.5 s; retries: 1)'


def test_retries_zero_means_one_call(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(503))])
    with pytest.raises(PlatformError):
        client_for(session, clock, retries=0).request('GET', 'things', 'list things')
    assert clock.sleeps == []


# --- errors that are not retried ------------------------------------------------------------

@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 422, 500])
def test_other_error_statuses_raise_at_once_with_the_vendor_code_and_message(scripted_session, clock, status):
    session = scripted_session([('GET', THINGS, reply(status, json={'code': 'E%d' % status, 'message': 'vendor says no'}))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('GET', 'things', 'list things')
    exc = info.value
    assert (exc.status, exc.code, exc.message, exc.retryable, exc.maybe_applied) == (status, 'E%d' % status, 'vendor says no', False, False)
    assert 'HTTP %d' % status in str(exc) and 'vendor code E%d' % status in str(exc)
    assert clock.sleeps == []


@pytest.mark.parametrize('body', [reply(404, text='<html>Not Found</html>'), reply(404)])
def test_unreadable_error_body_falls_back_to_the_reason_phrase(scripted_session, clock, body):
    session = scripted_session([('GET', THINGS, body)])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('GET', 'things', 'list things')
    assert (info.value.code, info.value.message) == (None, 'Not Found')


def test_ok_statuses_are_returned(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(404))])
    assert client_for(session, clock).request('GET', 'things', 'read thing', ok_statuses=(404,)).status_code == 404


# --- a create (POST) is re-sent only when the server certainly did nothing --------------------

@pytest.mark.parametrize('status', [429, 503])
def test_post_is_retried_when_refused(scripted_session, clock, status):
    session = scripted_session([('POST', THINGS, reply(status, headers={'Retry-After': '3'})), ('POST', THINGS, reply(201, json={'id': 1}))])
    assert client_for(session, clock).request('POST', 'things', 'create thing', json={'name': 'a'}).status_code == 201
    assert clock.sleeps == [3.0]
    assert [c.json for c in session.calls] == [{'name': 'a'}, {'name': 'a'}]


@pytest.mark.parametrize('status', [502, 504])
def test_post_is_not_retried_when_the_gateway_lost_the_answer(scripted_session, clock, status):
    session = scripted_session([('POST', THINGS, reply(status))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('POST', 'things', 'create thing')
    assert (info.value.maybe_applied, info.value.retryable, info.value.status) == (True, True, status)
    assert clock.sleeps == [] and len(session.calls) == 1


@pytest.mark.parametrize('failure', [connection_reset_error(), read_timeout_error(URL)], ids=['reset', 'read-timeout'])
def test_post_is_not_resent_after_it_may_have_reached_the_server(scripted_session, clock, failure):
    session = scripted_session([('POST', THINGS, failure)])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('POST', 'things', 'create thing')
    assert info.value.maybe_applied is True
    assert len(session.calls) == 1 and clock.sleeps == []


@pytest.mark.parametrize('failure', [connection_refused_error(URL), connect_timeout_error(URL)], ids=['refused', 'connect-timeout'])
def test_post_is_resent_when_the_connection_was_never_made(scripted_session, clock, failure):
    session = scripted_session([('POST', THINGS, failure), ('POST', THINGS, reply(201))])
    assert client_for(session, clock).request('POST', 'things', 'create thing').status_code == 201
    assert clock.sleeps == [0.5]


def test_post_refused_every_time_is_not_maybe_applied(scripted_session, clock):
    session = scripted_session([('POST', THINGS, connection_refused_error(URL))] * 2)
    with pytest.raises(PlatformError) as info:
        client_for(session, clock, retries=1).request('POST', 'things', 'create thing')
    assert (info.value.maybe_applied, info.value.retryable) == (False, True)


def test_idempotent_flag_overrides_the_method(scripted_session, clock):
    session = scripted_session([('POST', THINGS, reply(502)), ('POST', THINGS, OK)])
    client_for(session, clock).request('POST', 'things', 'search things', idempotent=True)
    session2 = scripted_session([('PUT', THINGS, reply(502))])
    with pytest.raises(PlatformError) as info:
        client_for(session2, clock).request('PUT', 'things', 'replace things', idempotent=False)
    assert info.value.maybe_applied is True


@pytest.mark.parametrize('exc, expected', [
    (connection_refused_error(URL), True),
    (connect_timeout_error(URL), True),
    (ssl_error(URL), True),
    (connection_reset_error(), False),
    (read_timeout_error(URL), False),
])
def test_never_reached_server(exc, expected):
    assert never_reached_server(exc) is expected


@pytest.mark.parametrize('method', ['GET', 'POST'])
@pytest.mark.parametrize('refusal', [
    requests.exceptions.InvalidHeader("Invalid leading whitespace, reserved character(s), or return character(s) in header value: 'Bearer t\\n'"),
    requests.exceptions.InvalidURL("Failed to parse: 'api.example.test:port' is not a valid host or port"),
], ids=['invalid-header', 'invalid-url'])
def test_a_request_requests_refuses_to_build_is_not_retried(scripted_session, clock, method, refusal):
    # requests raises these before sending anything: retrying cannot help, and it is no connection failure
    session = scripted_session([(method, THINGS, refusal)])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request(method, 'things', 'list things')
    assert len(session.calls) == 1 and clock.sleeps == []
    assert (info.value.retryable, info.value.maybe_applied) == (False, False)
    assert 'connection failed' not in info.value.message


# --- TLS, verify, timeout ---------------------------------------------------------------------

@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_tls_failure_is_not_retried_and_points_at_the_options(scripted_session, clock, method):
    session = scripted_session([(method, THINGS, ssl_error(URL))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request(method, 'things', 'list things')
    assert 'validate_certs' in str(info.value) and 'ca_path' in str(info.value)
    assert (info.value.retryable, info.value.maybe_applied) == (False, False)
    assert clock.sleeps == []


@pytest.mark.parametrize('validate_certs, ca_path, verify', [
    (True, None, True),
    (True, '/etc/ssl/vendor-ca.pem', '/etc/ssl/vendor-ca.pem'),
    (False, None, False),
    (False, '/etc/ssl/vendor-ca.pem', False),
])
def test_verify_and_timeout_on_every_call(scripted_session, clock, validate_certs, ca_path, verify):
    session = scripted_session([('GET', THINGS, reply(503)), ('GET', THINGS, OK), ('POST', THINGS, OK)])
    client = client_for(session, clock, validate_certs=validate_certs, ca_path=ca_path, timeout=12.5)
    client.request('GET', 'things', 'list things')
    client.request('POST', 'things', 'create thing')
    assert [(c.verify, c.timeout) for c in session.calls] == [(verify, 12.5)] * 3
    assert all(c.kwargs['allow_redirects'] is False for c in session.calls)


def test_user_agent_is_set_on_the_session(scripted_session, clock):
    session = scripted_session([])
    client_for(session, clock, user_agent='saasops.backup/1.0')
    assert session.headers['User-Agent'] == 'saasops.backup/1.0'


# --- credentials only to the API origin -------------------------------------------------------

@pytest.mark.parametrize('target, sent', [
    ('things', True),
    ('/things', True),
    ('https://api.example.test/v1/things', True),
    ('https://api.example.test:443/other', True),
    ('https://API.example.test/v1/things', True),
    ('https://download.example.test/file.zip', False),   # another host
    ('https://api.example.test:8443/file.zip', False),   # another port
    ('http://api.example.test/v1/things', False),        # another scheme
    ('https://api.example.test.evil.test/v1', False),
])
def test_auth_headers_go_only_to_the_api_origin(scripted_session, clock, target, sent):
    session = scripted_session([('GET', r'.*', OK)])
    client = client_for(session, clock)
    client.auth_headers = {'Authorization': 'Bearer s3cret'}
    client.request('GET', target, 'fetch', headers={'Range': 'bytes=10-'})
    call = session.calls[0]
    assert ('Authorization' in call.headers) is sent
    assert call.headers['Range'] == 'bytes=10-'
    assert client.auth_headers == {'Authorization': 'Bearer s3cret'}  # not mutated by extra headers


@pytest.mark.parametrize('a, b, same', [
    ('https://h.test/a', 'https://h.test:443/b', True),
    ('http://h.test/a', 'http://h.test:80/b', True),
    ('https://h.test/a', 'http://h.test/a', False),
    ('https://h.test/a', 'https://h.test:8443/a', False),
    ('https://127.0.0.1:8443/a', 'https://localhost:8443/a', False),
])
def test_same_origin(a, b, same):
    assert same_origin(a, b) is same


def test_path_and_absolute_urls(scripted_session, clock):
    session = scripted_session([
        ('GET', r'https://api\.example\.test/v1/a/b', OK),
        ('GET', r'https://api\.example\.test/v1/c', OK),
        ('GET', r'https://other\.test/x', OK),
    ])
    client = client_for(session, clock)
    client.request('get', 'a/b', 'x')
    client.request('GET', '/c', 'x')
    client.request('GET', 'https://other.test/x', 'x')


# --- no secret in an error --------------------------------------------------------------------

def test_error_url_has_no_query_string(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(404, json={'message': 'nope'}))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('GET', 'things', 'list things', params={'token': 's3cret'})
    assert session.calls[0].params == {'token': 's3cret'}
    assert info.value.url == URL
    assert 's3cret' not in str(info.value) and 's3cret' not in str(info.value.as_dict())


def test_error_url_has_no_user_info_or_query_after_a_connection_error(scripted_session, clock):
    session = scripted_session([('GET', r'https://user:pa55@dl\.example\.test/f\?sig=s3cret', connection_reset_error())])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock, retries=0).request('GET', 'https://user:pa55@dl.example.test/f?sig=s3cret', 'download f')
    assert info.value.url == 'https://dl.example.test/f'
    assert 's3cret' not in str(info.value) and 'pa55' not in str(info.value)


# --- the one warning ------------------------------------------------------------------------

def test_retry_summary_is_none_without_retries(scripted_session, clock):
    session = scripted_session([('GET', THINGS, OK)])
    client = client_for(session, clock)
    client.request('GET', 'things', 'list things')
    assert client.retry_summary() is None


def test_retry_summary_counts_per_reason_in_one_sentence(scripted_session, clock):
    session = scripted_session([
        ('GET', THINGS, reply(429)), ('GET', THINGS, reply(503)), ('GET', THINGS, connection_reset_error()), ('GET', THINGS, OK),
        ('POST', THINGS, reply(503)), ('POST', THINGS, OK),
    ])
    client = client_for(session, clock)
    client.request('GET', 'things', 'list things')
    client.request('POST', 'things', 'create thing')
    assert client.retry_summary() == ('Vendor: 4 requests had to be retried (1x HTTP 429, 2x HTTP 503, '
                                      '1x connection failed or dropped), waiting 4 s in all.')


def test_retry_summary_singular(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(502)), ('GET', THINGS, OK)])
    client = client_for(session, clock)
    client.request('GET', 'things', 'list things')
    assert client.retry_summary() == 'Vendor: 1 request had to be retried (1x HTTP 502), waiting 0.5 s in all.'


# --- a time budget for retries (retry_timeout), the count (retries) optional --------------------

def budget_client(session, clock, **kwargs):
    kwargs.setdefault('retries', None)
    return client_for(session, clock, **kwargs)


def test_without_a_count_retries_go_on_until_the_time_budget(scripted_session, clock):
    # rng=0: waits 0.5, 1, 2, 4, 8, 15, 15, then the 14.5 s left of the 60 s budget; then it gives up
    session = scripted_session([('GET', THINGS, reply(503))] * 9)
    with pytest.raises(PlatformError) as info:
        budget_client(session, clock, retry_timeout=60).request('GET', 'things', 'list things')
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0, 14.5]
    assert sum(clock.sleeps) == 60
    assert info.value.retryable is True and info.value.status == 503
    assert info.value.message.endswith('(still failing after 9 attempts over 60 s; retry_timeout: 60 s)')


def test_the_default_budget_rides_out_minutes_of_failures(scripted_session, clock):
    # 14 failures in a row (0.3 ** 14 ~ 5e-8 under a 30 % storm) still end well with the defaults
    session = scripted_session([('GET', THINGS, reply(503))] * 14 + [('GET', THINGS, OK)])
    client = HttpClient('Vendor', API, session=session, sleep=clock.sleep, clock=clock.now, monotonic=clock.now,
                        rng=lambda: 1.0)
    assert client.request('GET', 'things', 'list things').status_code == 200
    assert len(clock.sleeps) == 14 and max(clock.sleeps) == 30.0 and sum(clock.sleeps) <= 300


def test_the_budget_counts_the_time_the_attempts_took(clock):
    class SlowSession(ScriptedSession):
        def request(self, method, url, **kwargs):
            clock.advance(30)  # each attempt waits a full read timeout
            return super(SlowSession, self).request(method, url, **kwargs)

    session = SlowSession([('GET', THINGS, read_timeout_error(URL))] * 4)
    with pytest.raises(PlatformError) as info:
        budget_client(session, clock, retry_timeout=100).request('GET', 'things', 'list things')
    # attempts end at 30, 60.5, 91.5 and 123.5 s: the budget is spent after the fourth
    assert clock.sleeps == [0.5, 1.0, 2.0] and len(session.calls) == 4
    assert 'still failing after 4 attempts over 123.5 s; retry_timeout: 100 s' in info.value.message
    session.assert_done()


def test_a_retry_after_beyond_the_budget_ends_the_retries_without_waiting(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(429, headers={'Retry-After': '30'}))] * 2)
    with pytest.raises(PlatformError) as info:
        budget_client(session, clock, retry_timeout=40).request('GET', 'things', 'list things')
    assert clock.sleeps == [30.0]  # a second 30 s wait would end at 60 s, past the 40 s budget
    assert info.value.status == 429 and 'retry_timeout: 40 s' in info.value.message


def test_retry_after_zero_never_becomes_a_busy_loop(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(503, headers={'Retry-After': '0'}))] * 4 + [('GET', THINGS, OK)])
    budget_client(session, clock).request('GET', 'things', 'list things')
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]


def test_retry_after_is_capped(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(429, headers={'Retry-After': '3600'})), ('GET', THINGS, OK)])
    budget_client(session, clock).request('GET', 'things', 'list things')
    assert clock.sleeps == [120.0]


def test_a_rate_limited_create_without_retry_after_is_sent_again_within_the_budget(scripted_session, clock):
    # Atlassian: 5 restores a minute, Retry-After only sometimes; a 429 means nothing was done
    session = scripted_session([('POST', THINGS, reply(429))] * 6 + [('POST', THINGS, reply(201, json={'id': 1}))])
    client = budget_client(session, clock)
    assert client.request('POST', 'things', 'restore thing', json={'n': 1}).status_code == 201
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 15.0]
    assert client.retry_summary() == 'Vendor: 6 requests had to be retried (6x HTTP 429), waiting 30.5 s in all.'


@pytest.mark.parametrize('failure', [reply(502), reply(504), connection_reset_error(), read_timeout_error(URL)],
                         ids=['502', '504', 'reset', 'read-timeout'])
def test_a_create_that_may_have_acted_is_never_resent_whatever_the_budget(scripted_session, clock, failure):
    session = scripted_session([('POST', THINGS, failure)])
    with pytest.raises(PlatformError) as info:
        budget_client(session, clock, retry_timeout=3600).request('POST', 'things', 'create thing')
    assert info.value.maybe_applied is True and clock.sleeps == []
    assert 'still failing' not in info.value.message


def test_the_count_still_limits_when_set(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(503))] * 3)
    with pytest.raises(PlatformError) as info:
        budget_client(session, clock, retries=2, retry_timeout=3600).request('GET', 'things', 'list things')
    assert clock.sleeps == [0.5, 1.0]
    assert info.value.message.endswith('(still failing after 3 attempts over 1.5 s; retries: 2)')


def test_a_zero_budget_means_one_attempt(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(503))])
    with pytest.raises(PlatformError) as info:
        budget_client(session, clock, retry_timeout=0).request('GET', 'things', 'list things')
    assert clock.sleeps == [] and 'still failing' not in info.value.message


def test_each_request_gets_its_own_budget_and_the_summary_adds_up(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(503))] * 3 + [('GET', THINGS, OK)] +
                               [('GET', THINGS, reply(503))] * 3 + [('GET', THINGS, OK)])
    client = budget_client(session, clock, retry_timeout=3.5)
    client.request('GET', 'things', 'list things')
    client.request('GET', 'things', 'list things')
    assert clock.sleeps == [0.5, 1.0, 2.0] * 2
    assert client.retry_summary() == 'Vendor: 6 requests had to be retried (6x HTTP 503), waiting 7 s in all.'


# --- redirects are never followed, and say where they pointed -----------------------------------

@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_a_redirect_from_the_api_fails_naming_the_target_and_the_url_option(scripted_session, clock, status, method):
    location = 'https://user:pa55@login.example.test/sso?session=s3cret#top'
    session = scripted_session([(method, THINGS, reply(status, headers={'Location': location}))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request(method, 'things', 'list things')
    exc = info.value
    assert (exc.status, exc.retryable, exc.maybe_applied) == (status, False, False)
    assert exc.message.startswith("redirected to https://login.example.test/sso; redirects are not followed: "
                                  "check the option 'api_url'")
    assert 's3cret' not in str(exc) and 'pa55' not in str(exc)
    assert len(session.calls) == 1 and clock.sleeps == []
    assert session.calls[0].kwargs['allow_redirects'] is False


def test_a_relative_redirect_is_resolved_and_the_url_option_is_named(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(302, headers={'Location': '/login?next=/v1/things'}))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock, url_option='url').request('GET', 'things', 'list things')
    assert "redirected to https://api.example.test/login; redirects are not followed: check the option 'url'" \
        in info.value.message


def test_a_redirect_without_location(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(302))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('GET', 'things', 'list things')
    assert info.value.message.startswith("answered with a redirect without a Location header; redirects are not "
                                         "followed: check the option 'api_url'")


def test_a_redirect_from_another_host_does_not_blame_the_url_option(scripted_session, clock):
    session = scripted_session([('GET', r'https://dl\.example\.test/f', reply(302, headers={'Location': 'https://x.test/y?sig=1'}))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('GET', 'https://dl.example.test/f', 'download f', stream=True)
    assert info.value.message == 'redirected to https://x.test/y; redirects are not followed'


def test_a_redirect_listed_in_ok_statuses_is_returned(scripted_session, clock):
    session = scripted_session([('GET', THINGS, reply(302, headers={'Location': 'https://x.test/'}))])
    assert client_for(session, clock).request('GET', 'things', 'x', ok_statuses=(302,)).status_code == 302


# --- plain http:// only with the opt-in ------------------------------------------------------------

@pytest.mark.parametrize('base', ['http://api.example.test/v1', 'HTTP://api.example.test', 'http://u:pw@api.example.test'])
def test_a_plain_http_base_is_refused_before_any_request(base):
    session = ScriptedSession([])
    with pytest.raises(InputError) as info:
        HttpClient('Vendor', base, session=session, url_option='url')
    assert str(info.value).startswith('url http://') or str(info.value).startswith('url HTTP://')
    assert 'cleartext' in str(info.value) and 'allow_insecure_http: true' in str(info.value)
    assert 'pw' not in str(info.value)
    assert session.calls == []


def test_a_plain_http_base_with_the_opt_in_works(scripted_session, clock):
    session = scripted_session([('GET', r'http://api\.example\.test/v1/things', OK)])
    client = HttpClient('Vendor', 'http://api.example.test/v1', session=session, allow_insecure_http=True,
                        sleep=clock.sleep, clock=clock.now, monotonic=clock.now)
    client.auth_headers = {'Authorization': 'Bearer t'}
    client.request('GET', 'things', 'list things')
    assert session.calls[0].headers['Authorization'] == 'Bearer t'


# --- clear errors instead of tracebacks ---------------------------------------------------------

def test_a_host_that_does_not_resolve_names_the_url_option_and_is_not_retried(scripted_session, clock):
    session = scripted_session([('GET', THINGS, name_resolution_error(URL))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock, url_option='url').request('GET', 'things', 'list things')
    assert info.value.message == "could not resolve host api.example.test: check the option 'url'"
    assert (info.value.retryable, info.value.maybe_applied) == (False, False)
    assert clock.sleeps == []


def test_a_download_host_that_does_not_resolve(scripted_session, clock):
    session = scripted_session([('GET', r'https://dl\.example\.test/f', name_resolution_error('https://dl.example.test/f'))])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock).request('GET', 'https://dl.example.test/f', 'download f')
    assert info.value.message == 'could not resolve host dl.example.test'


@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_a_resolver_that_cannot_answer_right_now_is_retried(scripted_session, clock, method):
    session = scripted_session([(method, THINGS, name_resolution_error(URL, temporary=True)), (method, THINGS, OK)])
    client = client_for(session, clock)
    client.request(method, 'things', 'list things')
    assert clock.sleeps == [0.5]
    assert dict(client.retry_reasons) == {"could not resolve host api.example.test: check the option 'api_url'": 1}


def test_an_unreadable_ca_bundle_is_an_error_not_a_traceback(scripted_session, clock):
    failure = OSError('Could not find a suitable TLS CA certificate bundle, invalid path: /nope/ca.pem')
    session = scripted_session([('GET', THINGS, failure)])
    with pytest.raises(PlatformError) as info:
        client_for(session, clock, ca_path='/nope/ca.pem').request('GET', 'things', 'list things')
    assert '/nope/ca.pem' in info.value.message and "'ca_path'" in info.value.message
    assert info.value.retryable is False and clock.sleeps == []
