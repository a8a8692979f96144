#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: atlassian_storage
short_description: Register an external S3 storage for Atlassian Cloud backups
version_added: 0.1.0
description:
  - Ensures an external AWS S3 storage is registered for a site of an Atlassian organization, so that
    a backup policy can export its backups there (M(saasops.backup.atlassian_backup_policy) O(ignore:storage_id)).
  - The storage is identified by (O(cloud_id), O(name), O(region), O(prefix)); one is created only when the site has none with that key.
  - The API can neither change nor delete a storage; an existing storage whose O(role_identifier) or O(principal_tag)
    differ makes the module fail, naming the difference.
  - Backup-management API v2 (O(api_version=2)) is refused before any request,
    because its storages have no public path or body. Atlassian no longer lets new
    customers keep backups in Amazon S3 (organizations that already did may go on).
author:
  - saasops.backup maintainers (@saasops)
options:
  cloud_id:
    description:
      - Id of the site (cloud id) whose backups go to this storage.
    type: str
    required: true
  name:
    description:
      - Name of the S3 bucket.
    type: str
    required: true
  region:
    description:
      - AWS region of the bucket. It must be one the organization supports
        (see M(saasops.backup.atlassian_backup_info) with V(regions)); checked before the storage is created.
    type: str
    required: true
  prefix:
    description:
      - Key prefix inside the bucket under which backups are written.
    type: str
    required: true
  role_identifier:
    description:
      - ARN of the IAM role Atlassian assumes to write to the bucket.
    type: str
    required: true
  principal_tag:
    description:
      - Principal tag the IAM role's trust policy expects.
    type: str
    required: true
  storage_type:
    description:
      - Kind of storage; the API supports only AWS S3.
    type: str
    choices: [aws]
    default: aws
extends_documentation_fragment:
  - saasops.backup.atlassian
  - saasops.backup.connection
  - saasops.backup.attributes
notes:
  - The platform does not document whether storages are unique; this module assumes (site, name, region, prefix) identifies one.
seealso:
  - module: saasops.backup.atlassian_backup_policy
  - module: saasops.backup.atlassian_backup_export
'''

EXAMPLES = r'''
- name: Register the backup bucket of the production Jira site
  saasops.backup.atlassian_storage:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ jira_cloud_id }}"
    name: acme-atlassian-backups
    region: eu-central-1
    prefix: jira/prod
    role_identifier: arn:aws:iam::123456789012:role/atlassian-backup-writer
    principal_tag: atlassian-backup
  register: bucket

- name: Point the Jira backup policy at it
  saasops.backup.atlassian_backup_policy:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ jira_cloud_id }}"
    product: jira
    storage_id: "{{ bucket.storage.storage_id }}"
'''

RETURN = r'''
storage:
  description:
    - The storage as the platform reports it, keys in snake_case. In check mode, the storage that would be registered
      (without C(storage_id) when it does not exist yet).
  returned: always
  type: dict
  sample:
    storage_id: stg-5a1c0f4e
    storage_name: acme-atlassian-backups
    storage_region: eu-central-1
    storage_prefix: jira/prod
    storage_type: aws
    role_identifier: arn:aws:iam::123456789012:role/atlassian-backup-writer
    principal_tag: atlassian-backup
    cloud_id: 2c6f1b5e-8d7a-4b9e-a3f0-6e1d2c3b4a59
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import require_text
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian, atlassian_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_ensure import Fields, ensure
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import object_result
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun

FIELDS = Fields(('cloud_id', 'cloudId'), ('name', 'storageName'), ('region', 'storageRegion'), ('prefix', 'storagePrefix'),
                ('storage_type', 'storageType'), ('role_identifier', 'roleIdentifier'), ('principal_tag', 'principalTag'))
KEY = ('cloud_id', 'name', 'region', 'prefix')


class StorageRun(ModuleRun):
    """The decisions of one atlassian_storage run."""

    RESULT = dict(changed=False, storage={})

    def validate(self):
        # v2 storages have no public path or body, and new customers can no longer use S3: refused before any request.
        self.api.strategy.refuse('storage')
        require_text(self.params, [option for option, dummy in FIELDS.pairs])

    def find(self):
        for storage in self.api.storages(self.params['cloud_id']):
            if all(FIELDS.view(storage)[option] == self.params[option] for option in KEY):
                return storage
        return None

    def run(self):
        params = self.params
        what = "storage '%s' (region %s, prefix %s) of site '%s'" % (
            params['name'], params['region'], params['prefix'], params['cloud_id'])
        existing = self.find()
        if existing is None:
            regions = self.api.regions(params['cloud_id'])
            if params['region'] not in regions:
                raise InputError("region '%s' is not supported for storages of site '%s' (supported: %s)"
                                 % (params['region'], params['cloud_id'], ', '.join(regions) or 'none'))
        changed, after, diff = ensure(self.module, FIELDS, what, existing, FIELDS.wanted(params),
                                      lambda body: self.api.create_storage(body, what), self.find)
        self.result.update(changed=changed, storage=object_result(after), diff=diff)


def main():
    argument_spec = atlassian_argument_spec()
    argument_spec.update(
        cloud_id=dict(type='str', required=True),
        name=dict(type='str', required=True),
        region=dict(type='str', required=True),
        prefix=dict(type='str', required=True),
        role_identifier=dict(type='str', required=True),
        principal_tag=dict(type='str', required=True),
        storage_type=dict(type='str', default='aws', choices=['aws']),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    StorageRun.main(module, Atlassian)


if __name__ == '__main__':
    main()
