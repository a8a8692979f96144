# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""offsite_prune: the rotation of one environment's off-site copies (plugin_utils/_offsite_rotation.py).

- ``validate`` sends nothing that changes anything: the settings, the directory, amazon.aws for S3 (the role stops the
  play, listing every problem, before any copy is deleted on any host);
- ``prune`` lists the environment's folder (a directory on the controller, or an S3 prefix with
  amazon.aws.s3_object_info), plans with the vendors' backups' rules, and deletes (nothing in check mode) - a file with
  its mendix_snapshot sidecar, an object with amazon.aws.s3_object. A delete that fails is returned in ``failed``;
- ``record`` (once) appends what was deleted to ``prune/copies/history.json`` beside the manifests, and sums it up.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time

from ansible.plugins.loader import module_loader

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite as offsite
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite_record as record
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite_rotation as rotation
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite_s3 as s3
from ansible_collections.saasops.backup.plugins.plugin_utils import _prune_plan as prune_plan
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import printable
from ansible_collections.saasops.backup.plugins.plugin_utils._phased_action import PhasedAction
from ansible_collections.saasops.backup.plugins.plugin_utils._restore_plan import writable_dir

ARGUMENT_SPEC = dict(
    phase=dict(type='str', required=True, choices=['validate', 'prune', 'record']),
    # Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    offsite=dict(type='raw'),
    offsite_s3=dict(type='raw', default={}, no_log=True),
    keep_last=dict(type='raw', default=prune_plan.KEEP_LAST),
    keep_days=dict(type='raw', default=prune_plan.KEEP_DAYS),
    protect_runs=dict(type='raw', default=[]),
    manifest_dir=dict(type='raw'),
    results=dict(type='list', elements='raw', default=[]),
)
PHASES = {'validate': '_validate', 'prune': '_prune', 'record': '_record'}


