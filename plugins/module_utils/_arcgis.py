# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ArcGIS Enterprise on Kubernetes: authentication, error shapes, DR paths and states.

Every request the ArcGIS modules send is a named operation here (``create_backup``,
``update_retention``, ``delete_backup``, ``start_restore``, the reads); the modules decide.
"""

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._api import RAISE, PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._args import connection_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._convert import iso_from_epoch_ms, snake_keys
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._path import check_options, join, segment_problem
from ansible_collections.saasops.backup.plugins.module_utils._waiter import StateTable

PLATFORM = 'ArcGIS'
DR = 'admin/system/disasterrecovery'
TOKEN_PATH = 'sharing/rest/generateToken'

# Token lifetime asked of generateToken, in minutes; a module run that outlives it gets
# a 498 and generates a new one once.
TOKEN_MINUTES = 60
# 498: invalid or expired token; 499: token required. Both arrive inside HTTP 200 bodies.
TOKEN_CODES = frozenset((498, 499))
MIN_PASSCODE = 8
URL_HINT = "check url: it is the deployment's base, https://<host>/<context> (e.g. https://gis.example.com/arcgis)"
CREDENTIALS_HINT = "check the options 'username' and 'password'"
TOKEN_HINT = "the token in option 'token' is invalid or expired"
PASSCODE_HINT = "check the option 'passcode': it must be the one given when the backup was created"

# Job states: the documented table plus 'TIMED OUT', which Esri's own tooling handles.
JOB_STATES = StateTable(success=('COMPLETED',), failure=('FAILED', 'CANCELLED', 'UNAVAILABLE', 'TIMED OUT'))
# A restore's job (the 12.0 guide: a restore "creates a job"; its shape is undocumented). It ends
# COMPLETED, or FAILED, CANCELLED or TIMED OUT as Esri's tooling reads jobs; everything else (SUBMITTED,
# EXECUTING, CANCELLING, and UNAVAILABLE, which a restoring organization may well be) is still running.
RESTORE_JOB_STATES = StateTable(success=('COMPLETED',), failure=('FAILED', 'CANCELLED', 'TIMED OUT'))
# Backup 'status': only 'completed' is documented; 'failed' is our assumption, and any
# other value (e.g. 'in_progress') counts as not finished.
BACKUP_STATES = StateTable(success=('completed',), failure=('failed',))
# The status of a backup whose job runs, as the platform reports it (seen, not documented): said of a backup whose
# create was just accepted, without reading it back.
STARTED = 'in_progress'
# DR status 'state' after a restore; the running value is undocumented (we see 'in_progress').
RESTORE_STATES = StateTable(success=('success', 'completed_with_warnings'), failure=('failed',))
# The keys that name a backup or a job in a body: their 'status' is the object's, not the call's.
OBJECT_KEYS = ('backupName', 'jobid', 'jobId', 'jobsUrl')
NOT_READY_HINT = 'set validate_store: false to skip this check'
# HTTP statuses of a gateway in front of an organization that is down (restoring itself).
DOWN_STATUSES = frozenset((502, 503, 504))


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


def parse_http_error(response):
    """``(code, message)`` of an answer with an error status (PlatformApi.parse_error)."""
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


def job_id(answer):
    """The job id of a submission answer: ``jobid``, else the last segment of ``jobsUrl`` (Esri's CLI reads only
    ``jobid``; the documented answer also has ``jobsUrl``, and ``status`` may be missing). None without either."""
    if not isinstance(answer, dict):
        return None
    jobid = answer.get('jobid') or answer.get('jobId')
    if not jobid and answer.get('jobsUrl'):
        jobid = str(answer['jobsUrl']).split('?', 1)[0].rstrip('/').rsplit('/', 1)[-1]
    return str(jobid) if jobid else None


def job_result(job):
    """A job as modules return it: snake_case keys, ``jobid`` always, and ``stages`` (``name``, ``state``,
    ``duration``) from ``result.stages`` of a finished job (empty while it runs)."""
    job = job or {}
    result = snake_keys(job)
    result['jobid'] = job_id(job)
    outcome = job.get('result')
    stages = outcome.get('stages') if isinstance(outcome, dict) else None
    result['stages'] = [dict((key, stage.get(key)) for key in ('name', 'state', 'duration'))
                        for stage in stages or [] if isinstance(stage, dict)]
    return result


def job_messages(job):
    """A job's ``messages`` as one text (a failed job says why there)."""
    return ' '.join(str(m) for m in (job or {}).get('messages') or [] if m) or 'no message'


