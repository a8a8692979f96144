# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ArcGIS Enterprise on Kubernetes: authentication, error shapes, DR paths and states."""

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._args import client_options, connection_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._convert import iso_from_epoch_ms, snake_keys
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.plugins.module_utils._path import check_base_url, check_options, join, segment_problem
from ansible_collections.saasops.backup.plugins.module_utils._waiter import StateTable

PLATFORM = 'ArcGIS'
DR = 'admin/system/disasterrecovery'

# Token lifetime asked of generateToken, in minutes; a module run that outlives it gets
# a 498 and generates a new one once.
TOKEN_MINUTES = 60
# 498: invalid or expired token; 499: token required. Both arrive inside HTTP 200 bodies.
TOKEN_CODES = frozenset((498, 499))
MIN_PASSCODE = 8
# url is the deployment's base; users often paste the admin or sharing API URL below it, whose
# requests then all answer "Not found" without saying which option is wrong.
WRONG_URL_PATH = r'/(admin|sharing|portaladmin)(/.*)?$'
URL_HINT = "check url: it is the deployment's base, https://<host>/<context> (e.g. https://gis.example.com/arcgis)"

# Job states: the documented table plus 'TIMED OUT', which Esri's own tooling handles.
JOB_STATES = StateTable(success=('COMPLETED',), failure=('FAILED', 'CANCELLED', 'UNAVAILABLE', 'TIMED OUT'))
# Backup 'status': only 'completed' is documented; 'failed' is our assumption, and any
# other value (e.g. 'in_progress') counts as not finished.
BACKUP_STATES = StateTable(success=('completed',), failure=('failed',))
# DR status 'state' after a restore; the running value is undocumented (we see 'in_progress').
RESTORE_STATES = StateTable(success=('success', 'completed_with_warnings'), failure=('failed',))
# The keys that name a backup or a job in a body: their 'status' is the object's, not the call's.
OBJECT_KEYS = ('backupName', 'jobid', 'jobId')


def arcgis_argument_spec():
    spec = dict(
        url=dict(type='str', required=True, fallback=(env_fallback, ['ARCGIS_URL'])),
        username=dict(type='str', fallback=(env_fallback, ['ARCGIS_USERNAME'])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, ['ARCGIS_PASSWORD'])),
        token=dict(type='str', no_log=True, fallback=(env_fallback, ['ARCGIS_TOKEN'])),
    )
    spec.update(connection_argument_spec('ARCGIS'))
    return spec


def parse_error(body):
    """``(code, message, details)`` from either ArcGIS error shape, or None for a success body.

    ArcGIS reports errors with HTTP 200, as ``{"error": {...}}`` or as
    ``{"status": "error"|"failed", "messages": [...], "code": N}``, so every body is checked.
    A backup or a job has a ``status`` of its own, which may be ``failed`` too: a body that
    names an object (OBJECT_KEYS) describes that object, not a failed operation, so a failed
    backup can still be read, deleted or replaced.
    """
    if not isinstance(body, dict):
        return None
    error = body.get('error')
    if isinstance(error, dict):
        details = [str(d) for d in error.get('details') or [] if d]
        message = error.get('message') or 'unknown error'
        if details:
            message = '%s %s' % (message, ' '.join(details))
        return error.get('code'), message.strip(), details
    if any(key in body for key in OBJECT_KEYS):
        return None
    if str(body.get('status', '')).lower() in ('error', 'failed'):
        messages = [str(m) for m in body.get('messages') or [] if m]
        return body.get('code'), ' '.join(messages) or 'operation failed', messages
    return None


def _http_error_parser(response):
    try:
        parsed = parse_error(response.json())
    except ValueError:
        return None, None
    return (parsed[0], parsed[1]) if parsed else (None, None)


def already_exists(exc):
    """A create refused with 409: the name may be taken, by a run racing ours (the contract's answer
    to a duplicate; a restore in progress answers 409 too, so the caller reads to be sure)."""
    return 409 in (exc.code, exc.status)


def passcode_problem(passcode):
    if passcode is not None and len(passcode) < MIN_PASSCODE:
        return 'passcode must be at least %d characters long' % MIN_PASSCODE
    return None


def check_name(name, what='name'):
    """Reject backup names that cannot be one URL path segment.

    The platform does not document the characters allowed in backup names; we refuse what could
    change the URL or needs encoding ('.', '..', '/', '?', '#', '%', white space).
    """
    problem = segment_problem(name, plain=True)
    if problem:
        raise InputError("%s %r is not a valid ArcGIS backup name: %s (use letters, digits, '-', '_' or '.')"
                         % (what, name, problem))


