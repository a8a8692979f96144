#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: jahia_restore
short_description: Restore a Jahia Cloud backup into an environment
version_added: 0.1.0
description:
  - Restores a backup into a Jahia Cloud environment with the C(restoreBackup) action.
  - B(Side effects.) The restore overwrites the site data, the database and the HAProxy custom configuration of the
    target environment, and the platform mutes the environment's Datadog monitoring (host, monitors and synthetic
    tests) for about 4 hours, switching it back on at the end; alerts about the target environment do not fire
    meanwhile. The API documentation does not say so; Jahia's own restore package does (see the notes).
  - The backup is given as O(backup), the restore point M(saasops.backup.jahia_backup) returns, or as the single
    options O(backup_name), O(timestamp), O(backup_type), O(cloud_provider), O(region) and O(env_role).
  - Every field is checked before anything is sent. A target environment whose role is C(prod) is refused unless
    O(allow_production=true); so is one whose role the platform does not report.
  - Every run that is not in check mode triggers a restore and reports C(changed=true); the API has no way to tell
    whether the same restore already ran. Check mode reports C(changed=true) and triggers nothing.
  - The restore runs after the module returns; the API reports neither its progress nor its result, so nothing can
    wait for it. A backup that does not exist, or has not finished, is only found out by the platform after the
    module returned; restore from a backup the Jahia Cloud console shows as finished.
  - The platform does not document how it answers a restore requested while a backup or restore of the environment
    runs (UNCONFIRMED); when it refuses one with a non-zero C(jcResponse), the module fails with that code.
  - If the answer to the request is lost, the restore may or may not have started. The module does not send it
    again (it cannot check) and fails, saying so.
author:
  - saasops.backup maintainers (@saasops)
options:
  environment:
    description:
      - Bare name of the environment to restore into (1 to 20 lowercase letters, digits or hyphens), for example
        V(staging), not its short domain.
    type: str
    required: true
  app_id:
    description:
      - App id of the target environment, sent as C(targetAppid).
      - By default it is read from the environment's context. Set it when the context does not hold it; when the
        context does hold one, both must be equal.
    type: str
  allow_production:
    description:
      - Allow restoring into an environment whose role is C(prod), or whose role the platform does not report.
    type: bool
    default: false
  backup:
    description:
      - The restore point to restore, as returned by M(saasops.backup.jahia_backup) in C(backup).
      - Mutually exclusive with the single options O(backup_name), O(timestamp), O(backup_type), O(cloud_provider),
        O(region) and O(env_role). One of O(backup) and O(backup_name) is required.
    type: dict
    suboptions:
      backup_name:
        description: Name of the backup. Required.
        type: str
      timestamp:
        description: Time stamp of the backup, C(YYYY-MM-DDTHH:MM:SS) in UTC. Required.
        type: str
      backup_type:
        description: V(manual) (when not set or V(null)), V(scheduled), or V(auto) (sent as V(scheduled)).
        type: str
      cloud_provider:
        description: Cloud provider where the backup is stored, V(aws) or V(ovh). Required.
        type: str
      region:
        description: Region where the backup is stored, for example V(eu-west-1) or V(gra). Required.
        type: str
      env_role:
        description: Role of the environment the backup was taken from, V(dev), V(preprod) or V(prod). Required.
        type: str
      environment:
        description: Bare name of the environment the backup was taken from. Informational; not sent.
        type: str
  backup_name:
    description:
      - Name of the backup; a manual backup is named after the short domain of its environment, C(<environment>-<organization>).
      - The platform does not document which characters are allowed; this module accepts 1 to 128 letters, digits, C(.) and C(-).
    type: str
  timestamp:
    description:
      - Time stamp of the backup, C(YYYY-MM-DDTHH:MM:SS) in UTC, for example V(2026-11-22T10:05:00). Required with O(backup_name).
    type: str
  backup_type:
    description:
      - V(manual) or V(scheduled). The platform's internal word for scheduled, V(auto), is accepted and sent as V(scheduled).
      - Defaults to V(manual).
    type: str
    choices: [manual, scheduled, auto]
  cloud_provider:
    description:
      - Cloud provider where the backup is stored. Required with O(backup_name).
    type: str
    choices: [aws, ovh]
  region:
    description:
      - Region where the backup is stored, for example V(eu-west-1) or V(gra). Required with O(backup_name).
    type: str
  env_role:
    description:
      - Role of the environment the backup was taken from (not of the target). Required with O(backup_name).
      - The platform documents V(dev) and V(prod); V(preprod) is accepted as Jahia's own tooling uses it.
    type: str
    choices: [dev, preprod, prod]
