# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running the Atlassian modules' decisions against the emulator, on a fake clock.

The module code and the real client talk HTTPS to the emulator (fixture ``emu``);
every sleep - a waiter's poll interval or a retry's backoff - advances a fake clock and the
emulator's clock by the same amount instead of sleeping, so a two-second emulated backup
finishes in milliseconds and rate-limit windows pass as they would.
"""

from ansible_collections.saasops.backup.plugins.module_utils import _atlassian_transfer
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._waiter import Waiter
from ansible_collections.saasops.backup.plugins.modules import atlassian_backup, atlassian_restore
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule

ORG = 'org-emulator-1'
USER = 'backup-admin@example.com'
TOKEN = 'Emul4tor-Atl-Api-Token-0001'


class EmulatedAtlassian:
    """Builds modules and clients for one test; ``sleeps`` lists every sleep asked for."""

    def __init__(self, emu, monkeypatch):
        self.emu = emu
        self.time = 0.0
        self.sleeps = []
        for target in (atlassian_backup, atlassian_restore, _atlassian_transfer):
            monkeypatch.setattr(target, 'Waiter', lambda timeout: Waiter(timeout, clock=self.now, sleep=self.sleep))

    def now(self):
        return self.time

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.time += seconds
        self.emu.advance_clock(seconds)

    def params(self, **overrides):
        base = dict(api_url=self.emu.api_base + '/atlassian', org_id=ORG, user=USER, api_token=TOKEN, validate_certs=True,
                    ca_path=self.emu.ca_path, timeout=10.0, retries=3, wait=True, wait_timeout=600)
        base.update(overrides)
        return base

    def client(self, module):
        api = Atlassian(module)
        api.http.sleep, api.http.rng = self.sleep, lambda: 0.0
        return api

    def run(self, action, check_mode=False, **params):
        """``action(module, api)`` -> (result, module)."""
        module = FakeModule(self.params(**params), check_mode=check_mode)
        return action(module, self.client(module)), module

    def posts(self, path=''):
        """Every mutating request (POST other than the regions read, PUT) whose path matches ``path``."""
        return [r for r in self.emu.requests(path=path or None)
                if r['method'] in ('POST', 'PUT', 'DELETE') and not r['path'].endswith('/storages/regions')]

    def state(self):
        return self.emu.state('atlassian')

    def seed_policy(self, cloud_id='cloud-prod', product='JIRA', **fields):
        self.emu.seed({'atlassian': {'policies': [dict(cloudId=cloud_id, product=product, **fields)]}})
        return [p for p in self.state()['policies'] if (p['cloudId'], p['product']) == (cloud_id, product)][0]
