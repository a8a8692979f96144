#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: atlassian_backup
short_description: Ensure a recent backup of a Jira or Confluence site exists
version_added: 0.1.0
description:
  - Ensures the backup policy of a site and product (O(cloud_id) and O(product), or O(policy_id)) has a backup
    no older than O(max_age), running one only when needed.
  - A backup in progress is reused (and waited for); so is the newest C(COMPLETE) backup younger than O(max_age)
    (or C(INCOMPLETE) one, unless O(allow_incomplete=false)). Otherwise a new backup is run (C(changed=true)).
  - The platform runs a new backup only 7 days after the last C(COMPLETE) one. When that rule forbids a new
    backup and the newest C(COMPLETE) one is older than O(max_age), the module fails saying when the next
    backup is allowed, before sending anything.
  - With O(wait=true) the module waits for the backup. C(INCOMPLETE) (Jira missed some attachments, Confluence
    some spaces) succeeds with a warning unless O(allow_incomplete=false); C(FAILED) fails with the platform's message.
  - If the answer to the create is lost, the module reads the policy's backups before sending it again,
    so a run never starts two backups.
  - With O(api_version=2) (Atlassian's current API) there is no create-backup request. A backup is run by giving the
    policy a one-time (C(ONCE)) schedule when it has none, then activating it
    (C(PUT orgs/{orgId}/policies/{policyId}/activate) with the C(X-Atl-Account-Id) header from O(account_id), which is
    then required, and without it the module fails before any request). The activate answer lists the new backup,
    C(CREATED). A policy on a C(DAILY) or C(WEEKLY) schedule is not changed; the module fails naming the schedule and
    the last backup time (change it with M(saasops.backup.atlassian_backup_policy)). After its run a C(ONCE) policy is
    inactive again; the next run activates it again.
  - A re-run can say which backup an earlier run recorded (O(confirm)); one read of it then answers the run.
  - With O(policy_id) set, the list of policies (every page) is not read. On O(api_version=1) the policy is taken
    from the first page of the organization's policies, which the runs of one process (the pre-deploy snapshot role
    runs every environment in a thread of one process) read once and share for 60 seconds, never across
    O(api_url), O(org_id), O(user), O(api_token) or TLS settings; a policy not on that page is read by its id.
    On O(api_version=2) it is read by its id (its schedule and last backup time change). Backup lists and statuses
    are always read.
  - With O(policy_id) and O(cloud_id) or O(product) set, the policy must be of that site and product; the module
    fails otherwise, before starting anything.
  - With O(defer_on_rate_limit=true), a backup the platform refuses to start for now (rate limit, HTTP 429) is not
    waited for; the run returns at once with RV(deferred=true), and a later run (without the option) starts it.
  - With O(api_version=2) a site's product may have two policies (Atlassian storage, and S3 for organizations that
    already used it); then O(policy_id) is required and the module fails listing them. The 7-day rule is not applied
    (whether it holds in v2 is not documented).
author:
  - saasops.backup maintainers (@saasops)
