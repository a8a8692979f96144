# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_phase: one phase of the pre-deploy snapshot of one environment, whatever its platform.

One task runs it over every host of the play, so every platform's backups start in the same fork
batch. A failed backup does not fail the task: it comes back as a 'failed' manifest entry, so the
manifest is written before the play stops. Only bad input fails the task (phase 'validate').
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.saasops.backup.plugins.plugin_utils import _snapshot_plan as plan
from ansible_collections.saasops.backup.plugins.plugin_utils._manifest_store import now_iso
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import documented_options, fqcn
from ansible_collections.saasops.backup.plugins.plugin_utils._progress import answer_of, run_reporting

display = Display()

ARGUMENT_SPEC = dict(
    phase=dict(type='str', required=True, choices=['validate', 'start', 'wait']),
    # Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    connection=dict(type='raw', no_log=True),
    target=dict(type='raw', default={}),
    backup_options=dict(type='raw', default={}, no_log=True),
    run_id=dict(type='raw'),
    wait_timeout=dict(type='raw', default=3600),
    max_age=dict(type='str', default='24h'),
    previous=dict(type='dict'),
    entry=dict(type='dict'),
    progress_interval=dict(type='float', default=30.0),
)


def module_name(platform):
    return fqcn(plan.PLATFORMS[platform]['module'])


def module_options(platform):
    """The backup module's documented options."""
    return documented_options(plan.PLATFORMS[platform]['module'])


def identity_of(connection, target):
    found = {}
    for key in plan.IDENTITY_KEYS:
        value = (target or {}).get(key, (connection or {}).get(key))
        if value is not None:
            found[key] = value
    if found.get('url'):
        # Never a user name, password or query string in a manifest.
        parts = urlsplit(str(found['url']))
        found['url'] = urlunsplit((parts.scheme, parts.hostname + (':%d' % parts.port if parts.port else '') if parts.hostname
                                   else parts.netloc, parts.path, '', ''))
    return found


class ActionModule(ActionBase):

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        host = (task_vars or {}).get('inventory_hostname')
        try:
            platform, run_id, wait_timeout = self._checked(args)
        except plan.InputProblem as exc:
            result.update(failed=True, msg='%s: %s' % (host, exc))
            return result
        if args['phase'] == 'validate':
            result.update(changed=False, msg='%s: the variables are usable' % host)
            return result
        identity = identity_of(args['connection'], args['target'])
        if args['phase'] == 'start':
            entry, changed = self._start(host, platform, run_id, wait_timeout, identity, args, task_vars)
        else:
            entry, changed = self._wait(host, platform, run_id, wait_timeout, identity, args, task_vars)
        result.update(changed=changed, entry=entry, line=plan.summary_line(entry))
        return result

    def _checked(self, args):
        platform = args['platform']
        if platform not in plan.PLATFORMS:
            raise plan.InputProblem('saasops_platform must be one of %s' % ', '.join(sorted(plan.PLATFORMS)))
        plan.check_run_id(args['run_id'])
        wait_timeout = plan.check_wait_timeout(args['wait_timeout'])
        options = module_options(platform)
        owned = plan.PLATFORMS[platform]['owned']
        problems = []
        for variable, values, own in (('saasops_connection', args['connection'], owned), ('saasops_target', args['target'], owned),
                                      ('saasops_backup_options', args['backup_options'], owned)):
            try:
                plan.check_options(platform, variable, values, options, own)
            except plan.InputProblem as exc:
                problems.append(str(exc))
        if problems:
            raise plan.InputProblem('; '.join(problems))
        return platform, args['run_id'], wait_timeout

    def _start(self, host, platform, run_id, wait_timeout, identity, args, task_vars):
        previous = args['previous'] or {}
        if previous.get('platform') == platform and previous.get('status') in plan.REUSED and not plan.PLATFORMS[platform]['waits']:
            # Jahia cannot tell whether a backup exists: never trigger a second one for the same run id.
            return dict(previous, reused=True), False
        return self._run_module(host, platform, run_id, 'start', wait_timeout, identity, args, task_vars, 0.0)

    def _wait(self, host, platform, run_id, wait_timeout, identity, args, task_vars):
        entry = args['entry'] or {}
        if entry.get('status') != plan.RUNNING:
            # Done already, failed in the start phase, or only planned (check mode): nothing to wait for.
            return entry, False
        waited, changed = self._run_module(host, platform, run_id, 'wait', wait_timeout, identity, args, task_vars,
                                           float(entry.get('elapsed_s') or 0))
        # The wait finds the backup the start phase made or found: whether it was reused, and how old it
        # was, is the start phase's word.
        if waited.get('status') != plan.FAILED:
            waited.update(reused=bool(entry.get('reused')), age_s=entry.get('age_s', 0))
        return waited, changed

    def _run_module(self, host, platform, run_id, phase, wait_timeout, identity, args, task_vars, elapsed_before):
        module_args = plan.module_arguments(args['connection'], args['target'], plan.role_defaults(platform, args['max_age']),
                                            args['backup_options'], plan.role_arguments(platform, run_id, phase, wait_timeout))
        started = time.monotonic()
        answer = self._execute_with_progress(host, platform, run_id, module_args, task_vars, args['progress_interval'],
                                             phase == 'wait')
        elapsed = round(elapsed_before + time.monotonic() - started, 1)
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (host, warning))
        if answer.get('failed'):
            entry = plan.failed_entry(host, platform, answer.get('msg') or 'the backup module failed')
        else:
            entry = plan.entry_from_result(host, platform, answer, identity, self._task.check_mode,
                                           plan.parse_time(now_iso()))
        entry['elapsed_s'] = elapsed
        return entry, bool(answer.get('changed'))

    def _execute_with_progress(self, host, platform, run_id, module_args, task_vars, interval, report):
        """Run the module; while it waits, say at least once a minute that this environment is still running."""
        def execute():
            return answer_of(lambda: self._execute_module(module_name=module_name(platform), module_args=module_args,
                                                          task_vars=task_vars))

        def say(seconds):
            display.display('saasops: %s (%s) still backing up (run %s), %d s so far' % (host, platform, run_id, seconds))

        return run_reporting(execute, interval, say if report else None, 'saasops-%s' % host)
