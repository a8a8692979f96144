# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_download.download: only a verified file answer becomes ``dest``; streamed, resumed, atomic.

Most cases run against the real emulator over HTTPS (fixture ``emu``, tests/unit/conftest.py);
answers the emulator cannot give (a wrong Content-Range, no Content-Length, too many bytes) use the
scripted session. Every failure must leave ``dest`` (and a Mendix sidecar) as it was and no partial
file behind; a partial file left by a killed run is continued only when it is provably the same file.
"""

import errno
import fcntl
import hashlib
import json
import os
import signal
import stat
import time

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _download
from ansible_collections.saasops.backup.plugins.module_utils._download import download, part_paths
from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.plugins.module_utils._mendix_download import fetch, recorded, sidecar_path
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, Reply, reply

SIZE = 5 * 1024 * 1024
SMALL = 300000
SECRET = 'Bearer dl-s3cret-token'
PREVIOUS = b'the previous good backup'
IDENTITY = {'snapshot_id': 's-1', 'data_type': 'database_only'}


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def emulator_client(emu, base=None):
    clock = FakeClock()
    client = HttpClient('Files', base or emu.api_base, ca_path=emu.ca_path, retries=1, session=emu.new_session(),
                        sleep=clock.sleep, clock=clock.now)
    return client


def lower_keys(headers):
    return dict((k.lower(), v) for k, v in headers.items())


def listing(directory):
    return sorted(os.listdir(str(directory)))


def gets(emu, name):
    return emu.requests(method='GET', path=r'^/files/%s$' % name.replace('.', r'\.'))


@pytest.fixture
def five_mb(emu):
    info = emu.add_file('five.bin', SIZE, seed=7)
    return emu, info, emu.url(info['url_path'], download=True)


@pytest.fixture
def small(emu):
    info = emu.add_file('small.bin', SMALL, seed=11)
    return emu, info, emu.url(info['url_path'], download=True)


def served_archive(emu, name, data_type='database_only', size=SMALL, variant='valid'):
    """A Mendix download as its host serves it (a custom-format dump, a gzip tar), on the generic host."""
    emu.seed({'files': [{'name': name, 'size': size, 'seed': 11, 'mendix_archive': data_type, 'variant': variant}]})
    info = [f for f in emu.state('files')['files'] if f['name'] == name][0]
    return emu, info, emu.url(info['url_path'], download=True)


@pytest.fixture
def small_dump(emu):
    return served_archive(emu, 'dump.bin')


def test_downloads_byte_identical(five_mb, tmp_path):
    emu, info, url = five_mb
    dest = str(tmp_path / 'backup.bin')
    result = download(emulator_client(emu), url, dest, 'download five.bin', expected_size=SIZE, chunk_size=256 * 1024)
    assert result == {'path': dest, 'size': SIZE, 'sha256': info['sha256'], 'resumed': 0}
    assert sha256_of(dest) == info['sha256']
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert os.listdir(str(tmp_path)) == ['backup.bin']
    assert lower_keys(gets(emu, 'five.bin')[0]['headers'])['accept-encoding'] == 'identity'


def test_resumes_with_range_after_a_truncated_body(five_mb, tmp_path):
    emu, info, url = five_mb
    emu.add_fault(path=r'^/files/five\.bin$', action='truncate', truncate_at=1500000, count=2)
    dest = str(tmp_path / 'backup.bin')
    # chunk_size divides truncate_at: the bytes written before the drop are exactly the 1500000 sent
    result = download(emulator_client(emu), url, dest, 'download five.bin', expected_size=SIZE, chunk_size=100000)
    assert result['resumed'] >= 1
    assert (result['size'], result['sha256']) == (SIZE, info['sha256'])
    assert sha256_of(dest) == info['sha256']
    requests = [lower_keys(r['headers']) for r in gets(emu, 'five.bin')]
    assert 'range' not in requests[0]
    assert requests[1]['range'] == 'bytes=1500000-'
    # the range only if the host still has the same file (its ETag), else the whole file again
    assert all(r['range'].startswith('bytes=') and r['if-range'] == etag_of(emu, url) for r in requests[1:])
    assert os.listdir(str(tmp_path)) == ['backup.bin']


def test_gives_up_after_max_resumes_leaving_nothing_behind(five_mb, tmp_path):
    emu, _info, url = five_mb
    emu.add_fault(path=r'^/files/five\.bin$', action='truncate', count=None)
    dest = str(tmp_path / 'backup.bin')
    with pytest.raises(PlatformError) as info:
        download(emulator_client(emu), url, dest, 'download five.bin', max_resumes=2, identity=IDENTITY)
    assert 'interrupted 3 times' in str(info.value)
    assert info.value.retryable is True
    assert not os.path.exists(dest)
    assert os.listdir(str(tmp_path)) == []   # no .part, no record left
    assert len(gets(emu, 'five.bin')) == 3


def test_announced_size_other_than_the_vendors_fails_before_the_body_and_keeps_dest(five_mb, tmp_path):
    emu, _info, url = five_mb
    dest = tmp_path / 'backup.bin'
    dest.write_bytes(PREVIOUS)
    with pytest.raises(PlatformError) as info:
        download(emulator_client(emu), url, str(dest), 'download five.bin', expected_size=SIZE + 1)
    assert 'announced %d bytes, the vendor reported %d' % (SIZE, SIZE + 1) in str(info.value)
    assert dest.read_bytes() == PREVIOUS
    assert os.listdir(str(tmp_path)) == ['backup.bin']


def test_vendor_credentials_never_reach_the_download_host(five_mb, tmp_path):
    emu, info, url = five_mb
    assert url.startswith('https://localhost:') and emu.api_base.startswith('https://127.0.0.1:')
    client = emulator_client(emu, base=emu.api_base)
    client.auth_headers = {'Authorization': SECRET}
    download(client, url, str(tmp_path / 'a.bin'), 'download five.bin')
    # the same download from the API host itself does carry them: the log records them
    download(client, emu.url(info['url_path']), str(tmp_path / 'b.bin'), 'download five.bin')
    at_download_host = emu.requests(host='localhost')
    at_api_host = emu.requests(host='127.0.0.1')
    assert at_download_host and at_api_host
    assert all('authorization' not in lower_keys(r['headers']) for r in at_download_host)
    assert all(SECRET not in str(r) for r in at_download_host)
    assert all(lower_keys(r['headers']).get('authorization') == SECRET for r in at_api_host)


# --- answers that are not the file: refused, dest untouched, nothing followed or left -----------

NOT_A_FILE = {
    'redirect 302 to a login page': (
        dict(action='status', status=302, body='', headers={'Location': 'https://login.example.invalid/sso?next=tok3n'}),
        ['HTTP 302', 'redirected (HTTP 302) to https://login.example.invalid/sso;', 'never follows a redirect']),
    'redirect 307 to a relative place': (
        dict(action='status', status=307, body='Temporary Redirect', headers={'Location': '/elsewhere/five.bin?sig=abc'}),
        ['HTTP 307', '/elsewhere/five.bin;']),
    'redirect 301 without Location': (
        dict(action='status', status=301, body=''), ['a redirect (HTTP 301) without a Location']),
    'a 200 HTML page': (
        dict(action='status', status=200, body='<html><body>Please sign in</body></html>'),
        ['HTTP 200', 'an HTML page (Content-Type text/html)', 'Nothing was saved']),
    'a 200 XHTML page': (
        dict(action='status', status=200, body='<html/>', headers={'Content-Type': 'application/xhtml+xml'}),
        ['an HTML page (Content-Type application/xhtml+xml)']),
    'a 204 without content': (dict(action='status', status=204, body=''), ['answered HTTP 204, not the file']),
}


@pytest.mark.parametrize('fault, words', list(NOT_A_FILE.values()), ids=list(NOT_A_FILE))
def test_an_answer_that_is_not_the_file_is_refused_and_dest_kept(five_mb, tmp_path, fault, words):
    emu, _info, url = five_mb
    emu.add_fault(path=r'^/files/five\.bin$', **fault)
    dest = tmp_path / 'backup.bin'
    dest.write_bytes(PREVIOUS)
    with pytest.raises(PlatformError) as info:
        download(emulator_client(emu), url, str(dest), 'download five.bin', identity=IDENTITY)
    for word in words:
        assert word in str(info.value)
    assert 'tok3n' not in str(info.value) and 'sig=' not in str(info.value)
    assert info.value.retryable is False
    assert dest.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ['backup.bin']
    assert len(emu.requests()) == 1   # the redirect was not followed, nothing was retried


def test_a_redirect_in_place_of_the_rest_of_a_cut_file_is_refused(five_mb, tmp_path):
    emu, _info, url = five_mb
    emu.add_fault(path=r'^/files/five\.bin$', action='truncate', truncate_at=1000000)
    emu.add_fault(path=r'^/files/five\.bin$', action='status', status=302, body='',
                  headers={'Location': 'https://login.example.invalid/'})
    with pytest.raises(PlatformError, match='redirected'):
        download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download five.bin', chunk_size=100000)
    assert listing(tmp_path) == []


# --- scripted: answers the emulator cannot give -------------------------------------------------

BODY = bytes(range(256)) * 40   # 10240 bytes
FILE_URL = 'https://dl.example.test/f.bin'
FILE_RE = r'https://dl\.example\.test/f\.bin'


class NoLength(Reply):
    """A 200 without Content-Length (chunked, or a closing connection)."""

    def build(self, method, url, params=None):
        response = super().build(method, url, params)
        del response.headers['Content-Length']
        return response


def scripted_client(session):
    clock = FakeClock()
    return HttpClient('Files', 'https://api.example.test', session=session, sleep=clock.sleep, clock=clock.now)


def cut(status=200, end=4000, **headers):
    """The first ``end`` bytes of BODY, the connection then closing early."""
    headers.setdefault('Content-Length', str(len(BODY)))
    return reply(status, content=BODY[:end], headers=headers)


REFUSED = {
    '206 to a request without Range': (
        [reply(206, content=BODY, headers={'Content-Range': 'bytes 0-10239/10240'})],
        'answered 206 (a part of the file) to a request for the whole file'),
    '206 from another byte than asked': (
        [cut(), reply(206, content=BODY[3000:], headers={'Content-Range': 'bytes 3000-10239/10240'})],
        'answered bytes 3000-10239 of the file to a request from byte 4000'),
    '206 with an unknown total': (
        [cut(), reply(206, content=BODY[4000:], headers={'Content-Range': 'bytes 4000-10239/*'})],
        'without a usable Content-Range'),
    '206 without Content-Range': ([cut(), reply(206, content=BODY[4000:])], 'without a usable Content-Range'),
    '206 whose length is not its range': (
        [cut(), reply(206, content=BODY[4000:], headers={'Content-Range': 'bytes 4000-10239/10240', 'Content-Length': '10'})],
        'inconsistent range'),
    '200 without a size': ([NoLength(200, content=BODY)], 'announced no size (no Content-Length)'),
    '200 with more bytes than announced': (
        [reply(200, content=BODY, headers={'Content-Length': '5000'})], 'sent more than the 5000 bytes it announced'),
    '200 HTML error page after a cut': (
        [cut(), reply(200, text='<html>Service Unavailable</html>')], 'an HTML page'),
    'malformed Content-Length': ([reply(200, content=BODY, headers={'Content-Length': 'lots'})], 'malformed Content-Length'),
}


@pytest.mark.parametrize('answers, message', list(REFUSED.values()), ids=list(REFUSED))
def test_scripted_answers_that_are_not_the_file_are_refused(scripted_session, tmp_path, answers, message):
    dest = tmp_path / 'f.bin'
    dest.write_bytes(PREVIOUS)
    session = scripted_session([('GET', FILE_RE, answer) for answer in answers])
    with pytest.raises(PlatformError) as info:
        download(scripted_client(session), FILE_URL, str(dest), 'download f.bin', identity=IDENTITY)
    assert message in str(info.value)
    assert dest.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ['f.bin']


def test_temp_file_is_beside_dest_and_renamed_atomically(scripted_session, tmp_path, monkeypatch):
    dest = str(tmp_path / 'backup.bin')
    replaced = []
    real_replace = os.replace

    def spy_replace(src, dst):
        with open(src, 'rb') as handle:
            replaced.append((src, dst, handle.read(), os.path.exists(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(_download.os, 'replace', spy_replace)
    session = scripted_session([('GET', FILE_RE, reply(200, content=BODY))])
    result = download(scripted_client(session), FILE_URL, dest, 'download f.bin', chunk_size=1000)
    assert len(replaced) == 1
    src, dst, content, dest_existed = replaced[0]
    assert (dst, content, dest_existed) == (dest, BODY, False)
    assert src == str(tmp_path / '.backup.bin.part')
    assert not os.path.exists(src)
    assert result == {'path': dest, 'size': len(BODY), 'sha256': hashlib.sha256(BODY).hexdigest(), 'resumed': 0}
    assert session.calls[0].stream is True


def test_short_read_resumes_with_range_and_appends_a_206(scripted_session, tmp_path):
    dest = tmp_path / 'f.bin'
    session = scripted_session([
        ('GET', FILE_RE, cut(ETag='"v1"')),
        ('GET', FILE_RE, reply(206, content=BODY[4000:], headers={'Content-Range': 'bytes 4000-10239/10240', 'ETag': '"v1"'})),
    ])
    result = download(scripted_client(session), FILE_URL, str(dest), 'download f.bin')
    assert dest.read_bytes() == BODY
    assert result['resumed'] == 1 and result['sha256'] == hashlib.sha256(BODY).hexdigest()
    assert 'Range' not in session.calls[0].headers
    assert session.calls[1].headers['Range'] == 'bytes=4000-'
    assert session.calls[1].headers['If-Range'] == '"v1"'


def test_range_ignored_by_the_server_starts_over(scripted_session, tmp_path):
    dest = tmp_path / 'f.bin'
    session = scripted_session([
        ('GET', FILE_RE, cut()),
        ('GET', FILE_RE, reply(200, content=BODY)),
    ])
    result = download(scripted_client(session), FILE_URL, str(dest), 'download f.bin')
    assert dest.read_bytes() == BODY   # not the first 4000 bytes twice
    assert result['size'] == len(BODY) and result['sha256'] == hashlib.sha256(BODY).hexdigest()


def test_a_file_changed_on_the_server_mid_download_starts_over(scripted_session, tmp_path):
    other = bytes(reversed(BODY)) + b'tail'
    dest = tmp_path / 'f.bin'
    session = scripted_session([
        ('GET', FILE_RE, cut(ETag='"v1"')),
        # a server ignoring If-Range that sends the range of its new file: never appended
        ('GET', FILE_RE, reply(206, content=other[4000:], headers={'Content-Range': 'bytes 4000-10243/10244', 'ETag': '"v2"'})),
        ('GET', FILE_RE, reply(200, content=other, headers={'ETag': '"v2"'})),
    ])
    result = download(scripted_client(session), FILE_URL, str(dest), 'download f.bin')
    assert dest.read_bytes() == other and result['sha256'] == hashlib.sha256(other).hexdigest()
    assert 'Range' not in session.calls[2].headers


def test_http_error_is_raised_and_nothing_is_left(scripted_session, tmp_path):
    session = scripted_session([('GET', FILE_RE, reply(403, text='<Error>AccessDenied</Error>'))])
    with pytest.raises(PlatformError) as info:
        download(scripted_client(session), FILE_URL, str(tmp_path / 'f.bin'), 'download f.bin')
    assert info.value.status == 403
    assert os.listdir(str(tmp_path)) == []


# --- cut at any point: sha256-identical, or a clean failure -----------------------------------

CUTS = [0, 1, 65520, 65521, 100000, SMALL // 2, SMALL - 2, SMALL - 1]


def replace_file_after_first_request(client, emu, name):
    """After the first request (its answer already streaming), the host gets another file of the same size."""
    real_request = client.request
    replaced = []

    def request(*args, **kwargs):
        response = real_request(*args, **kwargs)
        if not replaced:
            replaced.append(emu.add_file(name, SMALL, seed='replaced'))
        return response

    client.request = request
    return replaced


HOSTS = ['host with Range', 'host without Range', 'file replaced after the cut']


@pytest.mark.parametrize('host', HOSTS)
@pytest.mark.parametrize('offset', CUTS)
def test_a_download_cut_anywhere_ends_identical(small, tmp_path, offset, host):
    emu, info, url = small
    client = emulator_client(emu)
    replaced = None
    if host == 'host without Range':
        info = emu.add_file('small.bin', SMALL, seed=11, ranges=False)
    elif host == 'file replaced after the cut':
        replaced = replace_file_after_first_request(client, emu, 'small.bin')
    emu.add_fault(path=r'^/files/small\.bin$', action='truncate', truncate_at=offset)
    dest = tmp_path / 'backup.bin'
    dest.write_bytes(PREVIOUS)
    result = download(client, url, str(dest), 'download small.bin', chunk_size=1, identity=IDENTITY)
    if host == 'file replaced after the cut':
        # what the host has now, whole: never the first bytes of one file and the rest of another
        info = replaced[0]
    assert (result['size'], result['sha256'], result['resumed']) == (SMALL, info['sha256'], 1)
    assert sha256_of(str(dest)) == info['sha256']
    assert listing(tmp_path) == ['backup.bin']
    second = gets(emu, 'small.bin')[1]
    # chunk_size 1: every byte sent before the cut was written, so the resume asks for exactly the rest
    assert lower_keys(second['headers']).get('range') == ('bytes=%d-' % offset if offset else None)
    assert second['status'] == (206 if host == 'host with Range' and offset else 200)


# Every answer cut after ``offset`` body bytes: the download needs ceil(SMALL / offset) answers, so it
# ends identical when that many fit in 1 + max_resumes, and fails cleanly when they do not.
EVERY_ANSWER_CUT = [(0, 3), (1, 3), (100000, 1), (100000, 2), (SMALL // 2, 1), (SMALL - 1, 1)]


@pytest.mark.parametrize('offset, max_resumes', EVERY_ANSWER_CUT)
def test_every_answer_cut_ends_identical_or_fails_cleanly(small, tmp_path, offset, max_resumes):
    emu, info, url = small
    emu.add_fault(path=r'^/files/small\.bin$', action='truncate', truncate_at=offset, count=None)
    dest = tmp_path / 'backup.bin'
    dest.write_bytes(PREVIOUS)
    needed = -(-SMALL // offset) if offset else None
    client = emulator_client(emu)
    if needed is not None and needed <= 1 + max_resumes:
        result = download(client, url, str(dest), 'download small.bin', chunk_size=1, max_resumes=max_resumes,
                          identity=IDENTITY)
        assert (result['sha256'], result['resumed']) == (info['sha256'], needed - 1)
        assert sha256_of(str(dest)) == info['sha256']
    else:
        with pytest.raises(PlatformError, match='interrupted %d times' % (max_resumes + 1)):
            download(client, url, str(dest), 'download small.bin', chunk_size=1, max_resumes=max_resumes,
                     identity=IDENTITY)
        assert dest.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ['backup.bin']


# --- what an interrupted earlier run left ------------------------------------------------------

def stale(tmp_path, content, record=None, name='backup.bin'):
    part, record_path = part_paths(str(tmp_path / name))
    with open(part, 'wb') as handle:
        handle.write(content)
    if record is not None:
        with open(record_path, 'w', encoding='utf-8') as handle:
            json.dump(record, handle)
    return part, record_path


def served_bytes(emu, url, end):
    """The first ``end`` bytes of the file (the request log is cleared afterwards)."""
    content = emu.new_session().get(url, headers={'Range': 'bytes=0-%d' % (end - 1)}, timeout=10).content
    emu.clear_requests()
    return content


def etag_of(emu, url):
    return emu.new_session().head(url, timeout=10).headers['ETag']


def test_partial_files_of_the_old_random_kind_are_removed(small, tmp_path):
    emu, info, url = small
    for name in ('.backup.bin.k2j4_x9a.part', '.backup.bin.abcdefgh.part'):
        (tmp_path / name).write_bytes(b'half a file')
    (tmp_path / '.other.bin.abcdefgh.part').write_bytes(b'not ours')
    download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin')
    assert sha256_of(str(tmp_path / 'backup.bin')) == info['sha256']
    assert listing(tmp_path) == ['.other.bin.abcdefgh.part', 'backup.bin']


def _download_in_child(emu, url, dest, ready):
    """Fork a process that downloads ``url`` (its connection stalls mid-body) and signals when it is under way."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            client = emulator_client(emu)
            download(client, url, dest, 'download small.bin', chunk_size=65536, identity=IDENTITY)
        except BaseException:  # pylint: disable=broad-except
            code = 1
        finally:
            os._exit(code)  # pylint: disable=protected-access
    deadline = time.monotonic() + 20
    part = part_paths(dest)[0]
    while time.monotonic() < deadline:
        if os.path.exists(part) and os.path.getsize(part) >= ready:
            return pid
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError('the child never wrote %d bytes to %s' % (ready, part))


