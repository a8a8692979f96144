# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Streaming, resumable, atomic download of a (possibly huge) backup file.

Only a file answer becomes ``dest``. Anything else fails with a message saying what came back,
and leaves ``dest`` as it was:

- the status is 200 to a request without ``Range``, or 206 to a ``Range`` request whose
  ``Content-Range`` starts at the byte asked for; a redirect is never followed (a storage host
  that redirects is sending us to a login or error page, or to a place we did not vet);
- the answer is not an HTML page (what a proxy, a login form or an expired link serves, often
  with 200);
- the server announced the size (``Content-Length``, or the total of ``Content-Range``), the
  bytes received match it exactly, and it equals the size the vendor reported, when it reports one;
- when the caller gives a ``check`` (e.g. ``_archive_check.ArchiveCheck``), the bytes are what it
  expects. It sees every byte once, in order, as it is written (the prefix of a continued partial
  file included), so a multi-GiB file is verified without being read a second time.

The bytes go to ``.<name>.part`` beside ``dest`` (same file system, so the final rename is
atomic), locked against a second run writing the same ``dest``. A dropped connection is resumed
with ``Range`` from the last byte written. A partial file that an interrupted earlier run left
(SIGTERM, a crash, a reboot) is continued only when a record beside it (``.<name>.part.json``:
what the caller says the file is, the server's strong ETag and the size) says it is the same file,
its bytes pass the caller's ``check`` so far, and the server agrees (``If-Range``, the same ETag and size in its answer, and the last bytes of
the partial file fetched again and equal); otherwise it is truncated and the download starts at
byte 0. Memory stays constant whatever the size: the body is read into a few reused buffers
while a second thread writes and hashes the ones before (``_download_pipeline``), and the written
part of the file is handed to the disk as it grows (``_Part.write_behind``).

``client.request`` sends vendor auth headers only to the API's own origin, so a download host
never sees them.
"""

import errno
import fcntl
import hashlib
import json
import os
import re
import stat
from urllib.parse import urljoin

from ansible_collections.saasops.backup.plugins.module_utils._download_pipeline import Pipeline
from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError, redact_url

from http.client import HTTPException


class _Unavailable(Exception):
    """Stands in for an exception class of a library that is not installed (never raised)."""


try:
    from requests.exceptions import RequestException
    from urllib3.exceptions import HTTPError as Urllib3HTTPError
except ImportError:  # the import sanity test runs without requests (_http reports it as missing)
    RequestException = Urllib3HTTPError = _Unavailable

CHUNK_SIZE = 1024 * 1024
# A dropped connection is resumed with Range this many times before giving up; a link
# that drops more often than this is broken, not flaky.
MAX_RESUMES = 10
# Bytes at the end of a stale partial file that are fetched again and compared before it is
# continued: a partial file cut by a crash or a power loss can end in bytes that never reached
# the disk, and a host without ETags could be serving another file of the same size.
OVERLAP = 64 * 1024
# The partial file's pages are handed back to the kernel every WRITE_BEHIND bytes (see
# _Part.write_behind): a backup is written once and not read again by this run.
WRITE_BEHIND = 32 * 1024 * 1024
# Redirects are answered to us, not followed (the client never follows them either): a
# download host redirecting is sending us somewhere we did not vet, typically a login page.
REDIRECT_STATUSES = tuple(range(300, 400))
# 416 on a resume means the partial file does not fit the file the server has now: start over.
_OK_STATUSES = REDIRECT_STATUSES + (416,)
# What a proxy, a login form or an expired-link page answers, often with 200: never a backup.
PAGE_TYPES = ('text/html', 'application/xhtml+xml')

_CONTENT_RANGE = re.compile(r'^bytes\s+(\d+)-(\d+)/(\d+|\*)$')
PART_SUFFIX = '.part'
RECORD_SUFFIX = '.part.json'


def part_paths(dest):
    """``(partial file, its record)`` of a download to ``dest``."""
    directory, name = os.path.split(os.path.abspath(dest))
    part = os.path.join(directory, '.%s%s' % (name, PART_SUFFIX))
    return part, os.path.join(directory, '.%s%s' % (name, RECORD_SUFFIX))


class _Restart(Exception):
    """The server's answer shows the partial file is not a prefix of its file: start at byte 0."""


