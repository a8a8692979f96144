"""Jahia Cloud: organizations, environments, tokens, backups and restores, without HTTP.

Backups and restores run from their trigger time for a configured duration; their status is
derived from the shared clock when asked.  While either runs on an environment, that environment
refuses another operation (jcResponse 1).  A restore looks for its backup when triggered, like the
platform's restore package does, and ends ``failed`` when the restore point matches no completed
backup of the organization: the API reports nothing, so only the control listing shows it.

Failures are raised as ``JahiaError(http_status, jc_response, message)`` and shaped by apps/jahia.py.
"""

import datetime
import hashlib
import re

ENV_RE = re.compile(r'^[a-z0-9-]{1,20}$')
TIMESTAMP_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$')
PROVIDERS = ('aws', 'ovh')
ROLES = ('dev', 'prod', 'preprod')
# The platform's word for scheduled backups is 'auto'; the API also takes 'scheduled'.
TYPES = {'manual': 'manual', 'scheduled': 'auto', 'auto': 'auto'}
# jcResponse codes (the vendor documents none; these are the emulator's, listed in apps/jahia.py).
BUSY, INVALID, UNKNOWN_ENV, WRONG_APPID = 1, 2, 3, 4
CONTEXT_KEYS = ('shortDomain', 'appid', 'productVersion', 'cloudProvider', 'region', 'envRole', 'status')
DEFAULT_TOKEN = 'Emul4tor-Jahia-PAT-7f3c9a1e5b2d4c6a'
DEFAULT_ORG = {'name': 'acme', 'id': 94, 'environments': [
    {'name': 'staging', 'cloudProvider': 'aws', 'region': 'eu-west-1', 'envRole': 'dev'},
    {'name': 'production', 'cloudProvider': 'aws', 'region': 'eu-west-1', 'envRole': 'prod'},
    {'name': 'preprod', 'cloudProvider': 'ovh', 'region': 'gra', 'envRole': 'preprod'},
]}


class JahiaError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def invalid(message):
    return JahiaError(200, INVALID, message)


def app_id_for(short_domain):
    """A stable 34-hex-digit app id (the documented example's length), derived from the short domain."""
    return hashlib.sha256(short_domain.encode('utf-8')).hexdigest()[:34]


