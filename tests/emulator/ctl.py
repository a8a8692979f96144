"""Start, stop and drive the emulator: a CLI and importable helpers for fixtures and scripts.

    python tests/emulator/ctl.py start --state-dir DIR   # prints server.json, exit 0 when healthy
    python tests/emulator/ctl.py stop --state-dir DIR    # idempotent

    info = start(state_dir); client = EmulatorClient(info); ...; stop(state_dir)
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

import requests

from server import pid_exists

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, 'server.py')
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
# Popen objects of emulators started by this process: kept so they are reaped by stop() instead of
# being garbage-collected while running (which warns and leaves zombies).
_CHILDREN = {}


class EmulatorError(RuntimeError):
    pass


def _info_path(state_dir):
    return os.path.join(state_dir, 'server.json')


def read_info(state_dir):
    """server.json of a running emulator, or None."""
    try:
        with open(_info_path(state_dir), encoding='utf-8') as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _alive(pid):
    # Reap our own child first: a zombie still answers kill(pid, 0).
    try:
        done, dummy = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    return pid_exists(pid)


def _healthy(info):
    try:
        with new_session(info['ca_path']) as session:
            response = session.get(info['api_base'] + '/_emulator/health', timeout=2)
            return response.status_code == 200 and response.json().get('ok') is True
    except (requests.RequestException, ValueError):
        return False


def _log_tail(state_dir, lines=30):
    try:
        with open(os.path.join(state_dir, 'emulator.log'), encoding='utf-8', errors='replace') as handle:
            return ''.join(handle.readlines()[-lines:])
    except OSError:
        return '(no emulator.log)'


def start(state_dir, timeout=START_TIMEOUT, watch_pid=None):
    """Start a detached emulator writing its files to ``state_dir``; returns server.json once healthy.

    An emulator already running there and healthy is reused, so ``start`` is idempotent too.
    With ``watch_pid`` the emulator exits by itself once that process is gone, so a test runner
    that dies (or forks and never tears down) cannot leak it.
    """
    state_dir = os.path.abspath(state_dir)
    os.makedirs(state_dir, exist_ok=True)
    info = read_info(state_dir)
    if info and _alive(info['pid']) and _healthy(info):
        return info
    try:
        os.unlink(_info_path(state_dir))  # stale: its server is gone
    except FileNotFoundError:
        pass
    with open(os.path.join(state_dir, 'emulator.log'), 'ab') as log:
        command = [sys.executable, SERVER, '--state-dir', state_dir] + (['--watch-pid', str(watch_pid)] if watch_pid else [])
        process = subprocess.Popen(command,  # pylint: disable=consider-using-with
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   close_fds=True, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        info = read_info(state_dir)
        if info and _healthy(info):
            _CHILDREN[process.pid] = process
            return info
        time.sleep(0.05)
    if process.poll() is None:
        process.kill()
        process.wait()
    raise EmulatorError('emulator did not become healthy within %.0fs (exit code %s); log tail:\n%s'
                        % (timeout, process.returncode, _log_tail(state_dir)))


def stop(state_dir, timeout=STOP_TIMEOUT):
    """SIGTERM the emulator of ``state_dir``, wait for it, remove server.json.  No-op when not running."""
    info = read_info(state_dir)
    if info:
        pid = info['pid']
        process = _CHILDREN.pop(pid, None)
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        elif _alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    try:
        os.unlink(_info_path(state_dir))
    except FileNotFoundError:
        pass


def new_session(ca_path):
    """A requests session that trusts the emulator CA.

    ``trust_env`` is off because requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a
    session's ``verify`` (and proxy variables would route loopback traffic away).
    """
    session = requests.Session()
    session.trust_env = False
    session.verify = ca_path
    return session


class EmulatorClient:
    """Thin client for the control interface.  ``info`` is server.json as a dict."""

    def __init__(self, info):
        self.info = dict(info)
        self.api_base = info['api_base']
        self.download_base = info['download_base']
        self.ca_path = info['ca_path']
        self.session = new_session(self.ca_path)
        self._sessions = []

    @classmethod
    def from_state_dir(cls, state_dir):
        info = read_info(state_dir)
        if not info:
            raise EmulatorError('no emulator running in %s' % state_dir)
        return cls(info)

    def close(self):
        self.close_sessions()
        self.session.close()

    def new_session(self):
        """A fresh requests session trusting the emulator CA, for talking to the vendor APIs.

        It is closed by ``close_sessions()`` (the pytest ``emu`` fixture calls it after each test).
        """
        session = new_session(self.ca_path)
        self._sessions.append(session)
        return session

    def close_sessions(self):
        while self._sessions:
            self._sessions.pop().close()

    def _call(self, method, path, body=None, params=None):
        response = self.session.request(method, self.api_base + '/_emulator' + path, json=body, params=params, timeout=30)
        if response.status_code != 200:
            raise EmulatorError('%s /_emulator%s -> %d: %s' % (method, path, response.status_code, response.text))
        return response.json()

    def url(self, path, download=False):
        """Absolute URL for a vendor path, on the API host or on the download host."""
        return (self.download_base if download else self.api_base) + path

    def health(self):
        return self._call('GET', '/health')

    def reset(self):
        return self._call('POST', '/reset')

    def seed(self, data):
        return self._call('POST', '/seed', data)

    def configure(self, data):
        return self._call('POST', '/config', data)

    def add_fault(self, **spec):
        return self._call('POST', '/faults', spec)['id']

    def faults(self):
        return self._call('GET', '/faults')['faults']

    def clear_faults(self):
        return self._call('DELETE', '/faults')

    def requests(self, method=None, path=None, host=None):
        params = {k: v for k, v in (('method', method), ('path', path), ('host', host)) if v}
        return self._call('GET', '/requests', params=params)['requests']

    def clear_requests(self):
        return self._call('DELETE', '/requests')

    def state(self, platform=None):
        return self._call('GET', '/state' + ('/' + platform if platform else ''))

    def advance_clock(self, seconds):
        return self._call('POST', '/clock', {'advance': seconds})

    def add_file(self, name, size, seed=0, ranges=True):
        """Register a file on the generic download host; ``ranges=False``: a host that ignores Range."""
        spec = {'name': name, 'size': size, 'seed': seed}
        if not ranges:
            spec['ranges'] = False
        return self._call('POST', '/files', spec)

    def expire_arcgis_tokens(self):
        return self._call('POST', '/arcgis/expire-tokens')


def main(argv=None):
    parser = argparse.ArgumentParser(description='start/stop the saasops.backup emulator')
    parser.add_argument('action', choices=('start', 'stop'))
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--watch-pid', type=int, help='start: the emulator exits when this process is gone')
    args = parser.parse_args(argv)
    if args.action == 'stop':
        stop(args.state_dir)
        return 0
    try:
        print(json.dumps(start(args.state_dir, watch_pid=args.watch_pid), indent=2))
    except EmulatorError as exc:
        sys.stderr.write('%s\n' % exc)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
