"""The HTTP request handler: parse, route, apply faults, log, write the response.

This is the only code that touches sockets.  Faults are applied here, identically for every app:
``status`` answers without running the app, ``slow`` sleeps first, ``drop_before`` closes the
connection without running the app, ``drop_after`` runs it (state changes happen) and closes
without answering, ``truncate`` sends the real status and full Content-Length but only part of
the body (with ``delay``, it stalls that long before closing).
"""

import socket
import ssl
import sys
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

from wire import JSON_TYPE, HTML_TYPE, Request, Response, html_page, json_response, not_found

# Errors that only mean the client went away; not worth a traceback.
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout, ssl.SSLError)


def _read_chunked(rfile):
    """Body of a ``Transfer-Encoding: chunked`` request."""
    parts = []
    while True:
        size = int(rfile.readline().split(b';')[0].strip() or b'0', 16)
        if size == 0:
            while rfile.readline().strip():  # trailers
                pass
            return b''.join(parts)
        parts.append(rfile.read(size))
        rfile.readline()


def fault_response(fault):
    """The answer for a ``status`` fault: the given body, else a gateway-style HTML page."""
    body = fault['body']
    if body is None:
        try:
            phrase = HTTPStatus(fault['status']).phrase
        except ValueError:
            phrase = 'Error'
        body, content_type = html_page('%d %s' % (fault['status'], phrase)), HTML_TYPE
    else:
        content_type = JSON_TYPE if body.lstrip().startswith(('{', '[')) else HTML_TYPE
    headers = [('Retry-After', fault['retry_after'])] if fault['retry_after'] is not None else []
    for name, value in fault.get('headers') or []:
        if name.lower() == 'content-type':
            content_type = value
        else:
            headers.append((name, value))
    return Response(fault['status'], body.encode('utf-8'), content_type, headers)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive, as the vendors' front ends do
    timeout = 60  # idle keep-alive connections do not hold a thread forever

    def version_string(self):
        return 'nginx'  # what the vendors' ingress would say; never reveal the Python server

    def setup(self):
        # The TLS handshake happens here, in the connection's own thread, not in the accept loop.
        self.request.settimeout(self.timeout)
        # Headers and body are separate writes; without NODELAY each response waits ~40 ms for a delayed ACK.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.request.do_handshake()
        except (OSError, ValueError):
            self.close_connection = True
            self.rfile = self.wfile = None
            return
        super().setup()

    def handle(self):
        if self.rfile is not None:
            super().handle()

    def finish(self):
        if self.rfile is not None:
            try:
                super().finish()
            except CLIENT_GONE:
                pass

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write('%s %s\n' % (self.address_string(), format % args))

    def do_GET(self):
        self.dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _parse(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            body = _read_chunked(self.rfile)
        else:
            body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        path, dummy, query = self.path.partition('?')
        if '://' in path:  # absolute-form request target
            path = '/' + path.split('://', 1)[1].partition('/')[2]
        return Request(self.command, unquote(path), query, self.headers, body=body, api_base=self.server.info['api_base'])

    def dispatch(self):
        try:
            request = self._parse()
        except (ValueError, OSError):
            self.close_connection = True
            return
        emulator = self.server.emulator
        if emulator.control.owns(request.path):
            self._write(self._run(emulator.control.handle, request))
            return
        entry = emulator.log.record(request, emulator.clock.now())
        fault = emulator.faults.take(request.method, request.path, request.host)
        action = fault['action'] if fault else None
        entry['fault'] = action
        if action == 'drop_before':
            entry['status'] = 'dropped'
            self.close_connection = True
            return
        if action == 'status':
            response = fault_response(fault)
        else:
            if action == 'slow':
                time.sleep(fault['delay'])
            response = self._run(emulator.route, request)
        if action == 'drop_after':
            entry['status'] = 'dropped'
            self.close_connection = True
            return
        entry['status'] = response.status
        limit = None
        if action == 'truncate':
            limit = fault['truncate_at'] if fault['truncate_at'] is not None else response.length // 2
        self._write(response, limit, stall=fault['delay'] if action == 'truncate' else None)

    def _run(self, function, request):
        try:
            return function(request) or not_found()
        except Exception:  # pylint: disable=broad-except
            # A bug in an app must show up in the test as a 500 plus a traceback in emulator.log.
            traceback.print_exc()
            return json_response({'error': {'code': 500, 'message': 'Emulator internal error', 'details': []}}, 500)

    def _write(self, response, limit=None, stall=None):
        """Send ``response``; with ``limit``, only that many body bytes and then close (truncation).

        ``stall`` (seconds) keeps the truncated connection open that long before closing it.
        """
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header('Content-Length', str(response.length))
            if limit is not None:
                self.close_connection = True
            self.end_headers()
            if self.command == 'HEAD':
                return
            written = 0
            for chunk in response.iter_chunks():
                if limit is not None:
                    chunk = chunk[:limit - written]
                if chunk:
                    self.wfile.write(chunk)
                    written += len(chunk)
                if limit is not None and written >= limit:
                    break
            if limit is not None and stall:
                self.wfile.flush()
                time.sleep(stall)
        except CLIENT_GONE:
            self.close_connection = True