def organization_down(exc):
    """An error that means the organization is unavailable for now, as it is while it restores itself:
    no connection or answer, a gateway's 502/503/504, or a body that is not JSON (a portal page)."""
    return isinstance(exc, PlatformError) and (
        exc.retryable or exc.status in DOWN_STATUSES or getattr(exc, 'not_json', False))


def bearer(token):
    return {'X-Esri-Authorization': 'Bearer %s' % token} if token else {}


class ArcGIS(PlatformApi):
    """ArcGIS Enterprise admin API calls for one module run."""

    PLATFORM = PLATFORM
    URL_OPTION = 'url'
    EXAMPLE_URL = 'https://gis.example.com/arcgis'
    # url is the deployment's base; users often paste the admin or sharing API URL below it, whose
    # requests then all answer "Not found" without saying which option is wrong.
    WRONG_URL_PATH = r'/(admin|sharing|portaladmin)(/.*)?$'
    # An HTML page instead of JSON: most often url points at the portal's home, not the deployment.
    NOT_JSON_HINT = URL_HINT
    parse_error = staticmethod(parse_http_error)

    def __init__(self, module):
        super(ArcGIS, self).__init__(module)
        self.token_given = bool(self.params.get('token'))
        self._set_token(self.params.get('token'))

    # --- declarations ---------------------------------------------------------------------

    def check_params(self, params):
        if not params.get('token') and not (params.get('username') and params.get('password')):
            raise InputError('ArcGIS credentials missing: set username and password (or ARCGIS_USERNAME / '
                             'ARCGIS_PASSWORD), or token (ARCGIS_TOKEN)')
        # Names that go into URL paths, checked before any request (a token request included).
        if params.get('name') is not None:
            check_name(params['name'])
        check_options(params, ('store',), plain=True)

    def auth_headers(self, params):
        return bearer(params.get('token'))

    def hint(self, exc):
        # ArcGIS answers its own errors with HTTP 200: a real 404 is a path that does not exist.
        if exc.status == 404:
            return URL_HINT
        if exc.code in TOKEN_CODES and self.token_given:
            return TOKEN_HINT
        url = exc.url or ''
        # generateToken refuses wrong credentials in a 200 body ("Unable to generate token.").
        if exc.status == 200 and url.endswith(TOKEN_PATH):
            return CREDENTIALS_HINT
        # A restore refused with code 400 and a message about the passcode: not the backup's passcode.
        if exc.code == 400 and url.endswith('/restore') and 'passcode' in (exc.message or '').lower():
            return PASSCODE_HINT
        return super(ArcGIS, self).hint(exc)

    def is_missing(self, exc):
        # The answer for a missing backup is undocumented: we take code 404 (in a 200 body) as absent.
        return exc.code == 404 or exc.status == 404

    def decode(self, response, method, operation):
        try:
            return super(ArcGIS, self).decode(response, method, operation)
        except PlatformError as exc:
            # Marked so that a wait through a restore can tell "the organization is down" (organization_down).
            exc.not_json = True
            raise

    def check_answer(self, body, response, method, operation):
        parsed = parse_error(body)
        if parsed:
            code, message, details = parsed
            # PlatformApi.request gives it the hint (see ``hint``) and maps "missing" (see ``is_missing``).
            raise self.failure(operation, message, response, method, code=code, details=details)

    # --- the token ------------------------------------------------------------------------

    def _set_token(self, token):
        self.token = token
        # No stale header either: generateToken must not be sent the expired token.
        self.http.auth_headers = bearer(token)
        if token:
            # Generated tokens are secrets too: keep them out of any output.
            self.module.no_log_values.add(token)

    def _generate_token(self):
        username = self.params.get('username')
        operation = "generate a token for user '%s'" % username
        body = super(ArcGIS, self).request(
            'POST', TOKEN_PATH, operation, idempotent=True,
            data={'username': username, 'password': self.params.get('password'), 'client': 'referer',
                  'referer': self.url, 'expiration': TOKEN_MINUTES, 'f': 'json'})
        if not body.get('token'):
            raise PlatformError(PLATFORM, operation, 'no token in the answer')
        self._set_token(body['token'])

    def request(self, method, path, operation, missing=RAISE, data=None, **kwargs):
        """One admin call with ``f=json`` and the token; a 498/499 renews a generated token once.

        ``missing`` covers the "does not exist" ArcGIS answers with HTTP 200 too (PlatformApi.request).
        """
        renewed = False
        while True:
            if not self.token:
                self._generate_token()
                renewed = True
            fields = dict(data or {}, f='json')
            if method == 'GET':
                kwargs['params'] = fields
            else:
                # The docs require the token in the body of every POST.
                kwargs['data'] = dict(fields, token=self.token)
            try:
                return super(ArcGIS, self).request(method, path, operation, missing=missing, **kwargs)
            except PlatformError as exc:
                if exc.code not in TOKEN_CODES or self.token_given or renewed:
                    raise
                self._set_token(None)

    # --- disaster recovery: reads -----------------------------------------------------------

    def stores(self):
        return self.get(DR + '/stores', 'list backup stores').get('backupStores') or []

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

    @staticmethod
    def backups_path(store, name=None, operation=None):
        return DR + '/' + join('stores', store, 'backups', *[part for part in (name, operation) if part])

    def backups(self, store):
        return self.get(self.backups_path(store), "list backups in store '%s'" % store).get('backups') or []

    def backup(self, store, name):
        """The backup object, or None when the store holds no backup of that name."""
        return self.get(self.backups_path(store, name), "read backup '%s' in store '%s'" % (name, store), missing=None)

    def job(self, jobid):
        return self.get(join('admin', 'jobs', jobid), "read job '%s'" % jobid)

    def dr_status(self):
        return self.get(DR + '/status', 'read the disaster recovery status').get('status') or {}

    def while_down(self, read):
        """``read()``, or None while the organization is down (organization_down): a restore makes it so."""
        try:
            return read()
        except PlatformError as exc:
            if organization_down(exc):
                return None
            raise

    def validate_store(self, store):
        """The pre-flight of a create: ``stores/<store>/validate`` must answer ``isReady: true``.

        Only the ready answer is documented (``{"isReady": true, ...}``); anything else - ``isReady`` false
        or missing, either error shape, an HTTP error - is "not ready", with the server's messages.
        The operation is a POST that changes nothing, so a lost answer is asked again.
        """
        operation = "validate backup store '%s'" % store
        try:
            body = self.request('POST', DR + '/' + join('stores', store, 'validate'), operation, idempotent=True)
        except PlatformError as exc:
            if exc.code in TOKEN_CODES:
                raise
            raise exc.restated('the store is not ready: %s' % exc.message, hint=exc.hint or NOT_READY_HINT)
        if body.get('isReady') is not True:
            messages = [str(m) for m in body.get('messages') or [] if m]
            raise PlatformError(PLATFORM, operation, 'the store is not ready: %s' % (
                ' '.join(messages) or 'the answer says isReady %s' % body.get('isReady')), hint=NOT_READY_HINT)
        return body

    # --- disaster recovery: writes ----------------------------------------------------------

    def create_backup(self, store, name, passcode, description=None, retention=None):
        """Start a backup job; the answer carries its ``jobid``. Not idempotent: see create_once."""
        data = {'name': name, 'passcode': passcode}
        if description:
            data['description'] = description
        if retention is not None:
            data['retentionDate'] = retention
        return self.request('POST', self.backups_path(store, operation='create'),
                            "create backup '%s' in store '%s'" % (name, store), data=data)

    def update_retention(self, store, name, retention):
        """Set the retention date (epoch ms, -1 = never); setting it twice converges."""
        return self.request('POST', self.backups_path(store, name, 'update'),
                            "update the retention date of backup '%s' in store '%s'" % (name, store),
                            data={'retentionDate': retention}, idempotent=True)

    def delete_backup(self, store, name):
        """True when deleted, False when it was already gone."""
        return self.remove('POST', self.backups_path(store, name, 'delete'),
                           "delete backup '%s' in store '%s'" % (name, store))

    def start_restore(self, store, name, passcode):
        """Start restoring the organization from a backup. Not idempotent: a second one would run after it.

        The answer is ``{"status": "success"}`` (the REST page), or a job as a create answers (the 12.0 guide
        says a restore creates a job; shape UNCONFIRMED): ``job_id`` tells which.
        """
        return self.request('POST', self.backups_path(store, name, 'restore'),
                            "restore backup '%s' in store '%s'" % (name, store), data={'passcode': passcode})


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
