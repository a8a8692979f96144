# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit tests.

``scripted_session(calls)`` builds a ScriptedSession (tests/unit/helpers/scripted_session.py) whose
unused calls fail the test at teardown; ``fake_clock`` is a FakeClock. ``emulator_server``
(session) is a ctl.EmulatorClient of one emulator subprocess (tests/emulator) for the whole run;
``emulator_clean`` is the same client reset to the default seed, with no faults and an empty log.
(tests/unit/emulator/conftest.py has its own ``emulator``/``emu`` fixtures for the emulator's tests.)
"""

import importlib
import os
import shutil
import sys
import tempfile

import pytest

from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, ScriptedSession

EMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', 'emulator'))


@pytest.fixture
def scripted_session():
    sessions = []

    def make(script):
        session = ScriptedSession(script)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.assert_done()


@pytest.fixture
def fake_clock():
    return FakeClock()


def _ctl():
    if EMULATOR_DIR not in sys.path:
        sys.path.insert(0, EMULATOR_DIR)
    return importlib.import_module('ctl')


# ``ansible-test units`` runs each test in a forked child, where a session fixture would be set up
# (and never torn down) once per test: the emulator is started after collection in the process that
# forks, stopped at session finish, and watches that process so it cannot outlive it.
_EMULATOR = {}  # state_dir, owner pid and server.json of the emulator this pytest process started


def _start_emulator():
    state_dir = tempfile.mkdtemp(prefix='saasops-unit-emulator-')
    _EMULATOR.update(state_dir=state_dir, owner=os.getpid(), info=_ctl().start(state_dir, watch_pid=os.getpid()))


def _stop_emulator():
    if _EMULATOR.get('owner') == os.getpid():
        _ctl().stop(_EMULATOR['state_dir'])
        shutil.rmtree(_EMULATOR['state_dir'], ignore_errors=True)
        _EMULATOR.clear()


def pytest_collection_modifyitems(session, config, items):  # pylint: disable=unused-argument
    if not _EMULATOR and any('emulator_server' in getattr(item, 'fixturenames', ()) for item in items):
        _start_emulator()


def pytest_sessionfinish(session, exitstatus):  # pylint: disable=unused-argument
    _stop_emulator()


@pytest.fixture(scope='session')
def emulator_server():
    started_here = not _EMULATOR  # the collection hook did not start it (unusual): start now, stop at teardown
    if started_here:
        _start_emulator()
    client = _ctl().EmulatorClient(_EMULATOR['info'])
    try:
        yield client
    finally:
        client.close()
        if started_here:
            _stop_emulator()


@pytest.fixture
def emulator_clean(emulator_server):  # pylint: disable=redefined-outer-name
    emulator_server.reset()
    yield emulator_server
    emulator_server.close_sessions()
