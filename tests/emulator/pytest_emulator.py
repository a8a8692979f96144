# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one pytest plugin that runs the emulator for a test suite.

A conftest imports its hooks and fixtures (``from pytest_emulator import ...``; pytest takes hooks
and fixtures from a conftest's namespace) after putting this directory on ``sys.path``:

``emulator`` (session): a ctl.EmulatorClient (``.info`` is server.json) of one emulator subprocess.
``emu`` (function): the same client after a reset - the default seed, no faults, an empty request
log - whose sessions are closed after the test.

``ansible-test units`` runs every test in a forked child, where a session-scoped fixture would be
set up, and never torn down, once per test. So the emulator is started after collection, in the
process that forks, and stopped at session finish; it also watches that process and exits if it
dies, so it cannot outlive the run.
"""

import os
import shutil
import tempfile

import pytest

import ctl  # pylint: disable=import-error

_RUNNING = {}  # state_dir, info and owner pid of the emulator this pytest process started


def _start():
    state_dir = tempfile.mkdtemp(prefix='saasops-emulator-')
    _RUNNING.update(state_dir=state_dir, owner=os.getpid(), info=ctl.start(state_dir, watch_pid=os.getpid()))


def _stop():
    if _RUNNING.get('owner') == os.getpid():
        ctl.stop(_RUNNING['state_dir'])
        shutil.rmtree(_RUNNING['state_dir'], ignore_errors=True)
        _RUNNING.clear()


def pytest_collection_modifyitems(session, config, items):  # pylint: disable=unused-argument
    if not _RUNNING and any('emulator' in getattr(item, 'fixturenames', ()) for item in items):
        _start()


def pytest_sessionfinish(session, exitstatus):  # pylint: disable=unused-argument
    _stop()


@pytest.fixture(scope='session')
def emulator():
    started_here = not _RUNNING  # the collection hook did not start it (unusual): start now, stop at teardown
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
def emu(emulator):  # pylint: disable=redefined-outer-name
    emulator.reset()
    yield emulator
    emulator.close_sessions()
