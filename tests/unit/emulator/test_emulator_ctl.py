"""Starting and stopping the emulator: ctl helpers and the in-process ``serve()``."""

import importlib
import json
import os
import subprocess
import sys

import pytest
import requests

ctl = importlib.import_module('ctl')  # importable thanks to conftest's sys.path entry


def test_start_reuses_a_healthy_emulator(emulator, tmp_path):
    state_dir = os.path.dirname(emulator.ca_path)
    assert ctl.start(state_dir)['pid'] == emulator.info['pid']
    ctl.stop(str(tmp_path))  # nothing running there: a no-op
    ctl.stop(str(tmp_path))


def test_start_failure_reports_log_tail(tmp_path, monkeypatch):
    broken = tmp_path / 'broken.py'
    broken.write_text('import sys\nprint("cannot bind: simulated")\nsys.exit(3)\n')
    monkeypatch.setattr(ctl, 'SERVER', str(broken))
    with pytest.raises(ctl.EmulatorError, match='simulated'):
        ctl.start(str(tmp_path / 'state'), timeout=5)


def test_serve_in_process(tmp_path):
    server = importlib.import_module('server').serve(str(tmp_path))
    try:
        server.write_info()
        with open(tmp_path / 'server.json', encoding='utf-8') as handle:
            info = json.load(handle)
        assert info['api_base'] == 'https://127.0.0.1:%d' % info['port'] and info['download_base'].startswith('https://localhost:')
        session = ctl.new_session(info['ca_path'])
        with session:
            assert session.get(info['download_base'] + '/_emulator/health', timeout=5).json() == {'ok': True}
        with ctl.new_session(True) as untrusting, pytest.raises(requests.exceptions.SSLError):
            untrusting.get(info['api_base'] + '/_emulator/health', timeout=5)  # default CA bundle: not our CA
    finally:
        server.shutdown()
        server.server_close()
        server.remove_info()
    assert not os.path.exists(tmp_path / 'server.json')


def test_emulator_exits_when_watched_process_is_gone(tmp_path):
    with subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(0.5)']) as watched:
        info = ctl.start(str(tmp_path), watch_pid=watched.pid)
        watched.wait()  # reaped: its pid no longer exists
    ctl._CHILDREN[info['pid']].wait(timeout=5)
    assert not os.path.exists(tmp_path / 'server.json')
    ctl.stop(str(tmp_path))
