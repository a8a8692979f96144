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
      - Mendix login name of the user whose API key is used (header C(Mendix-Username)). Every Deploy and Backups API
        call carries C(Mendix-Username), C(Mendix-ApiKey) and C(Content-Type) C(application/json), GET included, as the
        documented scripts send them. Personal access tokens do not work for the Backups API; there is no such option.
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
      - Backups API version. V(2) is current and asynchronous; V(1) is the first version.
      - Mendix has removed its Backups API v1 documentation (its address now leads to v2), so v1 may stop answering;
        whether it still does is not confirmed. This collection keeps supporting v1, as it was documented.
      - For V(2) the module resolves the app's project id and the environment id through the Deploy API.
      - Backups API v2 answered HTTP 404 C(ENVIRONMENT_NOT_FOUND) for Mendix 7 apps whose environment the Deploy API
        had just found, while v1 worked. The modules then fail saying v2 may not serve the app and to try
        O(api_version=1).
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
  - Free apps and sandboxes (an environment with C(Mode) C(Sandbox), or an app or environment C(Url) on C(mxapps.io))
    have no Backups API; the modules refuse them before any Backups call, with a message saying so. The platform does
    not document what it answers there (live clients saw bare HTTP 400 and 404).
'''