def test_a_run_killed_by_sigterm_is_resumed_by_the_next(small, tmp_path):
    emu, info, url = small
    # the host sends 200000 bytes, then holds the connection open: the child is killed mid-body
    emu.add_fault(path=r'^/files/small\.bin$', action='truncate', truncate_at=200000, delay=15)
    dest = str(tmp_path / 'backup.bin')
    pid = _download_in_child(emu, url, dest, 3 * 65536)
    os.kill(pid, signal.SIGTERM)
    assert os.waitpid(pid, 0)[1] != 0
    part, record_path = part_paths(dest)
    left = os.path.getsize(part)
    assert listing(tmp_path) == ['.backup.bin.part', '.backup.bin.part.json']
    with open(record_path, encoding='utf-8') as handle:
        record = json.load(handle)
    assert record == {'identity': IDENTITY, 'etag': etag_of(emu, url), 'total': SMALL}
    assert 'signature' not in json.dumps(record) and url not in json.dumps(record)

    result = download(emulator_client(emu), url, dest, 'download small.bin', identity=IDENTITY)
    assert (result['size'], result['sha256'], result['resumed']) == (SMALL, info['sha256'], 1)
    assert sha256_of(dest) == info['sha256']
    assert listing(tmp_path) == ['backup.bin']
    last = gets(emu, 'small.bin')[-1]
    headers = lower_keys(last['headers'])
    # the last 64 KiB of the partial file are fetched again and compared before it is continued
    assert headers['range'] == 'bytes=%d-' % (left - min(_download.OVERLAP, left))
    assert headers['if-range'] == record['etag'] and last['status'] == 206


