#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: mendix_restore
short_description: Restore a Mendix Cloud backup snapshot into an environment
version_added: 0.1.0
description:
  - Restores a completed snapshot into the environment, optionally stopping it first and starting it after.
  - The platform restores only into a stopped environment. Without O(stop_environment) a running environment
    makes the module fail before anything changes; with it, the module stops the environment and waits until
    it is C(Stopped).
  - A restore is an action, not a state; every run that is not in check mode restores (C(changed=true)).
    The platform cannot list restores, so a second run cannot tell that the first one already restored.
  - Refuses a production environment unless O(allow_production=true).
  - Warns when the snapshot was taken with another model version than the environment runs.
author:
  - saasops.backup maintainers (@saasops)
options:
  snapshot_id:
    description:
      - The snapshot to restore. It must be C(completed).
    type: str
    required: true
  source_environment:
    description:
      - The environment of the same app that holds the snapshot, when it is not O(environment)
        (e.g. restore a production snapshot into acceptance).
      - When not set and O(environment) has no snapshot O(snapshot_id), the module looks for it in the app's other
        environments (reads only; sandboxes skipped) and restores the one it finds. Found nowhere, it fails naming the
        environments searched, before any change.
    type: str
  db_only:
    description:
      - Restore the database only, not the files (Backups API v2 only). The files then no longer match the
        database's references; use with care.
    type: bool
    default: false
  stop_environment:
    description:
      - Stop the environment first if it is not stopped, and wait until it is.
    type: bool
    default: false
  start_environment:
    description:
      - Start the environment after the restore and wait until it reports C(Started). Needs O(wait=true).
      - An environment that is already started is left as it is.
    type: bool
    default: false
  allow_production:
    description:
      - Allow restoring into a production environment (its C(Production) flag, or the mode C(Production)).
    type: bool
    default: false
extends_documentation_fragment:
  - saasops.backup.mendix
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.attributes.action_module
notes:
  - The platform does not document how to follow a stop; this module polls the environment until its C(Status) is
    C(Stopped) (or C(Empty)/C(NotRunning)), treating any other status as still stopping.
  - Backups API v1 restores are synchronous; this module assumes the answer comes once the restore is done.
  - If the answer to a restore request is lost, the module does not send it again (it cannot tell whether the
    restore started); it fails saying so.
  - Mendix documents that a restore needs room for the decompressed dump plus 2.25 GB, and that a failed restore can
    leave a partly restored database; the module fails with the restore's C(status_message).
  - The snapshot must be C(completed); a failed one is refused with its C(status_message) (failed snapshots have no
    model version, so no model-version warning is given for them).
seealso:
  - module: saasops.backup.mendix_snapshot
  - module: saasops.backup.mendix_snapshot_info
'''

EXAMPLES = r'''
- name: Roll acceptance back to the snapshot taken before the release
  saasops.backup.mendix_restore:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Acceptance
    snapshot_id: "{{ snap.snapshot.snapshot_id }}"
    stop_environment: true
    start_environment: true
    wait_timeout: 7200
  register: restored

- name: Copy production data into test (database only)
  saasops.backup.mendix_restore:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Test
    source_environment: Production
    snapshot_id: "{{ production_snapshot_id }}"
    db_only: true
    stop_environment: true
'''

RETURN = r'''
restore:
  description:
    - The restore job in the Backups API v2 shape. With v1, C(state) is V(completed) and C(snapshot) holds the
      snapshot restored. In check mode, the restore that would be started.
  returned: always
  type: dict
  sample: {restore_id: 11076b79-5d1f-4bd0-9ae6-3d1e3c0b2f6a, source_snapshot_id: 5f8ace23-2c4f-4f59-8b0a-3a8f8e2d1c77,
           target_environment_id: d436f8a3-1b2c-4d5e-8f90-a1b2c3d4e5f6, state: completed, status_message: Restore completed}
source_environment:
  description:
    - The environment holding the snapshot restored (O(source_environment), O(environment), or the other environment of
      the app where the module found it).
  returned: always
  type: str
  sample: Production
environment_status:
  description: The environment's C(Status) after the run (before any change in check mode).
  returned: always
  type: str
  sample: Running
elapsed:
  description: Seconds spent waiting (stop, restore, start).
  returned: always
  type: float
  sample: 310.4
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._mendix import (
    JOB_STATES, START_STATES, STOPPED, Mendix, is_production, mendix_argument_spec)
from ansible_collections.saasops.backup.plugins.module_utils._mendix_backups import Backups
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun
from ansible_collections.saasops.backup.plugins.module_utils._waiter import SUCCESS, WaitTimeout


