# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module: common input checks, error mapping, the single retry warning."""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.saasops.backup.plugins.module_utils._waiter import WaitTimeout


def check_common_options(params):
    """Reject connection and wait settings that cannot work, before any request."""
    if params.get('timeout') is not None and params['timeout'] <= 0:
        raise InputError('timeout must be a positive number of seconds, got %s' % params['timeout'])
    if params.get('retries') is not None and params['retries'] < 0:
        raise InputError('retries must be 0 or more, got %s' % params['retries'])
    if params.get('wait_timeout') is not None and params['wait_timeout'] <= 0:
        raise InputError('wait_timeout must be a positive number of seconds, got %s' % params['wait_timeout'])


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
        if preflight is not None:
            preflight(module.params)
        client = build_client(module)
        result = action(client)
    except InputError as exc:
        failure = dict(msg=str(exc))
    except PlatformError as exc:
        failure = dict(msg=str(exc), error=exc.as_dict())
    except WaitTimeout as exc:
        failure = dict(msg=str(exc), elapsed=exc.elapsed)
    summary = client.http.retry_summary() if client is not None else None
    if summary:
        module.warn(summary)
    if failure is not None:
        module.fail_json(**failure)
    module.exit_json(**result)
