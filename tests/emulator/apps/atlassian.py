"""Atlassian Cloud backup & restore API (v1, EAP), over HTTP.

Implements the "Contract decisions" of api/atlassian.md under ``/atlassian`` (module option
``api_url`` = ``<api_base>/atlassian``): HTTP Basic auth (e-mail + API token), JSON bodies, errors as
``{"errors": [{"status": "409", "code", "title", "detail"}]}``, ``start``/``pageSize``/``sortOrder``
pagination with ``totalItems`` on every list, and rate limits per class whose 429 answers carry
``Retry-After`` only on every ``retry_after_every``-th one (Atlassian does not always send it).

The post-operation report link of a complete restore points at the download host
(``https://localhost:<port>/files/post-op-report-<migration id>.csv``); this app answers it, without
authentication, with a CSV (``Entity,Status,Count,Message``: one row per kind of content, attachments, users and
groups ``SKIPPED`` when the restore left them out). Its format is the emulator's: Atlassian documents none.
"""

import base64
import binascii
import collections
import math
import re
from http import HTTPStatus
from urllib.parse import urlsplit, urlunsplit

from apps.atlassian_model import CONSENTS, ApiError, Org
from apps.atlassian_seed import dump, seed
from apps.base import App
from wire import Response, json_response

READ, USER_POST, CREATE, UPDATE = 'read', 'user_post', 'create', 'update'
_ORG = r'/orgs/(?P<org>[^/]+)'
_CLOUD = _ORG + r'/cloud/(?P<cloud>[^/]+)'
# (method, path after the prefix, rate class, handler); the first full match wins.
ROUTES = [(method, re.compile(pattern), rate, handler) for method, pattern, rate, handler in (
    ('POST', _ORG + r'/storages/regions', READ, 'regions'),
    ('POST', _ORG + r'/storages', CREATE, 'create_storage'),
    ('GET', _ORG + r'/storages', READ, 'storages'),
    ('GET', _ORG + r'/storages/(?P<storage>[^/]+)', READ, 'storage'),
    ('POST', _CLOUD + r'/policies', CREATE, 'create_policy'),
    ('GET', _ORG + r'/policies', READ, 'policies'),
    ('GET', _ORG + r'/policies/(?P<policy>[^/]+)', READ, 'policy'),
    ('PUT', _ORG + r'/policies/(?P<policy>[^/]+)', UPDATE, 'update_policy'),
    ('GET', _ORG + r'/policies/(?P<policy>[^/]+)/backups', READ, 'backups'),
    ('POST', _ORG + r'/backups', USER_POST, 'create_backup'),
    ('GET', _ORG + r'/backups/(?P<backup>[^/]+)', READ, 'backup'),
    ('POST', _ORG + r'/(?P<kind>export|import)s', CREATE, 'start_transfers'),
    ('GET', _ORG + r'/(?P<kind>export|import)s', READ, 'transfers'),
    ('GET', _CLOUD + r'/(?P<kind>export|import)s/(?P<tid>[^/]+)', READ, 'transfer'),
    ('POST', _CLOUD + r'/restores/revalidate', USER_POST, 'revalidate'),
    ('POST', _CLOUD + r'/restores', USER_POST, 'create_restore'),
    ('GET', _ORG + r'/restores', READ, 'restores'),
    ('GET', _ORG + r'/restores/(?P<restore>[^/]+)', READ, 'restore'),
    ('GET', _CLOUD + r'/migration/(?P<migration>[^/]+)/postOpReport', READ, 'post_op_report'),
)]
CHOICES = {'backup_result': ('COMPLETE', 'INCOMPLETE', 'FAILED'), 'export_result': ('COMPLETE', 'FAILED'),
           'import_result': ('COMPLETE', 'FAILED'), 'restore_result': ('COMPLETE', 'FAILED'),
           'in_progress_spelling': ('IN_PROGRESS', 'IN PROGRESS')}
LIMIT_KEYS = {READ: 'read_limit', USER_POST: 'user_post_limit', CREATE: 'org_create_limit', UPDATE: 'org_update_limit'}
# The post-operation report link: on the download host (server.DOWNLOAD_HOST), a path of the generic files host,
# answered by the app that made the restore.
REPORT_RE = re.compile(r'/files/post-op-report-(?P<migration>[A-Za-z0-9-]{1,100})\.csv')
DOWNLOAD_HOST = 'localhost'


def error_response(status, detail, code=None, headers=None):
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = 'Error'
    body = {'errors': [{'status': str(status), 'code': code or 'BACKUP-%d' % status, 'title': title, 'detail': detail}]}
    return json_response(body, status, headers)


def basic_user(request):
    """(e-mail, token) from an ``Authorization: Basic`` header, or None."""
    scheme, dummy, value = request.headers.get('Authorization', '').partition(' ')
    if scheme.lower() != 'basic':
        return None
    try:
        user, sep, token = base64.b64decode(value.strip(), validate=True).decode('utf-8').partition(':')
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, token) if sep else None


