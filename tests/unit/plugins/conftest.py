# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the plugin tests: every test starts with empty process-wide caches.

The shared reads (module_utils/_shared_read) live as long as the process, and every test of a session
talks to the same emulator with the same credentials: a page one test read must not answer the next test,
which seeded other objects.
"""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _atlassian


@pytest.fixture(autouse=True)
def empty_shared_reads():
    _atlassian.POLICY_PAGES.clear()
    yield
    _atlassian.POLICY_PAGES.clear()