def record_for(emu, url, **changes):
    return dict({'identity': IDENTITY, 'etag': etag_of(emu, url), 'total': SMALL}, **changes)


# How the partial file's record differs -> the requests made: (sent a Range, status answered).
STALE_STARTED_OVER = {
    'no record': (lambda emu, url: None, [(False, 200)]),
    'another snapshot': (lambda emu, url: record_for(emu, url, identity=dict(IDENTITY, snapshot_id='s-2')), [(False, 200)]),
    # If-Range with an ETag the host no longer has: it sends the whole file
    'another ETag': (lambda emu, url: record_for(emu, url, etag='"changed-since"'), [(True, 200)]),
    'a weak ETag': (lambda emu, url: record_for(emu, url, etag='W/' + etag_of(emu, url)), [(False, 200)]),
    # the host's answer names another total: the range is not appended, the file is asked for again
    'another size': (lambda emu, url: record_for(emu, url, total=SMALL + 5), [(True, 206), (False, 200)]),
    'a torn record': (lambda emu, url: '{"identity": {"snaps', [(False, 200)]),
}


@pytest.mark.parametrize('make_record, requests', list(STALE_STARTED_OVER.values()), ids=list(STALE_STARTED_OVER))
def test_a_partial_file_that_cannot_be_proven_the_same_is_started_over(small, tmp_path, make_record, requests):
    emu, info, url = small
    record = make_record(emu, url)
    part, record_path = stale(tmp_path, b'\0' * 150000, None if isinstance(record, str) else record)
    if isinstance(record, str):
        with open(record_path, 'w', encoding='utf-8') as handle:
            handle.write(record)
    result = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin', identity=IDENTITY)
    assert (result['size'], result['sha256']) == (SMALL, info['sha256'])
    assert listing(tmp_path) == ['backup.bin']
    assert not os.path.exists(part) and not os.path.exists(record_path)
    assert [('range' in lower_keys(r['headers']), r['status']) for r in gets(emu, 'small.bin')] == requests


