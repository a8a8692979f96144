# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """Jahia Cloud connection and credential options."""

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of Jahia Cloud. Actions are sent to C(<api_url>/modules/cloudAction/<action>.do), so a URL that
        ends with C(/modules/cloudAction) (or any C(/modules/...) path) is refused before any request.
      - If not set, the environment variable E(JAHIA_CLOUD_URL) is used, else V(https://jahia.cloud).
    type: str
    default: https://jahia.cloud
  api_token:
    description:
      - Personal API token (PAT) of a Jahia Cloud user, created in the Jahia Cloud UI. It is sent in the
        C(Authorization) header as C(APIToken <token>), never in a URL or a message. An empty token is refused
        before any request.
      - A personal API token expires, after 90 days unless another duration was chosen when it was generated, and each
        user has one, so generating a new token revokes the old one and every playbook that used it fails.
      - If not set, the environment variable E(JAHIA_CLOUD_TOKEN) is used.
    type: str
    required: true
  organization:
    description:
      - Name of the Jahia Cloud organization that holds the environment (assigned by Jahia, for example V(acme)).
      - If not set, the environment variable E(JAHIA_CLOUD_ORG) is used.
    type: str
    required: true
attributes:
  action_group:
    description: Use C(group/saasops.backup.jahia) or C(group/saasops.backup.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - saasops.backup.jahia
      - saasops.backup.all
notes:
  - Every call identifies the environment by its short domain C(<environment>-<organization>), built from the options.
  - Jahia Cloud answers some failures with HTTP 200 and a non-zero C(jcResponse); the modules report that code and
    the platform's message. The platform does not document what the codes mean.
  - The platform does not document how it answers a missing, wrong or expired token (UNCONFIRMED whether it is HTTP 401, a
    redirect to its login page, or its login page with HTTP 200). The modules report as a token failure that names the
    option O(api_token) an HTTP 401 or 403, any redirect (never followed), and an answer with HTTP 200 whose
    C(Content-Type) is not JSON or whose body does not parse as JSON. The message never holds the page, the token
    or a session cookie.
  - Only the token-based C(modules/cloudAction) API is used; the older session-cookie pages some CI scripts still call
    are never used; the modules authenticate with the token only.
'''
