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
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authorities to trust instead of the system's, for a private CA.
    type: path
  timeout:
    description:
      - Seconds to wait for the server on each request (connect and each read).
    type: float
    default: 30.0
  retries:
    description:
      - How many times a request is retried after a transient failure (connection error,
        HTTP 429, 502, 503, 504), with exponential backoff and jitter, honouring C(Retry-After).
      - A request that creates something is never re-sent blindly once it may have reached the
        server; the module first reads again whether the object exists.
      - A run that needed retries says so in one warning.
    type: int
    default: 3
requirements:
  - requests
'''
