# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_phase: one phase of the pre-deploy snapshot, whatever each environment's platform.

``validate`` checks the variables of every host (only bad input fails a task; per host when the task gives
``platform``). ``start`` and ``wait`` too run once (``run_once: true``) for every host of the play: each environment's
backup module runs in a thread of its own, inside this process (_in_process), so every backup starts
within the same second however many forks Ansible has, and no platform's wait or rate limit holds up
another's. A failed backup does not fail the task: it comes back as a 'failed' manifest entry, so the
manifest is written before the play stops.
"""

from __future__ import annotations

import concurrent.futures
import time

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.saasops.backup.plugins.plugin_utils import _in_process
from ansible_collections.saasops.backup.plugins.plugin_utils import _snapshot_plan as plan
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import documented_options
from ansible_collections.saasops.backup.plugins.plugin_utils._progress import answer_of
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_env import EnvironmentRun

display = Display()

ARGUMENT_SPEC = dict(
    phase=dict(type='str', required=True, choices=['validate', 'start', 'wait']),
    # validate of one host: its variables. Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    connection=dict(type='raw', no_log=True),
    target=dict(type='raw', default={}),
    backup_options=dict(type='raw', default={}, no_log=True),
    run_id=dict(type='raw'),
    wait_timeout=dict(type='raw', default=3600),
    # validate (without platform), start and wait: every host of the play at once; each host's variables are read
    # from hostvars.
    hosts=dict(type='list', elements='str'),
    # What an earlier run with this id recorded (a file's content: only ever matched by host, never trusted further).
    previous=dict(type='raw', default=[]),
    entries=dict(type='dict', default={}),
    # start: the play made the run id up (saasops_run_id not given), so no backup is named after it yet.
    new_run_id=dict(type='bool', default=False),
    progress_interval=dict(type='float', default=30.0),
)
# A thread per environment, up to this many at once (each mostly sleeps on the network).
MAX_THREADS = 64
# The role's defaults of the variables start and wait read per host.
HOST_DEFAULTS = dict(saasops_target={}, saasops_backup_options={}, saasops_wait_timeout=3600, saasops_max_age='24h')


def module_options(platform):
    """The backup module's documented options."""
    return documented_options(plan.PLATFORMS[platform]['module'])


def check_settings(platform, connection, target, backup_options, run_id, wait_timeout):
    """Raise plan.InputProblem naming every problem of one environment's variables (never a value)."""
    if platform not in plan.PLATFORMS:
        raise plan.InputProblem('saasops_platform must be one of %s' % ', '.join(sorted(plan.PLATFORMS)))
    plan.check_run_id(run_id)
    wait_timeout = plan.check_wait_timeout(wait_timeout)
    options = module_options(platform)
    owned = plan.PLATFORMS[platform]['owned']
    problems = []
    for variable, values in (('saasops_connection', connection), ('saasops_target', target),
                             ('saasops_backup_options', backup_options)):
        try:
            plan.check_options(platform, variable, values, options, owned)
        except plan.InputProblem as exc:
            problems.append(str(exc))
    if problems:
        raise plan.InputProblem('; '.join(problems))
    return wait_timeout


def host_settings(hostvars):
    """One host's role variables, as the validate phase checked them."""
    def get(name):
        try:
            value = hostvars[name]
        except KeyError:
            return HOST_DEFAULTS.get(name)
        return HOST_DEFAULTS.get(name) if value is None else value
    return dict(platform=get('saasops_platform'), connection=get('saasops_connection'), target=get('saasops_target'),
                backup_options=get('saasops_backup_options'), wait_timeout=get('saasops_wait_timeout'),
                max_age=str(get('saasops_max_age')))


