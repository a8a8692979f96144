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
  - When the platform answers the restore with a job (C(jobid) or C(jobsUrl); the 12.0 administration guide
    says a restore creates a job, the shape of that answer is UNCONFIRMED and assumed to be the one of a backup
    create), the module follows the job as well as the disaster recovery status. The restore is done when
    the job is C(COMPLETED) or the status shows this restore succeeded; it failed when the job ends C(FAILED),
    C(CANCELLED) or C(TIMED OUT), or the status shows this restore failed, with that side's messages.
    A C(SUBMITTED) job is never done.
  - The disaster recovery status describes the last submitted operation, and right after a restore was accepted it
    can still show the operation before it (a scheduled backup's or an earlier restore's C(success)) for about a
    minute. The module reads the status before it starts the restore and then counts only a status with operation
    C(Restore), this backup's name and a start time other than the one read before, so a stale C(success) never
    ends the wait.
  - The organization is unavailable while it restores; the module keeps polling through the resulting
    errors (no connection, HTTP 502, 503 or 504, answers that are not JSON) until O(wait_timeout).
  - A restore of the same backup that is already running is waited for, not started again
    (C(changed=false)). Otherwise every run that is not in check mode starts a restore.
  - If the answer to the restore request is lost, the module reads the status before deciding
    to send it again, so a dropped connection never starts two restores.
  - ArcGIS Enterprise has no production flag. An organization declared production with O(production=true)
    is refused unless O(allow_production=true), before any request (a token request included), in check mode too.
  - "Before a restore, do what Esri's restore procedure asks (the module cannot check it): persistent volumes of the
    organization's admin components left in the C(Released) state are patched to be available first; a restore
    into another deployment (out of place) needs the same ArcGIS Enterprise release, FQDN, context, namespace,
    container registry and cluster domain as the deployment that made the backup."
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
  wait_timeout:
    description:
      - Seconds to wait at most when O(wait=true). Polling starts fast and slows down to every 30 seconds.
      - The default of 4 hours is what Esri's own restore workflow allows a restore (its command line tool's default
        is 2 hours); on timeout the module fails saying what it last saw, and the restore goes on.
    type: int
    default: 14400
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
  - A restore job's states other than C(COMPLETED), C(FAILED), C(CANCELLED) and C(TIMED OUT) (C(SUBMITTED), C(EXECUTING),
    C(CANCELLING), C(UNAVAILABLE), words the platform may add) count as still running, always within O(wait_timeout).
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
    wait_timeout: 21600
  register: restored

- name: Report how long the restore took, and its stages when the platform ran it as a job
  ansible.builtin.debug:
    msg: >-
      Restored {{ restored.backup.name }} in {{ restored.elapsed }} s ({{ restored.status.state | default('') }});
      stages: {{ restored.job.stages | default([]) | map(attribute='name') | join(', ') }}

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
job:
  description:
    - The restore's job, when the platform answered the restore with one, keys in snake_case; the last one read
      (without O(wait), the answer to the restore request).
    - C(stages) lists C(name), C(state) and C(duration) of each stage from the job's C(result.stages) once it finished
      (empty before).
    - When the job ended first, RV(status) may still describe the operation before this restore.
  returned: when the restore was started by this run and answered with a job
  type: dict
  sample:
    jobid: j2bcbcd49-83a4-4cc1-a034-40e4a266e96d
    status: COMPLETED
    stages:
      - {name: Validation, state: completed, duration: "3096 millis (~ 0 minutes)"}
      - {name: Restore Relational store, state: completed, duration: "120431 millis (~ 2 minutes)"}
