#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: mendix_snapshot_info
short_description: List the backup snapshots of a Mendix Cloud environment
version_added: 0.1.0
description:
  - Reads every snapshot of an environment (all pages of the Backups API v2 list), or one by O(snapshot_id),
    optionally filtered by comment and state, and the environment itself. It changes nothing.
  - The platform documents v2 snapshot lists as pages C({snapshots, total, offset, limit}); a live tenant answered
    C({total, snapshots}) with every snapshot in one page. This module reads only C(snapshots) and C(total) and pages by
    counting, so it reads both, and stops on a page without a new snapshot (a server that ignores C(offset)).
  - Failed snapshots are common (about one in twelve on a live tenant) and have no C(model_version); their
    C(status_message) says why they failed.
author:
  - saasops.backup maintainers (@saasops)
options:
  snapshot_id:
    description:
      - Return only this snapshot (an empty list when the environment has none with this id).
    type: str
  comment:
    description:
      - Return only snapshots with exactly this comment.
    type: str
  state:
    description:
      - Return only snapshots in this state, e.g. V(completed), V(running), V(queued) or V(failed) (case-insensitive;
        v1 states are lower-cased).
    type: str
extends_documentation_fragment:
  - saasops.backup.mendix
  - saasops.backup.connection
  - saasops.backup.attributes.info_module
seealso:
  - module: saasops.backup.mendix_snapshot
  - module: saasops.backup.mendix_restore
'''

EXAMPLES = r'''
- name: Read the completed snapshots of acceptance
  saasops.backup.mendix_snapshot_info:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Acceptance
    state: completed
  register: found

- name: Show the newest one
  ansible.builtin.debug:
    msg: "{{ (found.snapshots | sort(attribute='created_at') | last).snapshot_id }}"
  when: found.snapshots | length > 0
'''

RETURN = r'''
snapshots:
  description:
    - The snapshots, newest first as the platform lists them, in the Backups API v2 shape whatever O(api_version)
      (with v1, also C(created_on) and C(expires_on) in epoch milliseconds).
    - With v2 every snapshot has C(status_message) and C(model_version), null when the platform left them out (failed
      snapshots have no model version); a failed snapshot's C(status_message) says why it failed. v1 has no
      C(status_message).
    - C(expires_at) is the platform's (about one to twelve months after creation, by kind of snapshot); it is read,
      never computed.
  returned: always
  type: list
  elements: dict
  sample: [{snapshot_id: 51dc7872-0c0f-4a4c-9d5e-0b5f2c0a7e11, comment: before release 42, state: completed,
            status_message: Completed backup creation, model_version: 1.1.0.253, created_at: "2026-11-28T10:00:00.000Z",
            expires_at: "2027-02-26T10:00:00.000Z"},
           {snapshot_id: 0c982ca3-7d2e-4b1a-9f3c-5e6d7a8b9c0d, comment: Automatically created nightly snapshot,
            state: failed, status_message: Backup creation failed, model_version: null,
            created_at: "2026-11-27T03:00:00.000Z", expires_at: "2026-12-11T03:00:00.000Z"}]
environment:
  description: The environment as the Deploy API reports it, keys in snake_case.
  returned: always
  type: dict
  sample: {status: Running, environment_id: cd5fc610-e8a2-4d1f-9b3e-7d3c8a1f2e4b, mode: Acceptance,
           url: "https://calc-accp.mendixcloud.com", model_version: 1.1.0.253, mendix_version: 9.24.0, production: false}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._convert import snake_keys
from ansible_collections.saasops.backup.plugins.module_utils._mendix import Mendix, mendix_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._mendix_backups import Backups, with_optional_keys
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun


class InfoRun(ModuleRun):
    """Read the snapshots of one environment, filtered."""

    RESULT = dict(changed=False, snapshots=[], environment={})

    def run(self):
        env = self.api.environment()
        backups = Backups.open(self.api, env, self.budget)
        if self.params['snapshot_id']:
            found = backups.get(self.params['snapshot_id'])
            snapshots = [found] if found else []
        else:
            snapshots = backups.list()
        if self.params['comment'] is not None:
            snapshots = [s for s in snapshots if s.get('comment') == self.params['comment']]
        if self.params['state']:
            snapshots = [s for s in snapshots if str(s.get('state') or '').lower() == self.params['state'].lower()]
        if backups.version == 2:
            snapshots = [with_optional_keys(s) for s in snapshots]
        self.result.update(snapshots=snapshots, environment=snake_keys(env))


def main():
    argument_spec = mendix_argument_spec()
    argument_spec.update(snapshot_id=dict(type='str'), comment=dict(type='str'), state=dict(type='str'))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    InfoRun.main(module, Mendix)


if __name__ == '__main__':
    main()
