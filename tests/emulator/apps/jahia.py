"""Jahia Cloud ``cloudAction`` over HTTP, per the "Contract decisions" of api/jahia.md.

Module option ``api_url`` = ``<api_base>/jahia``; actions are ``POST /jahia/modules/cloudAction/<action>.do``
(getContext, backupEnv, restoreBackup) with a form-encoded body and the exact header
``Authorization: APIToken <token>``.  Backups and restores answer only ``{"jcResponse": 0}``: what they
did is visible through the control interface, never through the vendor surface.

Answers (bodies are JSON, but for a refused token answered as a login page):
- 401 ``{"message"}``: no header, another scheme, or an unknown or expired token; 403: a token of another
  organization.  How a missing, unknown or expired token is answered is undocumented (api/jahia.md, "Real
  clients" item 1), so config ``unauthenticated_answer`` picks it: ``json_401`` (the 401 above, default), ``redirect``
  (302 to ``<api_base>/jahia/cms/login;jsessionid=<id>?redirect=<action path>``, HTML body) or ``login_page``
  (HTTP 200 with the HTML login page).  Both HTML forms set a ``JSESSIONID`` cookie and carry that id in the
  page (a hidden field) and the redirect's URL: it must never show in a module's output (it is kept in
  ``issued_tokens``).  ``GET /jahia/cms/login`` serves the login page.  The legacy
  ``/cms/render/live/en/sites/cloud/home.createJahiaEnv.do`` is not served (404).
- 400 ``{"jcResponse": 2, "message"}``: the body is not form-encoded (a JSON body, even with a good token).
- 404 ``{"message"}``: unknown ``orgName``; 405: not a POST; any other path: the server's real 404.
- HTTP 200 ``{"jcResponse": n, "message"}`` for a refused action (codes are the emulator's own, the vendor
  documents none): 1 a backup or restore of that environment is running, 2 a missing or invalid field,
  3 ``envName`` is not the short domain of an environment of the organization (a bare name is not),
  4 ``targetAppid`` is not that environment's app id.
- A restore whose restore point matches no completed backup of the organization is accepted and ends
  ``failed`` (reason in the listing), as the API cannot report it.

Defaults (``apps/jahia_model.py``): token ``DEFAULT_TOKEN`` for every organization; organization ``acme``
(id 94) with ``staging`` (aws eu-west-1, dev), ``production`` (aws eu-west-1, prod) and ``preprod``
(ovh gra, preprod); app ids are 34 hex digits derived from the short domain.

Config (``{"jahia": {...}}``): ``DEFAULT_CONFIG`` below; ``context_app_id_key`` moves the app id in the
getContext answer to any place the contract lets modules look (or removes it), ``context_placement: false``
drops cloudProvider, region and envRole from it.

Seed (``{"jahia": {...}}``): ``replace`` (drop defaults first), ``organizations`` ``[{"name", "id",
"environments": [{"name", "appid", "cloudProvider", "region", "envRole", "productVersion", "status"}]}]``,
``tokens`` ``{"<token>": ["<org>", ...] or ["*"]}``, ``backups`` ``[{"organization", "environment",
"backupName", "timestamp", "backupType" (manual|scheduled|auto), "status" (completed|failed)}]``,
``expired_tokens`` ``["<token>", ...]`` (refused with "API token expired", answered per ``unauthenticated_answer``).

Each environment's own site is served at ``<api_base>/jahia/env/<short domain>`` (the environment URL): its
``GET .../cms/login`` answers the login page (200), or 503 from a restore's trigger until ``restore_down_seconds``
after it ended, and for good after a failed restore (until the next restore), as the readiness signal of api/jahia.md
("Real clients" item 3) behaves. An unknown short domain is a real 404. State ``site_requests`` counts these requests.

Control: ``GET /_emulator/jahia/backups`` and ``/_emulator/jahia/restores`` list every operation with
its restore point, ``status`` (in_progress|completed|failed), ``requestedAt``, ``completesAt``,
``completedAt`` and ``reason``; ``GET /_emulator/state/jahia`` adds the organizations (each environment
with ``restoredFrom``), ``api_tokens``, ``expired_tokens`` and ``counts`` (``unauthenticated``: requests refused
for their token, however answered).
"""