options:
  cloud_id:
    description:
      - Id of the site (cloud id). With O(product), names the policy; with O(policy_id), the site that policy must be of.
    type: str
  product:
    description:
      - V(jira) or V(confluence), in any case.
    type: str
  policy_id:
    description:
      - Id of the backup policy, instead of O(cloud_id) and O(product), or with them (then checked against them).
    type: str
  max_age:
    description:
      - Age (since its creation) up to which a C(COMPLETE) backup is reused instead of running a new one,
        as an integer number of seconds (V(86400)) or as a number with a unit C(s), C(m), C(h), C(d) or C(w)
        (V(12h), V(7d)).
      - The default is the platform's own limit of one backup per 7 days.
    type: raw
    default: 7d
  allow_incomplete:
    description:
      - Whether a backup that ends C(INCOMPLETE) counts as success (with a warning), and whether a recent
        C(INCOMPLETE) backup is reused like a C(COMPLETE) one.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait at most when O(wait=true). Polling starts fast and slows down to every 30 seconds.
      - The default of 8 hours is the longest a Jira backup is known to take (20 minutes to 8 hours); on
        timeout the module fails with C(changed=true) and the backup's id, and the backup goes on.
    type: int
    default: 28800
  confirm:
    description:
      - What an earlier run recorded of the backup this task asks for (the pre-deploy snapshot role passes its
        manifest's record on a re-run with the same run id).
      - The backup is read once (C(GET orgs/{orgId}/backups/{backupId}), on both API versions). When it is a backup of
        this task's policy (O(policy_id)) or site and product (O(cloud_id), O(product)), is C(COMPLETE) (or
        C(INCOMPLETE) with O(allow_incomplete)) and no older than O(max_age), it is the answer (C(changed=false),
        RV(confirmed=true)) and nothing else is sent; RV(last_backup_time) is then null (the policy is not read).
      - Otherwise (missing, of another target, failed, expired, running, too old, an error reading it) the run goes
        on as without this option. The values are data read from a file and are used for that one read only,
        never to start or wait for a backup.
      - On O(api_version=2) a backup does not name its policy (UNCONFIRMED); with only O(policy_id) set, it cannot be
        told to be this task's and the option is ignored; set O(cloud_id) and O(product) too.
    type: dict
    suboptions:
      backup_id:
        description: The id of the backup as recorded.
        type: str
        required: true
      policy_id:
        description:
          - The policy the backup was recorded with; a backup that names another policy is not taken. Never used
            to find or start anything.
        type: str
  defer_on_rate_limit:
    description:
      - When the request that starts a backup (v1 create, v2 activate) is refused by the rate limit (HTTP 429), return
        at once with C(changed=false) (C(true) on v2 when the policy's schedule was set first), RV(deferred=true),
        RV(retry_after) and an empty RV(backup), instead of waiting for the limit (Atlassian allows 5 backups a minute
        per user, so a fan-out over many sites would wait for minutes).
      - Nothing is started then. Run the module again later (the pre-deploy snapshot role's wait phase does, with the
        default V(false)); that run finds no running or recent backup and starts one; it never makes two, since
        every run looks for a running or recent backup first.
      - Reads refused with 429 are retried as always.
    type: bool
    default: false
extends_documentation_fragment:
  - saasops.backup.atlassian
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.attributes.action_module
notes:
  - The platform does not document from when the 7 days between backups count; this module assumes the
    creation time of the last C(COMPLETE) backup, as it does for O(max_age).
  - Ages are computed with the controller's clock, which should be synchronised (NTP).
  - The status is read tolerantly; the documented spelling C(IN PROGRESS) is the same as C(IN_PROGRESS), and
    C(COMPLETED) is read as C(COMPLETE). C(CREATED) (v2) is pending, like C(IN_PROGRESS).
  - Atlassian documents only the activate and policy-details calls of v2; this module assumes (UNCONFIRMED) that the
    backups of a policy are listed at v1's path C(orgs/{orgId}/policies/{policyId}/backups), that one backup is read at
    C(orgs/{orgId}/backups/{backupId}) (else it is looked up in the policy's list), that the schedule is set with
    C(PUT orgs/{orgId}/policies/{policyId}) and C(scheduleDetails.interval) V(ONCE), and that statuses other than
    C(CREATED) are v1's.
  - Whether a v2 policy's C(lastBackupTime) marks the start or the end of a backup is not documented. It is returned
    as RV(last_backup_time). When it is within O(max_age), the newest usable backup of the policy's list is reused
    even if it was created earlier (a long backup); otherwise the backups' creation times decide, as on v1.
  - If the answer to an activate is lost, the module reads the policy's backups and takes the one created since the
    request before it would ever activate again. A 409 on activate waits for the policy's pending backup when there is one.
  - A scheduled (v2) backup does not complete while the policy's owner has lost organization or app admin rights, until
    someone updates the policy.
seealso:
  - module: saasops.backup.atlassian_backup_policy
  - module: saasops.backup.atlassian_restore
  - module: saasops.backup.atlassian_backup_info
'''

EXAMPLES = r'''
- name: Make sure Jira has a backup of the last 24 hours before deploying
  saasops.backup.atlassian_backup:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ jira_cloud_id }}"
    product: jira
    max_age: 1d
  register: jira_backup

