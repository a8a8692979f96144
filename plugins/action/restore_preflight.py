# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_preflight: decide whether one environment can be restored, without restoring anything.

It never fails the task for a problem of the environment: it returns the problems, so the restore
role can gather every host's before it stops, and restores nothing unless every host passed.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.saasops.backup.plugins.plugin_utils import _restore_plan as plan

ARGUMENT_SPEC = dict(
    platform=dict(type='str', required=True, choices=sorted(plan.PLATFORMS)),
    # Credentials: only ever handed to the platform's restore module, never returned.
    connection=dict(type='dict', required=True, no_log=True),
    target=dict(type='dict', default={}),
    options=dict(type='dict', default={}, no_log=True),
    manifest=dict(type='raw'),
    manifest_parts=dict(type='list', elements='raw', default=[]),
    manifest_path=dict(type='path'),
    manifest_dir=dict(type='path'),
    run_id=dict(type='str'),
    record_dir=dict(type='path'),
    confirm=dict(type='bool', default=False),
    restore_run_id=dict(type='str'),
    restore_again=dict(type='bool', default=False),
    production=dict(type='bool', default=False),
    allow_production=dict(type='bool', default=False),
    wait_timeout=dict(type='int', default=14400),
)


def module_arguments(connection, target, defaults, options, arguments):
    """The restore module's arguments, in the order the restore role's tasks combine them.

    Keep in step with ``restore_module_options`` in roles/restore/vars/main.yml: the pre-flight
    must check exactly what the restore will send. The manifest's identity comes last, so no
    option can replace the backup the plan chose; connection and target come from the inventory.
    """
    merged = {}
    for part in (connection, target, defaults, options, arguments):
        merged.update(part or {})
    return merged


class ActionModule(ActionBase):

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        del validation
        host = task_vars.get('inventory_hostname') if task_vars else None
        platform = args['platform']
        result.update(changed=False, host=host, platform=platform, problems=[], skip=False,
                      module=found_module(platform))
        confirmed = args['confirm'] or self._task.check_mode
        try:
            result.update(self._plan(host, platform, args, task_vars))
        except (plan.ManifestError, ValueError) as exc:
            result['problems'].append(str(exc))
        if not confirmed:
            # First: without it nothing else matters, but the other problems are still worth knowing.
            result['problems'].insert(0, 'saasops_restore_confirm is not true: restoring overwrites the current data '
                                         'of this environment with the backup; set saasops_restore_confirm=true to confirm')
        result['ok'] = not result['problems']
        return result

    def _plan(self, host, platform, args, task_vars):
        directory = args['manifest_dir'] or plan.store.default_dir()
        manifest = plan.load_manifest(args['manifest'], args['manifest_path'], args['manifest_parts'], directory, args['run_id'])
        record_dir = args['record_dir'] or plan.default_record_dir(args['manifest_path'], directory)
        entry = plan.find_entry(manifest, host)
        problems = []
        if entry.get('platform') != platform:
            raise ValueError("the manifest entry is a %r backup; the inventory says this environment is %s"
                             % (entry.get('platform'), platform))
        if entry.get('status') not in plan.RESTORABLE:
            raise ValueError("the manifest entry's backup is %r: only %s backups are restored"
                             % (entry.get('status'), ' or '.join(plan.RESTORABLE)))
        backup = plan.identity(platform, entry)
        problems.extend(plan.target_mismatches(platform, entry, args['connection'], args['target']))
        if args['production'] and not args['allow_production']:
            problems.append('it is declared production (saasops_production: true); set saasops_allow_production: true '
                            'for this environment to restore it')
        restore_run_id = args['restore_run_id'] or manifest['run_id']
        if not plan.store.is_run_id(restore_run_id):
            raise ValueError('saasops_restore_run_id %r is not a valid run id (letters, digits, ., _, -)' % restore_run_id)
        if not plan.writable_dir(record_dir):
            problems.append('the restore record directory %s cannot be written: set saasops_restore_record_dir'
                            % record_dir)
        record_path = plan.record_path(record_dir, restore_run_id, host)
        target = plan.inventory_target(platform, args['connection'], args['target'])
        found = dict(manifest_run_id=manifest['run_id'], restore_run_id=restore_run_id, backup=backup,
                     target=dict((k, str(v)) for k, v in target.items()), record_path=record_path,
                     summary=plan.describe(platform, backup, target),
                     record=plan.new_record(host, platform, manifest, restore_run_id, backup),
                     defaults=plan.role_defaults(platform, args['wait_timeout']),
                     arguments=dict(backup, allow_production=args['allow_production']))
        if plan.PLATFORMS[platform]['declared_production']:
            found['arguments']['production'] = args['production']
        earlier = plan.read_record(record_path)
        if earlier is not None and earlier.get('backup') == backup and not args['restore_again']:
            found.update(skip=True, problems=problems, restored_at=earlier.get('restored_at'))
            return found
        if not problems:
            problems.extend(self._check_with_module(found, args, task_vars))
        found['problems'] = problems
        return found

    def _check_with_module(self, found, args, task_vars):
        """Run the restore module in check mode with the real arguments: it proves the credentials and
        the target, finds the backup restorable, and applies its own production guard - sending nothing
        that changes anything."""
        module_args = module_arguments(args['connection'], args['target'], found['defaults'], args['options'],
                                       found['arguments'])
        saved = self._task.check_mode
        self._task.check_mode = True
        try:
            answer = self._execute_module(module_name=found_module(args['platform']), module_args=module_args,
                                          task_vars=task_vars)
        finally:
            self._task.check_mode = saved
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (task_vars.get('inventory_hostname'), warning))
        if answer.get('failed'):
            return [answer.get('msg') or 'the restore module refused it']
        return []


def found_module(platform):
    return 'saasops.backup.' + plan.PLATFORMS[platform]['module']
