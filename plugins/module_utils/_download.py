# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Streaming, resumable, atomic download of a (possibly huge) backup file."""

import hashlib
import os
import re
import tempfile

from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import rexc

CHUNK_SIZE = 1024 * 1024
# A dropped connection is resumed with Range this many times before giving up; a link
# that drops more often than this is broken, not flaky.
MAX_RESUMES = 10

_CONTENT_RANGE = re.compile(r'bytes\s+(\d+)-(\d+)/(\d+|\*)')


def _total_size(response, offset):
    """Full size of the file from Content-Range (206) or Content-Length (200), or None."""
    match = _CONTENT_RANGE.match(response.headers.get('Content-Range', ''))
    if match and match.group(3) != '*':
        return int(match.group(3))
    length = response.headers.get('Content-Length')
    if length is not None and response.status_code == 200:
        return int(length)
    if length is not None and match:
        return offset + int(length)
    return None


def download(client, url, dest, operation, expected_size=None, chunk_size=CHUNK_SIZE,
             max_resumes=MAX_RESUMES):
    """Stream ``url`` to ``dest`` and return ``{'path', 'size', 'sha256', 'resumed'}``.

    The bytes go to a temporary file beside ``dest`` (same file system, so the final
    rename is atomic); ``dest`` never holds a partial file. After a dropped connection
    the transfer resumes from the last byte written with ``Range``. Memory stays constant
    whatever the size. ``client.request`` sends vendor auth headers only to the API's
    own origin, so a download host never sees them.
    """
    directory = os.path.dirname(os.path.abspath(dest)) or '.'
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(dest), suffix='.part', dir=directory)
    try:
        with os.fdopen(fd, 'wb') as handle:
            result = _transfer(client, url, handle, operation, expected_size, chunk_size, max_resumes)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    result['path'] = dest
    return result


def _transfer(client, url, handle, operation, expected_size, chunk_size, max_resumes):
    digest = hashlib.sha256()
    written = 0
    total = None
    resumes = 0
    while True:
        headers = {'Range': 'bytes=%d-' % written} if written else None
        try:
            response = client.request('GET', url, operation, headers=headers, stream=True)
            if written and response.status_code != 206:
                # The server ignored Range: start over rather than append a second copy.
                handle.seek(0)
                handle.truncate()
                digest = hashlib.sha256()
                written = 0
            total = _total_size(response, written) or total
            for chunk in response.iter_content(chunk_size):
                handle.write(chunk)
                digest.update(chunk)
                written += len(chunk)
            response.close()
        except (rexc.ChunkedEncodingError, rexc.ConnectionError, rexc.Timeout) as exc:
            reason = str(type(exc).__name__)
        except PlatformError as exc:
            if not exc.retryable:
                raise
            reason = exc.message
        else:
            if total is None or written >= total:
                break
            reason = 'short read'
        if resumes >= max_resumes:
            raise PlatformError(client.platform, operation,
                                'download interrupted %d times (last: %s); %d bytes received'
                                % (resumes + 1, reason, written), method='GET', url=url, retryable=True)
        resumes += 1
    if total is not None and written != total:
        raise PlatformError(client.platform, operation, 'received %d bytes, the server announced %d'
                            % (written, total), method='GET', url=url)
    if expected_size is not None and written != expected_size:
        raise PlatformError(client.platform, operation, 'received %d bytes, the vendor reported %d'
                            % (written, expected_size), method='GET', url=url)
    return {'size': written, 'sha256': digest.hexdigest(), 'resumed': resumes}
