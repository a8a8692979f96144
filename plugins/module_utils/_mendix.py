# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mendix Cloud: authentication, error shapes, environment resolution, Deploy API start/stop."""

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._args import client_options, connection_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError, redact_url
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.plugins.module_utils._path import check_base_url, check_options, join
from ansible_collections.saasops.backup.plugins.module_utils._waiter import StateTable, Waiter

PLATFORM = 'Mendix'
DEFAULT_URL = 'https://deploy.mendix.com'
# Snapshot, archive and restore jobs of Backups API v2 (and v1 snapshot States, lower-cased).
JOB_STATES = StateTable(success=('completed',), failure=('failed',))
# 'Empty' (nothing deployed) and 'NotRunning' (named in the Clean docs) are stopped too; any other
# status, known ('Running') or not ('Starting', 'Stopping', ...), counts as not stopped yet.
STOPPED_STATUSES = ('Stopped', 'Empty', 'NotRunning')
STOPPED = StateTable(success=STOPPED_STATUSES, failure=())
START_STATES = StateTable(success=('Started',), failure=())
# Creating a snapshot or a restore while another job runs: retryable after a delay.
BUSY = 'ENVIRONMENT_BUSY'
# api_url is the Deploy API's host; the API paths (/api/1, /api/v2) are added by the modules, and a
# pasted one makes every app and environment "not found".
WRONG_URL_PATH = r'/api(/.*)?$'
# The options that go into URL paths (of any Mendix module), checked before any request.
PATH_OPTIONS = ('app_id', 'environment', 'snapshot_id', 'source_environment')
AUTH_HINT = ("check the options 'username' and 'api_key' (MENDIX_USERNAME / MENDIX_API_KEY) and that this user "
             "has API Rights and Access to Backups on the app")


def mendix_argument_spec():
    spec = dict(
        api_url=dict(type='str', default=DEFAULT_URL, fallback=(env_fallback, ['MENDIX_DEPLOY_URL'])),
        username=dict(type='str', fallback=(env_fallback, ['MENDIX_USERNAME'])),
        api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['MENDIX_API_KEY'])),
        app_id=dict(type='str', required=True),
        environment=dict(type='str', required=True),
        api_version=dict(type='int', default=2, choices=[1, 2]),
    )
    spec.update(connection_argument_spec('MENDIX'))
    return spec


def _first(body, *keys):
    for key in keys:
        if body.get(key) not in (None, ''):
            return body[key]
    return None


def parse_error_body(body, text=''):
    """``(code, message)`` from a Mendix error body.

    The platform does not document the error keys; this module reads ``errorCode``/``errorMessage``
    in any casing (and ``code``/``message``), and falls back to the plain text of the answer.
    """
    if isinstance(body, dict):
        code = _first(body, 'errorCode', 'ErrorCode', 'error_code', 'code')
        message = _first(body, 'errorMessage', 'ErrorMessage', 'error_message', 'message', 'error')
        if isinstance(message, dict):  # another server's {"error": {"code", "message"}} (a wrong api_url)
            code, message = None, message.get('message')
        if code is not None or message is not None:
            return code, None if message is None else str(message)
    text = (text or '').strip()
    return None, (text[:300] if text and not text.startswith('<') else None)


def _http_error_parser(response):
    try:
        body = response.json()
    except ValueError:
        body = None
    return parse_error_body(body, response.text)


def is_production(env):
    """The Production flag (very old docs show it as the string "false") or the Production mode."""
    flag = env.get('Production')
    return flag is True or str(flag).lower() == 'true' or str(env.get('Mode', '')).lower() == 'production'


