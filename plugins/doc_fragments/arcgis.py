# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """ArcGIS Enterprise on Kubernetes connection and credential options."""

    DOCUMENTATION = r'''
options:
  url:
    description:
      - Base URL of the ArcGIS Enterprise on Kubernetes deployment, C(https://<fqdn>/<context>).
      - The admin API is used at C(<url>/admin), tokens are generated at C(<url>/sharing/rest/generateToken).
        A URL that ends with one of those API paths (C(/admin), C(/sharing/rest), C(/portaladmin)) is refused
        before any request.
      - If not set, the environment variable E(ARCGIS_URL) is used.
    type: str
    required: true
  username:
    description:
      - Administrator with the C(Security and infrastructure) privilege, used to generate a token.
      - If not set, the environment variable E(ARCGIS_USERNAME) is used.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the environment variable E(ARCGIS_PASSWORD) is used.
    type: str
  token:
    description:
      - An existing token to use instead of O(username) and O(password).
      - A generated token that expires during the run is renewed once; a given O(token) cannot be.
      - If not set, the environment variable E(ARCGIS_TOKEN) is used.
    type: str
attributes:
  action_group:
    description: Use C(group/saasops.backup.arcgis) or C(group/saasops.backup.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - saasops.backup.arcgis
      - saasops.backup.all
notes:
  - ArcGIS reports most errors inside HTTP 200 answers; the modules read every answer for them.
  - The token travels in the C(X-Esri-Authorization) header and, for POST requests, in the form body as the API requires.
  - The modules send the documented request forms (C(f=json) in the query of a GET, the token in the body of a POST),
    not the ones Esri's own command line tool gets away with (a token in C(Authorization) only, GET parameters in a body).
  - Answers are read as Esri's own client reads them; a job answer needs C(jobid) or C(jobsUrl), not C(status).
'''
