# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running the Mendix modules' decisions against the emulator, on the emulator's clock.

Waits never sleep: the waiter's clock is a counter and each "sleep" advances the emulator's clock
by the same amount, so a job of 30 seconds finishes after the module's polls add up to 30 s.
"""

import time

from ansible_collections.saasops.backup.plugins.module_utils._mendix import Mendix
from ansible_collections.saasops.backup.plugins.module_utils._waiter import Waiter
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule

USERNAME = 'release-bot@example.com'
API_KEY = 'Emul4tor-Mendix-ApiKey-7f3a'


class EmulatorClock:
    def __init__(self, emu):
        self.emu = emu
        self.elapsed = 0.0

    def now(self):
        return self.elapsed

    def sleep(self, seconds):
        self.elapsed += seconds
        if seconds > 0:
            self.emu.advance_clock(seconds)

    def wall(self):
        """What ``time.time()`` is on the emulator's side."""
        return time.time() + self.elapsed


def params(emu, **overrides):
    base = dict(api_url=emu.api_base + '/mendix', username=USERNAME, api_key=API_KEY, app_id='calc',
                environment='Acceptance', api_version=2, validate_certs=True, ca_path=emu.ca_path, timeout=10.0,
                retries=3, wait=True, wait_timeout=600)
    base.update(overrides)
    return base


def client(emu, check_mode=False, **overrides):
    """``(module, api, clock)`` for one run."""
    module = FakeModule(params(emu, **overrides), check_mode=check_mode)
    api = Mendix(module)
    api.http.session.trust_env = False  # REQUESTS_CA_BUNDLE must not override ca_path
    clock = EmulatorClock(emu)
    api.waiter = lambda timeout: Waiter(timeout, clock=clock.now, sleep=clock.sleep)
    api.http.sleep = clock.sleep
    return module, api, clock


def mutations(emu):
    return [r for r in emu.requests() if r['method'] != 'GET']