def test_a_partial_file_whose_end_never_reached_the_disk_is_started_over(small, tmp_path):
    emu, info, url = small
    good = served_bytes(emu, url, 150000)
    torn = good[:-100] + b'\0' * 100   # e.g. a power loss: the last block was never written
    stale(tmp_path, torn, record_for(emu, url))
    result = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin', identity=IDENTITY)
    assert result['sha256'] == info['sha256'] and sha256_of(str(tmp_path / 'backup.bin')) == info['sha256']
    statuses = [(lower_keys(r['headers']).get('range'), r['status']) for r in gets(emu, 'small.bin')]
    assert statuses == [('bytes=%d-' % (150000 - _download.OVERLAP), 206), (None, 200)]
    assert listing(tmp_path) == ['backup.bin']


def test_a_partial_file_as_long_as_the_file_is_started_over(small, tmp_path):
    emu, info, url = small
    stale(tmp_path, served_bytes(emu, url, SMALL) + b'more', record_for(emu, url))
    result = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin', identity=IDENTITY)
    assert result['sha256'] == info['sha256'] and result['resumed'] == 0
    assert listing(tmp_path) == ['backup.bin']


def test_an_interrupt_keeps_the_partial_file_for_the_next_run(small, tmp_path, monkeypatch):
    emu, info, url = small
    real_write = _download._Part.write  # pylint: disable=protected-access
    calls = []

    def write_then_interrupt(self, chunk):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_write(self, chunk)

    monkeypatch.setattr(_download._Part, 'write', write_then_interrupt)  # pylint: disable=protected-access
    dest = str(tmp_path / 'backup.bin')
    with pytest.raises(KeyboardInterrupt):
        download(emulator_client(emu), url, dest, 'download small.bin', chunk_size=50000, identity=IDENTITY)
    assert listing(tmp_path) == ['.backup.bin.part', '.backup.bin.part.json']
    monkeypatch.setattr(_download._Part, 'write', real_write)  # pylint: disable=protected-access
    result = download(emulator_client(emu), url, dest, 'download small.bin', identity=IDENTITY)
    assert result['sha256'] == info['sha256'] and result['resumed'] == 1
    assert lower_keys(gets(emu, 'small.bin')[-1]['headers'])['range'] == 'bytes=%d-' % (100000 - _download.OVERLAP)


