#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: jahia_environment_info
short_description: Read the context of a Jahia Cloud environment (app id, provider, region, role)
version_added: 0.1.0
description:
  - Reads the context of one environment with the C(getContext) action and returns its app id, short domain,
    cloud provider, region, role and product version, plus the raw context. It changes nothing.
  - The platform does not document where the context holds the app id; this module looks for C(appid), C(appId),
    C(targetAppid) and C(targetAppId) in C(environment), then at the top level, and returns V(null) when none is there.
  - The platform does not document whether the context holds the cloud provider, region and role; each is V(null)
    when it is missing.
author:
  - saasops.backup maintainers (@saasops)
options:
  environment:
    description:
      - Bare name of the environment (1 to 20 lowercase letters, digits or hyphens), for example V(staging),
        not its short domain.
    type: str
    required: true
extends_documentation_fragment:
  - saasops.backup.jahia
  - saasops.backup.connection
  - saasops.backup.attributes.info_module
seealso:
  - module: saasops.backup.jahia_backup
  - module: saasops.backup.jahia_restore
'''

EXAMPLES = r'''
- name: Read the context of the staging environment
  saasops.backup.jahia_environment_info:
    api_token: "{{ jahia_api_token }}"
    organization: acme
    environment: staging
  register: staging

- name: Show where it runs
  ansible.builtin.debug:
    msg: "{{ staging.environment.short_domain }} ({{ staging.environment.app_id }}) runs on
      {{ staging.environment.cloud_provider }} {{ staging.environment.region }}, role {{ staging.environment.env_role }}"
'''

RETURN = r'''
environment:
  description: The environment as its context describes it.
  returned: always
  type: dict
  contains:
    name:
      description: Bare name of the environment.
      type: str
      sample: staging
    organization:
      description: The organization.
      type: str
      sample: acme
    organization_id:
      description: Numeric id of the organization, when the context holds it.
      type: int
      sample: 94
    short_domain:
      description: C(<environment>-<organization>), the name the API uses for the environment.
      type: str
      sample: staging-acme
    app_id:
      description: App id of the environment (V(null) when the context does not hold one).
      type: str
      sample: 1e79ec38d72494da07850bea13b2856093
    cloud_provider:
      description: Cloud provider in lowercase (V(aws) or V(ovh)), or V(null).
      type: str
      sample: aws
    region:
      description: Region of the environment, or V(null).
      type: str
      sample: eu-west-1
    env_role:
      description: Role in lowercase (V(dev), V(preprod) or V(prod)), or V(null).
      type: str
      sample: dev
    product_version:
      description: Product version as the platform spells it.
      type: str
      sample: dx_8-2-3-0
    status:
      description: Status of the environment as the platform reports it, or V(null).
      type: str
      sample: running
    context:
      description: The context exactly as C(getContext) answered it.
      type: dict
      sample: {organisationName: acme, organisationId: 94, environment: {envName: staging, appid: 1e79ec38d7, envRole: dev}}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._jahia import JahiaCloud, check_environment, jahia_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun


class EnvironmentInfo(ModuleRun):
    """One read of the environment's context; nothing changes, in check mode or not."""

    def validate(self):
        check_environment(self.params['environment'])

    def run(self):
        self.result['environment'] = self.api.environment(self.params['environment'])


def main():
    argument_spec = jahia_argument_spec()
    argument_spec.update(environment=dict(type='str', required=True))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    EnvironmentInfo.main(module, JahiaCloud)


if __name__ == '__main__':
    main()
