# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_module.run_module: every failure leaves the same way, and retries make exactly one warning."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _module
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.plugins.module_utils._module import check_common_options, run_module
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, reply

THINGS = r'https://api\.example\.test/things'


class Exited(Exception):
    def __init__(self, result):
        super(Exited, self).__init__(result)
        self.result = result


class Failed(Exception):
    def __init__(self, result):
        super(Failed, self).__init__(result)
        self.result = result


class FakeModule:
    def __init__(self, **params):
        self.params = dict(timeout=30.0, retries=3, wait_timeout=None)
        self.params.update(params)
        self.warnings = []

    def exit_json(self, **kwargs):
        raise Exited(kwargs)

    def fail_json(self, **kwargs):
        raise Failed(kwargs)

    def warn(self, warning):
        self.warnings.append(warning)


class Client:
    def __init__(self, session):
        clock = FakeClock()
        self.http = HttpClient('Vendor', 'https://api.example.test', session=session, retries=1, sleep=clock.sleep,
                               clock=clock.now, monotonic=clock.now, rng=lambda: 0.0)


def raising(exc):
    def action(_client):
        raise exc
    return action


def test_success_exits_with_the_result_and_no_warning(scripted_session):
    module = FakeModule()
    with pytest.raises(Exited) as info:
        run_module(module, lambda m: Client(scripted_session([])), lambda client: {'changed': True, 'thing': {'id': 1}})
    assert info.value.result == {'changed': True, 'thing': {'id': 1}}
    assert module.warnings == []


def test_input_error_fails_with_its_message(scripted_session):
    module = FakeModule()
    with pytest.raises(Failed) as info:
        run_module(module, lambda m: Client(scripted_session([])), raising(InputError('store x does not exist')))
    assert info.value.result == {'msg': 'store x does not exist'}


def test_input_error_while_building_the_client():
    module = FakeModule()

    def build_client(_ansible_module):
        raise InputError('credentials missing')

    with pytest.raises(Failed) as info:
        run_module(module, build_client, raising(AssertionError('not run')))
    assert info.value.result == {'msg': 'credentials missing'}
    assert module.warnings == []


@pytest.mark.parametrize('params, message', [
    (dict(timeout=0), 'timeout must be a positive number of seconds, at most 3600, got 0'),
    (dict(timeout=-1.5), 'timeout must be a positive number of seconds, at most 3600, got -1.5'),
    (dict(timeout=1e300), 'timeout must be a positive number of seconds, at most 3600, got 1e+300'),
    (dict(timeout=float('inf')), 'timeout must be a positive number of seconds, at most 3600, got inf'),
    (dict(timeout=float('nan')), 'timeout must be a positive number of seconds, at most 3600, got nan'),
    (dict(timeout=3600.5), 'timeout must be a positive number of seconds, at most 3600, got 3600.5'),
    (dict(retry_timeout=-1.0), 'retry_timeout must be a number of seconds from 0 to 86400, got -1.0'),
    (dict(retry_timeout=float('nan')), 'retry_timeout must be a number of seconds from 0 to 86400, got nan'),
    (dict(retry_timeout=1e300), 'retry_timeout must be a number of seconds from 0 to 86400, got 1e+300'),
    (dict(retries=-1), 'retries must be 0 or more, got -1'),
    (dict(wait_timeout=0), 'wait_timeout must be a positive number of seconds, got 0'),
])
def test_bad_common_options_fail_before_the_client_is_built(params, message):
    built = []
    with pytest.raises(Failed) as info:
        run_module(FakeModule(**params), built.append, raising(AssertionError('not run')))
    assert info.value.result == {'msg': message}
    assert built == []


def test_a_refusing_preflight_fails_before_the_client_is_built():
    built = []

    def preflight(params):
        assert params['timeout'] == 30.0
        raise InputError('refused')

    with pytest.raises(Failed) as info:
        run_module(FakeModule(), built.append, raising(AssertionError('not run')), preflight=preflight)
    assert info.value.result == {'msg': 'refused'}
    assert built == []


