#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: arcgis_dr_backup
short_description: Create, update or delete an ArcGIS Enterprise on Kubernetes disaster recovery backup
version_added: 0.1.0
description:
  - Ensures a disaster recovery backup of the whole ArcGIS Enterprise on Kubernetes organization
    exists (O(state=present)) or not (O(state=absent)) in a backup store.
  - The backup name is the idempotency key within its store. A backup is created only when the store
    holds none of that name; an existing one is never re-created, only its retention date is updated.
  - If the answer to a create is lost (dropped connection, gateway error), the module reads the store
    again before deciding to send the create once more, so a run never makes two backups.
  - With O(wait=true) the module waits for the backup job to finish and fails if it failed. A job ends C(COMPLETED)
    (its stages are returned in the C(stages) of RV(job)), or C(FAILED), C(CANCELLED), C(UNAVAILABLE) or
    C(TIMED OUT) (the module fails with the job's messages); any other state counts as still running.
  - The platform's answer to a create is used by its C(jobid), or else by the last segment of its C(jobsUrl); a
    C(status) in it is not required (Esri's own client reads only C(jobid)). Without either, the module follows the
    backup's own status.
  - Before a create, the backup store is checked with its C(validate) operation (see O(validate_store)).
  - With O(store) set, the list of stores is read only when the store holds no backup of that name (to tell a
    missing store from a missing backup before a create); without it, the default store is looked up first.
  - A re-run can say what an earlier run recorded of the backup (O(confirm)); one read of it then answers the run.
  - With O(assume_new=true) the caller says that no backup of O(name) can exist yet, and the read that looks for one
    before the create is not sent (see O(assume_new)).
  - Without O(wait), the answer to a create is the backup as predicted, with C(status) V(in_progress); it is not read
    back (the next run with O(wait=true) reads it, with its start time).
author:
  - saasops.backup maintainers (@saasops)
options:
  state:
    description:
      - V(present) creates the backup if missing and updates its retention date if it differs.
      - V(absent) deletes the backup if it exists. Deleting is irreversible.
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - Name of the backup, unique within its store.
      - The platform does not document which characters are allowed; this module refuses, before any
        request, the names that could change the API path or need encoding in it (V(.), V(..), and names
        with C(/), a backslash, C(?), C(#), C(%) or white space).
    type: str
    required: true
  store:
    description:
      - Name of the backup store. Defaults to the store marked as default on the deployment.
    type: str
  passcode:
    description:
      - Passcode that encrypts the backup; at least 8 characters. Required to create a backup.
      - Keep it safe; O(ignore:passcode) is needed again by M(saasops.backup.arcgis_dr_restore). It is never returned.
    type: str
  description:
    description:
      - Description of the backup. Set at creation only; the API cannot change it afterwards
        (the module warns when an existing backup has a different one).
    type: str
  retention_days:
    description:
      - Keep the backup this many days after it started, then let the platform delete it.
      - Compared with the existing backup's retention date with one hour of tolerance, since the
        start time is only known once the backup exists.
      - Mutually exclusive with O(retention_date). Without either, a new backup never expires.
      - From 1 to 36500 (100 years), checked before any request; to keep a backup for longer, use
        O(retention_date=never).
    type: int
  retention_date:
    description:
      - Date until which the backup is kept, ISO 8601 (V(2026-12-31) or V(2026-12-31T23:00:00Z); UTC when no
        offset is given), or V(never).
      - Mutually exclusive with O(retention_days).
    type: str
  validate_store:
    description:
      - Before creating a backup, ask the platform whether the backup store is ready (its C(validate) operation)
        and fail, naming the store and the platform's messages, when it is not; nothing is created then.
      - Only a run about to create a backup asks; an existing backup, an update and a deletion do not.
      - Only C(isReady=true) counts as ready. The platform documents no other answer (UNCONFIRMED); C(isReady=false),
        an error in either ArcGIS shape or an HTTP error all mean not ready.
      - In check mode the store is not validated. The C(validate) operation is a POST whose side effects the platform
        does not document, and check mode sends no POST but the token request; the real run validates before its create.
      - V(false) skips the check (e.g. for a release without C(validate)).
    type: bool
    default: true
  assume_new:
    description:
      - The caller has just made O(name) up (the pre-deploy snapshot role's generated run id), so no backup with it can
        exist yet, and the read that looks for one before the create is not sent. Only with O(state=present).
      - The store is still looked up (the list of stores, to fail naming a store that does not exist) and validated
        (O(validate_store)) before the create.
      - It does not weaken the "never two backups" rule. If the answer to the create is lost, the backup is read before
        the create is ever sent again. If the platform refuses the create because the name exists after all (HTTP 409),
        that backup is read and treated as an existing one (C(changed=false); its retention updated, a failed one refused).
      - Ignored with O(confirm) (a name an earlier run recorded is not new).
    type: bool
    default: false
  confirm:
    description:
      - What an earlier run recorded of the backup this task asks for (the pre-deploy snapshot role passes its
        manifest's record on a re-run with the same run id). Only with O(state=present).
      - The backup is read once, in O(confirm.store) (or O(store)), with the token request when a token must be
        generated (at most two requests). When it exists, has O(name), is C(completed) and has the retention asked
        for, it is the answer (C(changed=false), RV(confirmed=true)) and nothing else is sent.
      - Otherwise (another name or store, missing, failed, still running, an error reading it) the run goes on as
        without this option. The values are data read from a file and are used for that one read only, never to
        create, wait for or delete anything.
    type: dict
    suboptions:
      name:
        description:
          - The backup's name as recorded; it must be O(name), else the option is ignored.
        type: str
        required: true
      store:
        description:
          - The store the backup was recorded in. When O(store) is set it must be the same, else the option is
            ignored; without O(store), the store read (the default store when the backup was made).
          - Without it and without O(store), the option is ignored (the default store must be looked up).
        type: str
extends_documentation_fragment:
  - saasops.backup.arcgis
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.attributes
seealso:
  - module: saasops.backup.arcgis_dr_backup_info
  - module: saasops.backup.arcgis_dr_restore
'''

EXAMPLES = r'''
- name: Back up the organization before a release, keep it 30 days
  saasops.backup.arcgis_dr_backup:
    url: https://gis.example.com/arcgis
    username: "{{ arcgis_admin }}"
    password: "{{ arcgis_admin_password }}"
    name: "pre-release-{{ release_id }}"
    passcode: "{{ arcgis_backup_passcode }}"
    description: Before release {{ release_id }}
    retention_days: 30

- name: Start a backup in a named store without waiting for it
  saasops.backup.arcgis_dr_backup:
    url: https://gis.example.com/arcgis
    token: "{{ arcgis_token }}"
    store: secondary
    name: nightly-2026-11-22
    passcode: "{{ arcgis_backup_passcode }}"
    wait: false
  register: started

- name: Keep a backup forever
  saasops.backup.arcgis_dr_backup:
    name: "pre-release-{{ release_id }}"
    retention_date: never

- name: Delete an old backup
  saasops.backup.arcgis_dr_backup:
    name: nightly-2026-10-01
    state: absent
'''

RETURN = r'''
backup:
  description:
    - The backup as the platform reports it, keys in snake_case, with C(*_iso) UTC copies of the epoch-millisecond times.
    - C(name) and C(store) are always set (the store the run used when the platform's object does not name it).
    - In check mode, the backup that would be created. Empty after a deletion.
  returned: always
  type: dict
  sample:
    name: pre-release-42
    backup_name: pre-release-42
    store: default-store
    status: completed
    description: Before release 42
    start_time: 1795860000000
    start_time_iso: "2026-11-28T10:00:00Z"
    complete_time: 1795860064000
    complete_time_iso: "2026-11-28T10:01:04Z"
    retention_date: 1798452000000
    retention_date_iso: "2026-12-28T10:00:00Z"
    backup_type: FULL
    schedule_type: MANUAL
job:
  description:
    - The backup job (when this run created the backup), keys in snake_case; the last one read (without O(wait),
      the answer to the create).
    - C(jobid) is always set (from C(jobsUrl) when the answer had no C(jobid)).
    - C(stages) lists C(name), C(state) and C(duration) of each stage from the job's C(result.stages) once it finished
      (empty before).
  returned: when a backup was created
  type: dict
  sample:
    jobid: j2bcbcd49-83a4-4cc1-a034-40e4a266e96d
    status: COMPLETED
    stages:
      - {name: Validation, state: completed, duration: "3096 millis (~ 0 minutes)"}
      - {name: Stage Relational store, state: completed, duration: "20518 millis (~ 0 minutes)"}
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 64.2
confirmed:
  description: Whether the backup of O(confirm) answered the run with one read (nothing else was sent).
  returned: always
  type: bool
  sample: true
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._arcgis import (
    BACKUP_STATES, JOB_STATES, PLATFORM, STARTED, ArcGIS, already_exists, arcgis_argument_spec, backup_result, job_id,
    job_messages, job_result, passcode_problem)
from ansible_collections.saasops.backup.plugins.module_utils._convert import epoch_ms_from_iso, iso_from_epoch_ms
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import ADOPTED, CREATED, create_once
from ansible_collections.saasops.backup.plugins.module_utils._path import segment_problem
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, SUCCESS

DAY_MS = 86400 * 1000
# retention_days is relative to the backup's start, which is only known after creation.
RETENTION_DAYS_TOLERANCE_MS = 3600 * 1000
# A century is beyond any retention policy; far larger values were accepted by the platform as dates
# past year 9999, which no client can read back (retention_date: never keeps a backup forever).
MAX_RETENTION_DAYS = 36500


def desired_retention(params, start_ms):
    """Retention date in epoch ms the user asks for (-1 = never), or None when not set."""
    if params['retention_days'] is not None:
        return start_ms + params['retention_days'] * DAY_MS
    if params['retention_date'] is not None:
        if params['retention_date'].strip().lower() == 'never':
            return -1
        return epoch_ms_from_iso(params['retention_date'])
    return None


def retention_differs(params, current, desired):
    if desired is None or current == desired:
        return False
    if -1 in (current, desired) or current is None:
        return True
    tolerance = RETENTION_DAYS_TOLERANCE_MS if params['retention_days'] is not None else 1000
    return abs(current - desired) >= tolerance


def diff_view(backup):
    if not backup:
        return {}
    retention = backup.get('retentionDate')
    return {'name': backup.get('backupName'), 'store': backup.get('backupStore'),
            'description': backup.get('description'),
            'retention_date': 'never' if retention in (None, -1) else iso_from_epoch_ms(retention)}


class BackupRun(ModuleRun):
    """The decisions of one arcgis_dr_backup run."""

    RESULT = dict(changed=False, backup={}, elapsed=0.0, confirmed=False)
    # The store the backup is in: the option's, or the default one (resolved by run()).
    store = None

    @property
    def name(self):
        return self.params['name']

    def now_ms(self):
        """The platform's notion of now, in epoch ms (retention dates are relative to it)."""
        return int(self.api.clock.time() * 1000)

    @property
    def assume_new(self):
        """The caller made the name up a moment ago (option assume_new): no backup can bear it, none is looked for."""
        return bool(self.params['assume_new']) and not self.params.get('confirm')

    def validate(self):
        params = self.params
        if params['state'] == 'absent':
            if params['assume_new']:
                raise InputError('assume_new applies to state=present only: a backup to delete must be looked for')
            return
        problem = passcode_problem(params['passcode'])
        if problem:
            raise InputError(problem)
        if params['retention_days'] is not None and not 1 <= params['retention_days'] <= MAX_RETENTION_DAYS:
            raise InputError('retention_days must be from 1 to %d (100 years), got %d; to keep a backup for longer, use '
                             'retention_date: never' % (MAX_RETENTION_DAYS, params['retention_days']))
        now_ms = self.now_ms()
        try:
            wanted = desired_retention(params, now_ms)
        except ValueError as exc:
            raise InputError('retention_date: %s' % exc)
        if wanted is not None and wanted != -1 and wanted <= now_ms:
            raise InputError('retention_date %s is in the past' % params['retention_date'])

    def run(self):
        if self.params['state'] == 'present' and self.confirmed():
            return
        if self.assume_new:
            # One read of the stores still tells a missing store (named or default) before the create.
            self.store = self.api.resolve_store(self.params['store'])
            return self.create()
        existing = self.locate()
        if self.params['state'] == 'absent':
            self.absent(existing)
        elif existing is None:
            self.create()
        else:
            self.present(existing)

    def locate(self):
        """Set the store and return the backup in it (None when missing).

        A named store is read directly: the list of stores is read only when that store holds no such backup
        (or the read fails), so that a store that does not exist is said so - before a create, or instead of
        "nothing to delete" - as when the list was always read first.
        """
        named = self.params['store']
        self.store = named or self.api.resolve_store(None)
        try:
            existing = self.api.backup(self.store, self.name)
        except PlatformError:
            if named:
                # InputError when the store does not exist; else the read's own error stands.
                self.api.resolve_store(named)
            raise
        if existing is None and named:
            self.api.resolve_store(named)
        return existing

    def confirmed(self):
        """True when the backup an earlier run recorded (option confirm) answers this run, read once.

        The confirm's values come from a file: they name the backup to read and nothing else. Anything short of
        "this backup, completed, as asked" leaves the run to go on as without the option.
        """
        confirm = self.params.get('confirm')
        if not confirm or confirm.get('name') != self.name:
            return False
        named, recorded = self.params['store'], confirm.get('store')
        if named and recorded not in (None, named):
            return False
        store = named or recorded
        # Without a store the default one must be looked up: that is the run as without the option.
        if not store or segment_problem(store, plain=True):
            return False
        try:
            backup = self.api.backup(store, self.name)
        except PlatformError:
            return False
        if (not backup or backup.get('backupName') != self.name or backup.get('backupStore') not in (None, store)
                or BACKUP_STATES.outcome(backup.get('status')) != SUCCESS):
            return False
        desired = desired_retention(self.params, backup.get('startTime') or self.now_ms())
        if retention_differs(self.params, backup.get('retentionDate'), desired):
            return False
        self.store = store
        self.warn_description(backup)
        self.result['confirmed'] = True
        self.finish(backup, backup)
        return True

    def warn_description(self, existing):
        if self.params['description'] is not None and existing.get('description') != self.params['description']:
            self.module.warn("%s exists with another description; the API cannot change a description, "
                             "so it stays as it is." % self.what())

    def what(self):
        return "backup '%s' in store '%s'" % (self.name, self.store)

    def finish(self, before, after):
        self.result['backup'] = backup_result(after)
        if after and not self.result['backup'].get('store'):
            # The role records the store with the backup; the platform's object names it, and if not, the run does.
            self.result['backup']['store'] = self.store
        self.result['diff'] = dict(before=diff_view(before), after=diff_view(after))

    def create(self):
        if not self.params['passcode']:
            raise InputError("passcode is required to create %s (it does not exist yet)" % self.what())
        description = self.params['description']
        retention = desired_retention(self.params, self.now_ms())
        predicted = {'backupName': self.name, 'backupStore': self.store, 'description': description,
                     'retentionDate': -1 if retention is None else retention}
        if self.check_mode:
            self.result['changed'] = True
            return self.finish(None, predicted)
        if self.params['validate_store']:
            # Fails naming the store when it is not ready: nothing is created.
            self.api.validate_store(self.store)

        def send():
            return self.api.create_backup(self.store, self.name, self.params['passcode'], description, retention)

        how, answer = create_once(send, lambda: self.api.backup(self.store, self.name), exists=already_exists)
        if how == ADOPTED and self.assume_new:
            # The name was not new after all: the backup is an existing one, decided as if it had been looked for.
            return self.present(answer)
        # Adopted: a concurrent run made it between our read and our create; this run changed nothing.
        self.result['changed'] = how != ADOPTED
        jobid = job_id(answer) if how == CREATED else None
        if jobid:
            self.result['job'] = job_result(answer)
        before = answer if how == ADOPTED else None
        # Said before waiting: a run that times out still reports the backup it made.
        self.finish(before, answer if how != CREATED else predicted)
        if self.budget.active:
            backup = self.wait_done(jobid)
        elif how != CREATED:
            backup = answer
        else:
            # The create was accepted, so its job runs the backup: a read now would say only that (in_progress).
            backup = dict(predicted, status=STARTED)
        self.finish(before, backup)

    def present(self, existing):
        self.warn_description(existing)
        if BACKUP_STATES.outcome(existing.get('status')) == FAILURE:
            raise InputError("%s exists but its status is 'failed'; delete it (state=absent) or choose another name"
                             % self.what())
        after = dict(existing)
        desired = desired_retention(self.params, existing.get('startTime') or self.now_ms())
        if retention_differs(self.params, existing.get('retentionDate'), desired):
            after['retentionDate'] = desired
            self.result['changed'] = True
            if not self.check_mode:
                self.api.update_retention(self.store, self.name, desired)
                after = self.api.backup(self.store, self.name) or after
        if self.budget.active and BACKUP_STATES.outcome(after.get('status')) != SUCCESS:
            after = self.wait_done(None)
        self.finish(existing, after)

    def absent(self, existing):
        if existing is None:
            return
        self.result['changed'] = True
        self.finish(existing, None)
        if not self.check_mode:
            self.api.delete_backup(self.store, self.name)

    def wait_done(self, jobid):
        """Wait for the job (when known), then the backup status, in one budget; return the final backup."""
        if jobid:
            job, outcome = self.budget.wait(
                'job %s of %s' % (jobid, self.what()), lambda: self.api.job(jobid),
                lambda j: JOB_STATES.outcome(j.get('status')), lambda j: "job status '%s'" % j.get('status'))
            self.result['job'] = job_result(job)
            if outcome == FAILURE:
                raise PlatformError(PLATFORM, 'create ' + self.what(), 'job %s ended %s: %s' % (
                    jobid, job.get('status'), job_messages(job)))
        backup, outcome = self.budget.wait(
            self.what(), lambda: self.api.backup(self.store, self.name) or {},
            lambda b: BACKUP_STATES.outcome(b.get('status')), lambda b: "status '%s'" % b.get('status'))
        if outcome == FAILURE:
            raise PlatformError(PLATFORM, 'create ' + self.what(), "the backup ended with status '%s'" % backup.get('status'))
        return backup


def main():
    argument_spec = arcgis_argument_spec()
    argument_spec.update(wait_argument_spec())
    argument_spec.update(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        name=dict(type='str', required=True),
        store=dict(type='str'),
        passcode=dict(type='str', no_log=True),
        description=dict(type='str'),
        retention_days=dict(type='int'),
        retention_date=dict(type='str'),
        validate_store=dict(type='bool', default=True),
        # The caller vouches that the name is new (a generated run id): see BackupRun.assume_new.
        assume_new=dict(type='bool', default=False),
        # What an earlier run recorded (untrusted data): read once, see BackupRun.confirmed.
        confirm=dict(type='dict', options=dict(name=dict(type='str', required=True), store=dict(type='str'))),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           mutually_exclusive=[('retention_days', 'retention_date')])
    BackupRun.main(module, ArcGIS)


if __name__ == '__main__':
    main()
