# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """Connection options shared by every module."""

    DOCUMENTATION = r'''
options:
  validate_certs:
    description:
      - Verify the server's TLS certificate.
      - Set to V(false) only against a test system; credentials then travel to whoever answers.
      - If not set, the environment variable of the module's platform is used, E(ARCGIS_VALIDATE_CERTS),
        E(ATLASSIAN_VALIDATE_CERTS), E(JAHIA_CLOUD_VALIDATE_CERTS) or E(MENDIX_VALIDATE_CERTS), else V(true).
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authorities to trust instead of the system's, for a private CA.
      - A file that does not exist or cannot be read fails the module before any request.
      - If not set, the environment variable of the module's platform is used, E(ARCGIS_CA_PATH),
        E(ATLASSIAN_CA_PATH), E(JAHIA_CLOUD_CA_PATH) or E(MENDIX_CA_PATH).
    type: path
  timeout:
    description:
      - Seconds to wait for the server on each request (connect and each read), more than V(0) and at most V(3600).
    type: float
    default: 30.0
  retry_timeout:
    description:
      - Seconds during which a request that met a transient failure (connection error, HTTP 429, 502, 503, 504)
        is retried, counted from its first attempt. Attempts are spaced by an exponential backoff with jitter
        (from about 1 second up to 30 seconds), or by the server's C(Retry-After) when it sends one (at most
        120 seconds). Retrying stops when the next wait would end after this time; V(0) turns retries off.
        At most V(86400).
      - Reads are retried after any of these failures. A request that creates or starts something is re-sent
        only when the server certainly did not act on it (HTTP 429 or 503, or a connection that was never
        made); when its answer was lost, the module first reads again whether the object exists, so nothing
        is ever created twice.
      - A run that needed retries says so in one warning, with the number of retries and the seconds waited.
    type: float
    default: 300.0
  retries:
    description:
      - At most this many retries of one request, on top of the time limit O(retry_timeout).
      - If not set, only O(retry_timeout) limits them. V(0) turns retries off.
    type: int
  allow_insecure_http:
    description:
      - Accept a plain C(http://) URL for the API. Without it such a URL fails the module before any request.
      - With V(true) the credentials (token, API key, password or HTTP Basic authentication) and everything the
        API answers travel in cleartext, readable and alterable by anyone on the network path. Use it only
        against a local test system; every run that uses it says so in a warning.
    type: bool
    default: false
notes:
  - Redirects from the API are never followed, as they could take the credentials elsewhere; the module fails
    and says where the redirect pointed.
requirements:
  - requests
'''
