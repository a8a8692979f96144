"""Generic download host: deterministic files of any size, with HTTP Range support.

Content is a block of PERIOD bytes (a prime, derived from the seed with SHAKE-256) repeated to
the file size.  Because the period is prime and not a power of two, resuming a download at a
wrong offset produces different bytes and therefore a different sha256.  Bodies are streamed from
that one block (``apps/layout.py``), so memory stays constant whatever the file size.

A file registered with ``"mendix_archive": "<data type>"`` is a Mendix download archive of that
data type instead (``apps/mendix_archive.py``: a custom-format dump, or a gzip tar with
``.metadata``, ``db/db.backup`` and ``tree/``), ``size`` bytes where it fits, optionally broken as
``"variant"`` says (``mendix_archive.VARIANTS``), with ``"model_version"`` in its ``.metadata``.

``If-Range`` is honoured as RFC 9110 says: a Range is served only when ``If-Range`` equals the file's
(strong) ETag; any other validator gets the whole file (200).  A file registered with
``"ranges": false`` ignores Range altogether (200, ``Accept-Ranges: none``), like a host without
range support.
"""

import re

from apps import mendix_archive
from apps.base import App
from apps.layout import Layout, filler
from wire import Response, json_response

PERIOD = 65521  # largest prime below 64 KiB
NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$')
RANGE_RE = re.compile(r'^bytes=(\d*)-(\d*)$')
OCTET_STREAM = 'application/octet-stream'


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


def _content(spec, size, seed):
    """The layout a file spec describes: random-looking bytes, or a Mendix archive."""
    kind = spec.get('mendix_archive')
    if kind is None:
        return Layout().periodic(filler(seed, PERIOD), size)
    variant, model_version = spec.get('variant', 'valid'), spec.get('model_version', '1.0.0.0')
    if kind not in mendix_archive.DATA_TYPES:
        raise ValueError('mendix_archive must be one of %s' % ', '.join(mendix_archive.DATA_TYPES))
    if variant not in mendix_archive.VARIANTS:
        raise ValueError('variant must be one of %s' % ', '.join(mendix_archive.VARIANTS))
    if not isinstance(model_version, str) or not model_version:
        raise ValueError('model_version must be a non-empty string')
    # size is the whole archive; files_and_database splits it 2:1 between dump and files unless told.
    default_files = {'database_only': 0, 'files_only': size, 'files_and_database': size // 3}[kind]
    files_bytes = spec.get('files_bytes', default_files)
    database_bytes = spec.get('database_bytes', max(0, size - files_bytes) if kind == 'files_and_database' else size)
    for value in (files_bytes, database_bytes):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError('database_bytes and files_bytes must be non-negative integers')
    return mendix_archive.build(kind, seed, database_bytes, files_bytes, model_version, variant)


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
        content = _content(spec, size, seed)
        entry = {'name': name, 'size': content.size, 'seed': seed, 'sha256': content.digest(),
                 'url_path': '%s/%s' % (self.prefix, name)}
        for key in ('mendix_archive', 'variant'):
            if key in spec:
                entry[key] = spec[key]
        if not ranges:
            entry['ranges'] = False
        with self.lock:
            self.files[name] = dict(entry, content=content)
        return entry

    def seed(self, data):
        for spec in data.get('files', []) if isinstance(data, dict) else data:
            self.register(spec)

    def state(self):
        with self.lock:
            files = [{k: v for k, v in f.items() if k != 'content'} for f in self.files.values()]
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
                        chunks=entry['content'].chunks(start, end), length=end - start)