def test_a_passing_preflight_lets_the_run_go_on(scripted_session):
    seen = []
    with pytest.raises(Exited) as info:
        run_module(FakeModule(), lambda m: Client(scripted_session([])), lambda client: {'changed': False},
                   preflight=seen.append)
    assert info.value.result == {'changed': False}
    assert len(seen) == 1


@pytest.mark.parametrize('params', [
    dict(),
    dict(timeout=0.5, retries=0, wait_timeout=1),
    dict(timeout=None, retries=None),
    dict(timeout=3600, retry_timeout=0.0),
    dict(retry_timeout=86400),
    dict(api_url='https://api.example.test'),
    dict(url='HTTPS://gis.example.test/ctx'),
    dict(api_url=None),
    dict(ca_path='/nope/ca.pem', validate_certs=False),   # not used without validate_certs
])
def test_good_common_options(params):
    check_common_options(dict(params))


# --- plain http:// ------------------------------------------------------------------------------

@pytest.mark.parametrize('params, message', [
    (dict(api_url='http://jahia.example.test'),
     'api_url http://jahia.example.test uses plain http://: the credentials would travel in cleartext. Use https://, '
     'or set allow_insecure_http: true to accept that (test systems only)'),
    (dict(url='HTTP://user:pw@gis.example.test/ctx?token=t0k'),
     'url http://gis.example.test/ctx uses plain http://: the credentials would travel in cleartext. Use https://, '
     'or set allow_insecure_http: true to accept that (test systems only)'),
])
def test_plain_http_is_refused_before_the_client_is_built(params, message):
    built = []
    with pytest.raises(Failed) as info:
        run_module(FakeModule(**params), built.append, raising(AssertionError('not run')))
    assert info.value.result == {'msg': message}
    assert built == []


def test_plain_http_with_the_opt_in_warns_once(scripted_session):
    module = FakeModule(api_url='http://api.example.test', allow_insecure_http=True)
    with pytest.raises(Exited):
        run_module(module, lambda m: Client(scripted_session([])), lambda client: {'changed': False})
    assert module.warnings == ['api_url http://api.example.test uses plain http:// (allow_insecure_http: true): the '
                               'credentials travel in cleartext to whoever can read the network']


def test_the_opt_in_with_https_says_nothing(scripted_session):
    module = FakeModule(api_url='https://api.example.test', allow_insecure_http=True)
    with pytest.raises(Exited):
        run_module(module, lambda m: Client(scripted_session([])), lambda client: {'changed': False})
    assert module.warnings == []


# --- ca_path ------------------------------------------------------------------------------------

def test_a_missing_ca_path_fails_naming_the_option(tmp_path):
    missing = str(tmp_path / 'nope.pem')
    with pytest.raises(Failed) as info:
        run_module(FakeModule(ca_path=missing, validate_certs=True), raising(AssertionError('not built')),
                   raising(AssertionError('not run')))
    assert info.value.result == {'msg': 'ca_path %s does not exist: give the PEM file of the certificate authorities '
                                        'to trust' % missing}


def test_an_unreadable_ca_path_fails_naming_the_option(tmp_path, monkeypatch):
    path = tmp_path / 'ca.pem'
    path.write_text('x')

    def refuse(name, *args, **kwargs):  # what a mode-000 file gives (root would read it anyway)
        raise PermissionError(13, 'Permission denied', name)

    monkeypatch.setattr(_module, 'open', refuse, raising=False)
    with pytest.raises(Failed) as info:
        run_module(FakeModule(ca_path=str(path)), raising(AssertionError('not built')), raising(AssertionError('not run')))
    assert info.value.result == {'msg': 'ca_path %s cannot be read: Permission denied' % path}


def test_a_readable_ca_path_file_or_directory_passes(tmp_path):
    (tmp_path / 'ca.pem').write_text('-----BEGIN CERTIFICATE-----\n')
    check_common_options(dict(ca_path=str(tmp_path / 'ca.pem'), validate_certs=True))
    check_common_options(dict(ca_path=str(tmp_path), validate_certs=True))


