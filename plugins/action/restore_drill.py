# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_drill: one phase of the restore drill of one environment, whatever its platform.

One task runs a phase over every host of the play:

- ``validate`` sends nothing: it returns every reason the drill must not run (the role fails the play, once,
  listing them all, before any request on any host);
- ``plan`` only reads: it finds the backup (the source's newest good one, or a manifest run's), and runs the
  platform's restore module in check mode against the drill target with the real arguments;
- ``run`` restores into the drill target, waits, checks, and measures the restore time (RTO);
- ``record`` appends the drill to the history beside the manifests.

A drill that fails does not fail its task: it comes back as a failed record, so every other drill runs and
the history is written before the play stops.
"""

from __future__ import annotations

import time

from ansible.utils.display import Display

from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_env import identity_of
from ansible_collections.saasops.backup.plugins.plugin_utils import _drill_history as history
from ansible_collections.saasops.backup.plugins.plugin_utils import _drill_plan as plan
from ansible_collections.saasops.backup.plugins.plugin_utils import _estate as estate
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _restore_plan as restore_plan
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import accepted, documented_options, fqcn, printable
from ansible_collections.saasops.backup.plugins.plugin_utils._phased_action import PhasedAction
from ansible_collections.saasops.backup.plugins.plugin_utils._progress import answer_of, run_reporting

display = Display()

ARGUMENT_SPEC = dict(
    phase=dict(type='str', required=True, choices=['validate', 'plan', 'run', 'record']),
    # Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    connection=dict(type='raw', no_log=True),
    target=dict(type='raw', default={}),
    drill_target=dict(type='raw'),
    drill=dict(type='raw', default={}, no_log=True),
    claims=dict(type='dict', default={}),
    options=dict(type='raw', default={}, no_log=True),
    drill_run=dict(type='raw'),
    timeout=dict(type='raw', default=14400),
    settle=dict(type='raw', default=900),
    manifest_dir=dict(type='raw'),
    plan=dict(type='dict'),
    record=dict(type='dict'),
    progress_interval=dict(type='float', default=30.0),
)
UNKNOWN = 'unknown'
PHASES = {'validate': '_validate', 'plan': '_plan', 'run': '_run', 'record': '_write_history'}


class ActionModule(PhasedAction):

    ARGUMENT_SPEC = ARGUMENT_SPEC
    PHASES = PHASES
    platform = None

    def prepare(self, result):
        """A host without a drill target takes part in the record phase only."""
        self.platform = self.args['platform']
        drill_target = self.args['drill_target']
        skip = drill_target in (None, '')
        result.update(host=self.host, platform=self.platform, drill_target=drill_target, skip=skip)
        if skip and self.args['phase'] != 'record':
            result.update(problems=[], line='%s (%s): not drilled (no saasops_drill_target)' % (self.host, self.platform))
            return False
        return True

    # -- environments --------------------------------------------------------------------------------
    @property
    def source(self):
        return dict(host=self.host, connection=self.args['connection'], target=self.args['target'] or {})

    @property
    def drill(self):
        drill = dict(self.args['drill'] or {})
        drill['host'] = self.args['drill_target']
        drill['target'] = drill.get('target') or {}
        return drill

    # -- validate: no request ------------------------------------------------------------------------
    def _validate(self):
        problems = []
        try:
            problems.extend(self._problems())
        except plan.InputProblem as exc:
            problems.append(str(exc))
        return dict(problems=problems, ok=not problems)

    def _problems(self):
        platform, args = self.platform, self.args
        if platform not in plan.PLATFORMS:
            raise plan.InputProblem('saasops_platform must be one of %s' % ', '.join(sorted(plan.PLATFORMS)))
        if not isinstance(args['drill_target'], str):
            raise plan.InputProblem('saasops_drill_target must be the inventory name of another host')
        if not isinstance(args['connection'], dict) or not isinstance(args['target'] or {}, dict):
            raise plan.InputProblem('saasops_connection and saasops_target must be dictionaries')
        problems = []
        for checker, value in ((plan.check_seconds, args['timeout']), (plan.check_drill_run, args['drill_run']),
                               (lambda v: plan.check_seconds(v, 'saasops_drill_settle'), args['settle'])):
            try:
                checker(value)
            except plan.InputProblem as exc:
                problems.append(str(exc))
        problems.extend(plan.pair_problems(platform, self.source, self.drill))
        module = plan.module_of(platform)
        options = documented_options(module)
        owned = plan.OWNED[platform]
        drill = self.drill
        checked = [('saasops_drill_options', args['options'])]
        if drill.get('known') and drill.get('platform') == platform:
            # The drill target's own variables are checked against this platform's restore module only.
            checked[:0] = [("the drill target's saasops_connection", drill.get('connection')),
                           ("the drill target's saasops_target", drill['target'])]
        for variable, values in checked:
            problems.extend(plan.option_problems(variable, values, options, owned, module))
        if platform == 'jahia':
            problems.extend(plan.check_health_url(drill.get('health_url')))
        problems.extend(plan.claimed_twice(args['claims'], self.host))
        if not restore_plan.writable_dir(self._directory()):
            problems.append('the drill history directory %s (saasops_manifest_dir) cannot be written' % self._directory())
        return problems

    # -- plan: reads only ----------------------------------------------------------------------------
    def _plan(self):
        platform = self.platform
        found = dict(source=identity_of(self.args['connection'], self.args['target']),
                     target=identity_of(self.drill['connection'], self.drill['target']),
                     backup={'id': UNKNOWN, 'name': None, 'time': None}, manifest_run_id=None, identity=None,
                     error=None, note=None)
        try:
            identity, backup, run_id = self._choose_backup()
            found.update(identity=identity, backup=backup, manifest_run_id=run_id)
            if not plan.PLATFORMS[platform]['lists'] and self.args['drill_run'] is None:
                found['note'] = ("Jahia's API cannot list backups: the drill restores the backup the latest manifest run "
                                 '(%s) recorded' % run_id)
            answer = self._execute(plan.module_of(platform), self._restore_arguments(identity), check_mode=True)
            if answer.get('failed'):
                found['error'] = 'the %s refused the drill: %s' % (
                    plan.module_of(platform), answer.get('msg') or 'no message')
        except (ValueError, TypeError, KeyError, store.StoreError) as exc:
            # ManifestError and the plan's refusals are ValueErrors; a platform's listing of an unexpected shape
            # is this environment's failed drill too, never a crash of the task (the other drills go on).
            found['error'] = str(exc) if isinstance(exc, ValueError) else 'the backups could not be read: %s' % exc
        found['error'] = printable(found['error']) if found['error'] else None
        found['line'] = plan.plan_line(self.host, self.args['drill_target'], found['backup'], found['source'], found['target'],
                                       found['manifest_run_id'])
        if found['note']:
            self._display.display('saasops: %s: %s' % (self.host, found['note']))
        return dict(plan=found)

    def _choose_backup(self):
        """(restore identity, backup summary, manifest run id) of the backup to drill."""
        platform, args = self.platform, self.args
        if plan.uses_manifest(platform, args['drill_run']):
            run_id = None if args['drill_run'] in (None, plan.LATEST) else args['drill_run']
            manifest = restore_plan.load_manifest(directory=self._directory(), run_id=run_id)
            identity, backup = plan.from_manifest(platform, manifest, self.host, args['connection'], args['target'])
            return identity, backup, manifest['run_id']
        module = estate.INFO_MODULES[platform]
        # The info module gets only its own options: a source's connection may hold others (an ArcGIS passcode).
        answer = self._execute(module, accepted(module, estate.info_args(platform, args['connection'], args['target'])),
                               check_mode=True)
        if answer.get('failed'):
            raise ValueError("the source's backups could not be listed: %s" % (answer.get('msg') or 'no message'))
        identity, backup = plan.from_listing(platform, estate.backups(platform, answer), estate.newest_good)
        return identity, backup, None

    def _restore_arguments(self, identity):
        timeout = plan.check_seconds(self.args['timeout'])
        return plan.restore_arguments(self.platform, self.source, self.drill, identity, self.args['options'] or {}, timeout)

    # -- run: the restore ----------------------------------------------------------------------------
    def _run(self):
        found = self.args['plan'] or {}
        started_at = store.now_iso()
        if found.get('error') or not found.get('identity'):
            record = self._new_record(found, started_at, 0.0, [], found.get('error') or 'the drill was not planned')
        elif self._task.check_mode:
            record = self._new_record(found, started_at, 0.0, [], None, plan.PLANNED)
        else:
            record = self._drill(found, started_at)
        return dict(record=record, changed=record['result'] != plan.PLANNED,
                    line=plan.result_line(self.host, self.platform, record, found.get('line') or ''))

    def _drill(self, found, started_at):
        platform = self.platform
        budget = plan.check_seconds(self.args['timeout'])
        began = time.monotonic()
        answer = self._execute(plan.module_of(platform), self._restore_arguments(found['identity']), check_mode=False,
                               progress='restoring %s into %s' % (platform, self.args['drill_target']))
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (self.host, warning))
        if answer.get('failed'):
            error = 'the restore failed: %s' % (answer.get('msg') or 'no message')
            return self._new_record(found, started_at, time.monotonic() - began, [], error)
        checks = plan.module_checks(platform, answer)
        if all(c['ok'] for c in checks):
            remaining = budget - (time.monotonic() - began)
            if platform == 'atlassian':
                checks.append(self._report_check(answer.get('post_op_report_url')))
            elif platform == 'jahia':
                checks.append(self._health_check(began, remaining))
        return self._new_record(found, started_at, time.monotonic() - began, checks, None)

    def _new_record(self, found, started_at, rto, checks, error, result=None):
        if result is None:
            result = plan.PASSED if not error and checks and all(c['ok'] for c in checks) else plan.FAILED
        return plan.new_record(self.host, self.platform, self.args['drill_target'], found, started_at, store.now_iso(), rto,
                               result, checks, error)

    # -- checks after the restore --------------------------------------------------------------------
    def _get(self, url, content=False, timeout=30):
        """GET ``url`` from where the modules run, with the drill target's certificate settings and no
        credential (the health URL and the report link are not the platform's API)."""
        connection = self.drill['connection']
        args = dict(url=url, method='GET', status_code=[200], return_content=content, timeout=max(1, int(timeout)),
                    validate_certs=connection.get('validate_certs', True), follow_redirects='safe',
                    force_basic_auth=False, use_netrc=False, use_gssapi=False)
        if connection.get('ca_path'):
            args['ca_path'] = connection['ca_path']
        return self._execute_module(module_name='ansible.builtin.uri', module_args=args, task_vars=self.task_vars)

    def _report_check(self, url):
        if not url:
            return plan.check('post-operation report', False, 'the restore returned no post-operation report link')
        answer = self._get(url, content=True)
        if answer.get('failed'):
            return plan.check('post-operation report', False, 'the post-operation report could not be fetched: HTTP %s'
                              % answer.get('status', '?'))
        try:
            summary = plan.summarise_report(answer.get('content') or '')
        except (ValueError, TypeError) as exc:
            return plan.check('post-operation report', False, str(exc))
        return plan.check('post-operation report', True, plan.report_detail(summary))

    def _health_check(self, began, remaining):
        """Poll the drill target's health URL until it is back, under the drill's deadline."""
        url = self.drill.get('health_url')
        label = 'the health URL'
        watch = plan.HealthWatch(plan.check_seconds(self.args['settle'], 'saasops_drill_settle'))
        deadline = time.monotonic() + max(0.0, remaining)
        delay, said = 1.0, time.monotonic()
        while True:
            answer = self._get(url, timeout=min(30.0, max(1.0, deadline - time.monotonic())))
            status = answer.get('status') if isinstance(answer.get('status'), int) and answer.get('status') > 0 else None
            elapsed = time.monotonic() - began
            verdict = watch.observe(status, elapsed)
            if verdict == watch.UP:
                return plan.check('environment answering', True, watch.detail(label, elapsed))
            if verdict == watch.NEVER_DOWN:
                return plan.check('environment answering', False, watch.detail(label, elapsed))
            if time.monotonic() + delay >= deadline:
                return plan.check('environment answering', False, '%s did not answer 200 within %d s of the restore (last: %s)'
                                  % (label, int(elapsed), status or 'no answer'))
            if time.monotonic() - said >= self.args['progress_interval']:
                said = time.monotonic()
                display.display('saasops: %s drill into %s: waiting for the environment (%s), %d s so far'
                                % (self.host, self.args['drill_target'], status or 'no answer', elapsed))
            time.sleep(delay)
            delay = min(delay * 1.5, 30.0)

    # -- record: the history -------------------------------------------------------------------------
    def _write_history(self):
        record = self.args['record']
        if not record or record.get('result') not in history.RAN or self._task.check_mode:
            return dict(written=False, msg='nothing to record')
        outcome = self.append_history(history.append, [record], 'drill history')
        outcome['changed'] = outcome['written']
        return outcome

    # -- running modules -----------------------------------------------------------------------------
    def _execute(self, module, module_args, check_mode, progress=None):
        """Run a platform module in the given mode; while it waits, say now and then that the drill goes on."""
        def execute():
            saved = self._task.check_mode
            self._task.check_mode = check_mode
            try:
                return answer_of(lambda: self._execute_module(module_name=fqcn(module), module_args=module_args,
                                                              task_vars=self.task_vars))
            finally:
                self._task.check_mode = saved

        def say(seconds):
            display.display('saasops: %s drill: still %s, %d s so far' % (self.host, progress, seconds))

        return run_reporting(execute, self.args['progress_interval'], say if progress else None, 'saasops-drill-%s' % self.host)
