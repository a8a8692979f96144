"""Fixtures for the emulator's own tests (and a model for other suites that need an emulator).

``emulator`` (session): a ctl.EmulatorClient (``.info`` is server.json) for one emulator
subprocess.  ``emu`` (function): the same client after a reset, so every test starts from the
default seed with no faults; sessions it hands out are closed after the test.

``ansible-test units`` runs every test in a forked child (and pytest-xdist workers), where a
session-scoped fixture would be set up, and never torn down, once per test.  So the emulator is
started after collection, in the process that forks, and stopped at session finish; it also
watches that process and exits if it dies.
"""

import importlib
import os
import shutil
import sys
import tempfile

import pytest

EMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'emulator'))
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)
ctl = importlib.import_module('ctl')

_RUNNING = {}  # state_dir, info and owner pid of the emulator this pytest process started


def _start():
    state_dir = tempfile.mkdtemp(prefix='saasops-emulator-')
    _RUNNING.update(state_dir=state_dir, owner=os.getpid(), info=ctl.start(state_dir, watch_pid=os.getpid()))


def _stop():
    if _RUNNING.get('owner') == os.getpid():
        ctl.stop(_RUNNING['state_dir'])
        shutil.rmtree(_RUNNING['state_dir'], ignore_errors=True)
        _RUNNING.clear()


def pytest_collection_modifyitems(session, config, items):
    if not _RUNNING and any('emulator' in getattr(item, 'fixturenames', ()) for item in items):
        _start()


def pytest_sessionfinish(session, exitstatus):
    _stop()


@pytest.fixture(scope='session')
def emulator():
    started_here = not _RUNNING  # collection hook did not run (unusual): start now, stop at teardown
    if started_here:
        _start()
    client = ctl.EmulatorClient(_RUNNING['info'])
    try:
        yield client
    finally:
        client.close()
        if started_here:
            _stop()


@pytest.fixture
def emu(emulator):
    emulator.reset()
    yield emulator
    emulator.close_sessions()
