"""Generic download host: deterministic files of any size, with HTTP Range support.

Content is a block of PERIOD bytes (a prime, derived from the seed with SHAKE-256) repeated to
the file size.  Because the period is prime and not a power of two, resuming a download at a
wrong offset produces different bytes and therefore a different sha256.  Bodies are streamed from
that one block, so memory stays constant whatever the file size.

``If-Range`` is honoured as RFC 9110 says: a Range is served only when ``If-Range`` equals the file's
(strong) ETag; any other validator gets the whole file (200).  A file registered with
``"ranges": false`` ignores Range altogether (200, ``Accept-Ranges: none``), like a host without
range support.
"""

import hashlib
import re

from apps.base import App
from wire import Response, json_response

PERIOD = 65521  # largest prime below 64 KiB
NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$')
RANGE_RE = re.compile(r'^bytes=(\d*)-(\d*)$')
OCTET_STREAM = 'application/octet-stream'


def _block(seed):
    block = hashlib.shake_256(str(seed).encode('utf-8')).digest(PERIOD)
    return block + block  # doubled, so any window of up to PERIOD bytes is one slice


def iter_content(block, start, end):
    """Bytes [start, end) of the file whose doubled block is ``block``, in chunks of at most PERIOD."""
    view = memoryview(block)
    offset = start
    while offset < end:
        phase = offset % PERIOD
        size = min(PERIOD, end - offset)
        yield bytes(view[phase:phase + size])
        offset += size


def _parse_range(header, size):
    """(start, end) for a single ``bytes=`` range, 'unsatisfiable', or None to serve the whole file."""
    match = RANGE_RE.match(header.replace(' ', ''))
    if not match or match.group(1) == match.group(2) == '':
        return None  # malformed or multi-range: RFC 9110 lets a server ignore Range
    first, last = match.groups()
    if first == '':
        suffix = int(last)
        return (max(0, size - suffix), size) if suffix else 'unsatisfiable'
    start = int(first)
    end = size if last == '' else min(int(last) + 1, size)
    if start >= size or end <= start:
        return 'unsatisfiable'
    return start, end


class FilesApp(App):
    name = 'files'
    prefix = '/files'

    def reset(self):
        super().reset()
        with self.lock:
            self.files = {}

    def register(self, spec):
        if not isinstance(spec, dict):
            raise ValueError('a file is a JSON object')
        name, size, seed, ranges = spec.get('name'), spec.get('size'), spec.get('seed', 0), spec.get('ranges', True)
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ValueError('name must match %s' % NAME_RE.pattern)
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError('size must be a non-negative integer')
        if not isinstance(ranges, bool):
            raise ValueError('ranges must be true or false')
        block = _block(seed)
        digest = hashlib.sha256()
        for chunk in iter_content(block, 0, size):
            digest.update(chunk)
        entry = {'name': name, 'size': size, 'seed': seed, 'sha256': digest.hexdigest(), 'url_path': '%s/%s' % (self.prefix, name)}
        if not ranges:
            entry['ranges'] = False
        with self.lock:
            self.files[name] = dict(entry, block=block)
        return entry

    def seed(self, data):
        for spec in data.get('files', []) if isinstance(data, dict) else data:
            self.register(spec)

    def state(self):
        with self.lock:
            files = [{k: v for k, v in f.items() if k != 'block'} for f in self.files.values()]
        return dict(super().state(), files=files)

    def control(self, request, subpath):
        if subpath in ('', '/') and request.method == 'POST':
            return json_response(self.register(request.json))
        if subpath in ('', '/') and request.method == 'GET':
            return json_response(self.state()['files'])
        return super().control(request, subpath)

    def handle(self, request):
        with self.lock:
            entry = self.files.get(request.path[len(self.prefix) + 1:])
        if entry is None or request.method not in ('GET', 'HEAD'):
            return None
        size = entry['size']
        etag = '"%s"' % entry['sha256'][:32]
        ranges = entry.get('ranges', True)
        headers = [('Accept-Ranges', 'bytes' if ranges else 'none'), ('ETag', etag)]
        wanted = None
        if ranges and request.headers.get('Range') and request.headers.get('If-Range', etag) == etag:
            wanted = _parse_range(request.headers['Range'], size)
        if wanted == 'unsatisfiable':
            return Response(416, b'', OCTET_STREAM, headers + [('Content-Range', 'bytes */%d' % size)])
        status, (start, end) = (200, (0, size)) if wanted is None else (206, wanted)
        if status == 206:
            headers.append(('Content-Range', 'bytes %d-%d/%d' % (start, end - 1, size)))
        return Response(status, content_type=OCTET_STREAM, headers=headers,
                        chunks=iter_content(entry['block'], start, end), length=end - start)
