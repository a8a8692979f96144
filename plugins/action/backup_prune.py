# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_prune: one phase of the retention of one environment's backups, whatever its platform.

- ``validate`` sends nothing: every reason the prune must not run (the role fails the play, once, listing them
  all, before any request on any host);
- ``prune`` lists the environment's backups with its platform's info module, plans with _prune_plan, and deletes
  with the platform's module (nothing in check mode). A delete that fails does not fail the task: it comes back
  in ``failed``, so every other environment is pruned and the history written before the play stops;
- ``record`` (once) writes what was deleted to the prune history beside the manifests, and sums it up.
"""

from __future__ import annotations

import time

from ansible_collections.saasops.backup.plugins.action.backup_status import label_of
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_env import identity_of
from ansible_collections.saasops.backup.plugins.plugin_utils import _estate as estate
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _prune_plan as plan
from ansible_collections.saasops.backup.plugins.plugin_utils import _prune_record as record
from ansible_collections.saasops.backup.plugins.plugin_utils._estate_manifests import recorded_backups
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import accepted, fqcn, printable
from ansible_collections.saasops.backup.plugins.plugin_utils._phased_action import PhasedAction
from ansible_collections.saasops.backup.plugins.plugin_utils._restore_plan import writable_dir

ARGUMENT_SPEC = dict(
    phase=dict(type='str', required=True, choices=['validate', 'prune', 'record']),
    # Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    connection=dict(type='raw', no_log=True),
    target=dict(type='raw', default={}),
    keep_last=dict(type='raw', default=plan.KEEP_LAST),
    keep_days=dict(type='raw', default=plan.KEEP_DAYS),
    protect_runs=dict(type='raw', default=[]),
    manifest_dir=dict(type='raw'),
    results=dict(type='list', elements='raw', default=[]),
)
PHASES = {'validate': '_validate', 'prune': '_prune', 'record': '_record'}


class ActionModule(PhasedAction):

    ARGUMENT_SPEC = ARGUMENT_SPEC
    PHASES = PHASES

    def _checked(self):
        """(platform, connection, target, keep_last, keep_days, protected runs); InputProblem naming the variable."""
        args = self.args
        platform = args['platform']
        if platform not in plan.PLATFORMS:
            raise plan.InputProblem('saasops_platform must be one of %s' % ', '.join(sorted(plan.PLATFORMS)))
        for variable, value in (('saasops_connection', args['connection']), ('saasops_target', args['target'] or {})):
            if not isinstance(value, dict):
                raise plan.InputProblem('%s must be a dictionary' % variable)
        keep_last = plan.check_keep(args['keep_last'], 'saasops_keep_last')
        keep_days = plan.check_keep(args['keep_days'], 'saasops_keep_days')
        pinned = plan.check_protect_runs(args['protect_runs'])
        named = isinstance(args['manifest_dir'], str) and bool(args['manifest_dir'])
        runs = plan.protected_runs(self._directory(), pinned, named)
        return platform, args['connection'], args['target'] or {}, keep_last, keep_days, runs

    # -- validate: no request ------------------------------------------------------------------------
    def _validate(self):
        problems = []
        try:
            self._checked()
        except plan.InputProblem as exc:
            problems.append(str(exc))
        if not self._task.check_mode and not writable_dir(record.folder_of(self._directory())):
            problems.append('the prune history folder %s cannot be written (saasops_manifest_dir)'
                            % record.folder_of(self._directory()))
        return dict(problems=problems, ok=not problems)

    # -- prune: list, plan, delete -------------------------------------------------------------------
    def _prune(self):
        found = dict(host=self.host, platform=self.args['platform'], label=None, identity={}, cannot=None,
                     keep_last=None, keep_days=None, protected_runs=[], backups=[], deleted=[], failed=[], gone=[],
                     error=None, note=None, check_mode=bool(self._task.check_mode))
        try:
            platform, connection, target, keep_last, keep_days, runs = self._checked()
        except plan.InputProblem as exc:
            found['error'] = str(exc)
            return dict(prune=found, failed=False)
        identity = identity_of(connection, target)
        cannot = plan.cannot_delete(platform, identity)
        found.update(label=label_of(platform, identity), identity=identity, cannot=cannot, keep_last=keep_last,
                     keep_days=keep_days, protected_runs=[r['run_id'] for r in runs])
        listed, store_name, problem = self._list(platform, connection, target, identity)
        if problem:
            if cannot:
                # A platform that deletes nothing is only reported: not being able to read it is a note, not a failure.
                found['note'] = problem
                self._display.warning('%s: %s' % (self.host, problem))
            else:
                found['error'] = problem
            return dict(prune=found)
        protected = plan.protections(platform, runs, self.host, connection, target)
        found['backups'] = plan.plan(listed, time.time(), keep_last, keep_days, protected, cannot)
        if not self._task.check_mode:
            for decision in plan.to_delete(found['backups']):
                self._delete(platform, connection, target, store_name, decision, found)
        return dict(prune=found, changed=bool(found['deleted']))

    def _list(self, platform, connection, target, identity):
        """(backups newest first, the ArcGIS store read, problem or None)."""
        if not plan.PLATFORMS[platform]['lists']:
            try:
                return recorded_backups(self._directory(), self.host, platform, identity), None, None
            except (store.StoreError, OSError) as exc:
                return [], None, 'the manifests cannot be read: %s' % exc
        module = estate.INFO_MODULES[platform]
        answer = self._execute_module(module_name=fqcn(module), module_args=accepted(
            module, estate.info_args(platform, connection, target)), task_vars=self.task_vars)
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (self.host, warning))
        if answer.get('failed'):
            return [], None, 'the backups could not be listed: %s' % printable(answer.get('msg') or 'the %s module failed' % module)
        try:
            return estate.backups(platform, answer), answer.get('store'), None
        except (TypeError, AttributeError, KeyError) as exc:
            return [], None, 'the listing of the backups has an unexpected shape: %s' % exc

    def _delete(self, platform, connection, target, store_name, decision, found):
        """Delete one backup with the platform's module; the outcome goes into ``found``."""
        module = plan.PLATFORMS[platform]['module']
        values = dict(connection, **target)
        # The backup's passcode protects a restore, never a delete: it is not sent where it is not needed.
        values.pop('passcode', None)
        values.update(state='absent')
        values[plan.PLATFORMS[platform]['key']] = decision['id']
        if platform == 'arcgis' and store_name:
            # The store the listing read (the default one unless the inventory names one).
            values['store'] = store_name
        answer = self._execute_module(module_name=fqcn(module), module_args=accepted(module, values),
                                      task_vars=self.task_vars)
        done = dict(decision, at=store.now_iso())
        if answer.get('failed'):
            done['error'] = printable(answer.get('msg') or 'the %s module failed' % module)
            found['failed'].append(done)
        elif answer.get('changed'):
            found['deleted'].append(done)
        else:
            found['gone'].append(done)

    # -- record: the history, the summary ------------------------------------------------------------
    def _record(self):
        results = [r for r in self.args['results'] if isinstance(r, dict) and r.get('host')]
        check_mode = bool(self._task.check_mode)
        lines = []
        for found in results:
            lines.extend(plan.host_lines(found, check_mode))
        entries = [e for found in results for e in record.records_of(found)]
        outcome = dict(path=record.path_of(self._directory()), check_mode=check_mode,
                       deleted=[e for e in entries if e['result'] == 'deleted'],
                       delete_errors=[e for e in entries if e['result'] == 'failed'],
                       would_delete=[dict(host=f['host'], platform=f['platform'], **self._summary(d))
                                     for f in results for d in f.get('backups') or [] if d['action'] == plan.DELETE]
                       if check_mode else [])
        outcome.update(self.append_history(record.append, entries, 'prune history'))
        outcome['changed'] = outcome['written'] and bool(outcome['deleted'])
        if check_mode:
            lines.append('check mode: nothing was deleted or recorded')
        else:
            lines.append('prune history: %s' % (outcome['path'] if outcome['written'] else 'nothing deleted, nothing recorded'))
        if outcome.get('error'):
            lines.append(outcome['error'])
        outcome['lines'] = lines
        return outcome

    @staticmethod
    def _summary(decision):
        return dict((k, decision[k]) for k in ('id', 'name', 'time', 'run_id', 'age_seconds', 'reason'))