class _Interrupted(Exception):
    """The body stopped before the announced size (dropped connection, short read)."""


def _strong_etag(value):
    """The ETag when it is strong (a weak one cannot validate a byte range), else None."""
    value = (value or '').strip()
    return value if value.startswith('"') and value.endswith('"') and len(value) >= 2 else None


def download(client, url, dest, operation, expected_size=None, chunk_size=CHUNK_SIZE,
             max_resumes=MAX_RESUMES, identity=None, before_replace=None, check=None):
    """Stream ``url`` to ``dest`` and return ``{'path', 'size', 'sha256', 'resumed'}`` (and ``checked``).

    ``identity`` (JSON-able) names what the file is, e.g. a snapshot and a data type: a partial
    file an interrupted earlier run left is continued only for the same identity (without one,
    it is always started over). ``check`` inspects the content: ``update(bytes)`` with every byte
    in order, ``reset()`` when the download starts over from byte 0, then ``finish()``, whose
    answer is ``result['checked']``; a ValueError from either says what is wrong and fails the
    download. ``before_replace(result)`` runs once the file is complete and verified, just before
    it is renamed onto ``dest``. ``resumed`` counts the interruptions overcome, the one of an
    earlier run included. On any failure ``dest`` is untouched and the partial file and its record
    removed, so no later run resumes bytes that failed; an interrupt (KeyboardInterrupt) keeps them
    for the next run to resume.
    """
    part = _Part(dest, identity, client.platform, operation)
    try:
        result = _Transfer(client, url, operation, part, expected_size, chunk_size, max_resumes, check).run()
        if before_replace is not None:
            before_replace(result)
        part.commit(dest)
    except Exception:
        part.discard()
        raise
    finally:
        part.close()
    result['path'] = dest
    return result