- name: Start a Confluence backup without waiting (run again with wait to wait for it)
  saasops.backup.atlassian_backup:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ confluence_cloud_id }}"
    product: confluence
    wait: false

- name: Refuse a backup that missed data
  saasops.backup.atlassian_backup:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    policy_id: "{{ jira_backup.backup.policy_id }}"
    allow_incomplete: false

- name: Back up Jira through backup-management API v2 (activates the policy's one-time schedule)
  saasops.backup.atlassian_backup:
    api_version: 2
    account_id: "{{ atlassian_account_id }}"
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ jira_cloud_id }}"
    product: jira
    max_age: 1d
'''

RETURN = r'''
backup:
  description:
    - The backup reused or started, keys in snake_case, C(status) normalised (C(IN_PROGRESS), C(COMPLETE),
      C(INCOMPLETE), C(EXPIRED), C(FAILED); C(CREATED) on v2). In check mode, the backup that would be started has
      no C(backup_id).
    - C(policy_id) is the policy's (the backup's own, else the policy the run used).
    - On v2 the backup is Atlassian's object (with C(name), C(account_id), C(selections), C(backup_size),
      C(last_updated_at), C(storage_id), C(encryption_type) and no C(completed_at)) plus the C(policy_id) it belongs to.
    - C(expiry_time) is the platform's, else the creation time plus the retention (14 days on v1, 30 days on v2).
  returned: always
  type: dict
  sample:
    backup_id: bkp-7f3a
    policy_id: pol-1d2e3f
    cloud_id: 2c6f1b5e-8d7a-4b9e-a3f0-6e1d2c3b4a59
    product: JIRA
    status: COMPLETE
    created_at: "2026-11-22T10:00:00.000Z"
    completed_at: "2026-11-22T10:41:12.000Z"
    expiry_time: "2026-12-06T10:00:00.000Z"
last_backup_time:
  description:
    - When the policy last backed up, as Atlassian reports it (C(details.backupDetails.lastBackupTime)); only with
      O(api_version=2), null otherwise.
  returned: always
  type: str
  sample: "2026-11-22T10:41:12.000Z"
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 2472.5
confirmed:
  description: Whether the backup of O(confirm) answered the run with one read (nothing else was sent).
  returned: always
  type: bool
  sample: true
deferred:
  description:
    - Whether the backup was not started because the rate limit refused it (O(defer_on_rate_limit)); a later run
      starts it.
  returned: always
  type: bool
  sample: false
retry_after:
  description: Seconds after which the platform said to try again (its C(Retry-After)), null when it did not say.
  returned: when deferred
  type: float
  sample: 42.0
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import PLATFORM, Atlassian, atlassian_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    BACKUP_STATES, normalise_product, object_result, resolve_policy, status_of)
from ansible_collections.saasops.backup.plugins.module_utils._convert import iso, parse_time
from ansible_collections.saasops.backup.plugins.module_utils._deferred import RateLimited
from ansible_collections.saasops.backup.plugins.module_utils._duration import parse_duration
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._path import segment_problem
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, PENDING


def newest(backups, status):
    """The most recently created backup with ``status`` (any status when None), or None."""
    matching = [b for b in backups if status in (None, status_of(b)) and parse_time(b.get('createdAt')) is not None]
    return max(matching, key=lambda b: parse_time(b['createdAt'])) if matching else None


def age_text(seconds):
    return '%.1f days' % (seconds / 86400.0) if seconds >= 86400 else '%.1f hours' % (seconds / 3600.0)


