# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument specs shared by every module (documented in the connection and wait doc fragments)."""

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._retry import DEFAULT_RETRY_TIMEOUT

# The option that holds the API's base URL: ArcGIS calls it url, the other platforms api_url.
URL_OPTIONS = ('api_url', 'url')


def connection_argument_spec(env_prefix=None):
    """The connection options; with ``env_prefix`` (e.g. ``ARCGIS``) ``ca_path`` and ``validate_certs``
    fall back to ``<prefix>_CA_PATH`` and ``<prefix>_VALIDATE_CERTS``."""
    spec = dict(
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='float', default=30.0),
        retries=dict(type='int'),
        retry_timeout=dict(type='float', default=DEFAULT_RETRY_TIMEOUT),
        allow_insecure_http=dict(type='bool', default=False),
    )
    if env_prefix:
        spec['validate_certs']['fallback'] = (env_fallback, ['%s_VALIDATE_CERTS' % env_prefix])
        spec['ca_path']['fallback'] = (env_fallback, ['%s_CA_PATH' % env_prefix])
    return spec


def wait_argument_spec(wait_timeout=1800):
    return dict(
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=wait_timeout),
    )


def url_option(params):
    """The name of the option that holds the API base URL in these parameters."""
    return next((name for name in URL_OPTIONS if name in params), URL_OPTIONS[0])


def client_options(params):
    """The HttpClient keyword arguments taken from a module's parameters."""
    return dict(validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                timeout=params['timeout'], retries=params.get('retries'),
                retry_timeout=params.get('retry_timeout'),
                allow_insecure_http=bool(params.get('allow_insecure_http')),
                url_option=url_option(params))


def require_text(params, options):
    """InputError naming every one of ``options`` that is unset, empty or only white space.

    All empty options are named at once (``cloud_id, name must not be empty``), so one run
    tells the user everything to fix.
    """
    empty = [option for option in options if not (params.get(option) or '').strip()]
    if empty:
        raise InputError('%s must not be empty' % ', '.join(empty))