class Mendix:
    """Deploy API v1 calls and the identifiers of one environment, for one module run."""

    def __init__(self, module):
        params = module.params
        self.module = module
        self.app_id = params['app_id']
        self.mode = params['environment']
        self.version = params['api_version']
        url = (params['api_url'] or '').rstrip('/')
        if not url.lower().startswith(('https://', 'http://')):
            raise InputError("api_url must start with https:// (e.g. %s), got %r" % (DEFAULT_URL, params['api_url']))
        if not params.get('username') or not params.get('api_key'):
            raise InputError('Mendix credentials missing: set username and api_key (or MENDIX_USERNAME / MENDIX_API_KEY)')
        check_base_url(url, 'api_url', WRONG_URL_PATH, DEFAULT_URL)
        check_options(params, PATH_OPTIONS, plain=True)
        self.http = HttpClient(PLATFORM, url, error_parser=_http_error_parser, **client_options(params))
        self.http.auth_headers = {'Mendix-Username': params['username'], 'Mendix-ApiKey': params['api_key'],
                                  'Accept': 'application/json'}
        self._project_id = None
        self.waiter = Waiter  # replaced by unit tests with a fake clock

    def call(self, method, path, operation, json=None, params=None, idempotent=None, ok_statuses=None):
        """One API call; returns the JSON body (None when empty or not JSON)."""
        try:
            response = self.http.request(method, path, operation, json=json, params=params, idempotent=idempotent,
                                         ok_statuses=ok_statuses)
        except PlatformError as exc:
            if exc.status in (401, 403):
                exc.message = '%s (%s)' % (exc.message, AUTH_HINT)
            raise
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise PlatformError(PLATFORM, operation, 'the answer is not JSON (is api_url the Mendix Deploy API base, '
                                'e.g. %s?)' % DEFAULT_URL, method=method, url=response.url, status=response.status_code)

    # --- identifiers -------------------------------------------------------------------

    def env_path(self, mode=None):
        return join('api', '1', 'apps', self.app_id, 'environments', mode or self.mode)

    def project_id(self):
        if self._project_id is None:
            app = self.call('GET', join('api', '1', 'apps', self.app_id), "read app '%s'" % self.app_id)
            self._project_id = (app or {}).get('ProjectId')
            if not self._project_id:
                raise PlatformError(PLATFORM, "read app '%s'" % self.app_id, 'the answer has no ProjectId')
        return self._project_id

    def environment(self, mode=None):
        """The environment object (Status, EnvironmentId, Production, ModelVersion, ...).

        An unknown app or environment is an input error, reported with the environments that exist.
        """
        mode = mode or self.mode
        what = "environment '%s' of app '%s'" % (mode, self.app_id)
        try:
            return self.call('GET', self.env_path(mode), 'read ' + what) or {}
        except PlatformError as exc:
            if exc.status != 404 and exc.code not in ('ENVIRONMENT_NOT_FOUND', 'APP_NOT_FOUND', 'INVALID_ENVIRONMENT'):
                raise
        try:
            envs = self.call('GET', join('api', '1', 'apps', self.app_id, 'environments'),
                             "list the environments of app '%s'" % self.app_id) or []
        except PlatformError as exc:
            if exc.code is None and exc.status == 404:
                # Not a Mendix answer (no error code): the path itself does not exist.
                raise InputError("Mendix app '%s' was not found, and the HTTP 404 carries no Mendix error code: check "
                                 "api_url (%s), the Deploy API base without an API path (e.g. %s)"
                                 % (self.app_id, redact_url(self.http.base_url.rstrip('/')), DEFAULT_URL))
            if exc.status == 404 or exc.code == 'APP_NOT_FOUND':
                raise InputError("Mendix app '%s' does not exist or this user cannot see it (app_id is the app's "
                                 "subdomain, without -accp)" % self.app_id)
            raise
        known = ', '.join(str(e.get('Mode')) for e in envs) or 'none'
        raise InputError('Mendix %s does not exist (environments: %s)' % (what, known))

    def v2_path(self, env):
        return join('api', 'v2', 'apps', self.project_id(), 'environments', env.get('EnvironmentId'))

    # --- Deploy API: stop and start ---------------------------------------------------

    def stop(self, mode):
        # Documented without a body; the emulator and, we assume, the platform answer 200 empty.
        self.call('POST', self.env_path(mode) + '/stop', "stop environment '%s'" % mode, idempotent=True)

    def start(self, mode):
        """Start the environment; the start job id, or None when it was already started."""
        operation = "start environment '%s'" % mode
        try:
            body = self.call('POST', self.env_path(mode) + '/start', operation, json={'AutoSyncDb': True})
        except PlatformError as exc:
            if exc.code == 'ALREADY_STARTED':  # the older docs answer it with HTTP 500
                return None
            raise
        body = body or {}
        if parse_error_body(body)[0] == 'ALREADY_STARTED':  # the current docs answer it with HTTP 200
            return None
        if not body.get('JobId'):
            raise PlatformError(PLATFORM, operation, 'the answer has no JobId')
        return body['JobId']

    def start_status(self, mode, job_id):
        return self.call('GET', '%s/%s' % (self.env_path(mode), join('start', job_id)),
                         "read start job '%s' of environment '%s'" % (job_id, mode)) or {}

    def wait_until(self, timeout, what, poll, table, key):
        """Wait until ``table`` says ``poll()[key]`` succeeded; returns ``(obj, elapsed)``."""
        obj, dummy, elapsed = self.waiter(timeout).wait(
            what, poll, lambda o: table.outcome((o or {}).get(key)), lambda o: "%s '%s'" % (key, (o or {}).get(key)))
        return obj, elapsed