class BackupRun(ModuleRun):
    """The decisions of one atlassian_backup run."""

    RESULT = dict(changed=False, backup={}, last_backup_time=None, elapsed=0.0, confirmed=False, deferred=False)
    # The backup of option confirm when it answers the run (see confirm), else None.
    confirmed = None

    def validate(self):
        self.max_age = parse_duration(self.params['max_age'], 'max_age')
        if self.params['product'] is not None:
            normalise_product(self.params['product'])
        # A v2 run may activate the policy, which needs the account id: said before any request.
        self.api.strategy.need_account_id('run a backup')
        self.confirmed = self.confirm()
        if self.confirmed is not None:
            self.policy = {'policyId': self.confirmed.get('policyId'), 'cloudId': self.confirmed.get('cloudId'),
                           'product': str(self.confirmed.get('product') or '').upper()}
        else:
            self.policy = resolve_policy(self.api, self.params)
        self.what = "%s backup of site '%s' (policy %s)" % (
            self.policy.get('product'), self.policy.get('cloudId'), self.policy.get('policyId'))

    def confirm(self):
        """The backup an earlier run recorded (option confirm), read once, when it answers this run; else None.

        The confirm's values come from a file: they name the backup to read and nothing else. The backup itself
        must say it is this task's - its policy, or its site and product - and be usable and recent enough.
        """
        confirm = self.params.get('confirm')
        if not confirm or segment_problem(confirm.get('backup_id')):
            return None
        try:
            found = self.api.backup(confirm['backup_id'])
        except PlatformError:
            return None
        if not found or not self.is_this_tasks(found, confirm.get('policy_id')):
            return None
        status = status_of(found)
        created = parse_time(found.get('createdAt'))
        if status not in (('COMPLETE', 'INCOMPLETE') if self.params['allow_incomplete'] else ('COMPLETE',)):
            return None
        if created is None or self.api.clock.time() - created > self.max_age:
            return None
        policy_id = self.params.get('policy_id')
        return self.api.strategy.backup_view(found, {'policyId': policy_id} if policy_id else None)

    def is_this_tasks(self, backup, recorded_policy_id):
        """Whether ``backup`` says it belongs to this task's policy, or site and product (v2 backups name no policy)."""
        own = backup.get('policyId')
        if own and recorded_policy_id and own != recorded_policy_id:
            return False
        policy_id = self.params.get('policy_id')
        if policy_id and own:
            return own == policy_id
        if self.params['cloud_id'] and self.params['product']:
            return (backup.get('cloudId') == self.params['cloud_id']
                    and str(backup.get('product') or '').upper() == normalise_product(self.params['product']))
        return False

    def run(self):
        if self.confirmed is not None:
            self.result['confirmed'] = True
            self.result['backup'] = object_result(self.confirmed)
            if self.budget.active:
                # Done already: no poll, only the INCOMPLETE warning a wait gives.
                self.result['backup'] = object_result(self.wait(self.confirmed))
            return
        strategy = self.api.strategy
        backups = strategy.backups(self.policy)
        now = self.api.clock.time()
        # v2 reports when the policy last backed up; whether that is a backup's start or end is UNCONFIRMED. Within
        # max_age it makes the newest usable backup of the list recent enough (a long backup may have been created
        # earlier); the list decides which backup that is.
        self.result['last_backup_time'] = strategy.last_backup_time(self.policy)
        last = parse_time(self.result['last_backup_time'])
        recent_by_policy = last is not None and now - last <= self.max_age
        backup = newest([b for b in backups if status_of(b) in strategy.running], None)
        complete = newest(backups, 'COMPLETE')
        # An INCOMPLETE backup counts as done when allowed, so that a run with wait=true after one
        # with wait=false waits for the same backup instead of starting another once it has ended.
        candidates = [complete, newest(backups, 'INCOMPLETE') if self.params['allow_incomplete'] else None]
        usable = newest([b for b in candidates if b], None)
        if backup is None and usable is not None and (now - parse_time(usable['createdAt']) <= self.max_age
                                                      or recent_by_policy):
            backup = usable
        if backup is None:
            if strategy.backup_interval:
                self.refuse_when_too_soon(complete, now, strategy.backup_interval)
            backup = self.start(backups)
            if backup is None:
                return
        # Said before waiting: a run that times out still reports the backup it started.
        self.result['backup'] = object_result(backup)
        if self.budget.active:
            backup = self.wait(backup)
        self.result['backup'] = object_result(backup)

    def refuse_when_too_soon(self, complete, now, interval):
        if complete is None:
            return
        created = parse_time(complete['createdAt'])
        if now - created < interval:
            raise InputError(
                'the newest COMPLETE %s (%s, created %s) is %s old, older than max_age (%s), but Atlassian allows a new '
                'backup only 7 days after the last complete one: the next backup is allowed from %s. Raise max_age or '
                'run again then.' % (self.what, complete.get('backupId'), complete.get('createdAt'), age_text(now - created),
                                     age_text(self.max_age), iso(created + interval)))

    def start(self, before):
        strategy = self.api.strategy
        if self.check_mode:
            self.result['changed'] = True
            return strategy.predicted_backup(self.policy)
        try:
            changed, backup = strategy.start_backup(self.policy, self.what, set(b.get('backupId') for b in before),
                                                    defer=self.params.get('defer_on_rate_limit', False))
        except RateLimited as exc:
            self.defer(exc)
            return None
        self.result['changed'] = changed
        return backup

    def defer(self, refused):
        """Nothing started: the rate limit refused the create, and the run says so instead of waiting for it."""
        after = 'after %g s' % refused.retry_after if refused.retry_after is not None else 'later (no Retry-After given)'
        self.result.update(changed=refused.changed, deferred=True, retry_after=refused.retry_after, backup={},
                           msg='%s: the %s was not started: the rate limit refused it (HTTP 429); run the module again '
                               '%s to start it' % (PLATFORM, self.what, after))

    def wait(self, backup):
        backup_id = backup.get('backupId')
        if BACKUP_STATES.outcome(status_of(backup)) == PENDING:
            backup, dummy = self.budget.wait(
                'the %s (%s)' % (self.what, backup_id), lambda: self.api.strategy.backup(backup_id, self.policy) or {},
                lambda b: BACKUP_STATES.outcome(status_of(b)), lambda b: 'status %s' % status_of(b))
        status = status_of(backup)
        if BACKUP_STATES.outcome(status) == FAILURE:
            raise PlatformError(PLATFORM, 'run a ' + self.what, 'backup %s ended %s: %s' % (
                backup_id, status, backup.get('statusMessage') or 'no message'))
        if status == 'INCOMPLETE':
            if not self.params['allow_incomplete']:
                raise PlatformError(PLATFORM, 'run a ' + self.what, 'backup %s ended INCOMPLETE (some attachments or '
                                    'spaces are missing) and allow_incomplete is false' % backup_id)
            self.module.warn('Atlassian: backup %s of the %s is INCOMPLETE: some attachments (Jira) or spaces (Confluence) '
                             'are missing.' % (backup_id, self.what))
        return backup


def main():
    argument_spec = atlassian_argument_spec()
    # Jira backups take 20 minutes to 8 hours: the default waits for the longest.
    argument_spec.update(wait_argument_spec(wait_timeout=28800))
    argument_spec.update(
        cloud_id=dict(type='str'),
        product=dict(type='str'),
        policy_id=dict(type='str'),
        # raw: a number of seconds (max_age: 86400) or a duration text ('7d'); _duration reads both.
        max_age=dict(type='raw', default='7d'),
        allow_incomplete=dict(type='bool', default=True),
        # What an earlier run recorded (untrusted data): read once, see BackupRun.confirm.
        confirm=dict(type='dict', options=dict(backup_id=dict(type='str', required=True), policy_id=dict(type='str'))),
        defer_on_rate_limit=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_one_of=[('policy_id', 'cloud_id')], required_together=[('cloud_id', 'product')])
    BackupRun.main(module, Atlassian)


if __name__ == '__main__':
    main()