class ActionModule(ActionBase):

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        task_vars = task_vars or {}
        if args['phase'] == 'validate' and args['platform'] is not None:
            # One host's variables, given as the task's arguments.
            host = task_vars.get('inventory_hostname')
            try:
                check_settings(args['platform'], args['connection'], args['target'], args['backup_options'], args['run_id'],
                               args['wait_timeout'])
            except plan.InputProblem as exc:
                result.update(failed=True, msg='%s: %s' % (host, exc))
                return result
            result.update(changed=False, msg='%s: the variables are usable' % host)
            return result
        try:
            plan.check_run_id(args['run_id'])
        except plan.InputProblem as exc:
            result.update(failed=True, msg=str(exc))
            return result
        hosts = args['hosts'] if args['hosts'] is not None else list(task_vars.get('ansible_play_batch') or [])
        runs = dict((host, self._environment(host, task_vars, args['run_id'])) for host in hosts)
        if args['phase'] == 'validate':
            # Every host's variables at once: one task, and every mistake of every host in one message.
            problems = ['%s: %s' % (host, runs[host].settings['problem']) for host in hosts if runs[host].settings.get('problem')]
            if problems:
                result.update(failed=True, msg=' | '.join(problems), problems=problems)
            else:
                result.update(changed=False, msg='the variables of every environment (%d) are usable' % len(hosts))
            return result
        entries = self._dispatch(args, runs)
        for host in hosts:
            for warning in runs[host].warnings:
                self._display.warning('%s: %s' % (host, warning))
        result.update(changed=any(run.changed for run in runs.values()), entries=entries,
                      lines=dict((host, plan.summary_line(entry)) for host, entry in entries.items()))
        return result

    def _environment(self, host, task_vars, run_id):
        settings = host_settings((task_vars.get('hostvars') or {}).get(host) or {})
        check_mode = bool(self._task.check_mode)

        def execute(module, module_args):
            return answer_of(lambda: _in_process.run(module, module_args, check_mode))

        try:
            settings['wait_timeout'] = check_settings(settings['platform'], settings['connection'], settings['target'],
                                                      settings['backup_options'], run_id, settings['wait_timeout'])
            documented = module_options(settings['platform'])
        except plan.InputProblem as exc:
            # The validate phase stops the play on bad input: this is a host it did not see (e.g. added since).
            settings['problem'] = str(exc)
            documented = {}
        return EnvironmentRun(host, settings, run_id, check_mode, execute, documented)

    def _dispatch(self, args, runs):
        """Every environment's start (or wait) at once; progress lines while any is still waited for."""
        phase = args['phase']
        previous = {}
        for entry in args['previous'] if isinstance(args['previous'], list) else []:
            if isinstance(entry, dict) and isinstance(entry.get('host'), str):
                previous.setdefault(entry['host'], entry)

        def one(host):
            run = runs[host]
            if run.settings.get('problem'):
                return plan.failed_entry(host, run.settings.get('platform'), run.settings['problem'])
            if phase == 'start':
                return run.start(previous.get(host), args['new_run_id'])
            return run.wait(args['entries'].get(host))

        entries = {}
        started = time.monotonic()
        interval = max(1.0, args['progress_interval'])
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(MAX_THREADS, len(runs))),
                                                   thread_name_prefix='saasops-%s' % phase) as pool:
            futures = dict((pool.submit(answer_of, lambda h=host: one(h)), host) for host in runs)
            pending = set(futures)
            while pending:
                done, pending = concurrent.futures.wait(pending, timeout=interval)
                for future in done:
                    host = futures[future]
                    entry = future.result()
                    entries[host] = entry if 'host' in entry else plan.failed_entry(
                        host, runs[host].platform, entry.get('msg') or 'the backup phase failed')
                if pending and phase == 'wait':
                    # A job that prints nothing for an hour looks hung to whoever watches it.
                    for future in sorted(pending, key=lambda f: futures[f]):
                        host = futures[future]
                        display.display('saasops: %s (%s) still backing up (run %s), %d s so far' % (
                            host, runs[host].platform, args['run_id'], time.monotonic() - started))
        return dict((host, entries[host]) for host in runs)
