"""Entry point: ``python tests/emulator/server.py --state-dir DIR [--host 127.0.0.1] [--port 0]``.

One HTTPS port serves every emulated vendor API by path prefix (``/arcgis``, ``/files``, ...) plus
the control interface (``/_emulator``).  When it is ready it writes ``DIR/server.json`` atomically;
it runs until SIGTERM/SIGINT.  Importable: ``serve()`` returns a running ``EmulatorServer`` for
in-process use.
"""

import argparse
import json
import os
import signal
import sys
import threading
from http.server import ThreadingHTTPServer

import tls
from apps import APPS
from clock import Clock
from control import Control
from faults import FaultStore
from handler import CLIENT_GONE, Handler
from reqlog import RequestLog

# The download host deliberately differs from the API host, so tests can check which host got credentials.
DOWNLOAD_HOST = 'localhost'


class Emulator:
    """Everything behind the socket: the shared clock, faults, request log, apps and control interface."""

    def __init__(self):
        self.clock = Clock()
        self.faults = FaultStore()
        self.log = RequestLog()
        self.apps = [app_class(self.clock) for app_class in APPS]
        self.control = Control(self.clock, self.faults, self.log, self.apps)

    def route(self, request):
        """The app owning the request path answers; None (real 404) when no app does."""
        for app in self.apps:
            if app.owns(request.path):
                return app.handle(request)
        return None


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, state_dir, host='127.0.0.1', port=0, verbose=False):
        self.state_dir = os.path.abspath(state_dir)
        os.makedirs(self.state_dir, exist_ok=True)
        paths = tls.generate(self.state_dir)
        self.verbose = verbose
        self.emulator = Emulator()
        super().__init__((host, port), Handler)
        # Handshakes are deferred to the per-connection thread (Handler.setup), so one slow or
        # non-TLS client cannot stall the accept loop.
        self.socket = tls.server_context(paths).wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        port = self.server_address[1]
        self.info = {'pid': os.getpid(), 'port': port, 'api_base': 'https://127.0.0.1:%d' % port,
                     'download_base': 'https://%s:%d' % (DOWNLOAD_HOST, port), 'ca_path': paths['ca.pem']}

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], CLIENT_GONE):
            super().handle_error(request, client_address)

    def write_info(self):
        """Publish server.json atomically: readers never see a partial file."""
        path = os.path.join(self.state_dir, 'server.json')
        tmp = '%s.%d.tmp' % (path, os.getpid())
        with open(tmp, 'w', encoding='utf-8') as handle:
            json.dump(self.info, handle, indent=2)
        os.replace(tmp, path)

    def remove_info(self):
        path = os.path.join(self.state_dir, 'server.json')
        try:
            with open(path, encoding='utf-8') as handle:
                mine = json.load(handle).get('pid') == self.info['pid']
            if mine:
                os.unlink(path)
        except (OSError, ValueError):
            pass


def serve(state_dir, host='127.0.0.1', port=0, verbose=False):
    """Start an emulator in a background thread; returns the server (``.info``; stop with ``.shutdown()``)."""
    server = EmulatorServer(state_dir, host, port, verbose)
    thread = threading.Thread(target=server.serve_forever, name='emulator', daemon=True)
    thread.start()
    return server


def pid_exists(pid):
    """True while a process of that pid exists (one we may not signal counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description='saasops.backup vendor API emulator')
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--verbose', action='store_true', help='log every request to stderr')
    parser.add_argument('--watch-pid', type=int, help='exit when this process is gone (e.g. the test runner that started us)')
    args = parser.parse_args(argv)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server = serve(args.state_dir, args.host, args.port, args.verbose)
    server.write_info()
    print(json.dumps(server.info), flush=True)
    try:
        while not stop.wait(0.5):
            if args.watch_pid and not pid_exists(args.watch_pid):
                break
    finally:
        server.shutdown()
        server.server_close()
        server.remove_info()
    return 0


if __name__ == '__main__':
    sys.exit(main())
