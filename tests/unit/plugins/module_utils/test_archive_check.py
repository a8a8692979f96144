# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_archive_check: a Mendix download is the archive of its data type, checked as it streams past.

Archives here are made with Python's own tarfile, gzip and zipfile (the emulator's generator is a
second, independent producer, exercised by the module and _download tests).
"""

import gzip
import io
import json
import tarfile
import tracemalloc
import zipfile
import zlib

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._archive_check import (
    ArchiveCheck, ArchiveMismatch, check_file, describe, dump_version, member_name)

# A custom-format dump header: PGDMP, archive version 1.14.0, int size 4, offset size 8, format 1 (custom).
DUMP = b'PGDMP\x01\x0e\x00\x04\x08\x01' + b'\x00' * 40 + b'dump body' * 100
METADATA = {'duration': 41, 'dumpSize': len(DUMP), 'modelVersion': '1.1.0.253', 'databaseSize': 9000, 'filesSize': 2048}
STANDARD = (('.metadata', json.dumps(METADATA).encode()), ('db/db.backup', DUMP),
            ('tree/4e/file-1', b'a' * 1500), ('tree/4e/file-2', b'b' * 548))


def tar_gz(members=STANDARD, fmt=tarfile.GNU_FORMAT, directories=('tree', 'tree/4e'), prefix='', compress=True):
    """A tar (gzip-compressed unless told) of ``members`` ((name, bytes) pairs) and ``directories``."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w', format=fmt) as tar:
        for name in directories:
            info = tarfile.TarInfo(prefix + name)
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
        for name, data in members:
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0) if compress else raw.getvalue()


def fed(kind, data, step=None):
    """What the check finds when ``data`` arrives in chunks of ``step`` bytes (all at once without)."""
    check = ArchiveCheck(kind)
    step = step or max(1, len(data))
    for at in range(0, len(data), step):
        check.update(data[at:at + step])
    return check.finish()


def refused(kind, data, step=None):
    with pytest.raises(ArchiveMismatch) as caught:
        fed(kind, data, step)
    message = str(caught.value)
    assert message.startswith('not a %s archive: expected ' % kind) and ', found ' in message
    return message


# --- what a good archive gives -------------------------------------------------------------------------

@pytest.mark.parametrize('step', [1, 7, 512, 4096, None])
def test_a_files_and_database_archive_gives_its_model_version_and_sizes_however_it_is_chunked(step):
    data = tar_gz()
    facts = fed('files_and_database', data, step)
    assert facts == {'kind': 'files_and_database', 'format': 'tar_gzip', 'size': len(data), 'model_version': '1.1.0.253',
                     'members': 6, 'members_checked': ['.metadata', 'db/db.backup'], 'dump_version': '1.14.0',
                     'metadata': {'duration': 41, 'dump_size': len(DUMP), 'database_size': 9000, 'files_size': 2048},
                     'uncompressed_size': len(gzip.decompress(data))}


@pytest.mark.parametrize('how', [
    dict(prefix='./'),                                   # tar -C dir -czf - .
    dict(prefix='/'),                                    # absolute names
    dict(fmt=tarfile.PAX_FORMAT),
    dict(fmt=tarfile.USTAR_FORMAT),
    dict(members=STANDARD[::-1]),                        # .metadata last
    dict(members=STANDARD + (('tree/' + 'x' * 150, b'long name'), ('README', b'extra'))),
    dict(directories=()),
])
def test_names_formats_order_and_extra_members_are_tolerated(how):
    facts = fed('files_and_database', tar_gz(**how), 1000)
    assert facts['model_version'] == '1.1.0.253' and facts['members_checked'] == ['.metadata', 'db/db.backup']


def test_long_names_of_gnu_and_pax_tars_name_the_right_member():
    long_db = (('.metadata', json.dumps(METADATA).encode()), ('x/' * 60 + '../' * 60 + 'db/db.backup', DUMP))
    for fmt in (tarfile.GNU_FORMAT, tarfile.PAX_FORMAT):
        assert fed('files_and_database', tar_gz(long_db, fmt=fmt), 300)['dump_version'] == '1.14.0'


def test_a_database_only_dump_gives_its_archive_version():
    assert fed('database_only', DUMP, 3) == {
        'kind': 'database_only', 'format': 'postgresql_custom_dump', 'size': len(DUMP), 'model_version': None,
        'members': None, 'members_checked': [], 'metadata': None, 'dump_version': '1.14.0'}


def test_files_only_needs_a_complete_gzip_tar_and_reads_metadata_when_there_is_one():
    bare = fed('files_only', tar_gz(STANDARD[2:]))
    assert bare['model_version'] is None and bare['metadata'] is None and bare['members'] == 4
    with_metadata = fed('files_only', tar_gz(((".metadata", b'{"filesSize": 2048}'),) + STANDARD[2:]))
    assert with_metadata['model_version'] is None and with_metadata['metadata']['files_size'] == 2048
    refused('files_only', tar_gz(STANDARD[2:])[:-9])


