#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: atlassian_backup_policy
short_description: Create or update the backup policy of a Jira or Confluence site
version_added: 0.1.0
description:
  - Ensures the backup policy of a product on an Atlassian Cloud site exists with the given settings.
    The platform allows one policy per (site, product), so (O(cloud_id), O(product)) identifies it.
  - A missing policy is created. An existing one is updated with only the options you set that differ
    from it; options left unset are not compared and keep the platform's value.
  - With C(--diff) the module shows the policy before and after.
  - With O(api_version=2) the module also manages the policy's schedule (O(schedule)). A site's product may have two
    v2 policies (Atlassian storage, and S3 for organizations that already used it); then the module fails listing them.
  - Atlassian documents reading a v2 policy (C(productType), C(status), C(details.scheduleDetails.interval)); creating
    and updating one are only named. This module assumes v1's shapes (UNCONFIRMED), creating with
    C(POST orgs/{orgId}/cloud/{cloudId}/policies) and a body of C(policyName), C(productType), the include flags and
    C(scheduleDetails.interval), and updating with C(PUT orgs/{orgId}/policies/{policyId}) and the fields that differ
    (C(scheduleDetails) null removes a schedule).
author:
  - saasops.backup maintainers (@saasops)
options:
  cloud_id:
    description:
      - Id of the site (cloud id).
    type: str
    required: true
  product:
    description:
      - V(jira) or V(confluence), in any case.
    type: str
    required: true
  include_attachments:
    description:
      - Back up attachments too.
      - When unset on creation, the platform's default applies (the platform does not document it; it is likely V(false)).
    type: bool
  include_personal_spaces:
    description:
      - Back up personal spaces too. Confluence only; setting it for Jira fails before anything is sent.
    type: bool
  storage_id:
    description:
      - Id of an external storage (M(saasops.backup.atlassian_storage)) the policy's backups can be exported to.
      - Mutually exclusive with O(storage_name).
    type: str
  storage_name:
    description:
      - Name of the site's external storage, resolved to its id. O(storage_id) and O(storage_name) fail before any
        request with O(api_version=2), where storages have no public path or body and Atlassian no longer offers S3
        storage to new customers. Fails when the site has none or several of that name
        (then use O(storage_id)).
      - Mutually exclusive with O(storage_id).
    type: str
  schedule:
    description:
      - The backup schedule of the policy, O(api_version=2) only (v1 policies have no schedule; setting it there fails
        before any request). Compared with the policy's C(details.scheduleDetails.interval); unset leaves it as it is.
      - V(once) gives the policy a one-time schedule; it is never activated here, since activating it runs a backup
        (M(saasops.backup.atlassian_backup) does that). An inactive C(ONCE) policy whose run is over is unchanged.
      - V(daily) and V(weekly) (the spelling C(DAILY)/C(WEEKLY) is UNCONFIRMED) run only on an active policy, so an
        inactive policy is then activated (C(PUT .../activate) with the C(X-Atl-Account-Id) header), which needs
        O(account_id). Atlassian picks the time slot.
      - A scheduled backup does not complete while the policy's owner has lost organization or app admin rights, until
        someone updates the policy.
    type: str
    choices: [once, daily, weekly]
extends_documentation_fragment:
  - saasops.backup.atlassian
  - saasops.backup.connection
  - saasops.backup.attributes
seealso:
  - module: saasops.backup.atlassian_storage
  - module: saasops.backup.atlassian_backup
'''

EXAMPLES = r'''
- name: Back up Confluence with attachments and personal spaces
  saasops.backup.atlassian_backup_policy:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ confluence_cloud_id }}"
    product: confluence
    include_attachments: true
    include_personal_spaces: true
  register: policy

- name: Send Jira backups to an external bucket, found by name
  saasops.backup.atlassian_backup_policy:
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ jira_cloud_id }}"
    product: Jira
    storage_name: acme-atlassian-backups

- name: Back up Jira every day (backup-management API v2)
  saasops.backup.atlassian_backup_policy:
    api_version: 2
    account_id: "{{ atlassian_account_id }}"
    org_id: "{{ atlassian_org_id }}"
    user: backup-admin@example.com
    api_token: "{{ atlassian_api_token }}"
    cloud_id: "{{ jira_cloud_id }}"
    product: jira
    include_attachments: true
    schedule: daily
'''

RETURN = r'''
policy:
  description:
    - The policy as the platform reports it, keys in snake_case. In check mode, the policy as it would be
      (without C(policy_id) when it does not exist yet).
  returned: always
  type: dict
  sample:
    policy_id: pol-1d2e3f
    cloud_id: 2c6f1b5e-8d7a-4b9e-a3f0-6e1d2c3b4a59
    product: CONFLUENCE
    storage_id: null
    include_attachments: true
    include_personal_spaces: true
    created_at: "2026-11-02T09:00:00.000Z"
  contains:
    schedule:
      description: The schedule in lower case (V(once), V(daily), V(weekly)), null without one. O(api_version=2) only.
      returned: with O(api_version=2)
      type: str
    status:
      description: C(ACTIVE) or (any other word) inactive, as Atlassian reports it. O(api_version=2) only.
      returned: with O(api_version=2)
      type: str
    last_backup_time:
      description: C(details.backup_details.last_backup_time) of the v2 policy. O(api_version=2) only.
      returned: with O(api_version=2)
      type: str
    product_type:
      description:
        - The v2 policy's own fields are returned too, in snake_case (C(policy_name), C(cloud_info), C(product_type),
          C(details)); C(cloud_id), C(product) and C(storage_id) are taken from them so that playbooks work on both versions.
      returned: with O(api_version=2)
      type: str
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian, atlassian_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_ensure import Fields, ensure
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    find_policy, normalise_product, object_result)
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun

