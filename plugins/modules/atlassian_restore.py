#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: atlassian_restore
short_description: Restore a Jira or Confluence backup into an Atlassian Cloud site
version_added: 0.1.0
description:
  - Restores backup O(backup_id) into the site O(cloud_id), handles the platform's validation and consents,
    waits until the restore is C(COMPLETE) and returns the link to its post-operation report.
  - A restore of that backup into that site that did not fail is reused (C(changed=false)) instead of starting another;
    the platform restores a backup at most once per 7 days anyway.
  - The platform validates a restore first. When checks fail (conflicting spaces or groups, licences, data shard,
    custom groups), it waits for consent. If O(consent) accepts every failed check, the module revalidates with
    O(consent) and goes on (C(changed=true)); otherwise it fails listing each failed check, its message and the
    consent value that would accept it.
  - Only C(COMPLETE) or C(INCOMPLETE) backups can be restored; the module checks the backup before starting.
  - A restore overwrites data in the target site. Restore into a site you mean to roll back.
  - Atlassian Cloud has no production flag. A site declared production with O(production=true) is refused unless
    O(allow_production=true), before any request, in check mode too.
author:
  - saasops.backup maintainers (@saasops)
options:
  backup_id:
    description:
      - Id of the backup to restore.
    type: str
    required: true
  cloud_id:
    description:
      - Id of the site (cloud id) to restore into. It must be in the same organization.
    type: str
    required: true
  product:
    description:
      - V(jira) or V(confluence), in any case; must be the backup's product.
    type: str
    required: true
  include_attachments:
    description:
      - Restore attachments too.
    type: bool
    default: true
  include_users_and_groups:
    description:
      - Restore users and groups too.
    type: bool
    default: true
  consent:
    description:
      - Failed validation checks you accept, each one of C(Consent_Conflicting_Space_Check),
        C(Consent_Conflicting_Group_Check), C(Consent_Product_License_Check), C(Consent_TDP_Shard_Check),
        C(Consent_Site_License_Check), C(Accept_Custom_Group_Check) and C(Deny_Custom_Group_Check).
      - C(Accept_Custom_Group_Check) and C(Deny_Custom_Group_Check) are the two answers to the custom group check; give one of them.
      - Case does not matter. An unknown or misspelt value fails before anything is sent, suggesting the nearest valid one.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - saasops.backup.atlassian
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.production
  - saasops.backup.attributes.action_module
notes:
  - In check mode the module cannot know what validation will say about a new restore; it reports the restore it
    would start. For an existing restore awaiting consent it reports whether O(consent) covers the failed checks.
  - The platform does not document the restore states while it works; this module treats every state other than
    C(AWAITING_CONSENT), C(COMPLETE) and C(FAILED) as still running. C(COMPLETED) is read as C(COMPLETE).
  - With O(api_version=2) the restore calls are v1's paths under the v2 base. Atlassian names them in its v2 rate-limit
    guide but documents neither path nor body (UNCONFIRMED); this module sends v1's body with C(productType) instead of
    C(product) (C(backupId), C(includeAttachments), C(includeUsersAndGroups), C(productType)), and a 400 answer says so.
    The restore it returns then carries C(product_type).
seealso:
  - module: saasops.backup.atlassian_backup
  - module: saasops.backup.atlassian_backup_info
'''

EXAMPLES = r'''
- name: Roll the staging Jira site back to the pre-release backup, accepting conflicting groups
  saasops.backup.atlassian_restore:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    backup_id: "{{ jira_backup.backup.backup_id }}"
    cloud_id: "{{ staging_cloud_id }}"
    product: jira
    consent:
      - Consent_Conflicting_Group_Check
      - Deny_Custom_Group_Check
    wait_timeout: 28800
  register: restored

- name: Show where the post-operation report is
  ansible.builtin.debug:
    msg: "Restore {{ restored.restore.restore_id }}: {{ restored.post_op_report_url }}"

- name: Roll the production Confluence site back (declared production, so it must be allowed explicitly)
  saasops.backup.atlassian_restore:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    backup_id: "{{ confluence_backup_id }}"
    cloud_id: "{{ production_cloud_id }}"
    product: confluence
    production: true
    allow_production: true
'''

RETURN = r'''
restore:
  description:
    - The restore last read, keys in snake_case (C(status) C(VALIDATING), C(AWAITING_CONSENT), C(IN_PROGRESS),
      C(COMPLETE) or C(FAILED); C(validation_errors) while awaiting consent; C(migration_id) once complete).
    - In check mode, a restore that would be started has no C(restore_id).
  returned: always
  type: dict
  sample:
    restore_id: rst-4b
    backup_id: bkp-7f3a
    cloud_id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
    product: JIRA
    status: COMPLETE
    migration_id: mig-1
post_op_report_url:
  description: Link to the post-operation report of a complete restore; null before that.
  returned: always
  type: str
  sample: https://admin.atlassian.com/reports/post-op-report-mig-1.csv
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 1803.2
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import PLATFORM, Atlassian, atlassian_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_consent import (
    check_consent, describe, uncovered)
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    BACKUP_STATES, normalise_product, object_result, status_of)
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import create_once
from ansible_collections.saasops.backup.plugins.module_utils._production import (
    production_argument_spec, refuse_declared_production)
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, PENDING, SUCCESS

AWAITING = 'AWAITING_CONSENT'
# Validation that keeps failing after this many revalidations will not pass with more of the same.
MAX_REVALIDATIONS = 3


