#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: atlassian_backup_export
short_description: Export Atlassian Cloud backups to their policy's external storage
version_added: 0.1.0
description:
  - Copies backups from Atlassian's storage to the external S3 storage of their backup policy
    (M(saasops.backup.atlassian_backup_policy) O(ignore:storage_id)), where they outlive the 14-day retention.
  - A backup with an export that is running or complete is skipped (and a running one waited for); the others
    are exported with one request. C(changed) is true when at least one export was started.
  - Before anything is sent, every backup must exist, match its O(backups[].product) and O(backups[].cloud_id),
    and its policy must have an external storage.
  - If the answer to the request is lost, the module reads the exports before sending it again.
  - Backup-management API v2 (O(api_version=2)) is refused before any request,
    because v2 has no export. Atlassian no longer lets new
    customers keep backups in Amazon S3 (organizations that already did may go on).
author:
  - saasops.backup maintainers (@saasops)
extends_documentation_fragment:
  - saasops.backup.atlassian
  - saasops.backup.atlassian.backups
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.attributes.action_module
seealso:
  - module: saasops.backup.atlassian_backup_import
  - module: saasops.backup.atlassian_storage
'''

EXAMPLES = r'''
- name: Keep the pre-release Jira backup beyond 14 days
  saasops.backup.atlassian_backup_export:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    backups:
      - product: jira
        cloud_id: "{{ jira_cloud_id }}"
        backup_id: "{{ jira_backup.backup.backup_id }}"
  register: exported
'''

RETURN = r'''
exports:
  description:
    - One export per backup of O(backups) (new or reused), keys in snake_case, C(status) C(IN_PROGRESS), C(COMPLETE)
      or C(FAILED). In check mode an export that would be started has no C(export_id).
  returned: always
  type: list
  elements: dict
  sample: [{export_id: exp-9a, backup_id: bkp-7f3a, cloud_id: c-1, product: JIRA, status: COMPLETE}]
skipped_backups:
  description: Ids of the backups that already had a running or complete export.
  returned: always
  type: list
  elements: str
  sample: [bkp-7f3a]
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 95.3
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian, atlassian_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_transfer import (
    EXPORT, TransferRun, backups_argument_spec)
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError


class ExportRun(TransferRun):
    KIND = EXPORT

    def precheck(self, item):
        """InputError unless the backup exists as described and its policy has an external storage."""
        backup = self.api.backup(item['backupId'])
        if backup is None:
            raise InputError("backup '%s' does not exist" % item['backupId'])
        if (backup.get('cloudId'), str(backup.get('product', '')).upper()) != (item['cloudId'], item['product']):
            raise InputError("backup '%s' is a %s backup of site '%s', not a %s backup of site '%s'" % (
                item['backupId'], backup.get('product'), backup.get('cloudId'), item['product'], item['cloudId']))
        policy = self.api.policy(backup.get('policyId')) or {}
        if not policy.get('storageId'):
            raise InputError("the policy of backup '%s' (%s) has no external storage: set storage_id or storage_name with "
                             "saasops.backup.atlassian_backup_policy first" % (item['backupId'], backup.get('policyId')))


def main():
    argument_spec = atlassian_argument_spec()
    argument_spec.update(wait_argument_spec())
    argument_spec.update(backups=backups_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    ExportRun.main(module, Atlassian)


if __name__ == '__main__':
    main()