FIELDS = Fields(('cloud_id', 'cloudId'), ('product', 'product'), ('include_attachments', 'includeAttachments'),
                ('include_personal_spaces', 'includePersonalSpaces'), ('storage_id', 'storageId'))
# v2: the schedule instead of the storage (v2 policies have no storage this collection can set).
FIELDS_V2 = Fields(('cloud_id', 'cloudId'), ('product', 'product'), ('include_attachments', 'includeAttachments'),
                   ('include_personal_spaces', 'includePersonalSpaces'), ('schedule', 'schedule'))
# A recurring schedule runs only on an active policy.
RECURRING = ('daily', 'weekly')


def resolve_storage(api, params):
    """The storage id the user means; InputError when it does not exist or the name is ambiguous."""
    if params['storage_id']:
        if api.storage(params['storage_id']) is None:
            raise InputError("storage '%s' does not exist in organization '%s'" % (params['storage_id'], api.org_id))
        return params['storage_id']
    if not params['storage_name']:
        return None
    named = [s for s in api.storages(params['cloud_id']) if s.get('storageName') == params['storage_name']]
    if len(named) != 1:
        raise InputError("site '%s' has %s named '%s'%s" % (
            params['cloud_id'], 'no storage' if not named else '%d storages' % len(named), params['storage_name'],
            '' if not named else '; set storage_id to one of ' + ', '.join(sorted(str(s.get('storageId')) for s in named))))
    return named[0]['storageId']


def is_active(policy):
    # Only ACTIVE is documented; the word for the other state (INACTIVE) is UNCONFIRMED.
    return str((policy or {}).get('status') or '').upper() == 'ACTIVE'


class PolicyRun(ModuleRun):
    """The decisions of one atlassian_backup_policy run."""

    RESULT = dict(changed=False, policy={})

    def validate(self):
        # cloud_id is checked (not empty, one URL path segment) by the client, before this.
        params = self.params
        strategy = self.api.strategy
        self.product = normalise_product(params['product'])
        if self.product == 'JIRA' and params['include_personal_spaces'] is not None:
            raise InputError('include_personal_spaces applies to Confluence only; leave it unset for Jira')
        if strategy.version == 1:
            if params.get('schedule') is not None:
                raise InputError('schedule exists only in backup-management API v2: set api_version: 2, or leave schedule '
                                 'unset (v1 policies have no schedule; atlassian_backup runs their backups)')
            self.fields = FIELDS
            self.wanted = FIELDS.wanted(dict(params, product=self.product, storage_id=resolve_storage(self.api, params)))
            return
        if params['storage_id'] or params['storage_name']:
            strategy.refuse('storage', 'or leave storage_id and storage_name unset', name='a policy storage (storage_id, storage_name)')
        if params.get('schedule') in RECURRING:
            # Activating a recurring schedule needs the account id: said before any request.
            strategy.need_account_id('activate a %s schedule' % params.get('schedule'))
        self.fields = FIELDS_V2
        self.wanted = FIELDS_V2.wanted(dict(params, product=self.product))

    def run(self):
        cloud_id = self.params['cloud_id']
        strategy = self.api.strategy
        what = "the %s backup policy of site '%s'" % (self.product, cloud_id)
        existing = find_policy(self.api, cloud_id, self.product)
        changed, after, diff = ensure(
            self.module, self.fields, what, existing, self.wanted, lambda body: strategy.create_policy(body, what),
            lambda: find_policy(self.api, cloud_id, self.product),
            lambda body: strategy.update_policy(existing['policyId'], body, what))
        if self.wanted.get('schedule') in RECURRING and not is_active(after):
            # A daily or weekly schedule runs only on an active policy. A once schedule is never activated here:
            # activating it runs a backup (atlassian_backup's job).
            changed = True
            diff['before']['status'] = (existing or {}).get('status')
            if self.check_mode:
                after = dict(after, status='ACTIVE')
            else:
                strategy.activate(after, what)
                after = strategy.policy(after['policyId']) or dict(after, status='ACTIVE')
            diff['after']['status'] = after.get('status')
        self.result.update(changed=changed, policy=object_result(after), diff=diff)


def main():
    argument_spec = atlassian_argument_spec()
    argument_spec.update(
        cloud_id=dict(type='str', required=True),
        product=dict(type='str', required=True),
        include_attachments=dict(type='bool'),
        include_personal_spaces=dict(type='bool'),
        storage_id=dict(type='str'),
        storage_name=dict(type='str'),
        schedule=dict(type='str', choices=['once', 'daily', 'weekly']),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           mutually_exclusive=[('storage_id', 'storage_name')])
    PolicyRun.main(module, Atlassian)


if __name__ == '__main__':
    main()
