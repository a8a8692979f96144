"""Fault injection, request log and control-interface behaviour."""

import time

import pytest
import requests

CREATE = '/arcgis/admin/system/disasterrecovery/stores/default-store/backups/create'


def _token(emu, session):
    return session.post(emu.api_base + '/arcgis/sharing/rest/generateToken', timeout=10, data={
        'username': 'dr-admin', 'password': 'Emul4tor-Pa55word!', 'client': 'referer', 'referer': 'x', 'f': 'json'}).json()['token']


def _create(emu, session, token, name):
    return session.post(emu.api_base + CREATE, timeout=10, data={'name': name, 'passcode': 'Passcode-123', 'f': 'json', 'token': token})


def _creates(emu):
    return emu.state('arcgis')['counts']['creates']


def test_status_fault_with_and_without_retry_after(emu):
    session = emu.new_session()
    emu.add_fault(path='/stores$', action='status', status=429, retry_after='3', body='{"error": "slow down"}')
    emu.add_fault(path='/stores$', action='status', status=503)
    url = emu.api_base + '/arcgis/admin/system/disasterrecovery/stores'
    first = session.get(url, params={'f': 'json'}, timeout=10)
    assert (first.status_code, first.headers['Retry-After'], first.json()) == (429, '3', {'error': 'slow down'})
    second = session.get(url, params={'f': 'json'}, timeout=10)
    assert second.status_code == 503 and 'Retry-After' not in second.headers and '<html>' in second.text
    assert session.get(url, params={'f': 'json'}, timeout=10).json()['error']['code'] == 499  # faults used up
    assert [f['count'] for f in emu.faults()] == [0, 0]


def test_drop_before_leaves_state_untouched(emu):
    session = emu.new_session()
    token = _token(emu, session)
    emu.add_fault(path='/backups/create$', method='POST', action='drop_before')
    with pytest.raises(requests.ConnectionError):
        _create(emu, session, token, 'b1')
    assert _creates(emu) == 0
    assert _create(emu, session, token, 'b1').json()['status'] == 'SUBMITTED'
    logged = emu.requests(method='POST', path='/create$')
    assert [(r['status'], r['fault']) for r in logged] == [('dropped', 'drop_before'), (200, None)]


def test_drop_after_changes_state(emu):
    session = emu.new_session()
    token = _token(emu, session)
    emu.add_fault(path='/backups/create$', action='drop_after')
    with pytest.raises(requests.ConnectionError):
        _create(emu, session, token, 'b1')
    assert _creates(emu) == 1
    assert _create(emu, session, token, 'b1').json()['code'] == 409  # the lost create did happen


def test_slow_skip_count_and_fraction(emu):
    session = emu.new_session()
    url = emu.api_base + '/arcgis/admin'
    emu.add_fault(path='^/arcgis/admin$', action='slow', delay=0.3, skip=1)
    started = time.monotonic()
    session.get(url, timeout=10)
    assert time.monotonic() - started < 0.25  # skipped
    started = time.monotonic()
    assert session.get(url, timeout=10).status_code == 200
    assert time.monotonic() - started >= 0.3
    emu.clear_faults()
    emu.add_fault(path='^/arcgis/admin$', action='status', status=502, count=None, fraction=0.5)
    codes = [session.get(url, timeout=10).status_code for dummy in range(40)]
    assert 5 < codes.count(502) < 35
    emu.reset()
    emu.add_fault(path='^/arcgis/admin$', action='status', status=502, count=None, fraction=0.5)
    assert [session.get(url, timeout=10).status_code for dummy in range(40)] == codes  # reproducible after reset


def test_fault_host_filter_and_bad_specs(emu):
    emu.add_file('f.bin', 1000, 1)
    emu.add_fault(path='^/files/', host='localhost', action='status', status=500, count=None)
    session = emu.new_session()
    assert session.get(emu.api_base + '/files/f.bin', timeout=10).status_code == 200
    assert session.get(emu.download_base + '/files/f.bin', timeout=10).status_code == 500
    for bad in ({'action': 'explode'}, {'action': 'status'}, {'action': 'slow', 'path': '('}, {'action': 'drop_before', 'colour': 1}):
        response = session.post(emu.api_base + '/_emulator/faults', json=bad, timeout=10)
        assert response.status_code == 400 and 'error' in response.json()


