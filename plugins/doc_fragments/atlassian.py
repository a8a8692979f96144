# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """Atlassian Cloud backup & restore connection and credential options."""

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the Atlassian backup-management API (v1).
      - The platform does not document the v1 base; this collection assumes the v2 one with C(v1) at the end.
      - The organization's path comes from O(org_id), so a URL that ends with C(/orgs/...) is refused before any request.
      - If not set, the environment variable E(ATLASSIAN_BACKUP_API_URL) is used.
    type: str
    default: https://api.atlassian.com/public/backup-management/v1
  org_id:
    description:
      - Id of the Atlassian organization whose sites are backed up.
      - If not set, the environment variable E(ATLASSIAN_ORG_ID) is used.
    type: str
    required: true
  user:
    description:
      - E-mail address of an organization admin (enrolled in the backup and restore programme).
      - If not set, the environment variable E(ATLASSIAN_USER) is used.
    type: str
    required: true
  api_token:
    description:
      - API token of O(user), from U(https://id.atlassian.com/manage-profile/security/api-tokens).
      - Sent with O(user) as HTTP Basic authentication, only to O(api_url)'s host.
      - If not set, the environment variable E(ATLASSIAN_API_TOKEN) is used.
    type: str
    required: true
attributes:
  action_group:
    description: Use C(group/saasops.backup.atlassian) or C(group/saasops.backup.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - saasops.backup.atlassian
      - saasops.backup.all
notes:
  - Every list is read page by page to the end.
  - The API limits backups, restores and revalidations to 5 requests a minute per user, other creates to 10 a minute
    and reads to 100 a minute per organization. A rate-limited request is retried after C(Retry-After) when the
    answer has one, else after an exponential backoff (Atlassian does not always send it).
  - Ids that go into URL paths (O(org_id), site, policy, backup and storage ids) are percent-encoded as one path
    segment each; V(.), V(..) and ids with C(/) or a backslash are refused before any request.
'''

    # The backups moved by atlassian_backup_export and atlassian_backup_import.
    BACKUPS = r'''
options:
  backups:
    description:
      - The backups to move, each named by its site, product and id.
    type: list
    elements: dict
    required: true
    suboptions:
      product:
        description: V(jira) or V(confluence), in any case.
        type: str
        required: true
      cloud_id:
        description: Id of the site the backup was taken of.
        type: str
        required: true
      backup_id:
        description: Id of the backup.
        type: str
        required: true
'''
