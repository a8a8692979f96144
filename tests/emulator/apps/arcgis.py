"""ArcGIS Enterprise on Kubernetes, Enterprise Administrator API (disaster recovery), over HTTP.

Implements the "Contract decisions" of api/arcgis.md: ``{url}`` is ``<api_base>/arcgis``; tokens from
``sharing/rest/generateToken``; admin under ``{url}/admin``.  Like the real server it answers errors
with HTTP 200 and a JSON body, in the ``{"error": {...}}`` shape for resources (reads) and the
``{"status": "error", ...}`` shape for POST operations; only unknown paths get a real 404, and the
organization answers a real 503 while a restore makes it unavailable.

What real clients taught us ("Real clients and current vendor state" in api/arcgis.md), each a config knob:
``f`` and ``token`` are also read from the form body of a GET (Esri's CLI sends them there) and a token
in ``Authorization`` alone is accepted; ``create_answer`` leaves ``status`` (or ``jobid``) out of the
create answer; ``job_end`` ends jobs FAILED, CANCELLED or TIMED OUT with ``messages``; ``restore_answer``
answers a restore with a job; ``restore_stale_seconds`` keeps the DR status on the operation before a
restore for a while, and ``restore_status_glitches`` then answers the next status reads 502, 503 and an
HTML page with HTTP 200 (dropped connections come from the fault registry: add a ``drop_before`` fault
on ``/disasterrecovery/status$``); ``store_ready`` makes ``stores/<store>/validate`` answer not ready.

Organizations (``/arcgis``, ``/arcgis2``) are independent, except for stores seeded with ``"shared": true``: a
shared store of one name holds the same backups in every organization that registers it, as one storage location
registered by two deployments, so a backup made by one organization can be restored into the other.
"""

import re
import weakref

from apps.arcgis_model import ApiError, Organization
from apps.base import App
from wire import html_page, html_response, json_response

RESOURCE, OPERATION, TOKEN = 'resource', 'operation', 'token'
_STORE = r'/admin/system/disasterrecovery/stores/(?P<store>[^/]+)'
# (path after the prefix, kind, handler method); first full match wins, so "create" precedes "<backup>".
ROUTES = [(re.compile(pattern), kind, handler) for pattern, kind, handler in (
    (r'/sharing/rest/generateToken', TOKEN, 'generate_token'),
    (r'/admin', RESOURCE, 'admin_root'),
    (r'/admin/system/disasterrecovery', RESOURCE, 'dr_root'),
    (r'/admin/system/disasterrecovery/status', RESOURCE, 'dr_status'),
    (r'/admin/system/disasterrecovery/settings', RESOURCE, 'dr_settings'),
    (r'/admin/system/disasterrecovery/stores', RESOURCE, 'stores'),
    (_STORE, RESOURCE, 'store'),
    (_STORE + r'/validate', OPERATION, 'validate'),
    (_STORE + r'/backups', RESOURCE, 'backups'),
    (_STORE + r'/backups/create', OPERATION, 'create'),
    (_STORE + r'/backups/(?P<backup>[^/]+)', RESOURCE, 'backup'),
    (_STORE + r'/backups/(?P<backup>[^/]+)/update', OPERATION, 'update'),
    (_STORE + r'/backups/(?P<backup>[^/]+)/delete', OPERATION, 'delete'),
    (_STORE + r'/backups/(?P<backup>[^/]+)/restore', OPERATION, 'restore'),
    (r'/admin/jobs', RESOURCE, 'jobs'),
    (r'/admin/jobs/(?P<jobid>[^/]+)', RESOURCE, 'job'),
)]
CHOICES = {'backup_result': ('completed', 'failed'), 'restore_result': ('success', 'completed_with_warnings', 'failed'),
           # The create answer: as documented; without 'status' (Esri's CLI reads only 'jobid'); only 'jobsUrl'.
           'create_answer': ('full', 'no_status', 'jobs_url_only'),
           # A restore answers {"status": "success"} (the REST page) or a job (the 12.0 guide: "creates a job").
           'restore_answer': ('status', 'job'),
           # 'normal': a job ends COMPLETED or FAILED with its operation; else it ends this way (a failed operation).
           'job_end': ('normal', 'FAILED', 'CANCELLED', 'TIMED OUT')}
# What the DR status answers, in this order, once a stale status is over (restore_status_glitches): a gateway
# error, the organization unavailable, and an HTML page with HTTP 200 (a portal page while the admin API is down).
STATUS_GLITCHES = (502, 503, 'html')
# The backups of shared stores, one dict per emulator (its clock), seen by every ArcGIS organization of it.
SHARED_LOCATIONS = weakref.WeakKeyDictionary()
TOKEN_MESSAGES = {499: ('Token Required', 'Unauthorized access. Token not found. You can generate a token using the generateToken operation.'),
                  498: ('Invalid Token', 'Invalid token.')}


def error_body(kind, code, message, details=None):
    """The two ArcGIS error shapes, both sent with HTTP 200."""
    if kind == OPERATION:
        return {'status': 'error', 'messages': [message], 'code': code}
    return {'error': {'code': code, 'message': message, 'details': list(details or [])}}


