# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One environment's part of a snapshot phase: which module run it needs, and its manifest entry.

The snapshot_phase action runs one of these per environment, all at once, each in a thread of its own;
``execute(module, args)`` runs the platform's backup module and returns its answer (never raises).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

from ansible_collections.saasops.backup.plugins.plugin_utils import _snapshot_plan as plan
from ansible_collections.saasops.backup.plugins.plugin_utils._manifest_store import now_iso


def identity_of(connection, target):
    """What of connection + target names the environment (never a credential, a user or a query in a URL)."""
    found = {}
    for key in plan.IDENTITY_KEYS:
        value = (target or {}).get(key, (connection or {}).get(key))
        if value is not None:
            found[key] = value
    if found.get('url'):
        parts = urlsplit(str(found['url']))
        found['url'] = urlunsplit((parts.scheme, parts.hostname + (':%d' % parts.port if parts.port else '') if parts.hostname
                                   else parts.netloc, parts.path, '', ''))
    return found


class EnvironmentRun:
    """The start or wait of one environment's backup. ``settings``: platform, connection, target, backup_options,
    wait_timeout, max_age (the role's variables of that host, checked by the validate phase)."""

    def __init__(self, host, settings, run_id, check_mode, execute, documented):
        self.host, self.settings, self.run_id, self.check_mode = host, settings, run_id, check_mode
        self.platform = settings['platform']
        self.execute = execute
        # The module's documented options: a module of an older collection version has no confirm option.
        self.documented = documented
        self.identity = identity_of(settings.get('connection'), settings.get('target'))
        self.warnings = []
        self.changed = False

    def start(self, previous, new_run_id=False):
        """The entry of a started (or reused, or failed) backup; ``previous``: what an earlier run with this id recorded.

        ``new_run_id``: the play has just made the run id up, so no backup can bear its name yet.
        """
        previous = previous if isinstance(previous, dict) else {}
        if previous.get('platform') == self.platform and previous.get('status') in plan.REUSED \
                and not plan.PLATFORMS[self.platform]['waits']:
            # Jahia cannot tell whether a backup exists: never trigger a second one for the same run id.
            return dict(previous, reused=True)
        extra = {}
        confirm = plan.confirm_of(self.platform, previous)
        if confirm:
            # A re-run with the same run id: one read of what the manifest recorded answers it when that backup is
            # complete; anything else, and the module goes its usual way.
            extra['confirm'] = confirm
        if new_run_id and not previous:
            # Nothing can be named after a run id made up a moment ago: the module need not look for it first.
            extra['assume_new'] = True
        if self.platform in plan.DEFERRABLE:
            # A rate-limited create must not hold this environment for minutes: the wait phase starts it.
            extra['defer_on_rate_limit'] = True
        return self._run('start', 0.0, extra)

    def wait(self, entry):
        """The entry once the backup of ``entry`` (this run's start phase's) is done, or failed."""
        entry = entry if isinstance(entry, dict) else {}
        if entry.get('status') not in plan.UNFINISHED:
            # Done already, failed in the start phase, or only planned (check mode): nothing to wait for.
            return entry
        # The start phase's answer (this run's, not a file's): its ids spare the module lookups, and a backup that
        # completed meanwhile is confirmed with one read.
        extra = plan.known_ids(self.platform, entry)
        confirm = plan.confirm_of(self.platform, dict(entry, status=plan.COMPLETED))
        if confirm:
            extra['confirm'] = confirm
        waited = self._run('wait', float(entry.get('elapsed_s') or 0), extra)
        # The wait finds the backup the start phase made or found: whether it was reused, and how old it
        # was, is the start phase's word.
        if waited.get('status') != plan.FAILED:
            waited.update(reused=bool(entry.get('reused')), age_s=entry.get('age_s', 0))
        return waited

    def _run(self, phase, elapsed_before, extra):
        settings = self.settings
        role = dict(plan.role_arguments(self.platform, self.run_id, phase, settings['wait_timeout']),
                    **dict((key, value) for key, value in extra.items() if key in self.documented))
        module_args = plan.module_arguments(settings.get('connection'), settings.get('target'),
                                            plan.role_defaults(self.platform, settings['max_age']),
                                            settings.get('backup_options'), role)
        started = time.monotonic()
        answer = self.execute(plan.PLATFORMS[self.platform]['module'], module_args)
        elapsed = round(elapsed_before + time.monotonic() - started, 1)
        self.warnings.extend(answer.get('warnings') or [])
        self.changed = self.changed or bool(answer.get('changed'))
        if answer.get('failed'):
            entry = plan.failed_entry(self.host, self.platform, answer.get('msg') or 'the backup module failed')
        elif answer.get('deferred'):
            entry = plan.pending_entry(self.host, self.platform, self.identity, answer.get('retry_after'))
        else:
            entry = plan.entry_from_result(self.host, self.platform, answer, self.identity, self.check_mode,
                                           plan.parse_time(now_iso()))
        entry['elapsed_s'] = elapsed
        return entry