class _Part:
    """The partial file beside ``dest``: opened without following links, locked, with its record."""

    def __init__(self, dest, identity, platform, operation):
        self.path, self.record_path = part_paths(dest)
        self.directory, self.name = os.path.split(os.path.abspath(dest))
        self.identity = None if identity is None else json.loads(json.dumps(identity))
        self.platform = platform
        self.operation = operation
        self.handle = None
        self.committed = False
        # Where the next write lands, and where write_behind last advised the kernel.
        self.end = self.advised = 0
        self._remove_legacy_parts()
        self.handle = os.fdopen(self._guard(self._open_locked), 'r+b')

    def fail(self, message):
        return PlatformError(self.platform, self.operation, message)

    def _guard(self, action, *args):
        """Run a file operation; an OSError becomes a PlatformError naming the file."""
        try:
            return action(*args)
        except OSError as exc:
            raise self.fail('%s: %s' % (exc.filename or self.path, exc.strerror or exc)) from None

    def _open_locked(self):
        for dummy in range(3):
            try:
                if not stat.S_ISREG(os.lstat(self.path).st_mode):
                    # A link (or anything else) planted at our name is never written through.
                    os.unlink(self.path)
            except FileNotFoundError:
                pass
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0),
                         0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    # A file system without locks (some NFS mounts): download unlocked, as before.
                    return fd
                os.close(fd)
                raise self.fail('another run is downloading to %s (its partial file %s is locked)'
                                % (os.path.join(self.directory, self.name), self.path)) from None
            # The run that held the lock may have renamed this very file onto dest meanwhile.
            mine, there = os.fstat(fd), self._lstat()
            if there is not None and (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino):
                return fd
            os.close(fd)
        raise self.fail('the partial file %s keeps changing: another run is downloading to the same file' % self.path)

    def _lstat(self):
        try:
            return os.lstat(self.path)
        except FileNotFoundError:
            return None

    def _remove_legacy_parts(self):
        """Partial files of the random-named kind earlier versions wrote (``.<name>.XXXXXXXX.part``)."""
        legacy = re.compile(r'^\.%s\.[a-z0-9_]{8}\.part$' % re.escape(self.name))
        for entry in self._guard(os.listdir, self.directory):
            if legacy.match(entry):
                try:
                    os.unlink(os.path.join(self.directory, entry))
                except FileNotFoundError:
                    pass

    # -- what an earlier run left ------------------------------------------------------------
    def read_record(self):
        try:
            with open(self.record_path, encoding='utf-8') as handle:
                record = json.load(handle)
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None

    def stale(self, expected_size):
        """``(offset, total, etag)`` when the partial file can be continued, else None (it is emptied)."""
        size = self._guard(os.fstat, self.handle.fileno()).st_size
        record = self.read_record() if size else None
        total = record.get('total') if record else None
        usable = (record is not None and self.identity is not None and record.get('identity') == self.identity
                  and _strong_etag(record.get('etag')) and isinstance(total, int) and not isinstance(total, bool)
                  and 0 < size < total and expected_size in (None, total))
        if usable:
            return size, total, record['etag']
        self.reset()
        return None

    def reset(self):
        """Empty the partial file and forget its record."""
        self._guard(self._reset)

    def _reset(self):
        self.handle.seek(0)
        self.handle.truncate()
        self.remove_record()

    def remove_record(self):
        try:
            os.unlink(self.record_path)
        except FileNotFoundError:
            pass

    def write_record(self, total, etag):
        """Say what the partial file is, so a run after an interruption can continue it.

        Written in place: a record cut by a crash does not parse, and then the partial file is
        started over. The URL is not recorded (a signed link grants access by itself).
        """
        if self.identity is None or not _strong_etag(etag) or total is None:
            self._guard(self.remove_record)
            return
        body = json.dumps({'identity': self.identity, 'etag': etag, 'total': total}, sort_keys=True)
        self._guard(self._write_record, body)

    def _write_record(self, body):
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, 'O_NOFOLLOW', 0)
        try:
            if not stat.S_ISREG(os.lstat(self.record_path).st_mode):
                os.unlink(self.record_path)
        except FileNotFoundError:
            pass
        with os.fdopen(os.open(self.record_path, flags, 0o600), 'w', encoding='utf-8') as handle:
            handle.write(body)

    def read_prefix(self, size, absorb):
        """Hand the first ``size`` bytes of the partial file to ``absorb``; return its last OVERLAP bytes."""
        return self._guard(self._read_prefix, size, absorb)

    def _read_prefix(self, size, absorb):
        self.handle.seek(0)
        left = size
        while left:
            block = self.handle.read(min(CHUNK_SIZE, left))
            if not block:
                break
            absorb(block)
            left -= len(block)
        self.handle.seek(max(0, size - OVERLAP))
        return self.handle.read(min(OVERLAP, size))

    # -- writing -----------------------------------------------------------------------------
    def position(self, offset):
        """Write from ``offset`` on; anything after it is dropped."""
        self._guard(self._position, offset)

    def _position(self, offset):
        self.handle.seek(offset)
        self.handle.truncate()
        self.end = self.advised = offset

    def write(self, chunk):
        self._guard(self.handle.write, chunk)
        self.end += len(chunk)
        if self.end - self.advised >= WRITE_BEHIND:
            self.write_behind()

    def write_behind(self):
        """Start writing the newest bytes to disk and drop the pages of the older ones, already written.

        Why: left alone, a multi-GiB file fills the page cache with dirty pages (fresh memory for
        each, and the final fsync then writes them all while the download waits); on a busy host it
        also evicts everything else from the cache. POSIX_FADV_DONTNEED starts the writeback of the
        dirty pages without waiting for it and drops the clean ones, so the file goes to disk while
        the download goes on and the page cache it holds stays a few windows big. Advice only: a
        system without it (or refusing it) downloads as before.
        """
        self.advised = self.end
        try:
            os.posix_fadvise(self.handle.fileno(), max(0, self.end - 3 * WRITE_BEHIND), 3 * WRITE_BEHIND,
                             os.POSIX_FADV_DONTNEED)
        except (AttributeError, OSError):
            pass

    def commit(self, dest):
        self._guard(self._commit, dest)

    def _commit(self, dest):
        self.handle.flush()
        os.fsync(self.handle.fileno())
        os.fchmod(self.handle.fileno(), 0o600)
        os.replace(self.path, dest)
        self.committed = True
        self.remove_record()
        try:  # make the rename itself durable; not every file system lets a directory be fsynced
            dir_fd = os.open(self.directory, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)

    def discard(self):
        """Remove the partial file and its record (we hold the lock, so they are ours)."""
        if self.committed or self.handle is None:
            return
        for path in (self.path, self.record_path):
            try:
                os.unlink(path)
            except OSError:
                pass

    def close(self):
        if self.handle is not None:
            self.handle.close()  # releases the lock
            self.handle = None