class AtlassianApp(App):
    name = 'atlassian'
    prefix = '/atlassian'
    ROUTES = ROUTES
    CONFIG_CHOICES = CHOICES
    DEFAULT_CONFIG = {
        'backup_seconds': 1.0,             # a backup runs this long (IN_PROGRESS), then ends with backup_result
        'backup_result': 'COMPLETE',
        'in_progress_spelling': 'IN_PROGRESS',  # or 'IN PROGRESS', the docs' spelling
        'export_seconds': 0.5,
        'export_result': 'COMPLETE',
        'import_seconds': 0.5,
        'import_result': 'COMPLETE',
        'validation_seconds': 0.5,         # a restore is VALIDATING this long
        'restore_seconds': 1.0,            # then IN_PROGRESS this long
        'restore_result': 'COMPLETE',
        'failing_checks': [],              # consent values whose check fails at restore validation
        'regions': ['us-east-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2'],
        'default_page_size': 25,
        'max_page_size': 100,              # a larger pageSize is capped to this
        'user_post_limit': 5,              # create backup / create restore / revalidate, per user and window
        'org_create_limit': 10,            # other creates, per organization and window
        'org_update_limit': 10,            # policy updates
        'read_limit': 100,                 # reads (and the regions POST), per organization and window
        'rate_window_seconds': 60.0,
        'retry_after_every': 2,            # every n-th 429 carries Retry-After (0 = never)
    }

    def reset(self):
        super().reset()
        with self.lock:
            self.org = Org()
            self.hits = collections.defaultdict(collections.deque)
            self.limited = 0

    def check_config(self, values):
        for check in values.get('failing_checks', []):
            if check not in CONSENTS[:6]:
                raise ValueError('atlassian failing_checks: unknown check %r (use %s)' % (check, ', '.join(CONSENTS[:6])))

    def seed(self, data):
        with self.lock:
            seed(self.org, data, self.clock.now(), self.config)

    def state(self):
        with self.lock:
            return dict(super().state(), **dump(self.org, self.clock.now()))

    # -- HTTP dispatch -----------------------------------------------------------------------------
    def owns(self, path):
        """The API's prefix, and the report link of a restore of this app (its own migration ids)."""
        if super().owns(path):
            return True
        match = REPORT_RE.fullmatch(path)
        with self.lock:
            return bool(match) and any(r.migration_id == match.group('migration') for r in self.org.restores.values())

    def report_response(self, request, migration):
        """The report CSV, without authentication (a download link, like the Mendix archive links)."""
        with self.lock:
            text = self.org.report(migration, self.clock.now())
        if text is None or request.method not in ('GET', 'HEAD'):
            return None
        return Response(200, text.encode('utf-8'), 'text/csv; charset=utf-8')

    def handle(self, request):
        report = REPORT_RE.fullmatch(request.path)
        if report:
            return self.report_response(request, report.group('migration'))
        subpath = request.path[len(self.prefix):].rstrip('/')
        matches = [(method, match, rate, handler) for method, pattern, rate, handler in self.ROUTES
                   for match in [pattern.fullmatch(subpath)] if match]
        if not matches:
            return None
        route = next((r for r in matches if r[0] == request.method), None)
        with self.lock:
            now = self.clock.now()
            credentials = basic_user(request)
            account = self.org.users.get(credentials[0]) if credentials else None
            if not account or account['api_token'] != credentials[1]:
                return error_response(401, 'Authentication failed: send the account e-mail and an API token (HTTP Basic).',
                                      headers=[('WWW-Authenticate', 'Basic realm="api.atlassian.com"')])
            if route is None:
                return error_response(405, 'Method %s is not allowed here.' % request.method)
            method, match, rate, handler = route
            if match.group('org') != self.org.org_id or not account['admin']:
                return error_response(403, "You are not an admin of organization '%s'." % match.group('org'))
            limited = self._rate_limit(rate, credentials[0], now)
            if limited:
                return limited
            self.before(now)
            try:
                status, body = getattr(self, 'do_' + handler)(request, now, **match.groupdict())
            except ApiError as exc:
                return error_response(exc.status, exc.detail, exc.code)
            return json_response(body, status)

    def before(self, now):
        """Called with the lock held before each authorised request (the v2 app's schedules run here)."""

    def _rate_limit(self, rate, user, now):
        """A 429 answer when the class's window is full; the request counts when it passes."""
        limit = self.config[LIMIT_KEYS[rate]]
        window = self.config['rate_window_seconds']
        hits = self.hits[(rate, user if rate == USER_POST else self.org.org_id)]
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) < limit:
            hits.append(now)
            return None
        self.limited += 1
        every = self.config['retry_after_every']
        headers = []
        if every and self.limited % every == 0:
            headers.append(('Retry-After', str(max(1, math.ceil(hits[0] + window - now)))))
        return error_response(429, 'Rate limit exceeded: %d requests per %g seconds.' % (limit, window), headers=headers)

    def _page(self, request, key, items):
        """One page of ``items`` (oldest first) in the requested order, with totalItems."""
        try:
            start = int(request.query_value('start', '0'))
            size = int(request.query_value('pageSize', str(self.config['default_page_size'])))
        except ValueError:
            raise ApiError(400, 'start and pageSize must be integers.') from None
        order = request.query_value('sortOrder', 'DESC').upper()
        if start < 0 or size < 1 or order not in ('ASC', 'DESC'):
            raise ApiError(400, 'start must be >= 0, pageSize >= 1 and sortOrder ASC or DESC.')
        size = min(size, self.config['max_page_size'])
        ordered = list(items) if order == 'ASC' else list(reversed(items))
        return 200, {key: ordered[start * size:(start + 1) * size], 'totalItems': len(ordered)}

    def _body(self, request):
        return request.json if request.json is not None else {}

    # -- handlers: each returns (status, body) or raises ApiError; called with the lock held --------
    def do_regions(self, request, now, org):
        cloud = self._body(request).get('cloudId') if isinstance(request.json, dict) else None
        if cloud:
            self.org.site(cloud)
        return 200, {'regions': list(self.config['regions'])}

    def do_create_storage(self, request, now, org):
        body = self._body(request)
        if not isinstance(body, dict):
            raise ApiError(400, 'Expected a JSON object.')
        return 201, self.org.create_storage(body, self.config['regions'])

    def do_storages(self, request, now, org):
        cloud = request.query_value('cloudId')
        items = [s for s in self.org.storages.values() if not cloud or s['cloudId'] == cloud]
        return self._page(request, 'storages', items)

    def do_storage(self, request, now, org, storage):
        return 200, self.org.get(self.org.storages, storage, 'Storage')

    def do_create_policy(self, request, now, org, cloud):
        body = self._body(request)
        if not isinstance(body, dict):
            raise ApiError(400, 'Expected a JSON object.')
        return 201, self.org.create_policy(cloud, body, now)

    def do_policies(self, request, now, org):
        return self._page(request, 'policies', list(self.org.policies.values()))

    def do_policy(self, request, now, org, policy):
        return 200, self.org.get(self.org.policies, policy, 'Backup policy')

    def do_update_policy(self, request, now, org, policy):
        return 200, self.org.update_policy(policy, request.json)

    def do_backups(self, request, now, org, policy):
        self.org.get(self.org.policies, policy, 'Backup policy')
        records = sorted(self.org.policy_backups(policy), key=lambda b: b['created'])
        spelling = self.config['in_progress_spelling']
        return self._page(request, 'backups', [self.org.backup_view(b, now, spelling) for b in records])

    def do_backup(self, request, now, org, backup):
        record = self.org.get(self.org.backups, backup, 'Backup')
        return 200, self.org.backup_view(record, now, self.config['in_progress_spelling'])

    def do_create_backup(self, request, now, org):
        record = self.org.create_backup(self._body(request), now, self.config['backup_seconds'], self.config['backup_result'])
        return 202, self.org.backup_view(record, now, self.config['in_progress_spelling'])

    def do_start_transfers(self, request, now, org, kind):
        started = self.org.start_transfers(kind, request.json, now, self.config[kind + '_seconds'], self.config[kind + '_result'])
        return 202, {kind + 's': started}

    def do_transfers(self, request, now, org, kind):
        table = self.org.exports if kind == 'export' else self.org.imports
        return self._page(request, kind + 's', [self.org.transfer_view(kind, e, now) for e in table.values()])

    def do_transfer(self, request, now, org, cloud, kind, tid):
        table = self.org.exports if kind == 'export' else self.org.imports
        entry = self.org.get(table, tid, kind.capitalize())
        if entry['record']['cloudId'] != cloud:
            raise ApiError(404, "%s '%s' not found in site '%s'." % (kind.capitalize(), tid, cloud))
        return 200, self.org.transfer_view(kind, entry, now)

    def do_create_restore(self, request, now, org, cloud):
        restore = self.org.create_restore(cloud, self._body(request), now, self.config)
        return 202, restore.view(now)

    def do_revalidate(self, request, now, org, cloud):
        return 202, self.org.revalidate(cloud, self._body(request), now).view(now)

    def do_restores(self, request, now, org):
        return self._page(request, 'restores', [r.view(now) for r in self.org.restores.values()])

    def do_restore(self, request, now, org, restore):
        return 200, self.org.get(self.org.restores, restore, 'Restore').view(now)

    def do_post_op_report(self, request, now, org, cloud, migration):
        self.org.migration(cloud, migration, now)
        parts = urlsplit(request.api_base)
        netloc = '%s:%d' % (DOWNLOAD_HOST, parts.port) if parts.port else DOWNLOAD_HOST
        return 200, {'url': urlunsplit((parts.scheme, netloc, '/files/post-op-report-%s.csv' % migration, '', ''))}
