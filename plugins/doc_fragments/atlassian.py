# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """Atlassian Cloud backup & restore connection and credential options."""

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the Atlassian backup-management API, used as given.
      - When neither this option nor E(ATLASSIAN_BACKUP_API_URL) is set, the base of O(api_version),
        C(https://api.atlassian.com/public/backup-management/v1) or C(https://api.atlassian.com/public/backup-management/v2).
        Atlassian documents the v2 base; the v1 base is not documented, this collection assumes v2's with C(v1) at the end.
      - The organization's path comes from O(org_id), so a URL that ends with C(/orgs/...) is refused before any request.
      - If not set, the environment variable E(ATLASSIAN_BACKUP_API_URL) is used.
    type: str
  api_version:
    description:
      - Version of the backup-management API. V(1) (the default) is the early-access API this collection was
        written for and stays fully supported; Atlassian calls V(2) the current version and says v1 will be deprecated.
      - V(2) is an open beta for organizations on the Enterprise plan (enrolment is closed; organizations already in keep
        access), and is not offered in Atlassian Government.
      - On V(2) a backup is run by giving the product's policy a one-time schedule and activating it
        (M(saasops.backup.atlassian_backup)). V(2) has no export; its storages and import have no public path or
        body, so M(saasops.backup.atlassian_backup_export), M(saasops.backup.atlassian_backup_import) and
        M(saasops.backup.atlassian_storage) refuse V(2) before any request.
      - Only two v2 calls are documented (policy details and activate); every other v2 path and body is assumed
        in v1's shape (UNCONFIRMED), see each module's notes.
      - If not set, the environment variable E(ATLASSIAN_API_VERSION) is used.
    type: int
    choices: [1, 2]
    default: 1
  account_id:
    description:
      - Atlassian account id sent as the C(X-Atl-Account-Id) header on every request of O(api_version=2) (never on V(1)).
      - One version of Atlassian's v2 reference lists this header as required by the activate request, another omits
        it; whose id it is is not documented (UNCONFIRMED); this collection assumes the id of O(user)'s account.
      - Required with O(api_version=2) to run a backup (M(saasops.backup.atlassian_backup)) and to activate a daily or
        weekly schedule (M(saasops.backup.atlassian_backup_policy)); missing there, the module fails before any request.
      - If not set, the environment variable E(ATLASSIAN_ACCOUNT_ID) is used.
    type: str
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
  - Backups are kept 14 days with O(api_version=1) and 30 days with O(api_version=2); a backup's C(expiry_time) is the
    platform's C(expiryTime), else its creation time plus that retention.
  - O(api_version=2) rate limits, per Atlassian's v2 guide, are those above with policy updates at 10 a minute per
    organization; the activate request is not listed and is assumed to count as a policy update.
  - The legacy Backup Manager (site export zips) is out of scope. Atlassian deprecated its export and import REST calls
    from 30 March 2026; Jira's C(/rest/backup/1/export/runbackup) has since answered an API token with 403.
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
