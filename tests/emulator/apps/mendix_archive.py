"""Mendix download archives with their real structure, generated (api/mendix.md, "Real clients" item 11).

- ``database_only``: a PostgreSQL custom-format dump: the header pg_dump writes (``PGDMP``, archive
  version 1.14.0, int size 4, offset size 8, format 1 = custom, compression, creation time, database
  name, server and pg_dump versions), then filler. It reads as a dump; it restores nothing (there is
  no table of contents), which the emulator never needs.
- ``files_and_database``: a gzip-compressed tar, members named as ``tar -C <dir> -czf - .`` names
  them (a leading ``./``): ``.metadata`` (JSON ``duration``, ``dumpSize``, ``modelVersion``,
  ``databaseSize``, ``filesSize``), ``db/db.backup`` (the dump above) and ``tree/`` with two file
  documents (filler).
- ``files_only`` (Backups API v1): the same without ``db/`` (UNCONFIRMED what the vendor puts in it).

The gzip stream uses deflate's stored blocks (no compression, valid for every reader): then any
byte of a multi-GiB archive comes from a few repeated blocks (``apps/layout.py``), so Range
requests and memory stay cheap, and inflating it costs little. A filler block of STORED bytes
framed as one stored block is 65521 bytes, a prime, like the generic files' period: a resume at a
wrong offset yields other bytes. The file is exactly the size asked for (a snapshot's
``database_bytes``, ``files_bytes`` or their sum) whenever that leaves room for the structure
(about 6 KiB); the gzip header's comment field takes up the last bytes.

``VARIANTS`` (config ``archive_content``) serve a broken archive instead, for the download checks.
"""

import json
import struct
import tarfile
import zlib

from apps.layout import Layout, filler

DATA_TYPES = ('database_only', 'files_and_database', 'files_only')
VARIANTS = (
    'valid',
    'truncated',     # the file ends at 3/4 of the archive: a gzip stream without its end (a dump cut likewise)
    'corrupt',       # one byte in the middle changed: the gzip CRC-32 no longer matches (a dump has no checksum)
    'zip',           # a zip archive instead
    'html',          # an HTML error page, served as application/octet-stream
    'swapped',       # the other kind: a tar.gz for database_only, a bare dump for the tar.gz kinds
    'no_database',   # a tar.gz without db/db.backup (database_only: served valid)
    'bad_metadata',  # a tar.gz whose .metadata is not JSON (database_only: served valid)
)
STORED = 65516          # filler bytes per stored deflate block; with its 5-byte header 65521, a prime
DUMP_PERIOD = 65521     # a bare dump's filler period, the generic files' prime
MTIME = 1767225600      # 2026-01-01T00:00:00Z: tar member times, fixed so archives are reproducible
GZIP_FCOMMENT = 0x10
ZIP_HEAD = b'PK\x03\x04\x14\x00\x00\x00\x00\x00'
HTML_PAGE = (b'<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n'
             b'<body><h1>Service Unavailable</h1><p>The backup could not be served. Try again later.</p></body></html>\n')


def pg_int(value):
    """pg_dump's WriteInt with int size 4: a sign byte, then the magnitude little-endian."""
    return bytes([1 if value < 0 else 0]) + struct.pack('<I', abs(value))


def pg_str(text):
    data = text.encode('utf-8')
    return pg_int(len(data)) + data


def dump_header(database='mendix'):
    """The header of a pg_dump custom-format archive (archive version 1.14.0, as PostgreSQL 14-15 write)."""
    created = (0, 0, 2, 1, 0, 126, 0)  # sec, min, hour, mday, mon (0-based), year - 1900, isdst
    return (b'PGDMP' + bytes([1, 14, 0, 4, 8, 1]) + pg_int(-1) + b''.join(pg_int(v) for v in created)
            + pg_str(database) + pg_str('14.10') + pg_str('14.10'))


def dump(seed, length):
    """A custom-format dump of ``length`` bytes (at least its header)."""
    head = dump_header()
    return Layout().add(head).periodic(filler(seed, DUMP_PERIOD), max(0, length - len(head)))


def _member(name, size=0, directory=False):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, MTIME, 0o755 if directory else 0o644
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    info.uname = info.gname = 'vcap'
    return info.tobuf(tarfile.GNU_FORMAT, 'utf-8', 'surrogateescape')


def _file(tar, name, content):
    tar.add(_member(name, content.size))
    tar.extend(content)
    tar.add(b'\0' * (-content.size % tarfile.BLOCKSIZE))


