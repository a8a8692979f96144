# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is a downloaded Mendix backup the archive it claims to be? Checked as its bytes stream past.

What the archives hold (api/mendix.md, "Real clients" item 11):

- ``database_only``: a PostgreSQL custom-format dump: ``PGDMP``, the archive version (1.x), the int
  and offset sizes, then the format byte, 1 for custom (pg_dump's ``WriteHead``). The format has no
  trailer or checksum, so a cut dump cannot be told from the bytes: the size the download host
  announced, checked by ``_download``, is what guards it.
- ``files_and_database``: a gzip-compressed tar holding ``.metadata`` (JSON with ``modelVersion``
  and the sizes ``duration``, ``dumpSize``, ``databaseSize``, ``filesSize``), ``db/db.backup`` (a
  custom-format dump itself) and ``tree/...`` (the file documents). The gzip stream is inflated to
  its end, so its CRC-32 and length trailer prove it complete and intact, and the tar inside must
  not stop inside a member. Member names may start with ``./``; other members are allowed.
- ``files_only`` (Backups API v1): UNCONFIRMED what it holds; a complete gzip tar is required, and
  its ``.metadata`` is read when there is one.

``ArchiveCheck`` is fed chunk by chunk (``update``) and gives its verdict at the end (``finish``):
member data is counted, not kept (only ``.metadata``, at most METADATA_MAX bytes, and the first
bytes of ``db/db.backup``), so memory stays constant whatever the size and a download is verified
while it is written, without reading the file a second time.
"""

import json
import posixpath
import tarfile
import zlib

DUMP_MAGIC = b'PGDMP'
GZIP_MAGIC = b'\x1f\x8b'
# PGDMP, major, minor, revision, int size, offset size, format: what tells a custom dump.
DUMP_HEAD = 11
CUSTOM_FORMAT = 1  # pg_dump's archCustom; 5 (archDirectory) is the toc.dat of a directory-format dump
# Bytes kept from the start of the file, to say what it is when it is not what was expected
# (512: an uncompressed tar shows 'ustar' at byte 257).
SNIFF = 512
METADATA = '.metadata'
DATABASE = 'db/db.backup'
# .metadata is five keys of JSON; anything this big is not it, and is not kept in memory.
METADATA_MAX = 1024 * 1024
# A GNU long name or a pax extended header is a few hundred bytes; more is not a Mendix archive.
EXTENDED_MAX = 1024 * 1024
# Compressed bytes inflated at a time: zlib copies what it has not consumed yet (unconsumed_tail)
# each time the output bound is hit, so big pieces would be copied over and over.
FEED_STEP = 64 * 1024
# Inflated bytes handed to the tar reader at a time: bounds memory whatever the compression ratio;
# buffers this small are reused by the allocator instead of being mapped afresh every time.
INFLATE_STEP = 256 * 1024
CHUNK = 1024 * 1024
EXPECTED = {
    'database_only': 'a PostgreSQL custom-format dump (starting with PGDMP)',
    'files_and_database': 'a gzip-compressed tar holding %s and %s' % (METADATA, DATABASE),
    'files_only': 'a gzip-compressed tar',
}
# The .metadata sizes returned, under snake_case names.
METADATA_KEYS = (('duration', 'duration'), ('dumpSize', 'dump_size'), ('databaseSize', 'database_size'),
                 ('filesSize', 'files_size'))
_BLOCK = tarfile.BLOCKSIZE
_ZERO_BLOCK = b'\0' * _BLOCK


class ArchiveMismatch(ValueError):
    """The bytes are not the archive they should be; the message says what was expected and what was found."""


def describe(head):
    """What a file starting with ``head`` looks like, for a message."""
    if not head:
        return 'an empty file'
    text = head.lstrip(b'\xef\xbb\xbf \t\r\n')
    kinds = ((head.startswith(GZIP_MAGIC), 'a gzip file'),
             (head.startswith(DUMP_MAGIC), 'a PostgreSQL dump'),
             (head[:4] in (b'PK\x03\x04', b'PK\x05\x06'), 'a zip archive'),
             (head[257:262] == b'ustar', 'an uncompressed tar archive'),
             (head.startswith(b'BZh'), 'a bzip2 file'),
             (head.startswith(b'\xfd7zXZ\x00'), 'an xz file'),
             (head.startswith(b'\x28\xb5\x2f\xfd'), 'a zstd file'),
             (text[:1] == b'<', 'an HTML or XML page'),
             (text[:1] in (b'{', b'['), 'JSON text'))
    what = next((name for matched, name in kinds if matched), None)
    if what is None:
        printable = all(32 <= byte < 127 or byte in (9, 10, 13) for byte in head[:64])
        what = 'text' if printable else 'unrecognised bytes'
    return '%s (first bytes %s)' % (what, head[:8].hex(' '))


def dump_version(head):
    """The archive version ('1.14.0') of a custom-format dump starting with ``head``; ArchiveMismatch otherwise."""
    if not head.startswith(DUMP_MAGIC):
        raise ArchiveMismatch(describe(head))
    if len(head) < DUMP_HEAD:
        raise ArchiveMismatch('a PostgreSQL dump header cut short (%d bytes)' % len(head))
    major, minor, revision, fmt = head[5], head[6], head[7], head[10]
    version = '%d.%d.%d' % (major, minor, revision)
    if major != 1:
        raise ArchiveMismatch('a PGDMP file of unknown archive version %s' % version)
    if fmt != CUSTOM_FORMAT:
        raise ArchiveMismatch('a pg_dump archive in format %d, not the custom format (%d); the toc.dat of a '
                              'directory-format dump looks like this' % (fmt, CUSTOM_FORMAT))
    return version


def member_name(name):
    """A tar member's name without ``./`` or ``/`` in front (``./db/db.backup`` is ``db/db.backup``)."""
    return posixpath.normpath(name).lstrip('/')


def _shown(name):
    """A member name for a message: names come from the archive, so a long one is cut."""
    return name if len(name) <= 80 else name[:77] + '...'


def _number(value):
    """A .metadata size as given (a number), else None: the file is data, never trusted for more."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class _Tar:
    """A tar read from bytes pushed into it: names and sizes of members, a few kept, the rest counted.

    ustar, GNU (long names) and pax (``path``, ``size``) headers are read through tarfile's own header
    parser. The extension blocks of old GNU sparse members (never in a Mendix archive) are not followed.
    """

    def __init__(self):
        self.block = bytearray()   # a header block being filled
        self.state = 'header'      # 'header', 'data' (of a member), 'pad' (to the block boundary), 'end'
        self.left = 0              # bytes of data or padding still to pass over
        self.member = None         # the member whose data is passing
        self.data_size = 0         # its size
        self.keep = None           # (bytearray, limit): its first bytes, kept
        self.after = None          # what to do with kept data once complete
        self.next_name = None      # from a GNU long name or pax header: the next member's name
        self.next_size = None      # from a pax header: the next member's size
        self.members = 0
        self.found = {}            # watched name -> {'size', 'head' or 'data'}
        self.top = []              # first path components, for messages

    def feed(self, data):
        view = memoryview(data)
        pos = 0
        while pos < len(view) and self.state != 'end':
            if self.state == 'header':
                take = min(_BLOCK - len(self.block), len(view) - pos)
                self.block += view[pos:pos + take]
                pos += take
                if len(self.block) == _BLOCK:
                    block = bytes(self.block)
                    self.block = bytearray()
                    self._header(block)
                continue
            take = min(self.left, len(view) - pos)
            if self.state == 'data' and self.keep is not None:
                kept, limit = self.keep
                kept += view[pos:pos + min(take, max(0, limit - len(kept)))]
            pos += take
            self.left -= take
            if not self.left:
                self._data_done()

    def _header(self, block):
        if block == _ZERO_BLOCK:
            # The end-of-archive marker; what follows it is not read (tar itself ignores it).
            self.state = 'end'
            return
        try:
            info = tarfile.TarInfo.frombuf(block, 'utf-8', 'surrogateescape')
        except tarfile.HeaderError as exc:
            raise ArchiveMismatch('a tar whose header %d is not valid (%s)' % (self.members + 1, exc)) from None
        size = info.size if self.next_size is None else self.next_size
        name = info.name if self.next_name is None else self.next_name
        self.next_name = self.next_size = None
        self.member, self.keep, self.after = name, None, None
        if info.type == tarfile.GNUTYPE_LONGNAME:
            self._kept(name, size, EXTENDED_MAX, self._long_name)
        elif info.type in (tarfile.XHDTYPE, tarfile.SOLARIS_XHDTYPE):
            self._kept(name, size, EXTENDED_MAX, self._pax)
        elif info.type not in (tarfile.XGLTYPE, tarfile.GNUTYPE_LONGLINK):
            self._member(member_name(name), size, info)
            # As tarfile reads: only regular files (and types it does not know) have data blocks.
            if not (info.type in tarfile.REGULAR_TYPES or info.type not in tarfile.SUPPORTED_TYPES):
                size = 0
        self.left = self.data_size = size
        self.state = 'data'
        if not self.left:
            self._data_done()

    def _kept(self, name, size, limit, after):
        """Keep the data of the member now starting (whole, so at most ``limit`` bytes), then hand it to ``after``."""
        if size > limit:
            raise ArchiveMismatch('a tar whose member %s has %d bytes, more than the %d it can have'
                                  % (_shown(name), size, limit))
        self.keep, self.after = (bytearray(), limit), after

    def _member(self, name, size, info):
        self.members += 1
        top = _shown(name.split('/', 1)[0])
        if top not in self.top and len(self.top) < 10:
            self.top.append(top)
        if name not in (METADATA, DATABASE) or not info.isreg():
            return
        self.found[name] = {'size': size}
        if name == METADATA:
            self._kept(name, size, METADATA_MAX, self._metadata)
        else:  # only its first bytes: the dump header
            self.keep, self.after = (bytearray(), DUMP_HEAD), self._database_head

    def _data_done(self):
        if self.state == 'pad':
            self.state = 'header'
            return
        if self.keep is not None:
            kept, self.keep = bytes(self.keep[0]), None
            self.after(kept)
        self.left = -self.data_size % _BLOCK
        self.state = 'pad' if self.left else 'header'

    def _long_name(self, data):
        self.next_name = data.split(b'\0', 1)[0].decode('utf-8', 'surrogateescape')

    def _pax(self, data):
        pos = 0
        while pos < len(data):
            length, space, rest = data[pos:pos + 20].partition(b' ')
            if not space or not length.isdigit() or int(length) < len(length) + 2:
                if not data[pos:].strip(b'\0'):
                    return
                raise ArchiveMismatch('a tar with a malformed extended (pax) header')
            record = data[pos + len(length) + 1:pos + int(length)]
            pos += int(length)
            key, equals, value = record.rstrip(b'\n').partition(b'=')
            if not equals:
                raise ArchiveMismatch('a tar with a malformed extended (pax) header')
            if key == b'path':
                self.next_name = value.decode('utf-8', 'surrogateescape')
            elif key == b'size':
                if not value.isdigit():
                    raise ArchiveMismatch('a tar with a malformed size in an extended (pax) header')
                self.next_size = int(value)

    def _metadata(self, data):
        self.found[METADATA]['data'] = data

    def _database_head(self, data):
        self.found[DATABASE]['head'] = data

    def where(self):
        """Where the tar stops, when that is inside a member (None at a member boundary)."""
        if self.state == 'header' and not self.block:
            return None
        if self.state == 'header':
            return 'inside the header of member %d' % (self.members + 1)
        if self.state == 'end':
            return None
        return 'inside member %s' % _shown(self.member)


class ArchiveCheck:
    """The check of one download of ``kind`` (a Mendix data type): ``update`` with each chunk, then ``finish``.

    ``update`` raises ArchiveMismatch as soon as the bytes cannot be that archive (the wrong magic, a
    corrupt gzip stream, a malformed tar), so a wrong download stops early. ``reset`` starts again
    from byte 0 (a download that starts over).
    """

    def __init__(self, kind):
        if kind not in EXPECTED:
            raise ValueError('unknown archive kind %r' % kind)
        self.kind = kind
        self.reset()

    def reset(self):
        self.size = 0
        self.head = b''
        self.version = None        # of a database_only dump, once its header is read
        self.inflater = None       # the gzip member being inflated
        self.members = 0           # gzip members started
        self.ended = False         # the last gzip member is complete
        self.padding = False       # zero bytes after the gzip stream (tape-block padding)
        self.inflated = 0
        self.tar = _Tar()

    def mismatch(self, found):
        return ArchiveMismatch('not a %s archive: expected %s, found %s' % (self.kind, EXPECTED[self.kind], found))

    def update(self, data):
        if not data:
            return
        if len(self.head) < SNIFF:
            self.head += bytes(data[:SNIFF - len(self.head)])
        self.size += len(data)
        if self.kind == 'database_only':
            if self.version is None and len(self.head) >= DUMP_HEAD:
                self.version = self._dump(self.head)
            return
        if not self.members:
            if len(self.head) < len(GZIP_MAGIC):
                return
            if not self.head.startswith(GZIP_MAGIC):
                raise self.mismatch(describe(self.head))
            # The bytes before this chunk are the head's first ones (fewer than the magic).
            data = self.head[:self.size - len(data)] + bytes(data) if self.size - len(data) else data
        self._gzip(data)

    def _dump(self, head):
        try:
            return dump_version(head)
        except ArchiveMismatch as exc:
            raise self.mismatch(str(exc)) from None

    def _gzip(self, data):
        view = memoryview(data)
        while len(view):
            if self.inflater is None:
                if self.padding or view[:1] == b'\0':
                    # Padding after the last member (tape blocks) is zeros; anything else is not gzip.
                    self.padding = True
                    if bytes(view).strip(b'\0'):
                        raise self.mismatch('bytes after the end of the gzip stream that are neither gzip nor padding')
                    return
                self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self.members += 1
                self.ended = False
            rest = self._inflate(view[:FEED_STEP])
            view = view[FEED_STEP:]
            if rest:  # the start of what follows a gzip member: another member, or padding
                view = memoryview(rest + bytes(view))

    def _inflate(self, data):
        """Inflate ``data`` into the tar reader; what is left after the end of a gzip member."""
        while True:
            try:
                out = self.inflater.decompress(data, INFLATE_STEP)
            except zlib.error as exc:
                raise self.mismatch('a gzip stream that is corrupt (%s) after %d inflated bytes'
                                    % (exc, self.inflated)) from None
            self.inflated += len(out)
            try:
                self.tar.feed(out)
            except ArchiveMismatch as exc:
                raise self.mismatch(str(exc)) from None
            if self.inflater.eof:
                rest = self.inflater.unused_data
                self.inflater = None
                self.ended = True
                return rest
            data = self.inflater.unconsumed_tail
            # Output that reached the step may have more waiting inside zlib even with no input left.
            if not data and len(out) < INFLATE_STEP:
                return b''

    def finish(self):
        """What was found (a dict), once every byte went through ``update``; ArchiveMismatch otherwise."""
        if self.kind == 'database_only':
            return dict(self._facts(), dump_version=self._dump(self.head))
        if not self.members:
            raise self.mismatch(describe(self.head))
        if not self.ended:
            raise self.mismatch('a gzip stream that stops before its end after %d bytes (%d inflated): the archive '
                                'is truncated' % (self.size, self.inflated))
        where = self.tar.where()
        if where is not None:
            raise self.mismatch('a complete gzip stream whose tar stops %s (after %d inflated bytes)'
                                % (where, self.inflated))
        return self._tar_facts()

    def _facts(self):
        return {'kind': self.kind, 'format': 'postgresql_custom_dump' if self.kind == 'database_only' else 'tar_gzip',
                'size': self.size, 'model_version': None, 'members': None, 'members_checked': [],
                'metadata': None, 'dump_version': None}

    def _tar_facts(self):
        found = self.tar.found
        facts = dict(self._facts(), members=self.tar.members, uncompressed_size=self.inflated)
        needed = (METADATA, DATABASE) if self.kind == 'files_and_database' else ()
        for name in needed:
            if name not in found:
                raise self.mismatch('a gzip tar of %d members without %s (top-level entries: %s)'
                                    % (self.tar.members, name, ', '.join(self.tar.top) or 'none'))
        if DATABASE in found and self.kind == 'files_and_database':
            try:
                facts['dump_version'] = dump_version(found[DATABASE].get('head', b''))
            except ArchiveMismatch as exc:
                raise self.mismatch('a gzip tar whose %s is not a custom-format dump but %s' % (DATABASE, exc)) from None
            facts['members_checked'].append(DATABASE)
        if METADATA in found:
            facts.update(self._metadata(found[METADATA].get('data', b'')))
            facts['members_checked'].insert(0, METADATA)
        return facts

    def _metadata(self, data):
        try:
            metadata = json.loads(data.decode('utf-8'))
        except ValueError:
            raise self.mismatch('a gzip tar whose %s is not JSON but %s' % (METADATA, describe(data[:SNIFF]))) from None
        if not isinstance(metadata, dict):
            raise self.mismatch('a gzip tar whose %s is JSON but not an object' % METADATA)
        version = metadata.get('modelVersion')
        if not (isinstance(version, str) and version.strip()):
            if self.kind == 'files_and_database':
                raise self.mismatch('a gzip tar whose %s has no modelVersion (keys: %s)'
                                    % (METADATA, ', '.join(sorted(str(k) for k in metadata)[:10]) or 'none'))
            version = None
        return {'model_version': version[:200] if version else None,
                'metadata': {ours: _number(metadata.get(theirs)) for theirs, ours in METADATA_KEYS}}


def check_file(path, kind, chunk_size=CHUNK):
    """Read ``path`` through ``ArchiveCheck(kind)``; what was found, or ArchiveMismatch (OSError when unreadable)."""
    check = ArchiveCheck(kind)
    with open(path, 'rb') as handle:
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                break
            check.update(chunk)
    return check.finish()
