#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: jahia_backup
short_description: Trigger a backup of a Jahia Cloud environment and return its predicted restore point
version_added: 0.1.0
description:
  - Triggers a manual backup of a Jahia Cloud environment with the C(backupEnv) action and returns the restore
    point it is expected to get, in the shape M(saasops.backup.jahia_restore) takes as its O(ignore:backup) option.
  - B(This module cannot be idempotent.) The API takes no backup name, returns no id and offers no way to list
    backups or ask for their status, so the module cannot tell whether a backup already exists. Every run that
    is not in check mode triggers a new backup and reports C(changed=true); check mode also reports
    C(changed=true) and triggers nothing.
  - The restore point is B(predicted, not confirmed). The platform names a manual backup after the short domain
    C(<environment>-<organization>) and stamps it with the trigger minute in UTC; this module assumes that and
    uses the controller's clock, which must be in sync (NTP). A backup triggered in the last second of a minute
    may be stamped with the next minute; the module warns when the answer arrived in a later minute.
  - B(Side effect.) While the backup archives the site data, the platform switches the environment's Jahia cluster to
    full read-only, so editing is blocked for that time, and comes back when the archive is done. The API documentation
    does not say so; Jahia's own backup package does (C(Jahia/jelastic-packages), C(packages/common/backup.yml)).
  - The backup runs after the module returns; nothing can wait for it. The platform documents no rate limit, and not
    how it answers a backup requested while another backup or restore of the environment runs (UNCONFIRMED); when it
    refuses one with a non-zero C(jcResponse), the module fails with that code.
  - The API has no way to list backups, read a backup's status, or set the schedule and retention of scheduled backups.
  - If the answer to the request is lost (dropped connection, gateway error), the backup may or may not have
    started. The module does not send it again (it cannot check) and fails, saying so.
author:
  - saasops.backup maintainers (@saasops)
options:
  environment:
    description:
      - Bare name of the environment to back up (1 to 20 lowercase letters, digits or hyphens), for example
        V(staging), not its short domain.
    type: str
    required: true
  app_id:
    description:
      - App id of the environment, sent as C(targetAppid).
      - By default it is read from the environment's context. Set it when the context does not hold it; when the
        context does hold one, both must be equal.
    type: str
extends_documentation_fragment:
  - saasops.backup.jahia
  - saasops.backup.connection
  - saasops.backup.attributes.action_module
notes:
  - The cloud provider, region and role of the restore point come from the environment's context. The platform does
    not document that the context holds them; when it does not, they are V(null), the module warns, and
    M(saasops.backup.jahia_restore) needs them set by hand.
  - Two backups of one environment triggered in the same minute get the same restore point.
seealso:
  - module: saasops.backup.jahia_restore
  - module: saasops.backup.jahia_environment_info
'''

EXAMPLES = r'''
- name: Back up staging before the release
  saasops.backup.jahia_backup:
    api_token: "{{ jahia_api_token }}"
    organization: acme
    environment: staging
  register: staging_backup

- name: Keep the restore point for a rollback
  ansible.builtin.copy:
    content: "{{ staging_backup.backup | to_nice_json }}"
    dest: "{{ playbook_dir }}/staging-restore-point.json"
    mode: "0600"
  delegate_to: localhost

- name: Back up two more environments, with the connection options set once
  module_defaults:
    group/saasops.backup.jahia:
      api_token: "{{ jahia_api_token }}"
      organization: acme
  block:
    - name: Back up preprod and production
      saasops.backup.jahia_backup:
        environment: "{{ item }}"
      loop: [preprod, production]
      register: backups

    - name: Show their restore points
      ansible.builtin.debug:
        msg: "{{ backups.results | map(attribute='backup') | list }}"
'''

RETURN = r'''
backup:
  description:
    - The predicted restore point of the backup, exactly what O(saasops.backup.jahia_restore#module:backup) takes.
    - In check mode, the restore point a backup triggered now would get.
  returned: always
  type: dict
  contains:
    backup_name:
      description: Name of the backup, the short domain of the environment.
      type: str
      sample: staging-acme
    timestamp:
      description: Trigger minute in UTC, C(YYYY-MM-DDTHH:MM:00).
      type: str
      sample: "2026-11-22T10:05:00"
    backup_type:
      description: Always V(manual).
      type: str
      sample: manual
    cloud_provider:
      description: Cloud provider of the environment (V(aws) or V(ovh)), V(null) when its context does not say.
      type: str
      sample: aws
    region:
      description: Region of the environment, V(null) when its context does not say.
      type: str
      sample: eu-west-1
    env_role:
      description: Role of the environment (V(dev), V(preprod) or V(prod)), V(null) when its context does not say.
      type: str
      sample: dev
    environment:
      description: Bare name of the environment backed up.
      type: str
      sample: staging
  sample:
    backup_name: staging-acme
    timestamp: "2026-11-22T10:05:00"
    backup_type: manual
    cloud_provider: aws
    region: eu-west-1
    env_role: dev
    environment: staging
environment:
  description:
    - The environment backed up, as its context describes it (see M(saasops.backup.jahia_environment_info)),
      without the raw context.
  returned: always
  type: dict
  sample: {name: staging, short_domain: staging-acme, app_id: 1e79ec38d72494da07850bea13b2856093, env_role: dev}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._jahia import JahiaCloud, check_target_options, jahia_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._jahia_restore_point import predict, trigger_minute
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun

PLACEMENT = ('cloud_provider', 'region', 'env_role')


class Backup(ModuleRun):
    """Always a new backup (the API cannot tell whether one exists); check mode triggers nothing."""

    def validate(self):
        check_target_options(self.params)

    def run(self):
        summary, app_id = self.api.target(self.params['environment'], self.params['app_id'])
        missing = [key for key in PLACEMENT if not summary.get(key)]
        if missing:
            self.module.warn("%s did not report the %s of environment '%s'; the restore point lacks them and "
                             "jahia_restore will need them set" % (self.api.PLATFORM, ', '.join(missing), summary['name']))
        # The platform stamps the backup with the minute it got the request: the prediction uses
        # the clock just before sending, and a later answer minute is reported as a doubt.
        sent_at = self.api.clock.time()
        if not self.check_mode:
            self.api.start_backup(summary, app_id)
            answered_at = self.api.clock.time()
            if trigger_minute(answered_at) != trigger_minute(sent_at):
                self.module.warn('%s: the backup was triggered across a minute boundary; its timestamp may be %s '
                                 'instead of the predicted %s'
                                 % (self.api.PLATFORM, trigger_minute(answered_at), trigger_minute(sent_at)))
        self.result.update(changed=True, environment=summary, backup=predict(summary, sent_at))


def main():
    argument_spec = jahia_argument_spec()
    argument_spec.update(
        environment=dict(type='str', required=True),
        app_id=dict(type='str'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    Backup.main(module, JahiaCloud)


if __name__ == '__main__':
    main()
