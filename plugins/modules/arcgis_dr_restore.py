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
from ansible_collections.saasops.backup.plugins.module_utils._module import reporting, run_module
from ansible_collections.saasops.backup.plugins.module_utils._production import (
    production_argument_spec, refuse_declared_production)
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, PENDING, SUCCESS, Waiter

# After a lost answer the organization may already be restoring and answering 503:
# read the status for up to this long before deciding whether the restore started.
STATUS_READ_TIMEOUT = 120


def refuse_production(params):
    """Before any request: the organization may be declared production."""
    refuse_declared_production(params, 'the organization at %s' % redact_url((params['url'] or '').rstrip('/')))


def is_restore_of(status, store, name):
    return (str(status.get('operation', '')).lower() == 'restore' and status.get('backupName') == name
            and status.get('backupStore', store) == store)


def restore(module, api):
    params = module.params
    name = params['name']
    problem = passcode_problem(params['passcode'])
    if problem:
        raise InputError(problem)
    store = api.resolve_store(params['store'])
    what = "backup '%s' in store '%s'" % (name, store)
    backup = api.backup(store, name)
    if backup is None:
        raise InputError('cannot restore %s: it does not exist' % what)
    if BACKUP_STATES.outcome(backup.get('status')) != SUCCESS:
        raise InputError("cannot restore %s: its status is '%s', not 'completed'" % (what, backup.get('status')))
    result = dict(changed=False, backup=backup_result(backup), elapsed=0.0)
    with reporting(result):
        return follow(module, api, result, store, name, what)


def follow(module, api, result, store, name, what):
    """Start the restore unless it runs already, then wait for it (a failure carries ``result``)."""
    params = module.params
    before = api.dr_status()
    running = is_restore_of(before, store, name) and RESTORE_STATES.outcome(before.get('state')) == PENDING
    if not running:
        if module.check_mode:
            result['changed'] = True
            result['status'] = status_result(before)
            return result
        start_restore(api, store, name, what, params['passcode'], before)
        result['changed'] = True

    def ours(status):
        # Until the status names a new restore of this backup, it still describes an older operation.
        if not is_restore_of(status, store, name) or (not running and status.get('startTime') == before.get('startTime')):
            return PENDING
        return RESTORE_STATES.outcome(status.get('state'))

    if params['wait']:
        status, outcome, result['elapsed'] = Waiter(params['wait_timeout']).wait(
            'the restore of ' + what, api.dr_status, ours,
            lambda s: "operation '%s' of '%s', state '%s'" % (s.get('operation'), s.get('backupName'), s.get('state')))
        if outcome == FAILURE:
            raise PlatformError(PLATFORM, 'restore ' + what, status.get('message') or "state '%s'" % status.get('state'))
        if str(status.get('state')).lower() == 'completed_with_warnings':
            module.warn('ArcGIS: the restore of %s completed with warnings: %s' % (what, status.get('message') or 'no message'))
    else:
        status = api.dr_status()
    result['status'] = status_result(status)
    return result


def start_restore(api, store, name, what, passcode, before):
    def send():
        return api.call('POST', api.backups_path(store, name, 'restore'), 'restore ' + what, data={'passcode': passcode})

    def started():
        status, dummy, dummy = Waiter(STATUS_READ_TIMEOUT).wait('the DR status', api.dr_status, lambda s: SUCCESS)
        if is_restore_of(status, store, name) and status.get('startTime') != before.get('startTime'):
            return status
        return None

    try:
        create_once(send, started)
    except PlatformError as exc:
        if exc.code == 400 and 'passcode' in (exc.message or '').lower():
            exc.message += " (check the option 'passcode': it must be the one given when the backup was created)"
        raise


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
    run_module(module, ArcGIS, lambda api: restore(module, api), preflight=refuse_production)


if __name__ == '__main__':
    main()
