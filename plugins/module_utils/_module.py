# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module: common input checks, error mapping, the single retry warning."""

import contextlib
import math
import os

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.saasops.backup.plugins.module_utils._args import url_option
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError, redact_url
from ansible_collections.saasops.backup.plugins.module_utils._http import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    insecure_url_message,
)
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout

# An hour for one request to connect or to send its next bytes is already far beyond any vendor
# here; larger values (1e300) overflow the socket layer with a traceback instead of an error.
MAX_TIMEOUT = 3600.0
# A day of retrying one request is no longer "a transient failure"; the bound also keeps inf out.
MAX_RETRY_TIMEOUT = 86400.0


def _check_seconds(params, option, minimum, maximum, allow_zero=False):
    value = params.get(option)
    if value is None:
        return
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value >= minimum if allow_zero else value > minimum) and value <= maximum
    if not ok:
        if allow_zero:
            raise InputError('%s must be a number of seconds from %g to %g, got %s' % (option, minimum, maximum, value))
        raise InputError('%s must be a positive number of seconds, at most %g, got %s' % (option, maximum, value))


def _check_ca_path(params):
    ca_path = params.get('ca_path')
    if not ca_path or params.get('validate_certs') is False:
        return  # without validate_certs the file is not used
    if not os.path.exists(ca_path):
        raise InputError('ca_path %s does not exist: give the PEM file of the certificate authorities to trust' % ca_path)
    try:
        if os.path.isdir(ca_path):
            os.listdir(ca_path)  # requests accepts a directory of hashed certificates too
        else:
            with open(ca_path, 'rb') as handle:
                handle.read(1)
    except OSError as exc:
        raise InputError('ca_path %s cannot be read: %s' % (ca_path, exc.strerror or exc))


def base_url(params):
    """The API base URL option's name and value in these parameters."""
    option = url_option(params)
    return option, params.get(option)


def is_plain_http(url):
    return isinstance(url, str) and url.strip().lower().startswith('http://')


def check_common_options(params):
    """Reject connection and wait settings that cannot work, before any request."""
    _check_seconds(params, 'timeout', 0, MAX_TIMEOUT)
    _check_seconds(params, 'retry_timeout', 0, MAX_RETRY_TIMEOUT, allow_zero=True)
    if params.get('retries') is not None and params['retries'] < 0:
        raise InputError('retries must be 0 or more, got %s' % params['retries'])
    if params.get('wait_timeout') is not None and params['wait_timeout'] <= 0:
        raise InputError('wait_timeout must be a positive number of seconds, got %s' % params['wait_timeout'])
    option, url = base_url(params)
    if is_plain_http(url) and not params.get('allow_insecure_http'):
        raise InputError(insecure_url_message(option, url.strip()))
    _check_ca_path(params)


def insecure_http_warning(params):
    """The warning of a run that sends credentials over plain http:// (opted in), or None."""
    option, url = base_url(params)
    if is_plain_http(url) and params.get('allow_insecure_http'):
        return ('%s %s uses plain http:// (allow_insecure_http: true): the credentials travel in cleartext '
                'to whoever can read the network' % (option, redact_url(url.strip())))
    return None


def run_module(module, build_client, action, preflight=None):
    """Build the platform client, run ``action(client)`` and exit with its result dict.

    ``preflight(params)``, when given, runs before the client is built: a check that raises
    InputError there (e.g. the production guard) fails the run before any request, a token
    request included. Every failure leaves through here with a message naming the platform and
    operation; a run that needed retries says so once, in one warning.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    client = None
    failure = None
    result = None
    try:
        check_common_options(module.params)
        insecure = insecure_http_warning(module.params)
        if insecure:
            module.warn(insecure)
        if preflight is not None:
            preflight(module.params)
        client = build_client(module)
        result = action(client)
    except InputError as exc:
        failure = dict(carried(exc), msg=str(exc))
    except PlatformError as exc:
        failure = dict(carried(exc), msg=str(exc), error=exc.as_dict())
    except WaitTimeout as exc:
        failure = carried(exc)
        failure.update(msg=str(exc), elapsed=round(failure.get('elapsed', 0.0) + exc.elapsed, 3))
    summary = client.http.retry_summary() if client is not None else None
    if summary:
        module.warn(summary)
    if failure is not None:
        module.fail_json(**failure)
    module.exit_json(**result)


@contextlib.contextmanager
def reporting(result):
    """Inside, a failure leaves carrying ``result``, the run's result so far.

    What a run made before it failed is part of its answer: a backup created and then waited
    for past ``wait_timeout`` fails with ``changed: true`` and the backup's id, so a pipeline
    knows it exists and a later run can find it. ``run_module`` merges it into the failure.
    """
    try:
        yield result
    except (InputError, PlatformError, WaitTimeout) as exc:
        exc.result = result
        raise


def carried(exc):
    """A copy of the result a failing run carried out (see ``reporting``); {} when none."""
    return dict(getattr(exc, 'result', None) or {})
