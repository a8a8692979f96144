# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module test's platform client against the emulator, on a virtual clock.

``Emulated(emu, monkeypatch)`` swaps the one clock of every platform client (``PlatformApi.clock``)
for an EmulatorClock: waits and retry pauses never sleep, each "sleep" advances the emulator's
clock instead, so a backup job of 30 s finishes after the module's polls add up to 30 s.

``run(module, args)`` runs a module's ``main()`` with the platform's connection options to the
emulator (the emulator's built-in credentials) merged under ``args`` (and ``args`` over ``defaults``,
where an argument given as None is left out); ``warnings`` collects what the run warned; ``api(platform, **params)``
gives a platform client for module_utils tests; ``mutations()`` lists what was sent that is not a
read (the "nothing was sent" and "exactly one create" assertions).
"""

import time

from ansible.module_utils import basic

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule
from ansible_collections.saasops.backup.tests.unit.helpers.module_main import run_main

# pylint: disable-next=import-error
from credentials import (  # tests/emulator, on sys.path through tests/unit/conftest.py
    ARCGIS_PASSWORD, ARCGIS_USERNAME, ATLASSIAN_API_TOKEN, ATLASSIAN_ORG_ID, ATLASSIAN_USER, JAHIA_API_TOKEN,
    JAHIA_ORGANIZATION, MENDIX_API_KEY, MENDIX_USERNAME)

# Reads that change nothing although they are POSTs: ArcGIS' token request, Atlassian's region list and
# Jahia's getContext.
READ_POSTS = ('/generateToken', '/regions', '/getContext.do')


class EmulatorClock:
    """The run's clock (see _clock.SystemClock) on the emulator's time."""

    def __init__(self, emu):
        self.emu = emu
        self.elapsed = 0.0

    def monotonic(self):
        return self.elapsed

    def time(self):
        """What ``time.time()`` is on the emulator's side."""
        return time.time() + self.elapsed

    def sleep(self, seconds):
        self.elapsed += seconds
        if seconds > 0:
            self.emu.advance_clock(seconds)


class Emulated:
    def __init__(self, emu, monkeypatch):
        self.emu = emu
        self.monkeypatch = monkeypatch
        self.clock = EmulatorClock(emu)
        monkeypatch.setattr(PlatformApi, 'clock', self.clock)
        # ca_path must decide what is trusted, not a bundle named in the environment.
        for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
            monkeypatch.delenv(name, raising=False)
        self.warnings = []
        monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda module, text, **kwargs: self.warnings.append(text))

    def connection(self, platform, app=None):
        """The connection options of ``platform`` ('arcgis', 'jahia', 'mendix', 'atlassian') to the emulator."""
        url = self.emu.api_base + '/' + (app or platform)
        common = dict(ca_path=self.emu.ca_path)
        if platform == 'arcgis':
            return dict(common, url=url, username=ARCGIS_USERNAME, password=ARCGIS_PASSWORD)
        if platform == 'jahia':
            return dict(common, api_url=url, api_token=JAHIA_API_TOKEN, organization=JAHIA_ORGANIZATION)
        if platform == 'mendix':
            return dict(common, api_url=url, username=MENDIX_USERNAME, api_key=MENDIX_API_KEY)
        if platform == 'atlassian':
            return dict(common, api_url=url, org_id=ATLASSIAN_ORG_ID, user=ATLASSIAN_USER, api_token=ATLASSIAN_API_TOKEN)
        raise ValueError('unknown platform %r' % platform)

    def run(self, module, args, check_mode=False, platform=None, defaults=None):
        """``module.main()`` with ``args`` over the connection options; the result (``failed`` says how it ended).

        With ``defaults``, ``args`` go over them and an argument given as None is left out (a test of a
        missing required option passes it as None).
        """
        platform = platform or module.__name__.rsplit('.', 1)[-1].split('_', 1)[0]
        if defaults is not None:
            args = dict((key, value) for key, value in dict(defaults, **args).items() if value is not None)
        return run_main(self.monkeypatch, module.main, dict(self.connection(platform), **args), check_mode=check_mode)

    def api(self, api_class, platform, check_mode=False, **params):
        """``(module, api)``: a platform client for module_utils tests; ``params`` over the connection options
        and the connection defaults of every module."""
        defaults = dict(validate_certs=True, timeout=10.0, retries=3, retry_timeout=60.0, allow_insecure_http=False)
        defaults.update(self.connection(platform))
        module = FakeModule(params, check_mode=check_mode, defaults=defaults)
        return module, api_class(module)

    def mutations(self):
        """The requests that may change something: every non-GET but the reads sent as POST."""
        return [r for r in self.emu.requests() if r['method'] != 'GET' and not r['path'].endswith(READ_POSTS)]
