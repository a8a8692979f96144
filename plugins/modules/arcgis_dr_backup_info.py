#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: arcgis_dr_backup_info
short_description: Read ArcGIS Enterprise on Kubernetes backup stores, backups and disaster recovery status
version_added: 0.1.0
description:
  - Lists the backup stores, the backups of one store (or one backup by name) and the status of the last
    disaster recovery operation. It changes nothing.
author:
  - saasops.backup maintainers (@saasops)
options:
  store:
    description:
      - Backup store whose backups are listed. Defaults to the store marked as default.
    type: str
  name:
    description:
      - Return only the backup of this name (an empty list when the store holds none).
    type: str
extends_documentation_fragment:
  - saasops.backup.arcgis
  - saasops.backup.connection
  - saasops.backup.attributes.info_module
seealso:
  - module: saasops.backup.arcgis_dr_backup
  - module: saasops.backup.arcgis_dr_restore
'''

EXAMPLES = r'''
- name: Read the stores, the default store's backups and the DR status
  saasops.backup.arcgis_dr_backup_info:
    url: https://gis.example.com/arcgis
    username: "{{ arcgis_admin }}"
    password: "{{ arcgis_admin_password }}"
  register: dr

- name: Show the newest completed backup
  ansible.builtin.debug:
    msg: "{{ (dr.backups | selectattr('status', 'equalto', 'completed') | sort(attribute='start_time') | last).name }}"

- name: Check whether one backup exists in a named store
  saasops.backup.arcgis_dr_backup_info:
    url: https://gis.example.com/arcgis
    token: "{{ arcgis_token }}"
    store: secondary
    name: pre-release-42
  register: one
'''

RETURN = r'''
store:
  description: The store whose backups were read.
  returned: always
  type: str
  sample: default-store
stores:
  description: Every backup store, keys in snake_case.
  returned: always
  type: list
  elements: dict
  sample: [{name: default-store, default: true, type: HOSTED}]
backups:
  description:
    - Backups of O(store) (only O(name) when given), keys in snake_case, with C(name), C(store) and C(*_iso) UTC times.
  returned: always
  type: list
  elements: dict
  sample: [{name: pre-release-42, status: completed, start_time: 1795860000000, start_time_iso: "2026-11-28T10:00:00Z"}]
status:
  description:
    - The last disaster recovery operation (C(operation) Backup or Restore, C(state), C(backup_name), times).
    - C(state) is V(no_op) before any operation.
  returned: always
  type: dict
  sample: {operation: Restore, state: success, backup_name: pre-release-42, backup_store: default-store}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._arcgis import (
    ArcGIS, arcgis_argument_spec, backup_result, status_result)
from ansible_collections.saasops.backup.plugins.module_utils._convert import snake_keys
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun


class InfoRun(ModuleRun):
    """Reads only: the stores, the backups of one store (or one by name), the DR status."""

    def run(self):
        stores = self.api.stores()
        store = self.api.resolve_store(self.params['store'], stores)
        if self.params['name'] is not None:
            found = self.api.backup(store, self.params['name'])
            backups = [found] if found else []
        else:
            backups = self.api.backups(store)
        self.result.update(store=store, stores=snake_keys(stores), backups=[backup_result(b) for b in backups],
                           status=status_result(self.api.dr_status()))


def main():
    argument_spec = arcgis_argument_spec()
    argument_spec.update(store=dict(type='str'), name=dict(type='str'))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    InfoRun.main(module, ArcGIS)


if __name__ == '__main__':
    main()
