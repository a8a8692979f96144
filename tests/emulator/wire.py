"""Request and response objects shared by the HTTP handler, the control interface and the apps.

Apps never touch sockets: they receive a parsed ``Request`` and return a ``Response``.  Keeping the
wire format in one place is what lets the handler apply faults (drop, truncate, ...) uniformly to
every app, including streamed file downloads.
"""

import json
from urllib.parse import parse_qs

JSON_TYPE = 'application/json; charset=utf-8'
HTML_TYPE = 'text/html; charset=utf-8'


class Request:
    """One parsed HTTP request.  ``form`` and ``json`` are ``None`` when the body is not of that type."""

    def __init__(self, method, path, query_string, headers, *, body, api_base):
        self.method = method
        self.path = path
        self.query_string = query_string
        self.query = parse_qs(query_string, keep_blank_values=True)
        self.headers = headers
        self.host = hostname_of(headers.get('Host', ''))
        self.body = body
        self.api_base = api_base
        self.form = None
        self.json = None
        content_type = headers.get('Content-Type', '').split(';')[0].strip().lower()
        text = body.decode('utf-8', 'replace')
        if content_type == 'application/x-www-form-urlencoded':
            self.form = parse_qs(text, keep_blank_values=True)
        elif content_type.endswith('json') or (not content_type and text.lstrip().startswith(('{', '['))):
            try:
                self.json = json.loads(text) if text.strip() else None
            except ValueError:
                self.json = None

    def form_value(self, name, default=None):
        """First value of a form field (POST body)."""
        return (self.form or {}).get(name, [default])[0]

    def query_value(self, name, default=None):
        """First value of a query-string parameter."""
        return self.query.get(name, [default])[0]

    def param(self, name, default=None):
        """Form field first, then query string: ArcGIS-style servers accept parameters in either."""
        value = self.form_value(name)
        return value if value is not None else self.query_value(name, default)


class Response:
    """A status, headers and either a bytes body or an iterable of byte chunks of known ``length``.

    Streaming bodies must declare their length up front: the handler always sends Content-Length
    (never chunked encoding) so that truncation faults are detectable by the client.
    """

    def __init__(self, status=200, body=b'', content_type=JSON_TYPE, headers=None, *, chunks=None, length=None):
        self.status = status
        self.headers = list(headers or [])
        if content_type:
            self.headers.insert(0, ('Content-Type', content_type))
        self.body = body
        self._chunks = chunks
        self.length = len(body) if chunks is None else length

    def iter_chunks(self):
        """The body as byte chunks; a bytes body is one chunk."""
        if self._chunks is None:
            return iter([self.body] if self.body else [])
        return iter(self._chunks)


def json_response(obj, status=200, headers=None):
    return Response(status, json.dumps(obj).encode('utf-8'), JSON_TYPE, headers)


def html_response(text, status=200, headers=None):
    return Response(status, text.encode('utf-8'), HTML_TYPE, headers)


def html_page(title, message=''):
    """A minimal HTML page, the kind of body gateways and ``f=html`` endpoints return."""
    return '<html><head><title>%s</title></head><body><h1>%s</h1><p>%s</p></body></html>\n' % (title, title, message)


def not_found():
    """The answer for any path no app serves: a real HTTP 404."""
    return json_response({'error': {'code': 404, 'message': 'Not found', 'details': []}}, 404)


def hostname_of(host_header):
    """Host header without the port; handles bracketed IPv6 literals (``[::1]:8443``)."""
    host = host_header.strip()
    if host.startswith('['):
        return host[1:host.find(']')] if ']' in host else host[1:]
    return host.rsplit(':', 1)[0] if host.count(':') == 1 else host