def test_a_second_run_on_the_same_dest_is_refused_while_the_first_holds_it(small, tmp_path):
    emu, _info, url = small
    part = part_paths(str(tmp_path / 'backup.bin'))[0]
    with open(part, 'wb') as holder:
        holder.write(b'the other run is writing this')
        holder.flush()
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(PlatformError, match='another run is downloading to .*backup.bin'):
            download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin')
        with open(part, 'rb') as handle:
            assert handle.read() == b'the other run is writing this'
    assert gets(emu, 'small.bin') == []


def test_a_link_planted_at_the_partial_file_is_not_written_through(small, tmp_path):
    emu, info, url = small
    victim = tmp_path / 'victim.txt'
    victim.write_bytes(b'keep me')
    os.symlink(str(victim), part_paths(str(tmp_path / 'backup.bin'))[0])
    download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin')
    assert victim.read_bytes() == b'keep me'
    assert sha256_of(str(tmp_path / 'backup.bin')) == info['sha256']
    assert listing(tmp_path) == ['backup.bin', 'victim.txt']


# --- Mendix: the sidecar says what dest holds, and a failure changes neither -------------------

def test_fetch_records_the_file_and_a_failed_fetch_keeps_file_and_record(small_dump, tmp_path):
    emu, info, url = small_dump
    dest = str(tmp_path / 'db.backup')
    first = fetch(emulator_client(emu), url, dest, 's-1', 'database_only', 'download s-1')
    assert first['sha256'] == info['sha256'] and recorded(dest, 's-1', 'database_only')['sha256'] == info['sha256']
    assert recorded(dest, 's-1', 'database_only')['archive'] == first['archive']
    assert first['archive']['kind'] == 'database_only' and first['archive']['dump_version'] == '1.14.0'
    with open(sidecar_path(dest), 'rb') as handle:
        sidecar_before = handle.read()
    emu.add_fault(path=r'^/files/dump\.bin$', action='status', status=200, body='<html>Login</html>')
    with pytest.raises(PlatformError, match='HTML page'):
        fetch(emulator_client(emu), url, dest, 's-2', 'database_only', 'download s-2')
    with open(sidecar_path(dest), 'rb') as handle:
        assert handle.read() == sidecar_before
    assert sha256_of(dest) == info['sha256']
    assert recorded(dest, 's-1', 'database_only')['sha256'] == info['sha256']   # still recognised
    assert listing(tmp_path) == ['db.backup', 'db.backup.mendix-snapshot.json']


