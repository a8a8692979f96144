#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: arcgis_dr_restore
short_description: Restore an ArcGIS Enterprise on Kubernetes organization from a disaster recovery backup
version_added: 0.1.0
description:
  - Restores the whole organization from a completed backup, then (with O(wait=true)) follows the
    disaster recovery status until the restore succeeded or failed.
  - The organization is unavailable while it restores; the module keeps polling through the
    resulting errors until O(wait_timeout).
  - A restore of the same backup that is already running is waited for, not started again
    (C(changed=false)). Otherwise every run that is not in check mode starts a restore.
  - If the answer to the restore request is lost, the module reads the status before deciding
    to send it again, so a dropped connection never starts two restores.
  - ArcGIS Enterprise has no production flag. An organization declared production with O(production=true)
    is refused unless O(allow_production=true), before any request (a token request included), in check mode too.
author:
  - saasops.backup maintainers (@saasops)
options:
  name:
    description:
      - Name of the backup to restore. It must exist in O(store) with status C(completed).
    type: str
    required: true
  store:
    description:
      - Backup store holding the backup. Defaults to the store marked as default.
    type: str
  passcode:
    description:
      - The passcode given when the backup was created (at least 8 characters).
    type: str
    required: true
extends_documentation_fragment:
  - saasops.backup.arcgis
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.production
  - saasops.backup.attributes.action_module
notes:
  - The platform does not document the DR status while a restore runs; this module treats any state other than
    V(success), V(completed_with_warnings) and V(failed) as still running.
  - V(completed_with_warnings) succeeds with a warning carrying the platform's message.
seealso:
  - module: saasops.backup.arcgis_dr_backup
  - module: saasops.backup.arcgis_dr_backup_info
'''

EXAMPLES = r'''
- name: Roll the organization back to the backup taken before the release
  saasops.backup.arcgis_dr_restore:
    url: https://gis.example.com/arcgis
    username: "{{ arcgis_admin }}"
    password: "{{ arcgis_admin_password }}"
    name: "pre-release-{{ release_id }}"
    passcode: "{{ arcgis_backup_passcode }}"
    wait_timeout: 7200
  register: restored

- name: Report how long the restore took
  ansible.builtin.debug:
    msg: "Restored {{ restored.status.backup_name }} in {{ restored.elapsed }} s ({{ restored.status.state }})"

- name: Roll the production organization back (declared production, so it must be allowed explicitly)
  saasops.backup.arcgis_dr_restore:
    url: https://gis.example.com/arcgis
    token: "{{ arcgis_token }}"
    name: "pre-release-{{ release_id }}"
    passcode: "{{ arcgis_backup_passcode }}"
    production: "{{ saasops_production | default(false) }}"
    allow_production: true
'''

RETURN = r'''
backup:
  description: The backup restored, keys in snake_case.
  returned: always
  type: dict
  sample: {name: pre-release-42, store: default-store, status: completed}
status:
  description:
    - The disaster recovery status last read, keys in snake_case (C(operation), C(state), C(backup_name),
      C(backup_store), C(message), times). In check mode, the status before any change.
  returned: always
  type: dict
  sample: {operation: Restore, state: success, backup_name: pre-release-42, backup_store: default-store, message: ""}
elapsed:
  description: Seconds spent waiting for the restore.
  returned: always
  type: float
  sample: 310.4
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._arcgis import (
    BACKUP_STATES, PLATFORM, RESTORE_STATES, ArcGIS, arcgis_argument_spec, backup_result, passcode_problem,
    status_result)
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError, redact_url
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import create_once
from ansible_collections.saasops.backup.plugins.module_utils._production import (
    production_argument_spec, refuse_declared_production)
from ansible_collections.saasops.backup.plugins.module_utils._retry_while import retry_while
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, PENDING, SUCCESS


def refuse_production(params):
    """Before any request: the organization may be declared production."""
    refuse_declared_production(params, 'the organization at %s' % redact_url((params['url'] or '').rstrip('/')))


def transient(exc):
    """After a lost answer the organization may already be restoring and answering 503: read again."""
    return isinstance(exc, PlatformError) and exc.retryable


class RestoreRun(ModuleRun):
    """The decisions of one arcgis_dr_restore run."""

    RESULT = dict(changed=False, backup={}, elapsed=0.0)
    # The store holding the backup: the option's, or the default one (resolved by run()).
    store = None

    @property
    def name(self):
        return self.params['name']

    def what(self):
        return "backup '%s' in store '%s'" % (self.name, self.store)

    def is_restore_of_ours(self, status):
        return (str(status.get('operation', '')).lower() == 'restore' and status.get('backupName') == self.name
                and status.get('backupStore', self.store) == self.store)

    def validate(self):
        problem = passcode_problem(self.params['passcode'])
        if problem:
            raise InputError(problem)

    def run(self):
        self.store = self.api.resolve_store(self.params['store'])
        backup = self.api.backup(self.store, self.name)
        if backup is None:
            raise InputError('cannot restore %s: it does not exist' % self.what())
        if BACKUP_STATES.outcome(backup.get('status')) != SUCCESS:
            raise InputError("cannot restore %s: its status is '%s', not 'completed'" % (self.what(), backup.get('status')))
        self.result['backup'] = backup_result(backup)
        before = self.api.dr_status()
        running = self.is_restore_of_ours(before) and RESTORE_STATES.outcome(before.get('state')) == PENDING
        if not running:
            if self.check_mode:
                self.result['changed'] = True
                self.result['status'] = status_result(before)
                return
            self.start(before)
            self.result['changed'] = True
        status = self.wait(before, running) if self.budget.active else self.api.dr_status()
        self.result['status'] = status_result(status)

    def start(self, before):
        """Start the restore once: a lost answer is settled by reading the status, not by sending again."""
        def started():
            status = retry_while(lambda attempt: self.api.dr_status(), transient, self.budget, 'the DR status')
            if self.is_restore_of_ours(status) and status.get('startTime') != before.get('startTime'):
                return status
            return None

        create_once(lambda: self.api.start_restore(self.store, self.name, self.params['passcode']), started)

    def wait(self, before, running):
        """Follow the DR status until the restore ends; return the last status."""
        def ours(status):
            # Until the status names a new restore of this backup, it still describes an older operation.
            if not self.is_restore_of_ours(status) or (not running and status.get('startTime') == before.get('startTime')):
                return PENDING
            return RESTORE_STATES.outcome(status.get('state'))

        status, outcome = self.budget.wait(
            'the restore of ' + self.what(), self.api.dr_status, ours,
            lambda s: "operation '%s' of '%s', state '%s'" % (s.get('operation'), s.get('backupName'), s.get('state')))
        if outcome == FAILURE:
            raise PlatformError(PLATFORM, 'restore ' + self.what(), status.get('message') or "state '%s'" % status.get('state'))
        if str(status.get('state')).lower() == 'completed_with_warnings':
            self.module.warn('ArcGIS: the restore of %s completed with warnings: %s'
                             % (self.what(), status.get('message') or 'no message'))
        return status


def main():
    argument_spec = arcgis_argument_spec()
    argument_spec.update(wait_argument_spec())
    argument_spec.update(production_argument_spec())
    argument_spec.update(
        name=dict(type='str', required=True),
        store=dict(type='str'),
        passcode=dict(type='str', required=True, no_log=True),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    RestoreRun.main(module, ArcGIS, preflight=refuse_production)


if __name__ == '__main__':
    main()
