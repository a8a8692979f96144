"""The generic download host: deterministic content, Range requests, truncation and resume."""

import gzip
import hashlib
import io
import json
import os
import struct
import tarfile
import time

import pytest
import requests


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def test_full_download_and_head(emu):
    info = emu.add_file('small.bin', 200000, 'seed-1')
    assert info['url_path'] == '/files/small.bin' and info['size'] == 200000
    session = emu.new_session()
    response = session.get(emu.download_base + info['url_path'], timeout=10)
    assert response.status_code == 200 and response.headers['Accept-Ranges'] == 'bytes'
    assert _sha(response.content) == info['sha256']
    head = session.head(emu.download_base + info['url_path'], timeout=10)
    assert head.status_code == 200 and head.headers['Content-Length'] == '200000' and head.content == b''
    assert emu.add_file('other.bin', 200000, 'seed-2')['sha256'] != info['sha256']
    assert session.get(emu.download_base + '/files/missing.bin', timeout=10).status_code == 404


def test_ranges(emu):
    info = emu.add_file('r.bin', 100000, 3)
    session = emu.new_session()
    url = emu.download_base + info['url_path']
    whole = session.get(url, timeout=10).content
    for header, start, end in (('bytes=10-', 10, 100000), ('bytes=65520-65530', 65520, 65531), ('bytes=-5', 99995, 100000),
                               ('bytes=99990-200000', 99990, 100000)):
        part = session.get(url, headers={'Range': header}, timeout=10)
        assert part.status_code == 206, header
        assert part.headers['Content-Range'] == 'bytes %d-%d/100000' % (start, end - 1)
        assert part.content == whole[start:end]
    unsatisfiable = session.get(url, headers={'Range': 'bytes=100000-'}, timeout=10)
    assert unsatisfiable.status_code == 416 and unsatisfiable.headers['Content-Range'] == 'bytes */100000'
    assert session.get(url, headers={'Range': 'bytes=0-1,5-6'}, timeout=10).status_code == 200  # multi-range ignored


def test_if_range_and_hosts_without_range(emu):
    info = emu.add_file('r.bin', 100000, 3)
    session = emu.new_session()
    url = emu.download_base + info['url_path']
    etag = session.head(url, timeout=10).headers['ETag']
    same = session.get(url, headers={'Range': 'bytes=10-', 'If-Range': etag}, timeout=10)
    assert same.status_code == 206 and same.headers['Content-Range'] == 'bytes 10-99999/100000'
    other = session.get(url, headers={'Range': 'bytes=10-', 'If-Range': '"another"'}, timeout=10)
    assert other.status_code == 200 and len(other.content) == 100000   # another file now: all of it
    plain = emu.add_file('r.bin', 100000, 3, ranges=False)
    assert plain['sha256'] == info['sha256'] and plain['ranges'] is False
    whole = session.get(url, headers={'Range': 'bytes=10-'}, timeout=10)
    assert (whole.status_code, whole.headers['Accept-Ranges'], len(whole.content)) == (200, 'none', 100000)
    bad = session.post(emu.api_base + '/_emulator/files', json={'name': 'x.bin', 'size': 1, 'ranges': 'no'}, timeout=10)
    assert bad.status_code == 400


def test_truncated_download_resumes_to_same_hash(emu):
    info = emu.add_file('big.bin', 3 * 1000 * 1000 + 17, 'resume')
    emu.add_fault(path='^/files/big.bin$', action='truncate', truncate_at=1234567)
    session = emu.new_session()
    url = emu.download_base + info['url_path']
    received = bytearray()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        with session.get(url, stream=True, timeout=10) as response:
            assert response.headers['Content-Length'] == str(info['size'])
            for chunk in response.iter_content(65536):
                received += chunk
    # requests discards the chunk being read when the connection breaks, so resume from what arrived.
    assert 0 < len(received) <= 1234567
    rest = session.get(url, headers={'Range': 'bytes=%d-' % len(received)}, timeout=10)
    assert rest.status_code == 206
    assert _sha(bytes(received) + rest.content) == info['sha256']
    off_by_one = session.get(url, headers={'Range': 'bytes=%d-' % (len(received) - 1)}, timeout=10).content[1:]
    wrong = session.get(url, headers={'Range': 'bytes=%d-' % (len(received) + 1)}, timeout=10).content
    assert _sha(bytes(received) + wrong) != info['sha256'] and _sha(bytes(received) + off_by_one) == info['sha256']
    assert [r['fault'] for r in emu.requests(path='^/files/')][0] == 'truncate'


def _rss_kib(pid):
    with open('/proc/%d/status' % pid, encoding='ascii') as handle:
        return int(next(line for line in handle if line.startswith('VmRSS:')).split()[1])


@pytest.mark.skipif(not os.path.exists('/proc/self/status'), reason='needs /proc')
def test_large_file_streams_in_constant_memory(emu):
    size = 128 * 1024 * 1024
    info = emu.add_file('large.bin', size, 'large')
    before = _rss_kib(emu.info['pid'])
    digest, total = hashlib.sha256(), 0
    with emu.new_session().get(emu.download_base + info['url_path'], stream=True, timeout=30) as response:
        for chunk in response.iter_content(1024 * 1024):
            digest.update(chunk)
            total += len(chunk)
    assert (total, digest.hexdigest()) == (size, info['sha256'])
    assert _rss_kib(emu.info['pid']) - before < 16 * 1024