import re
import secrets
from urllib.parse import quote

from apps.base import App
from apps.jahia_model import INVALID, Cloud, JahiaError
from wire import HTML_TYPE, Response, html_page, html_response, json_response

ACTION_RE = re.compile(r'/modules/cloudAction/(?P<action>[A-Za-z]+)\.do')
# An environment's own site, as <environment URL>/cms/login (api/jahia.md "Real clients" item 3).
SITE_RE = re.compile(r'/env/(?P<short>[a-z0-9-]{1,80})/cms/login')
FORM_TYPE = 'application/x-www-form-urlencoded'
AUTH_SCHEME = 'APIToken '
CHOICES = {
    'backup_result': ('completed', 'failed'),
    'restore_result': ('completed', 'failed'),
    # Where getContext puts the app id: the contract's alternatives the modules must tolerate, or nowhere.
    # How a missing, unknown or expired token is answered (the vendor does not document it).
    'unauthenticated_answer': ('json_401', 'redirect', 'login_page'),
    'context_app_id_key': ('environment.appid', 'environment.appId', 'environment.targetAppid', 'environment.targetAppId',
                           'appid', 'appId', 'targetAppid', 'targetAppId', 'none'),
}
PLACEMENT_KEYS = ('cloudProvider', 'region', 'envRole')
LOGIN_PATH = '/cms/login'
LOGIN_PAGE = ('<!DOCTYPE html>\n<html><head><title>Jahia Cloud - Log in</title></head><body>\n'
              '<form method="post" action="%(action)s"><input type="hidden" name="csrf" value="%(session)s">\n'
              '<label>Email <input name="username"></label> <label>Password <input type="password" name="password">'
              '</label>\n<button type="submit">Log in</button></form>\n</body></html>\n')


def failure(status, code, message):
    body = {'message': message}
    if code is not None:
        body = {'jcResponse': code, 'message': message}
    return json_response(body, status)