extends_documentation_fragment:
  - saasops.backup.jahia
  - saasops.backup.connection
  - saasops.backup.attributes.action_module
notes:
  - The side effects above come from Jahia's public platform packages (C(Jahia/jelastic-packages),
    C(packages/common/restore.yml)), not from the API documentation, which stops inside its restore example.
  - OVH backups taken before V(2023-02-08T07:00:00) are read by the platform from AWS C(eu-west-1); give the restore
    point as it was recorded, nothing else is needed.
  - The platform has no restore status. The only readiness signal seen in real use is the environment's own
    C(<environment URL>/cms/login) answering HTTP 200 (or the Jahia healthcheck); polling it shows that the site is up,
    not that the restore finished or succeeded.
seealso:
  - module: saasops.backup.jahia_backup
  - module: saasops.backup.jahia_environment_info
'''

EXAMPLES = r'''
- name: Roll staging back to the restore point jahia_backup returned before the release (saved as JSON)
  saasops.backup.jahia_restore:
    api_token: "{{ jahia_api_token }}"
    organization: acme
    environment: staging
    backup: "{{ lookup('ansible.builtin.file', 'staging-restore-point.json') | from_json }}"

- name: Copy a production backup into preprod, from the fields shown in the Jahia Cloud console
  saasops.backup.jahia_restore:
    api_token: "{{ jahia_api_token }}"
    organization: acme
    environment: preprod
    backup_name: production-acme
    timestamp: "2026-11-21T02:00:00"
    backup_type: scheduled
    cloud_provider: aws
    region: eu-west-1
    env_role: prod
'''

RETURN = r'''
restore:
  description: The restore triggered (in check mode, the restore that would be triggered).
  returned: always
  type: dict
  contains:
    environment:
      description: Bare name of the target environment.
      type: str
      sample: staging
    short_domain:
      description: Short domain of the target environment, sent as C(envName).
      type: str
      sample: staging-acme
    app_id:
      description: App id of the target environment, sent as C(targetAppid).
      type: str
      sample: 1e79ec38d72494da07850bea13b2856093
    backup:
      description: The validated restore point (V(auto) replaced by V(scheduled)).
      type: dict
      sample: {backup_name: staging-acme, timestamp: "2026-11-22T10:05:00", backup_type: manual,
               cloud_provider: aws, region: eu-west-1, env_role: dev, environment: staging}
environment:
  description:
    - The target environment, as its context describes it (see M(saasops.backup.jahia_environment_info)),
      without the raw context.
  returned: always
  type: dict
  sample: {name: staging, short_domain: staging-acme, app_id: 1e79ec38d72494da07850bea13b2856093, env_role: dev}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._jahia import (
    JahiaCloud, check_target_options, describe_restore, jahia_argument_spec, refuse_production)
from ansible_collections.saasops.backup.plugins.module_utils._jahia_restore_point import (
    SINGLE_FIELDS, backup_option_spec, from_params, restore_point_options, validate)
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun


class Restore(ModuleRun):
    """Every field checked first, production refused after reading the target, then one restore."""

    point = None  # the validated restore point (validate)

    def validate(self):
        check_target_options(self.params)
        self.point = validate(*from_params(self.params))

    def run(self):
        point = self.point
        summary, app_id = self.api.target(self.params['environment'], self.params['app_id'])
        refuse_production(summary, self.params['allow_production'], describe_restore(point, summary['name']))
        if not self.check_mode:
            self.api.start_restore(summary, app_id, point)
        self.result.update(changed=True, environment=summary,
                           restore=dict(environment=summary['name'], short_domain=summary['short_domain'], app_id=app_id,
                                        backup=point))


def argument_spec():
    spec = jahia_argument_spec()
    spec.update(
        environment=dict(type='str', required=True),
        app_id=dict(type='str'),
        allow_production=dict(type='bool', default=False),
        backup=backup_option_spec(),
    )
    spec.update(restore_point_options())
    return spec


# The restore point comes whole (backup) or as single options, never mixed.
MUTUALLY_EXCLUSIVE = [('backup', key) for key in SINGLE_FIELDS]
REQUIRED_ONE_OF = [('backup', 'backup_name')]


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           mutually_exclusive=MUTUALLY_EXCLUSIVE, required_one_of=REQUIRED_ONE_OF)
    Restore.main(module, JahiaCloud)


if __name__ == '__main__':
    main()