# --- Mendix archives on the download host (apps/mendix_archive.py) ----------------------------------------

def _archive(emu, name, data_type, size, **spec):
    emu.seed({'files': [dict(spec, name=name, size=size, seed=5, mendix_archive=data_type)]})
    info = [f for f in emu.state('files')['files'] if f['name'] == name][0]
    return info, emu.new_session().get(emu.download_base + info['url_path'], timeout=30).content


def _members(content):
    with tarfile.open(fileobj=io.BytesIO(content), mode='r|gz') as tar:
        return {member.name: (member.size, tar.extractfile(member).read(16) if member.isreg() else None) for member in tar}


@pytest.mark.parametrize('data_type, size', [('database_only', 200000), ('files_and_database', 300000),
                                             ('files_only', 100000), ('files_and_database', 12000)])
def test_mendix_archives_have_the_real_structure_and_the_size_asked_for(emu, data_type, size):
    info, content = _archive(emu, data_type + '.bin', data_type, size, model_version='2.3.4.5')
    assert len(content) == info['size'] == size and _sha(content) == info['sha256']
    if data_type == 'database_only':
        assert content.startswith(b'PGDMP\x01\x0e\x00\x04\x08\x01')  # archive 1.14.0, custom format
        return
    assert content.startswith(b'\x1f\x8b') and len(gzip.decompress(content)) % 512 == 0  # whole stream, CRC checked
    members = _members(content)
    metadata = json.loads(tarfile.open(fileobj=io.BytesIO(content)).extractfile('./.metadata').read())
    assert metadata['modelVersion'] == '2.3.4.5'
    assert sorted(metadata) == ['databaseSize', 'dumpSize', 'duration', 'filesSize', 'modelVersion']
    tree = [name for name in members if name.startswith('./tree/') and members[name][1] is not None]
    assert len(tree) == 2 and sum(members[name][0] for name in tree) == metadata['filesSize']
    if data_type == 'files_and_database':
        assert members['./db/db.backup'][1].startswith(b'PGDMP') and members['./db/db.backup'][0] == metadata['dumpSize']
    else:
        assert './db/db.backup' not in members


def test_mendix_archive_ranges_are_slices_of_the_whole(emu):
    info, content = _archive(emu, 'r.tar.gz', 'files_and_database', 400000)
    session = emu.new_session()
    for start in (0, 1, 10, 65520, 65521, 131042, 200001, 399999):
        part = session.get(emu.download_base + info['url_path'], headers={'Range': 'bytes=%d-' % start}, timeout=10)
        assert part.status_code == 206 and part.content == content[start:], start


def test_a_gib_mendix_archive_is_registered_and_served_cheaply(emu):
    started = time.monotonic()
    emu.seed({'files': [{'name': 'big.tar.gz', 'size': 1 << 30, 'mendix_archive': 'files_and_database'}]})
    info = [f for f in emu.state('files')['files'] if f['name'] == 'big.tar.gz'][0]
    assert info['size'] == 1 << 30 and time.monotonic() - started < 30
    tail = emu.new_session().get(emu.download_base + info['url_path'], headers={'Range': 'bytes=-8'}, timeout=10).content
    crc, isize = struct.unpack('<II', tail)  # the gzip trailer: CRC-32 and length of the tar, mod 2**32
    assert isize % 512 == 0 and crc


@pytest.mark.parametrize('variant, check', [
    ('truncated', lambda content, whole: content == whole[:len(whole) * 3 // 4]),
    ('corrupt', lambda content, whole: len(content) == len(whole) and sum(a != b for a, b in zip(content, whole)) == 1),
    ('zip', lambda content, whole: content.startswith(b'PK\x03\x04')),
    ('html', lambda content, whole: content.startswith(b'<!DOCTYPE html>')),
    ('swapped', lambda content, whole: content.startswith(b'PGDMP')),
    ('no_database', lambda content, whole: './db/db.backup' not in _members(content) and './.metadata' in _members(content)),
    ('bad_metadata', lambda content, whole: b'modelVersion=' in gzip.decompress(content)[:2048]),
])
def test_broken_mendix_archives_are_broken_as_their_variant_says(emu, variant, check):
    whole = _archive(emu, 'whole.bin', 'files_and_database', 300000)[1]
    info, content = _archive(emu, 'broken.bin', 'files_and_database', 300000, variant=variant)
    assert info['variant'] == variant and check(content, whole)


@pytest.mark.parametrize('spec', [{'mendix_archive': 'everything'}, {'mendix_archive': 'database_only', 'variant': 'nope'},
                                  {'mendix_archive': 'files_only', 'model_version': 7},
                                  {'mendix_archive': 'files_and_database', 'files_bytes': -1}])
def test_mendix_archive_specs_are_validated(emu, spec):
    answer = emu.new_session().post(emu.api_base + '/_emulator/files', json=dict(spec, name='x.bin', size=1000), timeout=10)
    assert answer.status_code == 400