def test_fetch_resumes_a_partial_file_of_the_same_snapshot_only(small_dump, tmp_path):
    emu, info, url = small_dump
    dest = str(tmp_path / 'db.backup')
    stale(tmp_path, served_bytes(emu, url, 120000), record_for(emu, url), name='db.backup')
    got = fetch(emulator_client(emu), url, dest, 's-1', 'database_only', 'download s-1')
    assert got['sha256'] == info['sha256'] and got['resumed'] == 1 and got['archive']['kind'] == 'database_only'
    assert lower_keys(gets(emu, 'dump.bin')[-1]['headers'])['range'] == 'bytes=%d-' % (120000 - _download.OVERLAP)
    assert listing(tmp_path) == ['db.backup', 'db.backup.mendix-snapshot.json']


@pytest.mark.parametrize('content, trusted', [
    (b'PGDMP\x01\x0e\x00', True),
    (b'\x1f\x8b\x08\x00', True),
    (b'<html><head><title>302 Found</title></head></html>', False),
    (b'\r\n  <!DOCTYPE html><html>Sign in</html>', False),
    (b'\xef\xbb\xbf<?xml version="1.0"?><Error>AccessDenied</Error>', False),
    (b'', False),
])
def test_a_recorded_page_or_empty_file_is_not_taken_for_a_snapshot(tmp_path, content, trusted):
    """What versions before the download checks saved from a redirect or a login page, and recorded."""
    dest = str(tmp_path / 'db.backup')
    with open(dest, 'wb') as handle:
        handle.write(content)
    with open(sidecar_path(dest), 'w', encoding='utf-8') as handle:
        json.dump({'snapshot_id': 's-1', 'data_type': 'database_only', 'size': len(content), 'sha256': 'x',
                   'mtime_ns': os.stat(dest).st_mtime_ns}, handle)
    assert (recorded(dest, 's-1', 'database_only') is not None) is trusted