def minute_stamp(now):
    return datetime.datetime.fromtimestamp(now, tz=datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:00')


def iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


class Operation:
    """A backup or restore record: runs from ``start`` for ``duration`` seconds, then has ``outcome``."""

    def __init__(self, kind, number, org, env, *, start, duration, outcome, fields, reason=None):
        self.kind, self.number, self.org, self.env = kind, number, org, env
        self.start, self.duration, self.outcome = start, max(0.0, duration), outcome
        self.fields = fields  # backup: the restore point; restore: the fields sent
        self.reason = reason
        self.source = None  # restore: the backup Operation it restores
        self.applied = False  # restore: its environment records it (restoredFrom)

    def end(self):
        return self.start + self.duration

    def running(self, now):
        return now < self.end()

    def status(self, now):
        return 'in_progress' if self.running(now) else self.outcome

    def view(self, now):
        done = not self.running(now)
        return dict(self.fields, id=self.number, organization=self.org, environment=self.env['name'],
                    shortDomain=self.env['shortDomain'], status=self.status(now), requestedAt=iso(self.start),
                    completesAt=iso(self.end()), completedAt=iso(self.end()) if done else None,
                    reason=self.reason if done else None)


class Cloud:
    """Every organization the emulator knows.  Callers hold the app lock."""

    def __init__(self):
        self.orgs = {}
        self.tokens = {}  # token -> organizations it may act on ('*' = all)
        self.expired = set()  # tokens that were valid once: refused like unknown ones, with their own message
        self.operations = []
        # unauthenticated: actions refused for a missing, unknown or expired token (however it was answered).
        self.counts = {'contexts': 0, 'backups': 0, 'restores': 0, 'refused': 0, 'unauthenticated': 0}
        self.site_requests = 0  # requests to the environments' own sites (not the cloudAction API)
        self.add_org(DEFAULT_ORG)
        self.tokens[DEFAULT_TOKEN] = ['*']

    # -- seeding ------------------------------------------------------------------------------------
    def add_org(self, spec):
        name = spec.get('name') if isinstance(spec, dict) else None
        if not name or not re.match(r'^[a-z0-9][a-z0-9-]*$', name):
            raise ValueError('a seeded organization needs a "name" of lowercase letters, digits and hyphens')
        org = self.orgs.setdefault(name, {'name': name, 'id': spec.get('id', len(self.orgs) + 100), 'envs': {}})
        for env in spec.get('environments') or []:
            self.add_env(org, env)

    @staticmethod
    def add_env(org, spec):
        if not isinstance(spec, dict) or not ENV_RE.match(str(spec.get('name', ''))):
            raise ValueError('a seeded environment needs a "name" matching %s' % ENV_RE.pattern)
        short = '%s-%s' % (spec['name'], org['name'])
        env = {'name': spec['name'], 'shortDomain': short, 'appid': spec.get('appid', app_id_for(short)),
               'productVersion': spec.get('productVersion', 'dx_8-2-3-0'), 'cloudProvider': spec.get('cloudProvider', 'aws'),
               'region': spec.get('region', 'eu-west-1'), 'envRole': spec.get('envRole', 'dev'),
               'status': spec.get('status', 'running'), 'restoredFrom': None}
        org['envs'][short] = env

    def seed(self, data, now):
        if data.get('replace'):
            self.orgs, self.tokens, self.expired, self.operations = {}, {}, set(), []
        for spec in data.get('organizations') or []:
            self.add_org(spec)
        tokens = data.get('tokens') or {}
        if not isinstance(tokens, dict) or not all(isinstance(v, list) for v in tokens.values()):
            raise ValueError('"tokens" maps each token to the list of organizations it may act on ("*" = all)')
        expired = data.get('expired_tokens') or []
        if not isinstance(expired, list) or not all(isinstance(t, str) and t for t in expired):
            raise ValueError('"expired_tokens" is a list of tokens that have expired')
        self.tokens.update(tokens)
        for token in expired:
            self.tokens.pop(token, None)
            self.expired.add(token)
        for spec in data.get('backups') or []:
            self.seed_backup(spec, now)

    def seed_backup(self, spec, now):
        org = self.orgs.get(spec.get('organization', DEFAULT_ORG['name']))
        env = org and org['envs'].get('%s-%s' % (spec.get('environment'), org['name']))
        if env is None or spec.get('status', 'completed') not in ('completed', 'failed'):
            raise ValueError('a seeded backup needs an existing "organization" and "environment", and status completed|failed')
        point = {'backupName': spec.get('backupName', env['shortDomain']), 'timestamp': spec.get('timestamp', minute_stamp(now - 3600)),
                 'backupType': TYPES.get(spec.get('backupType', 'manual'), 'manual'), 'cloudProvider': env['cloudProvider'],
                 'region': env['region'], 'envRole': env['envRole']}
        self.operations.append(Operation('backup', len(self.operations) + 1, org['name'], env, start=now - 3600,
                                         duration=0, outcome=spec.get('status', 'completed'), fields=point))

    # -- authorization and lookups ------------------------------------------------------------------
    def authenticate(self, token):
        """401 for a missing, unknown or expired token (apps/jahia.py decides how it is answered)."""
        if token in self.tokens:
            return
        self.counts['unauthenticated'] += 1
        if token in self.expired:
            raise JahiaError(401, None, 'Unauthorized: API token expired')
        raise JahiaError(401, None, 'Unauthorized: missing or invalid API token')

    def authorize(self, token, org_name):
        """403 for a token of another organization."""
        allowed = self.tokens[token]
        if '*' not in allowed and org_name not in allowed:
            raise JahiaError(403, None, 'Forbidden: this token cannot act on organization %s' % org_name)

    def org(self, name):
        if name not in self.orgs:
            raise JahiaError(404, None, 'Organization %s not found' % name)
        return self.orgs[name]

    def env(self, org, short_domain):
        if not short_domain:
            raise invalid('envName is required')
        env = org['envs'].get(short_domain)
        if env is None:
            raise JahiaError(200, UNKNOWN_ENV, 'Environment %s not found in organization %s (envName is the short domain '
                             '<envName>-<orgName>)' % (short_domain, org['name']))
        return env

    def busy(self, env, now):
        return next((op for op in self.operations if op.env is env and op.running(now)), None)

    def _start(self, env, appid, now):
        if appid != env['appid']:
            raise JahiaError(200, WRONG_APPID, 'targetAppid does not match environment %s' % env['shortDomain'])
        running = self.busy(env, now)
        if running:
            self.counts['refused'] += 1
            raise JahiaError(200, BUSY, 'A %s is already in progress on environment %s' % (running.kind, env['shortDomain']))

    # -- actions ------------------------------------------------------------------------------------
    def context(self, org_name, short_domain):
        org = self.org(org_name)
        self.counts['contexts'] += 1
        context = {'organisationName': org['name'], 'organisationId': org['id']}
        if short_domain:
            env = self.env(org, short_domain)
            # Like the documented sample, envName holds the bare name although the request sent the short domain.
            context['environment'] = dict({key: env[key] for key in CONTEXT_KEYS}, envName=env['name'])
        return context

    def backup(self, org_name, short_domain, appid, *, now, duration, outcome):
        org = self.org(org_name)
        env = self.env(org, short_domain)
        if not appid:
            raise invalid('Missing parameter(s): targetAppid')
        self._start(env, appid, now)
        point = {'backupName': env['shortDomain'], 'timestamp': minute_stamp(now), 'backupType': 'manual',
                 'cloudProvider': env['cloudProvider'], 'region': env['region'], 'envRole': env['envRole']}
        self.operations.append(Operation('backup', len(self.operations) + 1, org['name'], env, start=now,
                                         duration=duration, outcome=outcome, fields=point))
        self.counts['backups'] += 1

    def restore(self, org_name, form, *, now, duration, outcome):
        org = self.org(org_name)
        env = self.env(org, form.get('envName'))
        point = self.restore_point(form)
        self._start(env, form.get('targetAppid'), now)
        source = self.find_backup(org['name'], point, now)
        reason = None
        if source is None:
            outcome, reason = 'failed', 'no completed backup matches this restore point'
        elif outcome == 'failed':
            reason = 'simulated failure (emulator)'
        operation = Operation('restore', len(self.operations) + 1, org['name'], env, start=now, duration=duration,
                              outcome=outcome, fields=dict(point, targetAppid=form.get('targetAppid')), reason=reason)
        operation.source = source
        self.operations.append(operation)
        self.counts['restores'] += 1

    @staticmethod
    def restore_point(form):
        missing = [k for k in ('targetAppid', 'backupName', 'timestamp', 'backupType', 'cloudProvider', 'region', 'envRole')
                   if not form.get(k)]
        if missing:
            raise invalid('Missing parameter(s): %s' % ', '.join(missing))
        checks = ((TIMESTAMP_RE.match(form['timestamp']), 'timestamp must be YYYY-MM-DDTHH:MM:SS'),
                  (form['backupType'] in TYPES, 'backupType must be manual or scheduled'),
                  (form['cloudProvider'] in PROVIDERS, 'cloudProvider must be aws or ovh'),
                  (form['envRole'] in ROLES, 'envRole must be dev, preprod or prod'))
        for ok, message in checks:
            if not ok:
                raise invalid(message)
        return {'backupName': form['backupName'], 'timestamp': form['timestamp'], 'backupType': TYPES[form['backupType']],
                'cloudProvider': form['cloudProvider'], 'region': form['region'], 'envRole': form['envRole']}

    def find_backup(self, org_name, point, now):
        """The newest completed backup of the organization at exactly this restore point, or None."""
        for op in reversed(self.operations):
            if op.kind == 'backup' and op.org == org_name and op.fields == point and op.status(now) == 'completed':
                return op
        return None

    def settle(self, now):
        """Apply finished restores to their environments (restoredFrom), once."""
        for op in self.operations:
            if op.kind == 'restore' and not op.running(now) and op.outcome == 'completed' and not op.applied:
                op.env['restoredFrom'] = dict(op.source.fields, id=op.source.number)
                op.applied = True

    # -- the environments' own sites ------------------------------------------------------------------
    def answering(self, short_domain, now, down_seconds):
        """Whether the environment's site answers (its /cms/login 200), or None for an unknown short domain.

        While a restore runs the site is down, and for ``down_seconds`` after it ends (Jahia starting again);
        after a failed restore it stays down. A backup does not take it down (the cluster is read-only meanwhile).
        """
        env = next((o['envs'][short_domain] for o in self.orgs.values() if short_domain in o['envs']), None)
        if env is None:
            return None
        self.site_requests += 1
        restores = [op for op in self.operations if op.kind == 'restore' and op.env is env]
        if not restores:
            return True
        last = restores[-1]
        return last.outcome != 'failed' and now >= last.end() + max(0.0, down_seconds)

    # -- test view ----------------------------------------------------------------------------------
    def listing(self, kind, now):
        self.settle(now)
        return [op.view(now) for op in self.operations if op.kind == kind]

    def dump(self, now):
        self.settle(now)
        orgs = [{'name': o['name'], 'id': o['id'], 'environments': [dict(e) for e in o['envs'].values()]} for o in self.orgs.values()]
        return {'organizations': orgs, 'backups': self.listing('backup', now), 'restores': self.listing('restore', now),
                'api_tokens': sorted(self.tokens), 'expired_tokens': sorted(self.expired), 'counts': dict(self.counts),
                'site_requests': self.site_requests}