elapsed:
  description: Seconds spent waiting for the restore.
  returned: always
  type: float
  sample: 310.4
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._arcgis import (
    BACKUP_STATES, PLATFORM, RESTORE_JOB_STATES, RESTORE_STATES, ArcGIS, arcgis_argument_spec, backup_result, job_id,
    job_messages, job_result, passcode_problem, status_result)
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError, redact_url
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import CREATED, create_once
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
    # 4 hours: the wait Esri's own restore workflow allows a restore.
    WAIT_TIMEOUT = 14400

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
        # Read before starting: afterwards, only a status with another start time can be this restore's.
        before = self.api.dr_status()
        running = self.is_restore_of_ours(before) and RESTORE_STATES.outcome(before.get('state')) == PENDING
        jobid = None
        if not running:
            if self.check_mode:
                self.result['changed'] = True
                self.result['status'] = status_result(before)
                return
            how, answer = self.start(before)
            self.result['changed'] = True
            jobid = job_id(answer) if how == CREATED else None
            if jobid:
                self.result['job'] = job_result(answer)
        if self.budget.active:
            status = self.wait(before, running, jobid)
        else:
            status = self.api.dr_status()
        self.result['status'] = status_result(status)

    def start(self, before):
        """Start the restore once: a lost answer is settled by reading the status, not by sending again.

        ``(how, answer)`` as create_once returns it: the platform's answer (perhaps a job), or the status found.
        """
        def started():
            status = retry_while(lambda attempt: self.api.dr_status(), transient, self.budget, 'the DR status')
            if self.is_restore_of_ours(status) and status.get('startTime') != before.get('startTime'):
                return status
            return None

        return create_once(lambda: self.api.start_restore(self.store, self.name, self.params['passcode']), started)

    def status_outcome(self, status, before, running):
        """What the DR status says about this restore: PENDING until it names this restore (not a stale one)."""
        if not status or not self.is_restore_of_ours(status):
            return PENDING
        if not running and status.get('startTime') == before.get('startTime'):
            return PENDING
        return RESTORE_STATES.outcome(status.get('state'))

    def wait(self, before, running, jobid):
        """Follow the job (when there is one) and the DR status until the restore ends; return the last status.

        Both are read at each poll; what the organization does not answer while it restores (it is down)
        is read again at the next poll.
        """
        seen = {'job': None, 'status': None}

        def poll():
            if jobid:
                seen['job'] = self.api.while_down(lambda: self.api.job(jobid)) or seen['job']
            seen['status'] = self.api.while_down(self.api.dr_status) or seen['status']
            return dict(seen)

        def outcome(last):
            return self.outcome(last, before, running)[0]

        try:
            last, dummy = self.budget.wait('the restore of ' + self.what(), poll, outcome, self.describe)
        finally:
            if seen['job'] is not None:
                self.result['job'] = job_result(seen['job'])
        result, side = self.outcome(last, before, running)
        job, status = last['job'], last['status'] or {}
        if result == FAILURE and side == 'job':
            raise PlatformError(PLATFORM, 'restore ' + self.what(), 'job %s ended %s: %s'
                                % (jobid, job.get('status'), job_messages(job)))
        if result == FAILURE:
            raise PlatformError(PLATFORM, 'restore ' + self.what(), status.get('message') or "state '%s'" % status.get('state'))
        if self.status_outcome(status, before, running) == SUCCESS and str(status.get('state')).lower() == 'completed_with_warnings':
            self.module.warn('ArcGIS: the restore of %s completed with warnings: %s'
                             % (self.what(), status.get('message') or 'no message'))
        return status

    def outcome(self, last, before, running):
        """``(outcome, side)``: a failure on either side first, then the job's or the status's success."""
        job = last['job']
        from_job = RESTORE_JOB_STATES.outcome(job.get('status')) if job else PENDING
        from_status = self.status_outcome(last['status'], before, running)
        if from_job == FAILURE:
            return FAILURE, 'job'
        if from_status == FAILURE:
            return FAILURE, 'status'
        if from_job == SUCCESS:
            return SUCCESS, 'job'
        if from_status == SUCCESS:
            return SUCCESS, 'status'
        return PENDING, None

    @staticmethod
    def describe(last):
        status = last['status']
        text = ("operation '%s' of '%s', state '%s'" % (status.get('operation'), status.get('backupName'), status.get('state'))
                if status else 'the organization unavailable')
        if last['job']:
            text = "job status '%s', %s" % (last['job'].get('status'), text)
        return text


def main():
    argument_spec = arcgis_argument_spec()
    argument_spec.update(wait_argument_spec(wait_timeout=RestoreRun.WAIT_TIMEOUT))
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