class ArcGIS:
    """ArcGIS Enterprise admin API calls for one module run."""

    def __init__(self, module):
        params = module.params
        self.module = module
        self.url = params['url'].rstrip('/')
        if not self.url.lower().startswith(('https://', 'http://')):
            raise InputError("url must start with https:// (e.g. https://gis.example.com/context), got %r" % params['url'])
        self.username = params.get('username')
        self.password = params.get('password')
        if not params.get('token') and not (self.username and self.password):
            raise InputError('ArcGIS credentials missing: set username and password (or ARCGIS_USERNAME / '
                             'ARCGIS_PASSWORD), or token (ARCGIS_TOKEN)')
        check_base_url(self.url, 'url', WRONG_URL_PATH, 'https://gis.example.com/arcgis')
        # Names that go into URL paths, checked before any request (a token request included).
        if params.get('name') is not None:
            check_name(params['name'])
        check_options(params, ('store',), plain=True)
        self.http = HttpClient(PLATFORM, self.url, error_parser=_http_error_parser, **client_options(params))
        self._set_token(params.get('token'))
        self.token_given = bool(params.get('token'))

    def _set_token(self, token):
        self.token = token
        # No stale header either: generateToken must not be sent the expired token.
        self.http.auth_headers = {'X-Esri-Authorization': 'Bearer %s' % token} if token else {}
        if token:
            # Generated tokens are secrets too: keep them out of any output.
            self.module.no_log_values.add(token)

    def _generate_token(self):
        body = self._send('POST', 'sharing/rest/generateToken', "generate a token for user '%s'" % self.username,
                          data={'username': self.username, 'password': self.password, 'client': 'referer',
                                'referer': self.url, 'expiration': TOKEN_MINUTES, 'f': 'json'},
                          idempotent=True, hint="check the options 'username' and 'password'")
        if not body.get('token'):
            raise PlatformError(PLATFORM, "generate a token for user '%s'" % self.username, 'no token in the answer')
        self._set_token(body['token'])

    def _send(self, method, path, operation, params=None, data=None, idempotent=None, hint=None):
        try:
            response = self.http.request(method, path, operation, params=params, data=data, idempotent=idempotent)
        except PlatformError as exc:
            # ArcGIS answers its own errors with HTTP 200: a real 404 is a path that does not exist.
            if exc.status == 404:
                exc.message = '%s (%s)' % (exc.message, URL_HINT)
            raise
        try:
            body = response.json()
        except ValueError:
            raise PlatformError(PLATFORM, operation, 'the answer is not JSON (%s)' % URL_HINT, method=method,
                                url=response.url, status=response.status_code)
        parsed = parse_error(body)
        if parsed:
            code, message, details = parsed
            if hint:
                message = '%s (%s)' % (message, hint)
            raise PlatformError(PLATFORM, operation, message, method=method, url=response.url,
                                status=response.status_code, code=code, details=details)
        return body

    def call(self, method, path, operation, data=None, idempotent=None):
        """One admin call with ``f=json`` and the token; a 498/499 renews a generated token once."""
        renewed = False
        while True:
            if not self.token:
                self._generate_token()
                renewed = True
            fields = dict(data or {}, f='json')
            try:
                if method == 'GET':
                    return self._send('GET', path, operation, params=fields)
                # The docs require the token in the body of every POST.
                return self._send('POST', path, operation, data=dict(fields, token=self.token), idempotent=idempotent)
            except PlatformError as exc:
                if exc.code not in TOKEN_CODES:
                    raise
                if self.token_given:
                    exc.message += " (the token in option 'token' is invalid or expired)"
                    raise
                if renewed:
                    raise
                self._set_token(None)

    # --- disaster recovery resources -------------------------------------------------

    def stores(self):
        return self.call('GET', DR + '/stores', 'list backup stores').get('backupStores') or []

    def resolve_store(self, name=None, stores=None):
        """The named store, or the default one; InputError when there is no such store."""
        stores = self.stores() if stores is None else stores
        for store in stores:
            if (name and store.get('name') == name) or (not name and store.get('default') is True):
                return store['name']
        known = ', '.join(sorted(str(s.get('name')) for s in stores)) or 'none'
        if name:
            raise InputError("ArcGIS backup store '%s' does not exist (stores: %s)" % (name, known))
        raise InputError('ArcGIS has no default backup store; set the option store (stores: %s)' % known)

    def backups_path(self, store, name=None, operation=None):
        return DR + '/' + join('stores', store, 'backups', *[part for part in (name, operation) if part])

    def backups(self, store):
        return self.call('GET', self.backups_path(store), "list backups in store '%s'" % store).get('backups') or []

    def backup(self, store, name):
        """The backup object, or None when the store holds no backup of that name."""
        try:
            return self.call('GET', self.backups_path(store, name), "read backup '%s' in store '%s'" % (name, store))
        except PlatformError as exc:
            # The answer for a missing backup is undocumented: we take code 404 as absent.
            if exc.code == 404 or exc.status == 404:
                return None
            raise

    def job(self, jobid):
        return self.call('GET', join('admin', 'jobs', jobid), "read job '%s'" % jobid)

    def dr_status(self):
        return self.call('GET', DR + '/status', 'read the disaster recovery status').get('status') or {}


def backup_result(backup):
    """A backup as modules return it: snake_case, with ISO 8601 times beside the epoch values."""
    if backup is None:
        return {}
    result = snake_keys(backup)
    result['name'] = backup.get('backupName')
    result['store'] = backup.get('backupStore')
    for key in ('start_time', 'complete_time', 'retention_date'):
        if key in result:
            result[key + '_iso'] = iso_from_epoch_ms(result[key])
    return result


def status_result(status):
    result = snake_keys(status or {})
    for key in ('start_time', 'complete_time'):
        if key in result:
            result[key + '_iso'] = iso_from_epoch_ms(result[key])
    return result
