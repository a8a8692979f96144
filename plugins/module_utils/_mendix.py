# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mendix Cloud: authentication, error shapes, apps and environments, Deploy API start/stop.

The backups of an environment (snapshots, archives, restores) are in _mendix_backups.py.
"""

from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._args import connection_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError, redact_url
from ansible_collections.saasops.backup.plugins.module_utils._path import check_options, join
from ansible_collections.saasops.backup.plugins.module_utils._waiter import StateTable

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
# The options that go into URL paths (of any Mendix module), checked before any request.
PATH_OPTIONS = ('app_id', 'environment', 'snapshot_id', 'source_environment', 'project_id', 'environment_id')
# The error codes of an environment read that mean "no such app or environment".
ENVIRONMENT_MISSING = ('ENVIRONMENT_NOT_FOUND', 'APP_NOT_FOUND', 'INVALID_ENVIRONMENT')
# Backups API v2 answered 404 ENVIRONMENT_NOT_FOUND for Mendix 7 apps whose ids the Deploy API had just
# resolved, while v1 worked (api/mendix.md, "Real clients" item 8): on a v2 path this is not "missing".
V2_NOT_SERVED = ('Backups API v2 may not serve this app (Mendix answered ENVIRONMENT_NOT_FOUND for Mendix 7 apps whose '
                 'environment the Deploy API had just found): try api_version: 1')
# Free apps run in a sandbox (Mode Sandbox, a Url on mxapps.io) without any Backups API (item 10).
SANDBOX_MODE = 'sandbox'
FREE_APP_DOMAIN = 'mxapps.io'


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


def _host(url):
    try:
        return (urlsplit(str(url or '')).hostname or '').lower()
    except ValueError:
        return ''


def is_free_app(env, app=None):
    """True for a sandbox (Mode Sandbox) or a free app (an app or environment Url on mxapps.io)."""
    urls = [env.get('Url')] + ([app.get('Url')] if app else [])
    on_free_domain = any(_host(url) == FREE_APP_DOMAIN or _host(url).endswith('.' + FREE_APP_DOMAIN) for url in urls)
    return str(env.get('Mode') or '').lower() == SANDBOX_MODE or on_free_domain


def check_backups_served(env, app_id, app=None):
    """InputError for a sandbox or free app, which has no Backups API, before any Backups call.

    Mendix does not document what the Backups API answers there; live clients saw raw 400s and 404s.
    """
    if is_free_app(env, app):
        url = env.get('Url') or (app or {}).get('Url')
        raise InputError("Mendix environment '%s' of app '%s' is a sandbox of a free app (Mode %s, Url %s): free apps "
                         "and sandboxes have no Backups API, so they cannot be snapshotted or restored through it; use "
                         "a licensed app's environment" % (env.get('Mode'), app_id, env.get('Mode'), url))


def is_production(env):
    """The Production flag (very old docs show it as the string "false") or the Production mode."""
    flag = env.get('Production')
    return flag is True or str(flag).lower() == 'true' or str(env.get('Mode', '')).lower() == 'production'


class Mendix(PlatformApi):
    """Deploy API v1 calls and the identifiers of one environment, for one module run."""

    PLATFORM = PLATFORM
    EXAMPLE_URL = DEFAULT_URL
    # api_url is the Deploy API's host; the API paths (/api/1, /api/v2) are added here, and a
    # pasted one makes every app and environment "not found".
    WRONG_URL_PATH = r'/api(/.*)?$'
    NOT_JSON_HINT = 'is api_url the Mendix Deploy API base, e.g. %s?' % DEFAULT_URL
    AUTH_HINT = ("check the options 'username' and 'api_key' (MENDIX_USERNAME / MENDIX_API_KEY) and that this user "
                 "has API Rights and Access to Backups on the app")
    # Stop and some other calls answer 200 with no body: that is "nothing to report", not an error.
    EMPTY_ANSWER = None

    def __init__(self, module):
        super(Mendix, self).__init__(module)
        self.app_id = self.params['app_id']
        self.mode = self.params['environment']
        self.version = self.params['api_version']

    def check_params(self, params):
        if not params.get('username') or not params.get('api_key'):
            raise InputError('Mendix credentials missing: set username and api_key (or MENDIX_USERNAME / MENDIX_API_KEY)')
        check_options(params, PATH_OPTIONS, plain=True)

    def auth_headers(self, params):
        # What the seed sends on every Deploy and Backups call, GET included (api/mendix.md, "Real
        # clients" item 5): Content-Type too. Sent to api_url's origin only, never to a download host.
        return {'Mendix-Username': params['username'], 'Mendix-ApiKey': params['api_key'], 'Accept': 'application/json',
                'Content-Type': 'application/json'}

    def hint(self, exc):
        if exc.code == 'ENVIRONMENT_NOT_FOUND' and '/api/v2/' in (exc.url or ''):
            return V2_NOT_SERVED
        return super(Mendix, self).hint(exc)

    def is_missing(self, exc):
        # A v2 ENVIRONMENT_NOT_FOUND is not a missing snapshot: the environment exists (see V2_NOT_SERVED).
        return exc.status == 404 and exc.code != 'ENVIRONMENT_NOT_FOUND'

    @staticmethod
    def parse_error(response):
        try:
            body = response.json()
        except ValueError:
            body = None
        return parse_error_body(body, response.text)

    # --- apps and environments ------------------------------------------------------------

    def app_path(self, *parts):
        return join('api', '1', 'apps', self.app_id, *parts)

    def env_path(self, mode=None, *parts):
        return self.app_path('environments', mode or self.mode, *parts)

    def app(self):
        """The app object (AppId, Name, ProjectId, Url)."""
        return self.get(self.app_path(), "read app '%s'" % self.app_id) or {}

    def project_id(self, app=None):
        """The app's ProjectId, which Backups API v2 paths take instead of the app id."""
        project = (self.app() if app is None else app).get('ProjectId')
        if not project:
            raise self.failure("read app '%s'" % self.app_id, 'the answer has no ProjectId')
        return project

    def environments(self):
        """Every environment object of the app."""
        return self.get(self.app_path('environments'), "list the environments of app '%s'" % self.app_id) or []

    def environment(self, mode=None):
        """The environment object (Status, EnvironmentId, Production, ModelVersion, ...).

        An unknown app or environment is an input error, reported with the environments that exist.
        """
        mode = mode or self.mode
        what = "environment '%s' of app '%s'" % (mode, self.app_id)
        try:
            return self.get(self.env_path(mode), 'read ' + what) or {}
        except PlatformError as exc:
            if exc.status != 404 and exc.code not in ENVIRONMENT_MISSING:
                raise
        raise self.no_such_environment(mode, self.app_environments())

    def no_such_environment(self, mode, envs):
        """The InputError for an environment that ``envs`` (the app's environments) does not hold."""
        known = ', '.join(str(e.get('Mode')) for e in envs) or 'none'
        return InputError("Mendix environment '%s' of app '%s' does not exist (environments: %s)"
                          % (mode, self.app_id, known))

    def app_environments(self):
        """``environments()``, with an unknown app (or an api_url that is no Deploy API) as an input error."""
        try:
            return self.environments()
        except PlatformError as exc:
            if exc.code is None and exc.status == 404:
                # Not a Mendix answer (no error code): the path itself does not exist.
                raise InputError("Mendix app '%s' was not found, and the HTTP 404 carries no Mendix error code: check "
                                 "api_url (%s), the Deploy API base without an API path (e.g. %s)"
                                 % (self.app_id, redact_url(self.url), DEFAULT_URL))
            if exc.status == 404 or exc.code == 'APP_NOT_FOUND':
                raise InputError("Mendix app '%s' does not exist or this user cannot see it (app_id is the app's "
                                 "subdomain, without -accp)" % self.app_id)
            raise

    def environment_in(self, envs, mode=None):
        """The environment ``mode`` names among ``envs`` (the app's environments list), or None.

        Modes are compared without case, as the environment read takes them (the Portal capitalises
        them; the API is assumed to accept any case).
        """
        mode = str(mode or self.mode).lower()
        return next((env for env in envs if isinstance(env, dict) and str(env.get('Mode') or '').lower() == mode), None)

    # --- Deploy API: stop and start -------------------------------------------------------

    def stop(self, mode):
        # Documented without a body; the emulator and, we assume, the platform answer 200 empty.
        # Stopping twice converges, so a lost answer may be re-sent.
        self.request('POST', self.env_path(mode, 'stop'), "stop environment '%s'" % mode, idempotent=True)

    def start(self, mode):
        """Start the environment; the start job id, or None when it was already started."""
        operation = "start environment '%s'" % mode
        try:
            body = self.request('POST', self.env_path(mode, 'start'), operation, json={'AutoSyncDb': True})
        except PlatformError as exc:
            if exc.code == 'ALREADY_STARTED':  # the older docs answer it with HTTP 500
                return None
            raise
        body = body or {}
        if parse_error_body(body)[0] == 'ALREADY_STARTED':  # the current docs answer it with HTTP 200
            return None
        if not body.get('JobId'):
            raise self.failure(operation, 'the answer has no JobId')
        return body['JobId']

    def start_status(self, mode, job_id):
        return self.get(self.env_path(mode, 'start', job_id),
                        "read start job '%s' of environment '%s'" % (job_id, mode)) or {}