def request_token(request):
    """The token from form, query, X-Esri-Authorization or Authorization (Bearer), in that order."""
    for value in (request.form_value('token'), request.query_value('token')):
        if value:
            return value
    for header in ('X-Esri-Authorization', 'Authorization'):
        scheme, dummy, value = request.headers.get(header, '').partition(' ')
        if scheme.lower() == 'bearer' and value.strip():
            return value.strip()
    return None


def _epoch_ms(value, default):
    """Parse an epoch-ms form value; -1 means never expires."""
    if value in (None, ''):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, "Invalid retentionDate '%s': expected epoch milliseconds or -1." % value) from None
    if number != -1 and number <= 0:
        raise ApiError(400, "Invalid retentionDate '%s': expected epoch milliseconds or -1." % value)
    return number


class ArcgisApp(App):
    name = 'arcgis'
    prefix = '/arcgis'
    CONFIG_CHOICES = CHOICES
    DEFAULT_CONFIG = {
        'job_seconds': 2.0,                  # duration of a backup job
        'backup_result': 'completed',        # or 'failed'
        'restore_seconds': 3.0,              # duration of a restore
        'restore_unavailable_seconds': 1.0,  # first part of a restore during which /arcgis/admin answers HTTP 503
        'restore_result': 'success',         # or 'completed_with_warnings' / 'failed'
        'token_ttl_seconds': 3600.0,         # upper bound on a token's lifetime
        'create_answer': 'full',             # or 'no_status' / 'jobs_url_only' (CHOICES)
        'restore_answer': 'status',          # or 'job'
        'job_end': 'normal',                 # or 'FAILED' / 'CANCELLED' / 'TIMED OUT'
        'restore_stale_seconds': 0.0,        # after a restore is accepted, the DR status shows the operation before it this long
        'restore_status_glitches': False,    # then the next DR status reads answer 502, 503 and an HTML page
        'store_ready': True,                 # stores/<store>/validate answers isReady true, or not ready
    }

    def __init__(self, clock):
        self.shared = SHARED_LOCATIONS.setdefault(clock, {})
        super().__init__(clock)

    def reset(self):
        super().reset()
        with self.lock:
            # A reset of the emulator resets every organization, so every shared store is emptied too.
            self.shared.clear()
            self.org = Organization(self.shared)
            self.glitches = []  # the answers still due to DR status reads after a stale status

    def seed(self, data):
        if not isinstance(data, dict):
            raise ValueError('arcgis seed must be an object')
        with self.lock:
            self.org.seed(data, self.clock.now(), self.config['job_seconds'], self._backup_outcome())

    def state(self):
        with self.lock:
            return dict(super().state(), **self.org.dump(self.clock.now()))

    def control(self, request, subpath):
        # Simulates every token issued so far expiring at once (e.g. mid-run); new tokens work again.
        if subpath == '/expire-tokens' and request.method == 'POST':
            with self.lock:
                return json_response({'expired': self.org.expire_tokens()})
        return super().control(request, subpath)

    def _job_end(self):
        return None if self.config['job_end'] == 'normal' else self.config['job_end']

    def _backup_outcome(self):
        return 'success' if self.config['backup_result'] == 'completed' else 'failed'

    # -- HTTP dispatch -----------------------------------------------------------------------------
    def handle(self, request):
        subpath = request.path[len(self.prefix):].rstrip('/')
        for pattern, kind, handler in ROUTES:
            match = pattern.fullmatch(subpath)
            if match:
                break
        else:
            return None
        with self.lock:
            now = self.clock.now()
            if subpath.startswith('/admin') and self.org.unavailable(now, self.config['restore_unavailable_seconds']):
                return html_response(html_page('503 Service Temporarily Unavailable', 'The organization is being restored.'), 503)
            if handler == 'dr_status' and self.glitches and not self.org.status_stale(now):
                return self._glitch(self.glitches.pop(0))
            # f (and token, request_token) may come in the query, or in a form body even on a GET (Esri's CLI).
            if request.param('f') not in ('json', 'pjson'):
                # Without f=json the real server renders its HTML admin directory.
                return html_response(html_page('ArcGIS Enterprise Administrator Directory', 'Append f=json for JSON.'))
            if kind != RESOURCE and request.method != 'POST':
                return json_response(error_body(RESOURCE, 405, 'Method not supported. This operation requires a POST request.'))
            if kind != TOKEN:
                token = request_token(request)
                code = 499 if not token else (None if self.org.token_valid(token, now) else 498)
                if code:
                    title, message = TOKEN_MESSAGES[code]
                    return json_response(error_body(kind, code, message if kind == OPERATION else title))
            try:
                return json_response(getattr(self, 'do_' + handler)(request, now, **match.groupdict()))
            except ApiError as exc:
                if kind == TOKEN:
                    return json_response(error_body(RESOURCE, 400, 'Unable to generate token.', [exc.message]))
                return json_response(error_body(kind, exc.code, exc.message))

    @staticmethod
    def _glitch(kind):
        if kind == 'html':
            return html_response(html_page('ArcGIS Enterprise', 'Sign in to ArcGIS Enterprise.'))
        return html_response(html_page('%d Service Unavailable' % kind if kind == 503 else '%d Bad Gateway' % kind), kind)

    # -- handlers: each returns the JSON body or raises ApiError; called with the lock held ---------
    def do_generate_token(self, request, now):
        if request.form_value('client', 'requestip') == 'referer' and not request.form_value('referer'):
            raise ApiError(400, "'referer' must be specified when client is 'referer'.")
        try:
            minutes = int(request.form_value('expiration') or 60)
        except ValueError:
            minutes = 60
        lifetime = min(max(minutes, 1) * 60, self.config['token_ttl_seconds'])
        token, expires = self.org.issue_token(request.form_value('username'), request.form_value('password'), lifetime, now)
        self.issued_tokens.append(token)
        return {'token': token, 'expires': int(expires * 1000), 'ssl': True}

    def do_admin_root(self, request, now):
        return {'resources': ['system', 'jobs', 'security'], 'currentVersion': '11.3', 'fullVersion': '11.3.0'}

    def do_dr_root(self, request, now):
        return {'operations': ['status'], 'resources': ['stores', 'settings']}

    def do_dr_status(self, request, now):
        return self.org.dr_status(now)

    def do_dr_settings(self, request, now):
        return {'stagingVolumeConfig': {'component': 'DR_JOB', 'storageClass': 'default', 'size': '64Gi', 'provisioningType': 'DYNAMIC'},
                'timeoutInSeconds': 7200}

    def do_stores(self, request, now):
        return {'backupStores': list(self.org.stores.values())}

    def do_store(self, request, now, store):
        return self.org.store(store)

    def do_backups(self, request, now, store):
        self.org.store(store)
        # list(): a shared store's backups may be added to by another organization meanwhile (its own lock).
        return {'backups': [self.org.backup_view(r, now) for r in list(self.org.backups[store].values())]}

    def do_backup(self, request, now, store, backup):
        return self.org.backup_view(self.org.backup(store, backup), now)

    def do_create(self, request, now, store):
        jobid = self.org.create_backup(store, request.form_value('name'), passcode=request.form_value('passcode'),
                                       description=request.form_value('description'),
                                       retention=_epoch_ms(request.form_value('retentionDate'), -1),
                                       now=now, duration=self.config['job_seconds'], outcome=self._backup_outcome(),
                                       job_end=self._job_end())
        return self._job_answer(request, jobid)

    def _job_answer(self, request, jobid):
        """A job's submission answer, shaped by create_answer."""
        answer = {'jobsUrl': '%s%s/admin/jobs/%s' % (request.api_base, self.prefix, jobid), 'jobid': jobid, 'status': 'SUBMITTED'}
        if self.config['create_answer'] != 'full':
            del answer['status']
        if self.config['create_answer'] == 'jobs_url_only':
            del answer['jobid']
        return answer

    def do_validate(self, request, now, store):
        if self.org.validate_store(store, self.config['store_ready']):
            return {'isReady': True, 'status': 'success'}
        # The not-ready answer is undocumented; the emulator's choice, with HTTP 200 like every ArcGIS error.
        return {'isReady': False, 'status': 'error',
                'messages': ["Backup store '%s' is not ready: its storage location cannot be reached (emulator)." % store]}

    def do_update(self, request, now, store, backup):
        retention = _epoch_ms(request.form_value('retentionDate'), None)
        if retention is None:
            raise ApiError(400, "Missing required parameter 'retentionDate'.")
        self.org.update_backup(store, backup, retention)
        return {'status': 'success'}

    def do_delete(self, request, now, store, backup):
        self.org.delete_backup(store, backup, now)
        return {'status': 'success'}

    def do_restore(self, request, now, store, backup):
        as_job = self.config['restore_answer'] == 'job'
        jobid = self.org.restore_backup(store, backup, passcode=request.form_value('passcode'), now=now,
                                        duration=self.config['restore_seconds'], outcome=self.config['restore_result'],
                                        as_job=as_job, job_end=self._job_end(),
                                        stale_seconds=self.config['restore_stale_seconds'])
        self.glitches = list(STATUS_GLITCHES) if self.config['restore_status_glitches'] else []
        return self._job_answer(request, jobid) if as_job else {'status': 'success'}

    def do_jobs(self, request, now):
        return {'jobs': sorted(self.org.jobs)}

    def do_job(self, request, now, jobid):
        if jobid not in self.org.jobs:
            raise ApiError(404, "Job '%s' does not exist." % jobid)
        return self.org.jobs[jobid].job_view(now)


class SecondArcgisApp(ArcgisApp):
    """A second, independent organization, so one inventory can hold two ArcGIS environments
    (the demo and the role scenarios restore both at once, which one organization refuses)."""
    name = 'arcgis2'
    prefix = '/arcgis2'