class _Transfer:
    """The requests of one download: what is asked, what is accepted, where the bytes go."""

    def __init__(self, client, url, operation, part, expected_size, chunk_size, max_resumes, check=None):
        self.client = client
        self.url = url
        self.operation = operation
        self.part = part
        self.expected_size = expected_size
        self.chunk_size = chunk_size
        self.max_resumes = max_resumes
        self.digest = hashlib.sha256()
        self.check = check
        self.written = 0
        self.total = None
        self.etag = None
        # The tail of a stale partial file, still to be compared with what the server sends again.
        self.overlap = b''
        self.continues_stale = False

    def refuse(self, message, status=None):
        return PlatformError(self.client.platform, self.operation, message, method='GET', url=self.url, status=status)

    def absorb(self, chunk):
        """Account for bytes now in the partial file, in order: the sha256, and the check when there is one."""
        self.digest.update(chunk)
        self.inspect(chunk, self.not_verified)

    def absorb_stale(self, chunk):
        """``absorb`` for the partial file an earlier run left: bytes that fail the check are not continued."""
        self.digest.update(chunk)
        self.inspect(chunk, lambda exc: _Restart('the partial file an earlier run left fails the check: %s' % exc))

    def inspect(self, chunk, failure):
        if self.check is not None:
            try:
                # A copy: the check may keep bytes, and a pipeline buffer is read into again.
                self.check.update(chunk if isinstance(chunk, bytes) else bytes(chunk))
            except ValueError as exc:
                raise failure(exc) from None

    def not_verified(self, exc):
        # Not retryable: the host served these bytes; asking again gets the same ones.
        return self.refuse('the download is %s. Nothing was saved: dest is as it was, and the partial file is '
                           'removed so that no later run resumes it' % exc)

    def run(self):
        stale = self.part.stale(self.expected_size)
        if stale is not None:
            self.written, self.total, self.etag = stale
            try:
                self.overlap = self.part.read_prefix(self.written, self.absorb_stale)
                self.continues_stale = True
            except _Restart:
                # Not to be trusted, whatever its record says: the server may have another file now.
                self.start_over()
        attempts = 0
        while True:
            try:
                if self.attempt():
                    break
                reason = 'short read'
            except _Interrupted as exc:
                reason = str(exc)
            except _Restart as exc:
                reason = str(exc)
                self.start_over()
            if attempts >= self.max_resumes:
                raise PlatformError(self.client.platform, self.operation,
                                    'download interrupted %d times (last: %s); %d bytes received'
                                    % (attempts + 1, reason, self.written), method='GET', url=self.url,
                                    retryable=True)
            attempts += 1
        if self.expected_size is not None and self.written != self.expected_size:
            raise self.refuse('received %d bytes, the vendor reported %d' % (self.written, self.expected_size))
        # The interruption of the earlier run counts when its partial file was continued.
        result = {'size': self.written, 'sha256': self.digest.hexdigest(), 'resumed': attempts + int(self.continues_stale)}
        if self.check is not None:
            try:
                result['checked'] = self.check.finish()
            except ValueError as exc:
                raise self.not_verified(exc) from None
        return result

    def start_over(self):
        self.continues_stale = False
        self.part.reset()
        self.digest = hashlib.sha256()
        if self.check is not None:
            self.check.reset()
        self.written = 0
        self.total = None
        self.etag = None
        self.overlap = b''

    def attempt(self):
        """One request; True when the file is complete."""
        start = self.written - len(self.overlap)
        # identity: the sizes announced count the bytes as sent, so they are stored as sent.
        headers = {'Accept-Encoding': 'identity'}
        if self.written:
            headers['Range'] = 'bytes=%d-' % start
            if self.etag:
                # The server sends the range only if its file still has this ETag, else all of it.
                headers['If-Range'] = self.etag
        # A failed request has already been retried by the client (transient errors, with its
        # budget): it ends the download. This loop resumes bodies that stop part-way.
        response = self.client.request('GET', self.url, self.operation, headers=headers, stream=True,
                                       ok_statuses=_OK_STATUSES)
        try:
            self.accept(response, start if self.written else None)
            return self.receive(response)
        finally:
            response.close()

    def accept(self, response, asked_from):
        """Check that the answer is the file (or the part of it asked for); position the partial file."""
        status = response.status_code
        if status in REDIRECT_STATUSES:
            raise self.refuse(self.redirect_text(response), status=status)
        if status == 416 and asked_from is not None:
            raise _Restart('HTTP 416: the partial file does not fit the file the server has now')
        if status not in (200, 206):
            raise self.refuse('answered HTTP %d, not the file' % status, status=status)
        content_type = response.headers.get('Content-Type', '').split(';')[0].strip().lower()
        if content_type in PAGE_TYPES:
            raise self.refuse('answered an HTML page (Content-Type %s), not the file; an expired or refused link, '
                              'a login page or a proxy error looks like this. Nothing was saved' % content_type,
                              status=status)
        length = self.content_length(response)
        etag = _strong_etag(response.headers.get('ETag'))
        if status == 206:
            if asked_from is None:
                raise self.refuse('answered 206 (a part of the file) to a request for the whole file', status=206)
            first, last, total = self.content_range(response, length)
            if first != asked_from:
                raise self.refuse('answered bytes %d-%d of the file to a request from byte %d' % (first, last, asked_from),
                                  status=206)
            if total != self.total or (etag and self.etag and etag != self.etag):
                # The server has another file than the one the partial file is a prefix of.
                raise _Restart('the file on the server changed (size %s, was %s)' % (total, self.total))
            self.part.position(self.written)
            return
        if length is None:
            raise self.refuse('announced no size (no Content-Length), so a complete file cannot be told from a cut one',
                              status=200)
        if asked_from is not None:
            # The server ignored Range (or If-Range found another file): all of it again, from byte 0.
            self.start_over()
        self.total, self.etag = length, etag
        if self.expected_size is not None and length != self.expected_size:
            raise self.refuse('the download host announced %d bytes, the vendor reported %d' % (length, self.expected_size),
                              status=200)
        self.part.position(0)
        self.part.write_record(self.total, self.etag)

    def content_length(self, response):
        value = response.headers.get('Content-Length')
        if value is None:
            return None
        if not value.strip().isdigit():
            raise self.refuse('announced a malformed Content-Length', status=response.status_code)
        return int(value)

    def content_range(self, response, length):
        match = _CONTENT_RANGE.match(response.headers.get('Content-Range', '').strip())
        if not match or match.group(3) == '*':
            raise self.refuse('answered 206 without a usable Content-Range (%r)'
                              % response.headers.get('Content-Range', '')[:60], status=206)
        first, last, total = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if last < first or last >= total or (length is not None and length != last - first + 1):
            raise self.refuse('answered an inconsistent range: Content-Range bytes %d-%d/%d, Content-Length %s'
                              % (first, last, total, length), status=206)
        return first, last, total

    def redirect_text(self, response):
        location = (response.headers.get('Location') or '').strip()
        if location:
            try:
                target = redact_url(urljoin(self.url, location))
            except ValueError:
                target = redact_url(location)
            where = 'redirected (HTTP %d) to %s' % (response.status_code, target)
        else:
            where = 'answered a redirect (HTTP %d) without a Location' % response.status_code
        return ('%s; a download never follows a redirect and never saves one as the file: the link may have '
                'expired or the host may want a login. Nothing was saved' % where)

    def consume(self, view):
        """In the pipeline's thread: bytes read, in order, go to the partial file and into the sha256 and check."""
        self.part.write(view)
        self.absorb(view)
        self.written += len(view)

    def receive(self, response):
        """Append the body; True when the announced size is reached.

        This thread reads the socket into the pipeline's buffers while the pipeline's thread writes,
        hashes and checks the ones before (see _download_pipeline). ``self.written`` counts what is in
        the partial file: once this returns or raises, everything read has been written or dropped.
        """
        read_into = _body_reader(response, self.chunk_size)
        pipeline = Pipeline(self.consume, self.chunk_size)
        received = self.written
        try:
            while True:
                buf = pipeline.buffer()
                try:
                    count = read_into(buf)
                except (RequestException, Urllib3HTTPError, HTTPException, OSError) as exc:
                    # The connection broke while reading (only the read is guarded: a disk error is not this).
                    raise _Interrupted(type(exc).__name__) from None
                if not count:
                    pipeline.submit(buf, 0, 0)
                    break
                start = self.compare_overlap(buf, count)
                if received + count - start > self.total:
                    raise self.refuse('sent more than the %d bytes it announced' % self.total, status=response.status_code)
                pipeline.submit(buf, start, count)
                received += count - start
        except _Interrupted:
            # What arrived before the break is good: written, so the resume asks for the rest.
            pipeline.close()
            raise
        except BaseException:
            pipeline.close(drain=False)
            raise
        pipeline.close()
        return not self.overlap and self.written == self.total

    def compare_overlap(self, buf, count):
        """How many of the ``count`` bytes in ``buf`` were the tail of a stale partial file, compared and matched."""
        if not self.overlap:
            return 0
        take = min(count, len(self.overlap))
        with memoryview(buf) as whole, whole[:take] as piece:
            if piece != self.overlap[:take]:
                raise _Restart('the end of the partial file differs from the file on the server')
        self.overlap = self.overlap[take:]
        return take


