# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_download.download: streamed, resumed with Range, size-checked, atomically renamed.

Most cases run against the real emulator over HTTPS (fixture ``emulator_clean``, tests/unit/conftest.py);
the rename and the restart-when-Range-is-ignored cases use the scripted session.
"""

import hashlib
import os
import stat

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _download
from ansible_collections.saasops.backup.plugins.module_utils._download import download
from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, reply

SIZE = 5 * 1024 * 1024
SECRET = 'Bearer dl-s3cret-token'


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


@pytest.fixture
def five_mb(emulator_clean):
    info = emulator_clean.add_file('five.bin', SIZE, seed=7)
    return emulator_clean, info, emulator_clean.url(info['url_path'], download=True)


def test_downloads_byte_identical(five_mb, tmp_path):
    emu, info, url = five_mb
    dest = str(tmp_path / 'backup.bin')
    result = download(emulator_client(emu), url, dest, 'download five.bin', expected_size=SIZE, chunk_size=256 * 1024)
    assert result == {'path': dest, 'size': SIZE, 'sha256': info['sha256'], 'resumed': 0}
    assert sha256_of(dest) == info['sha256']
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert os.listdir(str(tmp_path)) == ['backup.bin']


def test_resumes_with_range_after_a_truncated_body(five_mb, tmp_path):
    emu, info, url = five_mb
    emu.add_fault(path=r'^/files/five\.bin$', action='truncate', truncate_at=1500000, count=2)
    dest = str(tmp_path / 'backup.bin')
    # chunk_size divides truncate_at: the bytes written before the drop are exactly the 1500000 sent
    result = download(emulator_client(emu), url, dest, 'download five.bin', expected_size=SIZE, chunk_size=100000)
    assert result['resumed'] >= 1
    assert (result['size'], result['sha256']) == (SIZE, info['sha256'])
    assert sha256_of(dest) == info['sha256']
    ranges = [lower_keys(r['headers']).get('range') for r in emu.requests(method='GET', path=r'^/files/five\.bin$')]
    assert ranges[0] is None
    assert ranges[1:] and all(r is not None and r.startswith('bytes=') for r in ranges[1:])
    assert ranges[1] == 'bytes=1500000-'
    assert os.listdir(str(tmp_path)) == ['backup.bin']


def test_gives_up_after_max_resumes_leaving_nothing_behind(five_mb, tmp_path):
    emu, _info, url = five_mb
    emu.add_fault(path=r'^/files/five\.bin$', action='truncate', count=None)
    dest = str(tmp_path / 'backup.bin')
    with pytest.raises(PlatformError) as info:
        download(emulator_client(emu), url, dest, 'download five.bin', max_resumes=2)
    assert 'interrupted 3 times' in str(info.value)
    assert info.value.retryable is True
    assert not os.path.exists(dest)
    assert os.listdir(str(tmp_path)) == []   # no .part left
    assert len(emu.requests(method='GET', path=r'^/files/five\.bin$')) == 3


def test_size_mismatch_fails_and_keeps_the_previous_dest(five_mb, tmp_path):
    emu, _info, url = five_mb
    dest = tmp_path / 'backup.bin'
    dest.write_bytes(b'the previous good backup')
    with pytest.raises(PlatformError) as info:
        download(emulator_client(emu), url, str(dest), 'download five.bin', expected_size=SIZE + 1)
    assert 'received %d bytes, the vendor reported %d' % (SIZE, SIZE + 1) in str(info.value)
    assert dest.read_bytes() == b'the previous good backup'
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


# --- scripted: where the bytes go ------------------------------------------------------------

BODY = bytes(range(256)) * 40   # 10240 bytes
FILE_URL = 'https://dl.example.test/f.bin'
FILE_RE = r'https://dl\.example\.test/f\.bin'


def scripted_client(session):
    clock = FakeClock()
    return HttpClient('Files', 'https://api.example.test', session=session, sleep=clock.sleep, clock=clock.now)


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
    assert os.path.dirname(src) == str(tmp_path)
    assert os.path.basename(src).startswith('.backup.bin.') and src.endswith('.part')
    assert not os.path.exists(src)
    assert result == {'path': dest, 'size': len(BODY), 'sha256': hashlib.sha256(BODY).hexdigest(), 'resumed': 0}
    assert session.calls[0].stream is True


def test_short_read_resumes_with_range_and_appends_a_206(scripted_session, tmp_path):
    dest = tmp_path / 'f.bin'
    session = scripted_session([
        ('GET', FILE_RE, reply(200, content=BODY[:4000], headers={'Content-Length': str(len(BODY))})),
        ('GET', FILE_RE, reply(206, content=BODY[4000:], headers={'Content-Range': 'bytes 4000-10239/10240'})),
    ])
    result = download(scripted_client(session), FILE_URL, str(dest), 'download f.bin')
    assert dest.read_bytes() == BODY
    assert result['resumed'] == 1 and result['sha256'] == hashlib.sha256(BODY).hexdigest()
    assert 'Range' not in session.calls[0].headers
    assert session.calls[1].headers['Range'] == 'bytes=4000-'


def test_range_ignored_by_the_server_starts_over(scripted_session, tmp_path):
    dest = tmp_path / 'f.bin'
    session = scripted_session([
        ('GET', FILE_RE, reply(200, content=BODY[:4000], headers={'Content-Length': str(len(BODY))})),
        ('GET', FILE_RE, reply(200, content=BODY)),
    ])
    result = download(scripted_client(session), FILE_URL, str(dest), 'download f.bin')
    assert dest.read_bytes() == BODY   # not the first 4000 bytes twice
    assert result['size'] == len(BODY) and result['sha256'] == hashlib.sha256(BODY).hexdigest()


def test_http_error_is_raised_and_nothing_is_left(scripted_session, tmp_path):
    session = scripted_session([('GET', FILE_RE, reply(403, text='<Error>AccessDenied</Error>'))])
    with pytest.raises(PlatformError) as info:
        download(scripted_client(session), FILE_URL, str(tmp_path / 'f.bin'), 'download f.bin')
    assert info.value.status == 403
    assert os.listdir(str(tmp_path)) == []
