#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: atlassian_backup_info
short_description: Read Atlassian Cloud backup regions, storages, policies, backups, exports, imports and restores
version_added: 0.1.0
description:
  - Reads what O(gather) lists, every page of every list. It changes nothing.
  - O(cloud_id) and O(product) narrow every list that carries them.
author:
  - saasops.backup maintainers (@saasops)
options:
  gather:
    description:
      - What to read. Only the keys listed are returned.
      - V(backups) reads the backups of O(policy_id), or of the policy of O(cloud_id) and O(product), or of every
        policy when neither is set; with O(backup_id), only that backup. A policy, a site without a policy
        or a backup that does not exist gives an empty list, not a failure.
      - The default is every key with O(api_version=1), and V(policies), V(backups), V(restores) with O(api_version=2).
      - With O(api_version=2), V(regions), V(storages), V(exports) and V(imports) fail before any request (v2 has no
        export, and no public path for its storages and imports).
    type: list
    elements: str
    choices: [regions, storages, policies, backups, exports, imports, restores]
  cloud_id:
    description:
      - Only objects of this site (cloud id).
    type: str
  product:
    description:
      - Only objects of this product, V(jira) or V(confluence) in any case.
    type: str
  policy_id:
    description:
      - With V(backups), the backups of this policy only.
    type: str
  backup_id:
    description:
      - With V(backups), only this backup (an empty list when it does not exist).
    type: str
extends_documentation_fragment:
  - saasops.backup.atlassian
  - saasops.backup.connection
  - saasops.backup.attributes.info_module
notes:
  - The platform documents reading one import by id only; this module assumes imports can be listed like exports.
seealso:
  - module: saasops.backup.atlassian_backup
  - module: saasops.backup.atlassian_restore
'''

EXAMPLES = r'''
- name: Read the Jira policy and its backups on one site
  saasops.backup.atlassian_backup_info:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    gather: [policies, backups]
    cloud_id: "{{ jira_cloud_id }}"
    product: jira
  register: jira

- name: Show the newest complete backup
  ansible.builtin.debug:
    msg: "{{ (jira.backups | selectattr('status', 'equalto', 'COMPLETE') | sort(attribute='created_at') | last).backup_id }}"

- name: Read the regions where external storages can be created
  saasops.backup.atlassian_backup_info:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    gather: [regions]
  register: where
'''

RETURN = r'''
regions:
  description: AWS regions where external storages can be created (for O(cloud_id) when set).
  returned: when O(gather) contains V(regions)
  type: list
  elements: str
  sample: [us-east-1, eu-central-1]
storages:
  description: External storages, keys in snake_case.
  returned: when O(gather) contains V(storages)
  type: list
  elements: dict
  sample: [{storage_id: stg-5a1c, storage_name: acme-backups, storage_region: eu-central-1, storage_prefix: jira, cloud_id: c-1}]
policies:
  description: Backup policies, keys in snake_case.
  returned: when O(gather) contains V(policies)
  type: list
  elements: dict
  sample: [{policy_id: pol-1d2e, cloud_id: c-1, product: JIRA, storage_id: null, include_attachments: true}]
backups:
  description: Backups, keys in snake_case, C(status) normalised (C(IN_PROGRESS), C(COMPLETE), C(INCOMPLETE), C(EXPIRED), C(FAILED)).
  returned: when O(gather) contains V(backups)
  type: list
  elements: dict
  sample: [{backup_id: bkp-7f3a, policy_id: pol-1d2e, status: COMPLETE, created_at: "2026-11-22T10:00:00.000Z"}]
exports:
  description: Exports of backups to external storage, keys in snake_case.
  returned: when O(gather) contains V(exports)
  type: list
  elements: dict
  sample: [{export_id: exp-9a, backup_id: bkp-7f3a, cloud_id: c-1, product: JIRA, status: COMPLETE}]
imports:
  description: Imports of backups from external storage, keys in snake_case.
  returned: when O(gather) contains V(imports)
  type: list
  elements: dict
  sample: [{import_id: imp-3c, backup_id: bkp-7f3a, cloud_id: c-1, product: JIRA, status: COMPLETE}]
restores:
  description: Restores, keys in snake_case (C(cloud_id) is the site restored into).
  returned: when O(gather) contains V(restores)
  type: list
  elements: dict
  sample: [{restore_id: rst-4b, backup_id: bkp-7f3a, cloud_id: c-2, product: JIRA, status: COMPLETE, migration_id: mig-1}]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian, atlassian_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    find_policy, normalise_product, object_result)
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun

GATHER = ['regions', 'storages', 'policies', 'backups', 'exports', 'imports', 'restores']
# What v2 offers (exports are not in v2; storages, regions and imports have no public v2 path).
GATHER_V2 = ['policies', 'backups', 'restores']
NOT_IN_V2 = {'regions': 'storage', 'storages': 'storage', 'exports': 'export', 'imports': 'import'}


def narrowed(items, cloud_id, product, product_key='product'):
    return [i for i in items if (not cloud_id or i.get('cloudId') == cloud_id)
            and (not product or str(i.get(product_key, product)).upper() == product)]


class InfoRun(ModuleRun):
    """The reads of one atlassian_backup_info run."""

    def validate(self):
        self.product = normalise_product(self.params['product']) if self.params['product'] is not None else None
        strategy = self.api.strategy
        gather = self.params['gather']
        if gather is None:
            gather = GATHER if strategy.version == 1 else GATHER_V2
        for what in gather:
            if what in NOT_IN_V2:
                strategy.refuse(NOT_IN_V2[what], 'or leave %s out of gather' % what, name='gather %s' % what)
        self.gather = gather

    def read_backups(self):
        """The backups asked for; none (not a failure) when the backup, the policy or the site's policy is missing."""
        api, params, product = self.api, self.params, self.product
        strategy = api.strategy
        if params['backup_id']:
            found = strategy.backup(params['backup_id'])
            return [found] if found else []
        if params['policy_id']:
            policies = [strategy.policy(params['policy_id'])]
        elif params['cloud_id'] and product:
            policies = [find_policy(api, params['cloud_id'], product)]
        else:
            policies = narrowed(strategy.policies(), params['cloud_id'], product)
        backups = []
        for policy in policies:
            if policy:
                backups.extend(strategy.backups(policy))
        return backups

    def run(self):
        api, cloud_id, product = self.api, self.params['cloud_id'], self.product
        readers = {
            'regions': lambda: api.regions(cloud_id),
            'storages': lambda: narrowed(api.storages(cloud_id), cloud_id, None),
            'policies': lambda: narrowed(api.strategy.policies(), cloud_id, product),
            'backups': lambda: narrowed(self.read_backups(), cloud_id, product),
            'exports': lambda: narrowed(api.exports(), cloud_id, product),
            'imports': lambda: narrowed(api.imports(), cloud_id, product),
            'restores': lambda: narrowed(api.restores(), cloud_id, product, api.strategy.product_key),
        }
        for what in GATHER:
            if what in self.gather:
                items = readers[what]()
                self.result[what] = items if what == 'regions' else [object_result(i) for i in items]


def main():
    argument_spec = atlassian_argument_spec()
    argument_spec.update(
        # No default in the spec: it depends on api_version (GATHER, GATHER_V2).
        gather=dict(type='list', elements='str', choices=GATHER),
        cloud_id=dict(type='str'),
        product=dict(type='str'),
        policy_id=dict(type='str'),
        backup_id=dict(type='str'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    InfoRun.main(module, Atlassian)


if __name__ == '__main__':
    main()
