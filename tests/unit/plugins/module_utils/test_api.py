# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_api.PlatformApi: what a platform declares, and what the base does once for every platform."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, reply

BASE = 'https://api.example.test/v1'
THING = r'https://api\.example\.test/v1/things/1'
DEFAULTS = dict(api_url=BASE, validate_certs=True, ca_path=None, timeout=5.0, retries=2, retry_timeout=30.0,
                allow_insecure_http=False, token='s3cret-token')


class Vendor(PlatformApi):
    PLATFORM = 'Vendor'
    EXAMPLE_URL = 'https://api.example.test/v1'
    WRONG_URL_PATH = r'/v1/things(/.*)?$'
    NOT_JSON_HINT = 'is api_url the Vendor API base?'
    AUTH_HINT = "check the option 'token'"

    def check_params(self, params):
        if not params.get('token'):
            raise InputError('token must be set')

    def auth_headers(self, params):
        return {'Authorization': 'Bearer ' + params['token']}

    @staticmethod
    def parse_error(response):
        body = response.json()
        return body.get('code'), body.get('message')


class Silent(Vendor):
    EMPTY_ANSWER = None


@pytest.fixture
def clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(PlatformApi, 'clock', clock)
    return clock


def api_for(session_maker, script, cls=Vendor, **params):
    api = cls(FakeModule(params, defaults=DEFAULTS))
    api.http.session = session_maker(script)
    api.http.rng = lambda: 0.0
    return api


@pytest.mark.parametrize('url, message', [
    ('ftp://api.example.test/v1', "api_url must start with https:// (e.g. https://api.example.test/v1), got 'ftp://"),
    ('https://api.example.test/v1/things/7', 'api_url'),
])
def test_base_url_is_checked_before_anything(url, message):
    with pytest.raises(InputError) as info:
        Vendor(FakeModule(dict(api_url=url), defaults=DEFAULTS))
    assert message in str(info.value)


def test_params_are_checked_before_the_client_is_built():
    with pytest.raises(InputError, match='token must be set'):
        Vendor(FakeModule(dict(token=''), defaults=DEFAULTS))


def test_trailing_slash_is_dropped_and_auth_headers_sent(scripted_session, clock):  # pylint: disable=unused-argument
    api = api_for(scripted_session, [('GET', THING, reply(200, json={'id': 1}))], api_url=BASE + '/')
    assert api.url == BASE
    assert api.get('things/1', 'read thing 1') == {'id': 1}
    assert api.http.session.calls[0].headers['Authorization'] == 'Bearer s3cret-token'


def test_the_client_runs_on_the_platform_clock(scripted_session, clock):
    api = api_for(scripted_session, [('GET', THING, reply(503, json={})), ('GET', THING, reply(200, json={'id': 1}))])
    assert api.get('things/1', 'read thing 1') == {'id': 1}
    assert clock.sleeps == [0.5]  # the retry pause was taken on the injected clock, not the real one


def test_missing_is_returned_only_when_asked(scripted_session, clock):  # pylint: disable=unused-argument
    api = api_for(scripted_session, [('GET', THING, reply(404, json={'message': 'no such thing'})),
                                     ('GET', THING, reply(404, json={'message': 'no such thing'}))])
    assert api.get('things/1', 'read thing 1', missing=None) is None
    with pytest.raises(PlatformError) as info:
        api.get('things/1', 'read thing 1')
    assert info.value.status == 404 and info.value.hint is None


def test_a_refused_credential_carries_the_auth_hint(scripted_session, clock):  # pylint: disable=unused-argument
    api = api_for(scripted_session, [('GET', THING, reply(401, json={'message': 'bad token'}))])
    with pytest.raises(PlatformError) as info:
        api.get('things/1', 'read thing 1', missing=None)  # a 401 is never "missing"
    assert info.value.hint == "check the option 'token'"
    assert str(info.value).endswith("bad token (check the option 'token')")
    assert info.value.as_dict()['message'] == "bad token (check the option 'token')"


def test_an_answer_that_is_not_json_names_the_url_hint(scripted_session, clock):  # pylint: disable=unused-argument
    api = api_for(scripted_session, [('GET', THING, reply(200, text='<html>login</html>'))])
    with pytest.raises(PlatformError) as info:
        api.get('things/1', 'read thing 1')
    assert info.value.message == 'the answer is not JSON'
    assert info.value.status == 200 and info.value.method == 'GET'
    assert str(info.value).endswith('the answer is not JSON (is api_url the Vendor API base?)')


def test_an_empty_answer_is_an_error_unless_the_platform_declares_its_value(scripted_session, clock):  # pylint: disable=unused-argument
    with pytest.raises(PlatformError, match='not JSON'):
        api_for(scripted_session, [('POST', THING, reply(204))]).request('POST', 'things/1', 'poke thing 1')
    assert api_for(scripted_session, [('POST', THING, reply(204))], cls=Silent).request(
        'POST', 'things/1', 'poke thing 1') is None


def test_check_answer_turns_a_success_status_into_a_failure(scripted_session, clock):  # pylint: disable=unused-argument
    class Quirky(Vendor):
        def check_answer(self, body, response, method, operation):
            if body.get('error'):
                raise self.failure(operation, body['error'], response, method, code=body.get('code'))

    api = api_for(scripted_session, [('GET', THING, reply(200, json={'error': 'nope', 'code': 498})),
                                     ('GET', THING, reply(200, json={'error': 'no such thing', 'code': 404})),
                                     ('GET', THING, reply(200, json={'error': 'denied', 'code': 403}))], cls=Quirky)
    with pytest.raises(PlatformError) as info:
        api.get('things/1', 'read thing 1')
    assert (info.value.code, info.value.status, info.value.message, info.value.hint) == (498, 200, 'nope', None)
    # A body that says "missing" is missing; one that refuses gets the platform's hint, as a status would.
    Quirky.is_missing = lambda self, exc: exc.code == 404
    Quirky.hint = lambda self, exc: 'check the token' if exc.code == 403 else None
    assert api.get('things/1', 'read thing 1', missing=None) is None
    with pytest.raises(PlatformError) as info:
        api.get('things/1', 'read thing 1', missing=None)
    assert info.value.hint == 'check the token'


def test_remove_says_whether_it_was_there_and_is_idempotent(scripted_session, clock):  # pylint: disable=unused-argument
    api = api_for(scripted_session, [
        ('DELETE', THING, reply(502, json={})),  # a lost answer: a delete may be sent again
        ('DELETE', THING, reply(200, json={})),
        ('DELETE', THING, reply(404, json={'message': 'gone'})),
    ])
    assert api.remove('DELETE', 'things/1', 'delete thing 1') is True
    assert api.remove('DELETE', 'things/1', 'delete thing 1') is False


def test_a_platform_decides_what_missing_means(scripted_session, clock):  # pylint: disable=unused-argument
    class CodeMissing(Vendor):
        def is_missing(self, exc):
            return exc.code == 'NOT_FOUND'

    api = api_for(scripted_session, [('GET', THING, reply(400, json={'code': 'NOT_FOUND'})),
                                     ('GET', THING, reply(404, json={'code': 'OTHER'}))], cls=CodeMissing)
    assert api.get('things/1', 'read thing 1', missing='absent') == 'absent'
    with pytest.raises(PlatformError):
        api.get('things/1', 'read thing 1', missing='absent')