class JahiaApp(App):
    name = 'jahia'
    prefix = '/jahia'
    CONFIG_CHOICES = CHOICES
    DEFAULT_CONFIG = {
        'backup_seconds': 1.0,                       # how long a backup runs (the environment is busy meanwhile)
        'restore_seconds': 1.0,                      # how long a restore runs
        'backup_result': 'completed',                # or 'failed'
        'restore_result': 'completed',               # or 'failed' (a restore of an unknown backup always fails)
        'context_app_id_key': 'environment.appid',   # see CHOICES
        'context_placement': True,                   # getContext reports cloudProvider, region and envRole
        'unauthenticated_answer': 'json_401',        # see CHOICES and the docstring
        'restore_down_seconds': 1.0,                 # an environment's site stays down this long after a restore
    }

    def reset(self):
        super().reset()
        with self.lock:
            self.cloud = Cloud()

    def seed(self, data):
        if not isinstance(data, dict):
            raise ValueError('jahia seed must be an object')
        with self.lock:
            self.cloud.seed(data, self.clock.now())

    def state(self):
        with self.lock:
            return dict(super().state(), **self.cloud.dump(self.clock.now()))

    def control(self, request, subpath):
        if request.method == 'GET' and subpath in ('/backups', '/restores'):
            with self.lock:
                return json_response({subpath[1:]: self.cloud.listing(subpath[1:-1], self.clock.now())})
        return super().control(request, subpath)

    # -- HTTP --------------------------------------------------------------------------------------
    def handle(self, request):
        path = request.path[len(self.prefix):]
        if request.method == 'GET' and path.split(';', 1)[0] == LOGIN_PATH:
            with self.lock:
                return self.login_page()
        site = SITE_RE.fullmatch(path)
        if site and request.method in ('GET', 'HEAD'):
            with self.lock:
                return self.site_login(site.group('short'))
        match = ACTION_RE.fullmatch(path)
        if not match or match.group('action') not in ('getContext', 'backupEnv', 'restoreBackup'):
            return None
        if request.method != 'POST':
            return failure(405, None, 'Method %s not allowed; actions are POST' % request.method)
        header = request.headers.get('Authorization', '')
        token = header[len(AUTH_SCHEME):] if header.startswith(AUTH_SCHEME) else None
        with self.lock:
            now = self.clock.now()
            try:
                self.cloud.authenticate(token)
            except JahiaError as exc:
                return self.refuse_token(request, exc)
            try:
                if request.form is None:  # only a form-encoded body is parsed into a form
                    raise JahiaError(400, INVALID, 'Expected a form-encoded body (%s)' % FORM_TYPE)
                form = {key: values[0] for key, values in request.form.items()}
                self.cloud.authorize(token, form.get('orgName'))
                return json_response(getattr(self, 'do_' + match.group('action'))(form, now))
            except JahiaError as exc:
                return failure(exc.status, exc.code, exc.message)

    def new_session(self):
        """A login session id, as the servlet container hands out to an unauthenticated request; a secret."""
        session = secrets.token_hex(16).upper()
        self.issued_tokens.append(session)
        return session

    def login_page(self, session=None):
        session = session or self.new_session()
        page = LOGIN_PAGE % {'action': self.prefix + LOGIN_PATH, 'session': session}
        return html_response(page, 200, headers=[('Set-Cookie', 'JSESSIONID=%s; Path=/; Secure; HttpOnly' % session)])

    def site_login(self, short_domain):
        """An environment's /cms/login: its login page, or 503 while it is down after a restore."""
        up = self.cloud.answering(short_domain, self.clock.now(), self.config['restore_down_seconds'])
        if up is None:
            return None
        if not up:
            return html_response(html_page('503 Service Unavailable', 'The environment is being restored.'), 503)
        return self.login_page()

    def refuse_token(self, request, exc):
        """A missing, unknown or expired token, answered the way config ``unauthenticated_answer`` says."""
        mode = self.config['unauthenticated_answer']
        if mode == 'json_401':
            return failure(exc.status, exc.code, exc.message)
        session = self.new_session()
        if mode == 'login_page':
            return self.login_page(session)
        # A servlet container rewrites the URL with the session id when it does not know yet whether
        # the client keeps cookies, as on this first answer.
        back = quote(request.path[len(self.prefix):], safe='')
        location = '%s%s%s;jsessionid=%s?redirect=%s' % (request.api_base, self.prefix, LOGIN_PATH, session, back)
        body = '<html><head><title>302 Found</title></head><body><a href="%s">Log in</a></body></html>\n' % location
        return Response(302, body.encode('utf-8'), HTML_TYPE, headers=[
            ('Location', location), ('Set-Cookie', 'JSESSIONID=%s; Path=/; Secure; HttpOnly' % session)])

    def do_getContext(self, form, now):  # pylint: disable=invalid-name
        context = self.cloud.context(form.get('orgName'), form.get('envName'))
        env = context.get('environment')
        if env is not None:
            appid = env.pop('appid')
            where = self.config['context_app_id_key']
            if where != 'none':
                place, dummy, key = where.rpartition('.')
                (env if place else context)[key] = appid
            if not self.config['context_placement']:
                for key in PLACEMENT_KEYS:
                    env.pop(key, None)
        return context

    def do_backupEnv(self, form, now):  # pylint: disable=invalid-name
        self.cloud.backup(form.get('orgName'), form.get('envName'), form.get('targetAppid'), now=now,
                          duration=self.config['backup_seconds'], outcome=self.config['backup_result'])
        return {'jcResponse': 0}

    def do_restoreBackup(self, form, now):  # pylint: disable=invalid-name
        self.cloud.restore(form.get('orgName'), form, now=now, duration=self.config['restore_seconds'],
                           outcome=self.config['restore_result'])
        return {'jcResponse': 0}