def test_several_gzip_members_and_zero_padding_after_the_stream_are_one_archive():
    raw = gzip.decompress(tar_gz())
    two_members = gzip.compress(raw[:3000]) + gzip.compress(raw[3000:])
    assert fed('files_and_database', two_members, 100)['model_version'] == '1.1.0.253'
    assert fed('files_and_database', tar_gz() + b'\0' * 10240, 4096)['members'] == 6
    assert 'after the end of the gzip stream' in refused('files_and_database', tar_gz() + b'\0' * 10 + b'junk')


def test_metadata_values_that_are_not_numbers_are_returned_as_null():
    odd = dict(METADATA, dumpSize='12 MB', filesSize=True)
    facts = fed('files_and_database', tar_gz(((".metadata", json.dumps(odd).encode()), ('db/db.backup', DUMP))))
    assert facts['metadata'] == {'duration': 41, 'dump_size': None, 'database_size': 9000, 'files_size': None}


def test_check_file_reads_a_file_through_the_same_check(tmp_path):
    path = tmp_path / 'a.tar.gz'
    path.write_bytes(tar_gz())
    assert check_file(str(path), 'files_and_database', chunk_size=333) == fed('files_and_database', tar_gz())
    path.write_bytes(tar_gz()[:-1])
    with pytest.raises(ArchiveMismatch, match='truncated'):
        check_file(str(path), 'files_and_database')


def test_reset_starts_the_check_again_from_byte_0():
    check = ArchiveCheck('files_and_database')
    check.update(tar_gz()[:2000])
    check.reset()
    check.update(tar_gz())
    assert check.finish()['members'] == 6


def test_a_huge_archive_is_checked_in_constant_memory():
    """1 GiB of dump inflated and passed over: memory stays at a few MiB (the data is counted, not kept)."""
    size = 1024 * 1024 * 1024
    deflate = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    info = tarfile.TarInfo('./db/db.backup')
    info.size = size
    metadata = json.dumps(METADATA).encode()
    meta_info = tarfile.TarInfo('./.metadata')
    meta_info.size = len(metadata)
    check = ArchiveCheck('files_and_database')
    tracemalloc.start()
    try:
        check.update(deflate.compress(info.tobuf(tarfile.GNU_FORMAT, 'utf-8', 'surrogateescape') + DUMP[:11]))
        zeros = bytes(1024 * 1024)
        left = size - 11
        while left:
            check.update(deflate.compress(zeros[:min(left, len(zeros))]))
            left -= min(left, len(zeros))
        check.update(deflate.compress(b'\0' * (-size % 512) + meta_info.tobuf(tarfile.GNU_FORMAT, 'utf-8', 'surrogateescape')
                                      + metadata + b'\0' * (-len(metadata) % 512) + b'\0' * 1024))
        check.update(deflate.flush())
        facts = check.finish()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert facts['uncompressed_size'] > size and facts['model_version'] == '1.1.0.253'
    assert peak < 16 * 1024 * 1024, peak


# --- what is refused, and how it is said --------------------------------------------------------------

def test_a_gzip_stream_cut_anywhere_is_refused_as_truncated():
    data = tar_gz()
    for cut in list(range(2, len(data), 41)) + [len(data) - 1, len(data) - 4, len(data) - 8]:
        message = refused('files_and_database', data[:cut], 97)
        assert 'truncated' in message or 'stops' in message, (cut, message)


