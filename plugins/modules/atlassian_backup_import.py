#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: atlassian_backup_import
short_description: Import Atlassian Cloud backups back from external storage
version_added: 0.1.0
description:
  - Brings backups that were exported (M(saasops.backup.atlassian_backup_export)) back from the external S3 storage
    into Atlassian's storage, so that M(saasops.backup.atlassian_restore) can restore them after their 14-day retention.
  - A backup with an import that is running, or complete and younger than the 14-day retention, is skipped (and a
    running one waited for); the others are imported with one request. C(changed) is true when at least one import was started.
  - If the answer to the request is lost, the module reads the imports before sending it again.
  - Backup-management API v2 (O(api_version=2)) is refused before any request,
    because its import has no public path or body, and v2 has no export to import from. Atlassian no longer lets new
    customers keep backups in Amazon S3 (organizations that already did may go on).
author:
  - saasops.backup maintainers (@saasops)
extends_documentation_fragment:
  - saasops.backup.atlassian
  - saasops.backup.atlassian.backups
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.attributes.action_module
notes:
  - The platform documents neither how imports are listed nor how long an imported backup is kept; this module
    assumes imports can be listed like exports and that an imported backup is kept 14 days.
seealso:
  - module: saasops.backup.atlassian_backup_export
  - module: saasops.backup.atlassian_restore
'''

EXAMPLES = r'''
- name: Bring last month's exported Jira backup back before restoring it
  saasops.backup.atlassian_backup_import:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    backups:
      - product: jira
        cloud_id: "{{ jira_cloud_id }}"
        backup_id: "{{ old_backup_id }}"
'''

RETURN = r'''
imports:
  description:
    - One import per backup of O(backups) (new or reused), keys in snake_case, C(status) C(IN_PROGRESS), C(COMPLETE)
      or C(FAILED). In check mode an import that would be started has no C(import_id).
  returned: always
  type: list
  elements: dict
  sample: [{import_id: imp-3c, backup_id: bkp-7f3a, cloud_id: c-1, product: JIRA, status: COMPLETE}]
skipped_backups:
  description: Ids of the backups that already had a running or recent complete import.
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
    IMPORT, TransferRun, backups_argument_spec)


class ImportRun(TransferRun):
    KIND = IMPORT


def main():
    argument_spec = atlassian_argument_spec()
    argument_spec.update(wait_argument_spec())
    argument_spec.update(backups=backups_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    ImportRun.main(module, Atlassian)


if __name__ == '__main__':
    main()
