"""Mendix Cloud over HTTP: Deploy API v1 (apps, environments, start/stop), Backups API v1 and v2.

Implements the "Contract decisions" of api/mendix.md.  Module option ``api_url`` is
``<api_base>/mendix``; v1 lives under ``/mendix/api/1``, v2 under ``/mendix/api/v2``.  Errors are
``{"errorCode", "errorMessage"}`` with the documented HTTP status.  Snapshot downloads are served
under ``/mendix/backups/<file>?signature=...`` and handed out on the download host name
(``localhost``), never the API host, so tests can prove no credential travels there; they reuse
the generic download host of apps/files.py (Range, constant memory) with archives of the real
structure (apps/mendix_archive.py: a custom-format dump, or a gzip tar with ``.metadata``,
``db/db.backup`` and ``tree/``), or a broken one when config ``archive_content`` says so.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from apps.base import App
from apps.files import FilesApp
from apps.mendix_archive import VARIANTS
from apps.mendix_model import V1_LINKS, ApiError, Cloud, signature
from wire import Response, json_response

DOWNLOAD_HOST = 'localhost'  # server.DOWNLOAD_HOST: the download host differs from the API host
_APP = r'/api/1/apps/(?P<app_id>[^/]+)'
_ENV = _APP + r'/environments/(?P<mode>[^/]+)'
_V2 = r'/api/v2/apps/(?P<project>[^/]+)/environments/(?P<env_id>[^/]+)'
_SNAP = _V2 + r'/snapshots/(?P<snapshot_id>[^/]+)'
ROUTES = [(re.compile(pattern), method, handler) for pattern, method, handler in (
    (r'/api/1/apps', 'GET', 'apps'),
    (_APP, 'GET', 'app'),
    (_APP + r'/environments', 'GET', 'environments'),
    (_ENV, 'GET', 'environment'),
    (_ENV + r'/start', 'POST', 'start'),
    (_ENV + r'/start/(?P<job_id>[^/]+)', 'GET', 'start_status'),
    (_ENV + r'/stop', 'POST', 'stop'),
    (_ENV + r'/snapshots', 'GET', 'v1_list'),
    (_ENV + r'/snapshots', 'POST', 'v1_create'),
    (_ENV + r'/snapshots/(?P<snapshot_id>[^/]+)', 'GET', 'v1_links'),
    (_ENV + r'/restore/(?P<snapshot_id>[^/]+)', 'POST', 'v1_restore'),
    (_V2 + r'/snapshots', 'GET', 'v2_list'),
    (_V2 + r'/snapshots', 'POST', 'v2_create'),
    (_SNAP, 'GET', 'v2_snapshot'),
    (_SNAP, 'PUT', 'v2_update'),
    (_SNAP, 'DELETE', 'v2_delete'),
    (_SNAP + r'/archives', 'POST', 'v2_create_archive'),
    (_SNAP + r'/archives/(?P<archive_id>[^/]+)', 'GET', 'v2_archive'),
    (_V2 + r'/restores', 'POST', 'v2_restore'),
    (_V2 + r'/restores/(?P<restore_id>[^/]+)', 'GET', 'v2_restore_status'),
)]
CHOICES = {'snapshot_result': ('completed', 'failed'), 'restore_result': ('completed', 'failed'),
           # 'documented': {snapshots, total, offset, limit}, paged; 'total_only': what a live tenant
           # answered, {total, snapshots} with every snapshot in one page, offset and limit ignored.
           'snapshot_list_envelope': ('documented', 'total_only'),
           # what the download host serves: the archive, or one broken as apps/mendix_archive.VARIANTS says.
           'archive_content': VARIANTS}
# What the download host answers an expired link; real clients treat all three alike (item 1).
EXPIRED_LINK_STATUSES = (401, 403, 410)


def error(status, code, message):
    return json_response({'errorCode': code, 'errorMessage': message}, status)


class SnapshotFiles(FilesApp):
    """The generic deterministic files, served under the Mendix download path."""
    name = 'mendix-downloads'
    prefix = '/mendix/backups'


class MendixApp(App):
    name = 'mendix'
    prefix = '/mendix'
    CONFIG_CHOICES = CHOICES
    DEFAULT_CONFIG = {
        'snapshot_seconds': 1.0,        # duration of a snapshot job (queued for the first 20 %)
        'snapshot_result': 'completed',  # or 'failed'
        'archive_seconds': 0.5,         # duration of a v2 archive job
        'restore_seconds': 1.0,         # duration of a v2 restore (v1 restores answer when done)
        'restore_result': 'completed',  # or 'failed'
        'start_seconds': 1.0,           # Starting -> Running
        'stop_seconds': 0.5,            # Stopping -> Stopped
        'database_bytes': 262144,       # size of a new snapshot's database dump
        'files_bytes': 131072,          # size of a new snapshot's file store
        'max_page_size': 100,           # v2 snapshot lists never return more than this per page
        'archive_url_ttl_seconds': 28800.0,  # v2 archive URLs answer expired_link_status after 8 hours
        'snapshot_list_envelope': 'documented',
        'expired_link_status': 403,     # 401, 403 or 410: an expired link's answer
        # The next this many archive URLs handed out expire after expire_after_requests requests to
        # them (0: the first request already finds the link expired); counted from when it is set.
        'expire_next_archive_urls': 0,
        'expire_after_requests': 0,
        'archive_content': 'valid',      # or a broken archive: see apps/mendix_archive.VARIANTS
    }

    def check_config(self, values):
        if 'expired_link_status' in values and values['expired_link_status'] not in EXPIRED_LINK_STATUSES:
            raise ValueError('mendix config expired_link_status must be one of 401, 403, 410')
        for key in ('expire_next_archive_urls', 'expire_after_requests'):
            if isinstance(values.get(key), int) and values[key] < 0:
                raise ValueError('mendix config %s must be >= 0' % key)

    def configure(self, values):
        super().configure(values)
        if 'expire_next_archive_urls' in values:
            with self.lock:
                self.expiring_left = self.config['expire_next_archive_urls']

    def reset(self):
        super().reset()
        with self.lock:
            self.cloud = Cloud()
            self.files_host = SnapshotFiles(self.clock)
            self.signatures = {}  # signature -> {'file', 'expires': seconds or None, 'uses', 'max_uses': int or None}
            self.expiring_left = 0

    def seed(self, data):
        """``{"replace": bool, "users": {name: key}, "apps": [...], "snapshots": [...]}`` (see README)."""
        if not isinstance(data, dict):
            raise ValueError('mendix seed must be an object')
        with self.lock:
            now = self.clock.now()
            if data.get('replace'):
                self.cloud.apps.clear()
                self.cloud.snapshots.clear()
            self.cloud.users.update(data.get('users') or {})
            try:
                for app in data.get('apps') or []:
                    self.cloud.add_app(app)
                created = [self.cloud.seed_snapshot(spec, now, self.config).id for spec in data.get('snapshots') or []]
            except (KeyError, TypeError) as exc:
                raise ValueError('bad mendix seed: %s' % exc) from None
            except ApiError as exc:
                raise ValueError('bad mendix seed: %s' % exc.message) from None
        return {'snapshot_ids': created}

    def state(self):
        with self.lock:
            return dict(super().state(), downloads=self.files_host.state()['files'], **self.cloud.dump(self.clock.now()))

    def control(self, request, subpath):
        # Seeding returns the ids of the snapshots it made, which tests need for restores.
        if subpath == '/seed' and request.method == 'POST':
            return json_response(self.seed(request.json))
        return super().control(request, subpath)

    # -- HTTP dispatch -----------------------------------------------------------------------------
    def handle(self, request):
        if self.files_host.owns(request.path):
            return self.download(request)
        subpath = request.path[len(self.prefix):].rstrip('/')
        allowed = []
        for pattern, method, handler in ROUTES:
            match = pattern.fullmatch(subpath)
            if match and method == request.method:
                break
            if match:
                allowed.append(method)
        else:
            if allowed:
                return error(405, 'METHOD_NOT_ALLOWED', 'Use %s.' % ' or '.join(allowed))
            return None
        with self.lock:
            # Header names are case-insensitive (scripts send Mendix-Apikey); request.headers is an
            # email.message.Message, whose get() ignores case.
            user = request.headers.get('Mendix-Username')
            if not user or self.cloud.users.get(user) != request.headers.get('Mendix-ApiKey'):
                return error(401, 'UNAUTHORIZED', 'Invalid Mendix-Username or Mendix-ApiKey.')
            try:
                return getattr(self, 'do_' + handler)(request, self.clock.now(), **match.groupdict())
            except ApiError as exc:
                return error(exc.status, exc.code, exc.message)

    def download(self, request):
        sig = request.query_value('signature')
        with self.lock:
            grant = self.signatures.get(sig)
            name = request.path[len(self.files_host.prefix) + 1:]
            if grant is None or grant['file']['name'] != name:
                return Response(403, b'AccessDenied: bad signature', 'text/plain')
            # Mendix headers, if a client sends them here, are ignored (the real host accepts them).
            used_up = grant['max_uses'] is not None and grant['uses'] >= grant['max_uses']
            if used_up or (grant['expires'] is not None and self.clock.now() >= grant['expires']):
                return Response(self.config['expired_link_status'], b'AccessDenied: Request has expired', 'text/plain')
            grant['uses'] += 1
            if name not in self.files_host.files:
                # Registered on first use: hashing a large file is paid only when it is fetched.
                self.files_host.register(grant['file'])
            if request.method == 'GET' and not request.headers.get('Range'):
                self.cloud.counts['downloads'] += 1
        return self.files_host.handle(request)

    def download_url(self, request, snapshot, data_type, ttl=None):
        """A signed URL on the download host for one snapshot's data."""
        variant = self.config['archive_content']
        # A broken archive has a name of its own: the valid one of the same snapshot may be registered already.
        name = '%s.%s' % (snapshot.id, data_type) + ('' if variant == 'valid' else '.' + variant)
        sig = signature()
        self.issued_tokens.append(sig)
        spec = {'name': name, 'size': snapshot.sizes[data_type], 'seed': '%s:%s' % (snapshot.id, data_type),
                'mendix_archive': data_type, 'variant': variant, 'model_version': snapshot.model_version or '1.0.0.0',
                'database_bytes': snapshot.sizes['database_only'], 'files_bytes': snapshot.sizes['files_only']}
        max_uses = None
        if ttl is not None and self.expiring_left > 0:  # an archive URL (v1 links have no ttl)
            self.expiring_left -= 1
            max_uses = self.config['expire_after_requests']
        self.signatures[sig] = {'file': spec, 'expires': None if ttl is None else self.clock.now() + ttl,
                                'uses': 0, 'max_uses': max_uses}
        parts = urlsplit(request.api_base)
        netloc = '%s:%d' % (DOWNLOAD_HOST, parts.port) if parts.port else DOWNLOAD_HOST
        return urlunsplit((parts.scheme, netloc, '%s/%s' % (self.files_host.prefix, name), 'signature=' + sig, ''))

    # -- Deploy API v1 -------------------------------------------------------------------------------
    def do_apps(self, request, now):
        return json_response([self._app_view(app_id) for app_id in sorted(self.cloud.apps)])

    def _app_view(self, app_id):
        app = self.cloud.app(app_id)
        return {'AppId': app_id, 'Name': app['name'], 'ProjectId': app['project_id'],
                'Url': app['url'] or 'https://%s.mendixcloud.com' % app_id}

    def do_app(self, request, now, app_id):
        return json_response(self._app_view(app_id))

    def do_environments(self, request, now, app_id):
        return json_response([env.view(now) for env in self.cloud.app(app_id)['envs'].values()])

    def do_environment(self, request, now, app_id, mode):
        return json_response(self.cloud.env(app_id, mode).view(now))

    def do_start(self, request, now, app_id, mode):
        job = self.cloud.start(self.cloud.env(app_id, mode), now, self.config)
        if job is None:
            # The current docs answer a start of a running app with HTTP 200 and this code.
            return error(200, 'ALREADY_STARTED', 'The app is already started.')
        return json_response({'JobId': job.id})

    def do_start_status(self, request, now, app_id, mode, job_id):
        return json_response({'Status': self.cloud.start_status(self.cloud.env(app_id, mode), job_id, now)})

    def do_stop(self, request, now, app_id, mode):
        # The body, if any ({} from scripts, nothing from the docs), is ignored; so is start's AutoSyncDb.
        self.cloud.stop(self.cloud.env(app_id, mode), now, self.config)
        return Response(200, b'', None)

    # -- Backups API v1 ------------------------------------------------------------------------------
    def do_v1_list(self, request, now, app_id, mode):
        env = self.cloud.env_v1_backups(app_id, mode)
        return json_response([s.v1(now) for s in self.cloud.env_snapshots(env)])

    def do_v1_create(self, request, now, app_id, mode):
        body = request.json if isinstance(request.json, dict) else {}
        snap = self.cloud.create_snapshot(self.cloud.env_v1_backups(app_id, mode), body.get('Comment'), now, self.config)
        # The documented create answer says "Completed" at once; it is not to be trusted.
        return json_response(snap.v1(now, state='Completed'))

    def do_v1_links(self, request, now, app_id, mode, snapshot_id):
        snap = self.cloud.snapshot(self.cloud.env_v1_backups(app_id, mode), snapshot_id, code='SNAPSHOT_NOT_FOUND')
        if snap.state(now) != 'completed':
            # The documented sign of a snapshot still being made (and, here, of a failed one).
            raise ApiError(500, 'INTERNAL_SERVER_ERROR', 'An internal server error occurred.')
        return json_response({key: self.download_url(request, snap, data_type) for key, data_type in V1_LINKS.items()})

    def do_v1_restore(self, request, now, app_id, mode, snapshot_id):
        restore = self.cloud.restore(self.cloud.env_v1_backups(app_id, mode), snapshot_id, False, now, self.config, 1)
        if restore.job.outcome == 'failed':
            raise ApiError(500, 'RESTORE_FAILED', 'The restore failed (emulator).')
        return json_response(restore.snapshot.v1(now))

    # -- Backups API v2 ------------------------------------------------------------------------------
    def _env2(self, project, env_id):
        return self.cloud.env_v2(project, env_id)

    def do_v2_list(self, request, now, project, env_id):
        env = self._env2(project, env_id)
        try:
            offset = int(request.query_value('offset', '0'))
            limit = int(request.query_value('limit', '100'))
        except ValueError:
            raise ApiError(400, 'INVALID_PARAMETERS', 'offset and limit must be integers.') from None
        if offset < 0 or limit < 1:
            raise ApiError(400, 'INVALID_PARAMETERS', 'offset must be >= 0 and limit >= 1.')
        limit = min(limit, self.config['max_page_size'])
        every = self.cloud.env_snapshots(env)
        if self.config['snapshot_list_envelope'] == 'total_only':
            return json_response({'total': len(every), 'snapshots': [s.v2(now) for s in every]})
        return json_response({'snapshots': [s.v2(now) for s in every[offset:offset + limit]], 'total': len(every),
                              'offset': offset, 'limit': limit})

    def do_v2_create(self, request, now, project, env_id):
        body = request.json if isinstance(request.json, dict) else {}
        snap = self.cloud.create_snapshot(self._env2(project, env_id), body.get('comment'), now, self.config)
        return json_response(snap.v2(now))

    def do_v2_snapshot(self, request, now, project, env_id, snapshot_id):
        return json_response(self.cloud.snapshot(self._env2(project, env_id), snapshot_id).v2(now))

    def do_v2_update(self, request, now, project, env_id, snapshot_id):
        snap = self.cloud.snapshot(self._env2(project, env_id), snapshot_id)
        body = request.json if isinstance(request.json, dict) else {}
        snap.comment = body.get('comment', snap.comment)
        return json_response(snap.v2(now))

    def do_v2_delete(self, request, now, project, env_id, snapshot_id):
        self.cloud.delete_snapshot(self._env2(project, env_id), snapshot_id)
        return Response(204, b'', None)

    def do_v2_create_archive(self, request, now, project, env_id, snapshot_id):
        data_type = request.query_value('data_type', 'files_and_database')
        archive = self.cloud.create_archive(self._env2(project, env_id), snapshot_id, data_type, now, self.config)
        return json_response(archive.view(now))

    def do_v2_archive(self, request, now, project, env_id, snapshot_id, archive_id):
        archive = self.cloud.archive(self._env2(project, env_id), snapshot_id, archive_id)
        if archive.job.state(now) == 'completed' and archive.url is None:
            archive.url = self.download_url(request, archive.snapshot, archive.data_type, self.config['archive_url_ttl_seconds'])
        return json_response(archive.view(now))

    def do_v2_restore(self, request, now, project, env_id):
        target = self._env2(project, env_id)
        source = request.query_value('source_snapshot_id')
        if not source:
            raise ApiError(400, 'INVALID_PARAMETERS', 'source_snapshot_id is required.')
        db_only = (request.query_value('db_only') or 'false').lower() == 'true'
        return json_response(self.cloud.restore(target, source, db_only, now, self.config, 2).view(now))

    def do_v2_restore_status(self, request, now, project, env_id, restore_id):
        target = self._env2(project, env_id)
        restore = self.cloud.restores.get(restore_id)
        if restore is None or restore.target is not target:
            # Documented as HTTP 400, not 404.
            raise ApiError(400, 'NOT_FOUND', "Restore '%s' not found." % restore_id)
        return json_response(restore.view(now))