def test_a_file_system_without_locks_still_downloads(small, tmp_path, monkeypatch):
    emu, info, url = small

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, 'No locks available')

    monkeypatch.setattr(_download.fcntl, 'flock', no_locks)
    result = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin')
    assert result['sha256'] == info['sha256'] and listing(tmp_path) == ['backup.bin']


# --- check: the content is verified as it is written, before it becomes dest ------------------

class Recorder:
    """A check that hashes what it is given, in order, and counts the times it is started over."""

    def __init__(self):
        self.digest, self.size, self.resets = hashlib.sha256(), 0, 0

    def update(self, data):
        self.digest.update(data)
        self.size += len(data)

    def reset(self):
        self.digest, self.size = hashlib.sha256(), 0
        self.resets += 1

    def finish(self):
        return {'sha256': self.digest.hexdigest(), 'size': self.size}


def test_the_check_sees_every_byte_once_in_order_across_a_cut_connection(small, tmp_path):
    emu, info, url = small
    emu.add_fault(path=r'^/files/small\.bin$', action='truncate', truncate_at=123457, count=1)
    check = Recorder()
    result = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin', check=check)
    assert result['resumed'] == 1 and result['checked'] == {'sha256': info['sha256'], 'size': SMALL}
    assert check.resets == 0


def test_the_check_sees_the_prefix_of_a_continued_partial_file_and_starts_over_with_the_download(small, tmp_path):
    emu, info, url = small
    stale(tmp_path, served_bytes(emu, url, 120000), record_for(emu, url))
    continued = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin',
                         identity=IDENTITY, check=Recorder())
    assert continued['resumed'] == 1 and continued['checked']['sha256'] == info['sha256']
    os.unlink(str(tmp_path / 'backup.bin'))
    # The host has another file than the partial one is a prefix of: all of it again, and the check too.
    stale(tmp_path, served_bytes(emu, url, 120000), record_for(emu, url, etag='"changed-since"'))
    check = Recorder()
    again = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin',
                     identity=IDENTITY, check=check)
    assert again['checked'] == {'sha256': info['sha256'], 'size': SMALL} and check.resets == 1


def test_a_partial_file_that_fails_the_check_is_not_continued(small_dump, tmp_path):
    emu, info, url = small_dump
    stale(tmp_path, b'PK\x03\x04' + b'\0' * 119996, record_for(emu, url), name='db.backup')
    got = fetch(emulator_client(emu), url, str(tmp_path / 'db.backup'), 's-1', 'database_only', 'download s-1')
    assert got['sha256'] == info['sha256'] and got['resumed'] == 0 and got['archive']['dump_version'] == '1.14.0'
    assert [('range' in lower_keys(r['headers']), r['status']) for r in gets(emu, 'dump.bin')] == [(False, 200)]
    assert listing(tmp_path) == ['db.backup', 'db.backup.mendix-snapshot.json']


@pytest.mark.parametrize('variant, data_type, found', [
    ('truncated', 'files_and_database', 'a gzip stream that stops before its end'),
    ('corrupt', 'files_and_database', 'a gzip stream that is corrupt'),
    ('zip', 'database_only', 'found a zip archive'),
    ('html', 'files_and_database', 'found an HTML or XML page'),
    ('swapped', 'files_and_database', 'found a PostgreSQL dump'),
    ('no_database', 'files_and_database', 'without db/db.backup'),
    ('bad_metadata', 'files_and_database', '.metadata is not JSON'),
])
def test_content_that_fails_the_check_never_becomes_dest_and_leaves_nothing_to_resume(
        emu, tmp_path, variant, data_type, found):
    info, url = served_archive(emu, 'bad.bin', data_type, variant=variant)[1:]
    good = served_archive(emu, 'good.bin', data_type)[2]
    dest = str(tmp_path / 'db.backup')
    with pytest.raises(PlatformError) as caught:
        fetch(emulator_client(emu), url, dest, 's-1', data_type, 'download s-1')
    message = str(caught.value)
    assert 'not a %s archive: expected ' % data_type in message and found in message, message
    assert 'Nothing was saved' in message and 'signature' not in message
    assert listing(tmp_path) == []  # no dest, no partial file, no record: nothing a later run could resume
    # The next run downloads the good archive from byte 0 (nothing resumed) and verifies it.
    got = fetch(emulator_client(emu), good, dest, 's-1', data_type, 'download s-1')
    assert got['resumed'] == 0 and got['archive']['kind'] == data_type
    assert all('range' not in lower_keys(r['headers']) for r in gets(emu, 'good.bin'))
    assert listing(tmp_path) == ['db.backup', 'db.backup.mendix-snapshot.json']
    assert info['size'] > 0


def test_a_wrong_type_stops_the_download_at_its_first_bytes_and_keeps_the_previous_copy(emu, tmp_path):
    info, url = served_archive(emu, 'big.zip', 'database_only', size=SIZE, variant='zip')[1:]
    dest = tmp_path / 'db.backup'
    dest.write_bytes(PREVIOUS)
    with pytest.raises(PlatformError, match='found a zip archive'):
        fetch(emulator_client(emu), url, str(dest), 's-1', 'database_only', 'download s-1')
    assert dest.read_bytes() == PREVIOUS and listing(tmp_path) == ['db.backup']
    assert info['size'] == SIZE