def test_a_changed_byte_inside_the_stream_is_refused():
    # Stored deflate blocks: the changed byte is the dump's data and the tar still parses; only the CRC-32 can tell.
    stored = bytearray(gzip.compress(tar_gz(compress=False), compresslevel=0, mtime=0))
    stored[2000] ^= 0x01
    assert 'a gzip stream that is corrupt (Error -3 while decompressing data: incorrect data check)' in \
        refused('files_and_database', bytes(stored), 1000)
    compressed = bytearray(tar_gz())
    compressed[len(compressed) // 2] ^= 0x40
    assert 'corrupt' in refused('files_and_database', bytes(compressed))


def test_a_complete_gzip_of_a_tar_cut_inside_a_member_is_refused():
    raw = gzip.decompress(tar_gz())
    assert 'tar stops inside member' in refused('files_and_database', gzip.compress(raw[:1700]))
    assert 'tar stops inside the header' in refused('files_and_database', gzip.compress(raw[:700]))


def _zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as archive:
        archive.writestr('db/db.backup', DUMP)
    return out.getvalue()


WRONG_TYPES = [
    ('files_and_database', _zip(), 'found a zip archive (first bytes 50 4b 03 04'),
    ('database_only', _zip(), 'found a zip archive'),
    ('files_and_database', b'<!DOCTYPE html><html><body>Request has expired</body></html>', 'found an HTML or XML page'),
    ('database_only', b'\xef\xbb\xbf\r\n <?xml version="1.0"?><Error>AccessDenied</Error>', 'found an HTML or XML page'),
    ('files_and_database', b'{"errorCode": "NOT_FOUND"}', 'found JSON text'),
    ('files_and_database', DUMP, 'found a PostgreSQL dump'),
    ('database_only', tar_gz(), 'found a gzip file'),
    ('files_and_database', tar_gz(compress=False), 'found an uncompressed tar archive'),
    ('files_and_database', b'', 'found an empty file'),
    ('database_only', b'', 'found an empty file'),
    ('files_and_database', b'\x1f', 'found unrecognised bytes (first bytes 1f)'),
    ('files_only', b'BZh91AY&SY', 'found a bzip2 file'),
    ('database_only', b'-- PostgreSQL database dump\nSET statement_timeout = 0;\n', 'found text'),
    ('files_and_database', gzip.compress(b'hello, not a tar' * 64, mtime=0), "a tar whose header 1 is not valid"),
]


@pytest.mark.parametrize('kind, data, found', WRONG_TYPES, ids=['%s: %s' % (kind, found) for kind, dummy, found in WRONG_TYPES])
def test_the_wrong_type_is_refused_saying_what_was_expected_and_found(kind, data, found):
    message = refused(kind, data)
    assert found in message, message


@pytest.mark.parametrize('head, found', [
    (b'PGDMP\x01\x0e\x00\x04\x08\x05', 'in format 5, not the custom format'),       # a directory dump's toc.dat
    (b'PGDMP\x02\x00\x00\x04\x08\x01', 'unknown archive version 2.0.0'),
    (b'PGDMP\x01\x0e', 'a PostgreSQL dump header cut short (7 bytes)'),
])
def test_a_dump_must_say_custom_format_archive_version_1(head, found):
    dump = head + (b'x' * 100 if len(head) > 7 else b'')
    assert found in refused('database_only', dump)
    assert found in refused('files_and_database', tar_gz((STANDARD[0], ('db/db.backup', dump))))


@pytest.mark.parametrize('members, found', [
    (STANDARD[:1] + STANDARD[2:], 'without db/db.backup (top-level entries: tree, .metadata)'),
    (STANDARD[1:], 'without .metadata'),
    (((".metadata", b'modelVersion=1.2'),) + STANDARD[1:], '.metadata is not JSON but text'),
    (((".metadata", b'["1.2"]'),) + STANDARD[1:], '.metadata is JSON but not an object'),
    (((".metadata", json.dumps(dict(METADATA, modelVersion=None)).encode()),) + STANDARD[1:], 'has no modelVersion'),
    (((".metadata", b'{"dumpSize": 3}'),) + STANDARD[1:], 'has no modelVersion (keys: dumpSize)'),
    (((".metadata", json.dumps(dict(METADATA, modelVersion=' ')).encode()),) + STANDARD[1:], 'has no modelVersion'),
    ((STANDARD[0], ('db/db.backup', b'-- plain SQL\nCREATE TABLE x ();\n')), 'db/db.backup is not a custom-format dump'),
    ((STANDARD[0], ('db/db.backup', b'')), 'db/db.backup is not a custom-format dump but an empty file'),
    ((STANDARD[0], ('.metadata', b' ' * (1024 * 1024 + 1)), STANDARD[1]), 'member .metadata has 1048577 bytes'),
])
def test_a_files_and_database_archive_needs_its_database_and_its_metadata(members, found):
    message = refused('files_and_database', tar_gz(members), 4096)
    assert found in message, message


def test_a_directory_named_like_the_database_is_not_the_database():
    data = tar_gz(STANDARD[:1], directories=('db', 'db/db.backup'))
    assert 'without db/db.backup' in refused('files_and_database', data)


def test_a_wrong_magic_is_refused_at_the_first_bytes():
    check = ArchiveCheck('files_and_database')
    check.update(b'P')  # too few bytes to tell yet
    with pytest.raises(ArchiveMismatch, match='zip archive'):
        check.update(b'K\x03\x04' + b'\0' * 100)
    dump = ArchiveCheck('database_only')
    with pytest.raises(ArchiveMismatch, match='found a gzip file'):
        dump.update(b'\x1f\x8b\x08\x00' + b'\0' * 20)


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match='unknown archive kind'):
        ArchiveCheck('everything')


@pytest.mark.parametrize('name, expected', [
    ('./db/db.backup', 'db/db.backup'), ('db/db.backup', 'db/db.backup'), ('/db/db.backup', 'db/db.backup'),
    ('././.metadata', '.metadata'), ('db//db.backup', 'db/db.backup'), ('.', '.'),
])
def test_member_names_are_read_without_leading_dot_slash(name, expected):
    assert member_name(name) == expected


def test_describe_and_dump_version_alone():
    assert describe(b'PK\x05\x06' + b'\0' * 18).startswith('a zip archive (first bytes 50 4b 05 06')
    assert describe(b'\x28\xb5\x2f\xfd\x00') .startswith('a zstd file')
    assert describe(b'\xfd7zXZ\x00\x00') .startswith('an xz file')
    assert dump_version(DUMP) == '1.14.0'