def refuse_production(params):
    """Before any request: the site may be declared production."""
    refuse_declared_production(params, "site '%s'" % params['cloud_id'])


def restore_outcome(restore):
    """For the waiter: awaiting consent ends a wait too (the module decides what to do next)."""
    status = status_of(restore)
    if status in ('COMPLETE', AWAITING):
        return SUCCESS
    return FAILURE if status == 'FAILED' else PENDING


class RestoreRun(ModuleRun):
    """The decisions of one atlassian_restore run."""

    RESULT = dict(changed=False, restore={}, post_op_report_url=None, elapsed=0.0)

    def validate(self):
        self.product = normalise_product(self.params['product'])
        # backup_id and cloud_id are checked (not empty, one URL path segment) by the client, before this.
        self.consent_values = check_consent(self.params['consent'])
        self.what = "the restore of backup '%s' into site '%s'" % (self.params['backup_id'], self.params['cloud_id'])

    def run(self):
        restore = self.existing()
        if restore is None:
            self.check_backup()
            restore = self.start()
        revalidations = 0
        while True:
            # Said before waiting: a run that times out still reports the restore it started.
            self.result['restore'] = object_result(restore)
            if status_of(restore) == AWAITING:
                restore = self.consent(restore, revalidations)
                revalidations += 1
                if not self.budget.active:
                    break
            if not self.budget.active or restore_outcome(restore) != PENDING:
                break
            restore = self.wait(restore)
        self.finish(restore)

    def existing(self):
        """The newest restore of this backup into this site that did not fail, or None."""
        for restore in self.api.restores():  # newest first
            if (restore.get('backupId'), restore.get('cloudId')) == (self.params['backup_id'], self.params['cloud_id']) \
                    and status_of(restore) != 'FAILED':
                return restore
        return None

    def check_backup(self):
        backup = self.api.strategy.backup(self.params['backup_id'])
        if backup is None:
            raise InputError("backup '%s' does not exist" % self.params['backup_id'])
        if str(backup.get('product', '')).upper() != self.product:
            raise InputError("backup '%s' is a %s backup, not %s" % (self.params['backup_id'], backup.get('product'),
                                                                     self.product))
        if BACKUP_STATES.outcome(status_of(backup)) != SUCCESS:
            raise InputError("backup '%s' is %s; only COMPLETE or INCOMPLETE backups can be restored"
                             % (self.params['backup_id'], status_of(backup)))

    def start(self):
        body = self.api.strategy.restore_body(self.params['backup_id'], self.product, self.params['include_attachments'],
                                              self.params['include_users_and_groups'])
        if self.check_mode:
            self.result['changed'] = True
            return dict(body, cloudId=self.params['cloud_id'], status='VALIDATING')
        dummy, restore = create_once(lambda: self.api.strategy.start_restore(self.params['cloud_id'], body, self.what),
                                     self.existing)
        self.result['changed'] = True
        return restore

    def consent(self, restore, revalidations):
        """Revalidate with ``consent`` when it accepts every failed check; fail saying what is missing otherwise."""
        consent = self.consent_values
        missing = uncovered(restore.get('validationErrors'), consent)
        if missing:
            raise InputError('%s (%s) awaits consent for failed validation checks that consent does not accept: %s'
                             % (self.what, restore.get('restoreId'), describe(missing)))
        if revalidations >= MAX_REVALIDATIONS:
            raise PlatformError(PLATFORM, 'restore', '%s still awaits consent after %d revalidations with %s'
                                % (self.what, revalidations, ', '.join(consent)))
        self.result['changed'] = True
        if self.check_mode:
            return restore
        restore_id = restore.get('restoreId')

        def revalidated():
            again = self.api.restore(restore_id)
            return again if again and status_of(again) != AWAITING else None

        dummy, answer = create_once(
            lambda: self.api.revalidate_restore(self.params['cloud_id'], restore_id, consent, self.what), revalidated)
        return answer if answer.get('restoreId') else dict(restore, status='VALIDATING')

    def wait(self, restore):
        restore_id = restore.get('restoreId')
        restore, dummy = self.budget.wait(
            '%s (%s)' % (self.what, restore_id), lambda: self.api.restore(restore_id) or {}, restore_outcome,
            lambda r: 'status %s' % status_of(r))
        return restore

    def finish(self, restore):
        self.result['restore'] = object_result(restore)
        if status_of(restore) == 'FAILED':
            raise PlatformError(PLATFORM, 'restore', '%s (%s) FAILED: %s' % (
                self.what, restore.get('restoreId'), restore.get('statusMessage') or 'no message'))
        if status_of(restore) == 'COMPLETE' and restore.get('migrationId'):
            self.result['post_op_report_url'] = self.api.post_op_report(self.params['cloud_id'], restore['migrationId'])


def main():
    argument_spec = atlassian_argument_spec()
    argument_spec.update(wait_argument_spec())
    argument_spec.update(production_argument_spec())
    argument_spec.update(
        backup_id=dict(type='str', required=True),
        cloud_id=dict(type='str', required=True),
        product=dict(type='str', required=True),
        include_attachments=dict(type='bool', default=True),
        include_users_and_groups=dict(type='bool', default=True),
        consent=dict(type='list', elements='str', default=[]),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    RestoreRun.main(module, Atlassian, preflight=refuse_production)


if __name__ == '__main__':
    main()