def _body_reader(response, chunk_size):
    """``readinto(buffer)`` over the body as sent (no Content-Encoding decoding: what Content-Length counts).

    The count it answers is 0 at the end of the body; it fills the buffer otherwise, but the last one.
    """
    raw = getattr(response, 'raw', None)
    inner = getattr(raw, '_fp', None)
    if hasattr(raw, 'stream') and callable(getattr(inner, 'readinto', None)):
        # urllib3 over http.client: the TLS records go straight into our buffer, not through a 1 MiB
        # bytes object joined from 16 KiB ones per chunk. http.client still frames the body
        # (Content-Length, chunked) and answers 0 at its end or when the connection closes early.
        return inner.readinto
    if hasattr(raw, 'stream'):
        chunks = raw.stream(chunk_size, decode_content=False)
    else:
        chunks = response.iter_content(chunk_size)
    return _ChunkReader(chunks).readinto


class _ChunkReader:
    """``readinto`` over an iterator of byte chunks (other HTTP libraries, test doubles)."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.rest = b''

    def readinto(self, buf):
        filled = 0
        with memoryview(buf) as view:
            while filled < len(view):
                if not self.rest:
                    self.rest = next(self.chunks, b'')
                    if not self.rest:
                        break
                take = min(len(self.rest), len(view) - filled)
                view[filled:filled + take] = self.rest[:take]
                self.rest = self.rest[take:]
                filled += take
        return filled
