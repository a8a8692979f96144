# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit tests.

``scripted_session(calls)`` builds a ScriptedSession (tests/unit/helpers/scripted_session.py) whose
unused calls fail the test at teardown; ``fake_clock`` is a FakeClock. ``emulator`` (session) and
``emu`` (reset for each test) come from the one emulator plugin, tests/emulator/pytest_emulator.py.
"""

import os
import sys

import pytest

from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, ScriptedSession

EMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', 'emulator'))
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

# The one emulator plugin: its fixtures and hooks count as this conftest's.
# pylint: disable-next=wrong-import-position,import-error,unused-import
from pytest_emulator import emu, emulator, pytest_collection_modifyitems, pytest_sessionfinish  # noqa: E402,F401


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