def test_platform_error_fails_with_the_error_dict(scripted_session):
    exc = PlatformError('Vendor', 'create thing', 'exists', method='POST', url='https://api.example.test/things?token=s3cret',
                        status=409, code='DUP')
    with pytest.raises(Failed) as info:
        run_module(FakeModule(), lambda m: Client(scripted_session([])), raising(exc))
    assert info.value.result == {'msg': str(exc), 'error': exc.as_dict()}
    assert info.value.result['error']['url'] == 'https://api.example.test/things'
    assert 's3cret' not in str(info.value.result)


def test_wait_timeout_fails_with_elapsed(scripted_session):
    exc = WaitTimeout('Timed out after 30 seconds waiting for job 1; last seen: EXECUTING.', last='EXECUTING', elapsed=30.0)
    with pytest.raises(Failed) as info:
        run_module(FakeModule(), lambda m: Client(scripted_session([])), raising(exc))
    assert info.value.result == {'msg': str(exc), 'elapsed': 30.0}


def test_retries_make_exactly_one_warning_on_success(scripted_session):
    module = FakeModule()
    session = scripted_session([
        ('GET', THINGS, reply(503)), ('GET', THINGS, reply(200, json={})),
        ('GET', THINGS, reply(429)), ('GET', THINGS, reply(200, json={})),
    ])

    def action(client):
        client.http.request('GET', 'things', 'list things')
        client.http.request('GET', 'things', 'list things')
        return {'changed': False}

    with pytest.raises(Exited):
        run_module(module, lambda m: Client(session), action)
    assert module.warnings == ['Vendor: 2 requests had to be retried (1x HTTP 429, 1x HTTP 503), waiting 1 s in all.']


def test_retries_make_exactly_one_warning_on_failure(scripted_session):
    module = FakeModule()
    session = scripted_session([('GET', THINGS, reply(503)), ('GET', THINGS, reply(503))])
    with pytest.raises(Failed) as info:
        run_module(module, lambda m: Client(session), lambda client: client.http.request('GET', 'things', 'list things'))
    assert module.warnings == ['Vendor: 1 request had to be retried (1x HTTP 503), waiting 0.5 s in all.']
    assert info.value.result['error']['status'] == 503 and info.value.result['error']['retryable'] is True


def test_missing_requests_fails_naming_the_library(monkeypatch):
    monkeypatch.setattr(_module, 'HAS_REQUESTS', False)
    with pytest.raises(Failed) as info:
        run_module(FakeModule(), raising(AssertionError('not built')), raising(AssertionError('not run')))
    assert 'requests' in info.value.result['msg']


def test_a_failure_after_something_was_made_carries_the_result_so_far(scripted_session):
    # A create answered, then the wait ran out: changed, and the id of what was made, as data.
    def action(_client):
        result = dict(changed=False, backup={}, elapsed=12.0)
        with _module.reporting(result):
            result.update(changed=True, backup={'id': 'b-1'})
            raise WaitTimeout('Timed out after 30 seconds waiting for backup b-1; last seen: running.', elapsed=30.0)

    with pytest.raises(Failed) as info:
        run_module(FakeModule(), lambda m: Client(scripted_session([])), action)
    assert info.value.result == {'msg': 'Timed out after 30 seconds waiting for backup b-1; last seen: running.',
                                 'changed': True, 'backup': {'id': 'b-1'}, 'elapsed': 42.0}


@pytest.mark.parametrize('exc', [InputError('no'), PlatformError('Vendor', 'wait for thing', 'FAILED')])
def test_other_failures_carry_the_result_too_and_their_own_keys_win(scripted_session, exc):
    def action(_client):
        with _module.reporting(dict(changed=True, msg='not this one', thing={'id': 7})):
            raise exc

    with pytest.raises(Failed) as info:
        run_module(FakeModule(), lambda m: Client(scripted_session([])), action)
    assert info.value.result['changed'] is True and info.value.result['thing'] == {'id': 7}
    assert info.value.result['msg'] == str(exc)