def tar(seed, dump_bytes, files_bytes, model_version, with_database=True, metadata=None):
    """The uncompressed tar of a files_and_database (``with_database``) or files_only archive."""
    files = (files_bytes // 2, files_bytes - files_bytes // 2)
    body = Layout().add(_member('./', directory=True))
    if metadata is None:
        metadata = json.dumps({'duration': 12, 'dumpSize': dump_bytes if with_database else 0,
                               'modelVersion': model_version, 'databaseSize': 3 * dump_bytes if with_database else 0,
                               'filesSize': files_bytes}, sort_keys=True).encode('utf-8')
    _file(body, './.metadata', Layout().add(metadata))
    if with_database:
        body.add(_member('./db/', directory=True))
        head = dump_header()
        dump_data = Layout().add(head).periodic(filler(('db', seed), STORED), max(0, dump_bytes - len(head)))
        _file(body, './db/db.backup', dump_data)
    body.add(_member('./tree/', directory=True)).add(_member('./tree/4e/', directory=True))
    for index, size in enumerate(files):
        _file(body, './tree/4e/4e0b3c1a-%04d-4d2e-9c8a-%012d' % (index, index),
              Layout().periodic(filler(('tree', index, seed), STORED), size))
    return body.add(b'\0' * (2 * tarfile.BLOCKSIZE))


def _stored(block, final=False):
    """One stored deflate block: BFINAL/BTYPE=00 in a byte of its own, LEN, NLEN, the bytes."""
    return bytes([1 if final else 0]) + struct.pack('<HH', len(block), 0xffff ^ len(block)) + block


def gzip_size(body, comment):
    """The size ``gzip_stored(body, comment)`` will have, without building it."""
    blocks = 0
    for block, repeats in body.parts:
        blocks += repeats if repeats > 1 else -(-len(block) // 0xffff)
    return 10 + comment + 5 * blocks + body.size + 5 + 8


def gzip_stored(body, comment=0):
    """``body`` as a gzip stream of stored blocks; ``comment`` bytes of header comment (0: none)."""
    flags = GZIP_FCOMMENT if comment else 0
    out = Layout().add(b'\x1f\x8b\x08' + bytes([flags]) + struct.pack('<I', MTIME) + b'\x00\x03')
    if comment:
        out.add(b'-' * (comment - 1) + b'\0')
    crc = 0
    for block, repeats in body.parts:
        for dummy in range(repeats):
            crc = zlib.crc32(block, crc)
        if repeats > 1:
            out.add(_stored(block), repeats)
        else:
            for at in range(0, len(block), 0xffff):
                out.add(_stored(block[at:at + 0xffff]))
    return out.add(_stored(b'', final=True)).add(struct.pack('<II', crc, body.size & 0xffffffff))


def _fitted(target, build):
    """``build(slack)`` (a tar growing with ``slack``) gzipped to exactly ``target`` bytes when it fits."""
    if gzip_size(build(0), 0) > target:
        return gzip_stored(build(0))  # too small for the structure: the smallest archive there is
    low, high = 0, target
    while low < high:  # the largest slack whose archive is not bigger than target
        middle = (low + high + 1) // 2
        if gzip_size(build(middle), 0) <= target:
            low = middle
        else:
            high = middle - 1
    body = build(low)
    return gzip_stored(body, target - gzip_size(body, 0))


def archive(data_type, seed, database_bytes, files_bytes, model_version):
    """The valid archive of ``data_type``: database_bytes, files_bytes or their sum in size, where it fits."""
    if data_type == 'database_only':
        return dump(seed, database_bytes)
    if data_type == 'files_only':
        return _fitted(files_bytes, lambda slack: tar(seed, 0, slack, model_version, with_database=False))
    return _fitted(database_bytes + files_bytes, lambda slack: tar(seed, slack, files_bytes, model_version))


def build(data_type, seed, database_bytes, files_bytes, model_version, variant='valid'):
    """The file the download host serves for one snapshot's ``data_type`` (a ``Layout``)."""
    model_version = model_version or '1.0.0.0'
    gzipped = data_type != 'database_only'
    if variant == 'swapped':
        other = 'files_and_database' if data_type == 'database_only' else 'database_only'
        return archive(other, seed, database_bytes, files_bytes, model_version)
    if variant == 'zip':
        return Layout().add(ZIP_HEAD).periodic(filler(('zip', seed), DUMP_PERIOD), max(0, database_bytes - len(ZIP_HEAD)))
    if variant == 'html':
        return Layout().add(HTML_PAGE)
    if gzipped and variant == 'no_database':
        return _fitted(database_bytes + files_bytes, lambda slack: tar(seed, 0, slack, model_version, with_database=False))
    if gzipped and variant == 'bad_metadata':
        return gzip_stored(tar(seed, database_bytes, files_bytes, model_version, metadata=b'modelVersion=' + model_version.encode()))
    valid = archive(data_type, seed, database_bytes, files_bytes, model_version)
    if variant == 'truncated':
        return valid.cut(valid.size * 3 // 4)
    if variant == 'corrupt':
        middle = valid.size // 2
        byte = next(valid.cut(middle + 1).chunks(middle))
        return valid.patched(middle, bytes([byte[0] ^ 0xff]))
    return valid