def test_request_log_filters_and_hosts(emu):
    session = emu.new_session()
    session.get(emu.api_base + '/arcgis/admin', params={'f': 'json', 'token': 'secret-token'}, timeout=10)
    session.post(emu.download_base + '/arcgis/admin', data={'f': 'json'}, headers={'Authorization': 'Bearer abc'}, timeout=10)
    entries = emu.requests()
    assert [(e['seq'] < f['seq']) for e, f in zip(entries, entries[1:])] == [True]
    first, second = entries
    assert (first['method'], first['host'], first['query']['token'], first['status']) == ('GET', '127.0.0.1', ['secret-token'], 200)
    assert (second['method'], second['host'], second['form'], second['headers']['Authorization']) == ('POST', 'localhost', {'f': ['json']}, 'Bearer abc')
    assert [e['host'] for e in emu.requests(host='localhost')] == ['localhost']
    assert [e['method'] for e in emu.requests(method='post', path='^/arcgis/')] == ['POST']
    assert emu.requests(path='nothing-like-this') == []
    emu.clear_requests()
    assert emu.requests() == []  # control calls themselves are never logged


def test_reset_config_clock_and_errors(emu):
    session = emu.new_session()
    emu.configure({'arcgis': {'job_seconds': 7}})
    emu.add_fault(path='.', action='status', status=500, count=None)
    session.get(emu.api_base + '/arcgis/admin', timeout=10)
    emu.advance_clock(100)
    emu.reset()
    state = emu.state()
    assert state['arcgis']['config']['job_seconds'] == 2.0 and state['files']['files'] == []
    assert emu.faults() == [] and emu.requests() == []
    assert session.get(emu.api_base + '/_emulator/clock', timeout=10).json()['offset'] == 0
    for path, body in (('/config', {'arcgis': {'nope': 1}}), ('/config', {'arcgis': {'job_seconds': 'x'}}),
                       ('/config', {'mystery': {}}), ('/config', {'arcgis': {'backup_result': 'maybe'}}),
                       ('/seed', {'arcgis': {'backups': [{'store': 'nope', 'backupName': 'x'}]}}), ('/clock', {'advance': -1})):
        response = session.post(emu.api_base + '/_emulator' + path, json=body, timeout=10)
        assert response.status_code == 400 and 'error' in response.json(), path
    assert session.get(emu.api_base + '/_emulator/unknown', timeout=10).status_code == 404


def test_status_fault_headers_make_redirects_and_typed_pages(emu):
    emu.add_file('f.bin', 1000, 1)
    emu.add_fault(path='^/files/f.bin$', action='status', status=302, body='',
                  headers={'Location': 'https://login.example.invalid/sso'})
    emu.add_fault(path='^/files/f.bin$', action='status', status=200, body='<html/>',
                  headers={'Content-Type': 'application/xhtml+xml', 'X-Served-By': 'proxy'})
    session = emu.new_session()
    url = emu.download_base + '/files/f.bin'
    moved = session.get(url, allow_redirects=False, timeout=10)
    assert (moved.status_code, moved.headers['Location']) == (302, 'https://login.example.invalid/sso')
    page = session.get(url, timeout=10)
    # one Content-Type (requests would join two with a comma): the fault's replaces the default
    assert (page.headers['Content-Type'], page.headers['X-Served-By'], page.text) == ('application/xhtml+xml', 'proxy', '<html/>')
    for bad in ({'Location': 1}, ['Location'], {'Content-Length': '5'}, {'X-Bad': 'a\r\nb'}, {'Bad Name': 'x'}):
        response = session.post(emu.api_base + '/_emulator/faults', json={'action': 'status', 'status': 302, 'headers': bad},
                                timeout=10)
        assert response.status_code == 400, bad


def test_truncate_with_delay_stalls_before_closing(emu):
    info = emu.add_file('f.bin', 100000, 1)
    emu.add_fault(path='^/files/f.bin$', action='truncate', truncate_at=40000, delay=0.6)
    received = bytearray()
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        with emu.new_session().get(emu.download_base + info['url_path'], stream=True, timeout=10) as response:
            for chunk in response.iter_content(1000):
                received += chunk
    assert time.monotonic() - started >= 0.6
    assert len(received) == 40000