@pytest.mark.parametrize('data_type', ['database_only', 'files_and_database', 'files_only'])
def test_an_archive_cut_mid_stream_resumes_and_verifies(emu, tmp_path, data_type):
    info, url = served_archive(emu, 'archive.bin', data_type, size=SIZE)[1:]
    emu.add_fault(path=r'^/files/archive\.bin$', action='truncate', truncate_at=SIZE // 2 + 7, count=1)
    got = fetch(emulator_client(emu), url, str(tmp_path / 'a'), 's-1', data_type, 'download s-1')
    assert got['resumed'] == 1 and got['sha256'] == info['sha256'] == sha256_of(str(tmp_path / 'a'))
    assert got['size'] == SIZE and got['archive']['kind'] == data_type
    if data_type != 'database_only':
        assert got['archive']['model_version'] == '1.0.0.0' and '.metadata' in got['archive']['members_checked']


# --- the reading thread and the writing thread (_download_pipeline) ----------------------------

@pytest.mark.parametrize('chunk_size', [1, 7, 4096, 10239, 10240, 65537])
def test_the_hash_is_of_the_bytes_written_wherever_a_buffer_ends(scripted_session, tmp_path, chunk_size):
    dest = tmp_path / 'f.bin'
    session = scripted_session([
        ('GET', FILE_RE, cut(end=3333, ETag='"v1"')),
        ('GET', FILE_RE, reply(206, content=BODY[3333:], headers={'Content-Range': 'bytes 3333-10239/10240', 'ETag': '"v1"'})),
    ])
    result = download(scripted_client(session), FILE_URL, str(dest), 'download f.bin', chunk_size=chunk_size,
                      check=Recorder())
    assert dest.read_bytes() == BODY
    assert result['sha256'] == result['checked']['sha256'] == hashlib.sha256(BODY).hexdigest()
    assert result['resumed'] == 1


@pytest.mark.parametrize('chunk_size', [5000, _download.OVERLAP, 1 << 20])
@pytest.mark.parametrize('torn', [False, True])
def test_a_partial_file_is_compared_with_the_server_across_buffers(small, tmp_path, chunk_size, torn):
    emu, info, url = small
    good = served_bytes(emu, url, 150000)
    stale(tmp_path, good[:-100] + b'\0' * 100 if torn else good, record_for(emu, url))
    result = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download small.bin',
                      identity=IDENTITY, chunk_size=chunk_size)
    assert result['sha256'] == info['sha256'] and sha256_of(str(tmp_path / 'backup.bin')) == info['sha256']
    if not torn:
        assert result['resumed'] == 1
    statuses = [(lower_keys(r['headers']).get('range'), r['status']) for r in gets(emu, 'small.bin')]
    resume = ('bytes=%d-' % (150000 - _download.OVERLAP), 206)
    assert statuses == ([resume, (None, 200)] if torn else [resume])
    assert listing(tmp_path) == ['backup.bin']


def test_a_full_disk_stops_the_download_with_the_file_named_and_dest_kept(small, tmp_path, monkeypatch):
    emu, info, url = small
    written = []

    class FillingDisk:
        """The partial file on a disk that is full after two writes."""

        def __init__(self, handle):
            self.handle = handle

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def write(self, chunk):
            if len(written) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written.append(len(chunk))
            return self.handle.write(chunk)

    def fdopen(fd, mode, *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return FillingDisk(handle) if mode == 'r+b' else handle

    real_fdopen = os.fdopen
    monkeypatch.setattr(_download.os, 'fdopen', fdopen)
    dest = tmp_path / 'backup.bin'
    dest.write_bytes(PREVIOUS)
    with pytest.raises(PlatformError) as raised:
        download(emulator_client(emu), url, str(dest), 'download small.bin', chunk_size=20000, identity=IDENTITY)
    # Raised in the reading thread, naming the partial file, and not retried as a dropped connection.
    assert 'No space left on device' in str(raised.value) and '.backup.bin.part' in str(raised.value)
    assert len(gets(emu, 'small.bin')) == 1
    # As for any failure: dest as it was, and no partial file to resume bytes that never reached the disk.
    assert dest.read_bytes() == PREVIOUS and listing(tmp_path) == ['backup.bin']
    assert written == [20000, 20000]


def test_large_files_are_written_behind_and_dropped_from_the_page_cache(five_mb, tmp_path, monkeypatch):
    emu, info, url = five_mb
    window = 1024 * 1024
    monkeypatch.setattr(_download, 'WRITE_BEHIND', window)
    advised = []

    def fadvise(fd, offset, length, advice):
        advised.append((os.fstat(fd).st_size, offset, length, advice))
        if len(advised) == 2:
            raise OSError(errno.EINVAL, 'not on this file system')

    monkeypatch.setattr(_download.os, 'posix_fadvise', fadvise, raising=False)
    result = download(emulator_client(emu), url, str(tmp_path / 'backup.bin'), 'download five.bin', chunk_size=256 * 1024)
    assert result['sha256'] == info['sha256'] == sha256_of(str(tmp_path / 'backup.bin'))
    # Once per window written, over the newest windows only (a refusal changes nothing).
    assert [(size, offset, length) for size, offset, length, dummy in advised] == [
        (n * window, max(0, (n - 3) * window), 3 * window) for n in range(1, SIZE // window + 1)]
    assert {advice for dummy, dummy, dummy, advice in advised} == {getattr(os, 'POSIX_FADV_DONTNEED', None)}