class ActionModule(PhasedAction):

    ARGUMENT_SPEC = ARGUMENT_SPEC
    PHASES = PHASES

    def _settings(self):
        """(location, S3 options); InputProblem naming the variable, never a value of saasops_offsite_s3."""
        args = self.args
        if args['platform'] not in prune_plan.PLATFORMS:
            raise offsite.InputProblem('saasops_platform must be one of %s' % ', '.join(sorted(prune_plan.PLATFORMS)))
        location = offsite.parse_location(args['offsite'])
        if location.kind == offsite.NONE:
            return location, {}
        offsite.check_host(self.host)
        return location, offsite.check_s3_options(args['offsite_s3'])

    def _checked(self):
        location, options = self._settings()
        keep_last = prune_plan.check_keep(self.args['keep_last'], 'saasops_keep_last')
        keep_days = prune_plan.check_keep(self.args['keep_days'], 'saasops_keep_days')
        pinned = prune_plan.check_protect_runs(self.args['protect_runs'])
        named = isinstance(self.args['manifest_dir'], str) and bool(self.args['manifest_dir'])
        runs = prune_plan.protected_runs(self._directory(), pinned, named)
        return location, options, keep_last, keep_days, runs

    # -- validate ------------------------------------------------------------------------------------------
    def _validate(self):
        problems = []
        try:
            location, dummy, dummy, dummy, dummy = self._checked()
        except (offsite.InputProblem, prune_plan.InputProblem) as exc:
            return dict(failed=True, msg='%s: %s' % (self.host, exc))
        if location.kind != offsite.NONE and self.args['platform'] in rotation.ROTATED:
            if location.kind == offsite.DIR and not os.path.isdir(location.path):
                problems.append('saasops_offsite %s is not an existing directory' % location.path)
            if location.kind == offsite.S3:
                problems.extend('saasops_offsite %s needs the amazon.aws collection (%s), which is not installed'
                                % (location.text(), module) for module in (s3.PUT_MODULE, s3.INFO_MODULE)
                                if not module_loader.find_plugin_with_context(module).resolved)
        folder = os.path.dirname(record.path_of(self._directory()))
        if not self._task.check_mode and not writable_dir(folder):
            problems.append('the copies\' rotation history folder %s cannot be written (saasops_manifest_dir)' % folder)
        if problems:
            return dict(failed=True, msg='%s: %s' % (self.host, '; '.join(problems)))
        return dict(msg='%s: the off-site copy settings are usable' % self.host)

    # -- prune ---------------------------------------------------------------------------------------------
    def _prune(self):
        found = dict(host=self.host, platform=self.args['platform'], folder=None, keep_last=None, keep_days=None,
                     protected_runs=[], copies=[], deleted=[], failed=[], error=None, note=None,
                     check_mode=bool(self._task.check_mode))
        try:
            location, options, keep_last, keep_days, runs = self._checked()
        except (offsite.InputProblem, prune_plan.InputProblem) as exc:
            found['error'] = str(exc)
            return dict(copies=found)
        if location.kind == offsite.NONE:
            return dict(copies=dict(found, skipped=True))
        found.update(folder=location.text(self.host), keep_last=keep_last, keep_days=keep_days,
                     protected_runs=[r['run_id'] for r in runs])
        if self.args['platform'] not in rotation.ROTATED:
            found['note'] = rotation.NOTHING[self.args['platform']]
            return dict(copies=found)
        try:
            listed = self._list(location, options)
        except OSError as exc:
            found['error'] = 'the copies cannot be listed: %s' % exc
            return dict(copies=found)
        except ListFailed as exc:
            found['error'] = str(exc)
            return dict(copies=found)
        found['copies'] = rotation.plan(rotation.copies(listed, location, self.host), time.time(), keep_last, keep_days,
                                        rotation.protections(runs, self.host))
        if not self._task.check_mode:
            for decision in prune_plan.to_delete(found['copies']):
                self._delete(location, options, decision, found)
        return dict(copies=found, changed=bool(found['deleted']))

    def _list(self, location, options):
        """``[{name, time, size}]`` in the host's folder (a missing folder holds none)."""
        if location.kind == offsite.DIR:
            folder = location.folder(self.host)
            if not os.path.isdir(folder):
                return []
            listed = []
            for item in os.scandir(folder):
                info = item.stat(follow_symlinks=False)
                # Regular files only: a link or a folder is never ours to delete.
                if stat.S_ISREG(info.st_mode):
                    listed.append(dict(name=item.name, time=rotation.iso(info.st_mtime), size=info.st_size))
            return listed
        answer = self._module(s3.INFO_MODULE, s3.list_arguments(location, options, self.host, details=True))
        if answer.get('failed'):
            raise ListFailed('the copies in %s cannot be listed: %s' % (
                location.text(self.host), printable(answer.get('msg') or 's3_object_info failed')))
        folder = location.folder(self.host)
        return [dict(name=o['key'][len(folder):], time=o['time'], size=o['size']) for o in s3.objects_of(answer)
                if o['key'].startswith(folder) and '/' not in o['key'][len(folder):]]

    def _delete(self, location, options, decision, found):
        done = dict(decision, at=store.now_iso())
        try:
            if location.kind == offsite.DIR:
                path = location.where(self.host, decision['name'])
                os.unlink(path)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path + rotation.SIDECAR)
            else:
                answer = self._module(s3.PUT_MODULE, s3.delete_arguments(location, options,
                                                                         location.where(self.host, decision['name'])))
                if answer.get('failed'):
                    raise ListFailed(printable(answer.get('msg') or 's3_object failed'))
        except (OSError, ListFailed) as exc:
            done['error'] = str(exc)
            found['failed'].append(done)
            return
        found['deleted'].append(done)

    def _module(self, name, module_args):
        answer = self._execute_module(module_name=name, module_args=module_args, task_vars=self.task_vars)
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (self.host, warning))
        return answer

    # -- record --------------------------------------------------------------------------------------------
    def _record(self):
        results = [r for r in self.args['results'] if isinstance(r, dict) and r.get('host') and not r.get('skipped')]
        check_mode = bool(self._task.check_mode)
        lines = []
        for found in results:
            lines.extend(rotation.host_lines(found, check_mode))
        entries = [e for found in results for e in record.records_of(found)]
        outcome = dict(path=record.path_of(self._directory()), check_mode=check_mode,
                       deleted=[e for e in entries if e['result'] == 'deleted'],
                       delete_errors=[e for e in entries if e['result'] == 'failed'],
                       would_delete=[dict(host=f['host'], location=d['id'], run_id=d['run_id'], time=d['time'],
                                          reason=d['reason'])
                                     for f in results for d in f.get('copies') or [] if d['action'] == prune_plan.DELETE]
                       if check_mode else [])
        outcome.update(self.append_history(record.append, entries, 'copies\' rotation history'))
        outcome['changed'] = outcome['written'] and bool(outcome['deleted'])
        if not results:
            lines.append('no environment keeps off-site copies')
        elif check_mode:
            lines.append('check mode: no copy was deleted or recorded')
        else:
            written = outcome['path'] if outcome['written'] else 'nothing deleted, nothing recorded'
            lines.append('copies\' rotation history: %s' % written)
        if outcome.get('error'):
            lines.append(outcome['error'])
        outcome['lines'] = lines
        return outcome


class ListFailed(Exception):
    """amazon.aws could not list or delete; the message is the module's, never a credential."""
