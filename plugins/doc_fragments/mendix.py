# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """Mendix Cloud connection, credential and environment options."""

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the Mendix Deploy API. Backups API v1 calls go to C(<api_url>/api/1), v2 calls to C(<api_url>/api/v2),
        so a URL that ends with an API path (C(/api), C(/api/1), C(/api/v2), ...) is refused before any request.
      - If not set, the environment variable E(MENDIX_DEPLOY_URL) is used, else V(https://deploy.mendix.com).
    type: str
    default: https://deploy.mendix.com
  username:
    description:
      - Mendix login name of the user whose API key is used (header C(Mendix-Username)).
      - The user needs API Rights on the app, and Access to Backups for Backups API v2.
      - If not set, the environment variable E(MENDIX_USERNAME) is used.
    type: str
  api_key:
    description:
      - That user's API key (header C(Mendix-ApiKey)). It is sent only to O(api_url), never to a download host.
      - If not set, the environment variable E(MENDIX_API_KEY) is used.
    type: str
  app_id:
    description:
      - The app's subdomain, as in C(https://<app_id>.mendixcloud.com), without C(-accp).
      - Like every Mendix name or id that goes into a URL path (O(environment), and the snapshot ids), V(.), V(..)
        and values with C(/), a backslash, C(?), C(#), C(%) or white space are refused before any request.
    type: str
    required: true
  environment:
    description:
      - The environment, V(Test), V(Acceptance), V(Production) or a flexible environment's name.
    type: str
    required: true
  api_version:
    description:
      - Backups API version. V(2) is current and asynchronous; V(1) is the first documented version,
        still in use.
      - For V(2) the module resolves the app's project id and the environment id through the Deploy API.
    type: int
    choices: [1, 2]
    default: 2
attributes:
  action_group:
    description: Use C(group/saasops.backup.mendix) or C(group/saasops.backup.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - saasops.backup.mendix
      - saasops.backup.all
notes:
  - The platform does not document the keys of its error bodies; the modules read C(errorCode) and C(errorMessage)
    in any casing and fall back to the HTTP status and the answer's text.
  - No rate limits are documented; HTTP 429 is retried like any transient failure.
'''