class RestoreRun(ModuleRun):
    """The decisions of one mendix_restore run."""

    RESULT = dict(changed=False, restore={}, environment_status=None, source_environment=None, elapsed=0.0)

    def __init__(self, module, api):
        super(RestoreRun, self).__init__(module, api)
        self.mode = api.mode
        self.backups = None

    def validate(self):
        if self.params['db_only'] and self.api.version != 2:
            raise InputError('db_only needs api_version 2: Backups API v1 always restores database and files')
        if self.params['start_environment'] and not self.params['wait']:
            raise InputError('start_environment needs wait=true: the environment can start only after the restore')

    def run(self):
        env = self.api.environment()
        what = "environment '%s' of app '%s'" % (env.get('Mode') or self.mode, self.api.app_id)
        if is_production(env) and not self.params['allow_production']:
            raise InputError('refusing to restore into the production %s: set allow_production: true to allow it' % what)
        snapshot = self.snapshot(env)
        if snapshot.get('model_version') and env.get('ModelVersion') and snapshot['model_version'] != env['ModelVersion']:
            self.module.warn("Mendix: snapshot '%s' was taken with model version %s; %s runs %s"
                             % (snapshot['snapshot_id'], snapshot['model_version'], what, env['ModelVersion']))
        status = env.get('Status')
        stopped = STOPPED.outcome(status) == SUCCESS
        if not stopped and not self.params['stop_environment']:
            raise InputError("%s is '%s'; a restore needs it stopped. Set stop_environment: true (and start_environment: "
                             "true to start it again afterwards)" % (what, status))
        self.result['environment_status'] = status
        if self.check_mode:
            self.result['changed'] = True
            self.result['restore'] = {'source_snapshot_id': snapshot['snapshot_id'], 'target_environment_id': env.get('EnvironmentId'),
                                      'state': None, 'db_only': self.params['db_only']}
            return
        if not stopped:
            self.api.stop(self.mode)
            self.result['changed'] = True
            self.budget.wait_for('%s to stop' % what, lambda: self.api.environment(self.mode), STOPPED, 'Status')
        try:
            self.restore(snapshot)
        except (PlatformError, WaitTimeout) as exc:
            if not stopped:
                self.after_stopped_restore_failed(exc, what)
            raise
        if self.params['start_environment']:
            self.start(what)
        self.result['environment_status'] = self.api.environment(self.mode).get('Status')

    def after_stopped_restore_failed(self, exc, what):
        """The restore failed after this module stopped the environment: start it again when asked
        and safe, and say in the error that the module stopped it and in which state it is left."""
        note = 'mendix_restore stopped %s before the restore' % what
        # A restore that was accepted and not seen to end, or whose request may have arrived, may
        # still be running: starting the environment under it could leave a half-restored database.
        may_run = getattr(exc, 'maybe_applied', False) or (isinstance(exc, WaitTimeout) and bool(self.result['restore']))
        if not self.params['start_environment']:
            note += '; start_environment is not set, so it was not started again'
        elif may_run:
            note += '; it was not started again because the restore may still be running'
        else:
            # Only asked for, not waited for: the run's time may be spent, and the error must come now.
            try:
                job = self.api.start(self.mode)
                note += '; it was started again' + (' (start job %s)' % job if job else '')
            except PlatformError as failed:
                note += '; starting it again failed too (%s)' % failed
        try:
            self.result['environment_status'] = self.api.environment(self.mode).get('Status')
        except PlatformError as failed:
            self.result['environment_status'] = None
            note += "; its status could not be read (%s)" % failed.message
        if self.result['environment_status'] is not None:
            note += "; its status is now '%s'" % self.result['environment_status']
        if STOPPED.outcome(self.result['environment_status']) == SUCCESS:
            note += ': start it in the Mendix Portal (or with the Deploy API) once the cause is fixed'
        if isinstance(exc, PlatformError):
            # What the user must check now, after whatever the platform layer already hinted.
            exc.hint = '; '.join(hint for hint in (exc.hint, note) if hint)
        else:
            exc.args = ('%s %s' % (exc, note),)

    def snapshot(self, env):
        """The completed snapshot to restore: from source_environment, else this environment, else
        (reads only) whichever other environment of the app holds it."""
        source, sid = self.params['source_environment'], self.params['snapshot_id']
        holder = self.api.environment(source) if source else env
        self.backups = Backups.open(self.api, env, self.budget)
        found = self.backups.of(holder).get(sid)
        where = "environment '%s' of app '%s'" % (holder.get('Mode') or source or self.mode, self.api.app_id)
        if found is None and source:
            raise InputError("snapshot '%s' does not exist in %s" % (sid, where))
        if found is None:
            found, holder, searched = self.backups.find_elsewhere(sid)
            if found is None:
                raise InputError("snapshot '%s' does not exist in %s nor in the app's other environments (searched: %s); "
                                 "check snapshot_id" % (sid, where, ', '.join(searched) or 'none'))
            where = "environment '%s' of app '%s'" % (holder.get('Mode'), self.api.app_id)
        self.result['source_environment'] = holder.get('Mode')
        if JOB_STATES.outcome(found.get('state')) != SUCCESS:
            why = found.get('status_message')
            raise InputError("snapshot '%s' of %s is '%s'%s; only a completed snapshot can be restored"
                             % (found['snapshot_id'], where, found.get('state'), ' (%s)' % why if why else ''))
        return found

    def restore(self, snapshot):
        sid = snapshot['snapshot_id']
        restore = self.backups.restore(sid, self.params['db_only'])
        self.result['changed'] = True
        # Said before waiting: a run that times out still reports the restore it started.
        self.result['restore'] = restore
        if self.budget.active:
            restore = self.backups.wait_restore(restore, sid)
        self.result['restore'] = restore

    def start(self, what):
        job = self.api.start(self.mode)
        if job is not None:
            self.budget.wait_for('%s to start (job %s)' % (what, job), lambda: self.api.start_status(self.mode, job),
                                 START_STATES, 'Status')


def main():
    argument_spec = mendix_argument_spec()
    argument_spec.update(wait_argument_spec())
    argument_spec.update(
        snapshot_id=dict(type='str', required=True),
        source_environment=dict(type='str'),
        db_only=dict(type='bool', default=False),
        stop_environment=dict(type='bool', default=False),
        start_environment=dict(type='bool', default=False),
        allow_production=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    RestoreRun.main(module, Mendix)


if __name__ == '__main__':
    main()
