"""Mendix Cloud: apps, environments, snapshots, archives, restores and start jobs, without HTTP.

Implements the "Contract decisions" of api/mendix.md.  Every job (snapshot, archive, restore,
start) runs from its start for a configured duration; its state is derived from the shared clock
when asked, so nothing runs in the background.  Snapshots are one store read by both API versions
(v1 by app subdomain + mode, v2 by project and environment UUIDs).  Failures are raised as
``ApiError`` and shaped into ``{"errorCode", "errorMessage"}`` bodies by apps/mendix.py.
"""

import datetime
import hashlib
import secrets
import uuid

DAY = 86400.0
# The docs show a manual snapshot expiring about three months after creation (EXAMPLE-ONLY).
SNAPSHOT_TTL = 90 * DAY
DEFAULT_USERS = {'release-bot@example.com': 'Emul4tor-Mendix-ApiKey-7f3a'}
DEFAULT_APPS = (
    {'app_id': 'calc', 'name': 'Calculator', 'environments': (
        {'mode': 'Test', 'status': 'Running', 'model_version': '1.1.0.253'},
        {'mode': 'Acceptance', 'status': 'Running', 'model_version': '1.1.0.253'},
        {'mode': 'Production', 'status': 'Running', 'model_version': '1.0.11.50', 'production': True},
        {'mode': 'legacy-v3', 'status': 'Running', 'model_version': '1.0.0.1', 'cloud': 'v3'},
    )},
    {'app_id': 'other-app', 'name': 'Another app', 'environments': (
        {'mode': 'Test', 'status': 'Stopped', 'model_version': '2.0.0.1'},
    )},
    # A Mendix 7 app: the Deploy API and Backups API v1 serve it, Backups API v2 answers
    # 404 ENVIRONMENT_NOT_FOUND for its correct ids (api/mendix.md "Real clients" item 8).
    {'app_id': 'mx7-app', 'name': 'A Mendix 7 app', 'environments': (
        {'mode': 'Test', 'status': 'Stopped', 'model_version': '7.0.0.12', 'mendix_version': '7.23.7', 'backups_v2': False},
    )},
    # A free app: one Sandbox environment on mxapps.io, no Backups API at all (item 10), and the
    # extra keys and missing versions live tenants show for it.
    {'app_id': 'free-app', 'name': 'A free app', 'url': 'https://free-app.mxapps.io', 'environments': (
        {'mode': 'Sandbox', 'status': 'Running', 'url': 'https://free-app.mxapps.io', 'model_version': None,
         'mendix_version': None},
    )},
)
DATA_TYPES = ('database_only', 'files_and_database', 'files_only')
V2_DATA_TYPES = ('database_only', 'files_and_database')
V1_LINKS = {'FilesOnly': 'files_only', 'DatabaseOnly': 'database_only', 'DatabaseAndFiles': 'files_and_database'}
STOPPED = ('Stopped', 'Empty')


class ApiError(Exception):
    """A documented vendor error: HTTP status, errorCode, errorMessage."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def stable_uuid(*parts):
    return str(uuid.UUID(bytes=hashlib.sha256('/'.join(parts).encode('utf-8')).digest()[:16]))


def iso(seconds):
    if seconds is None:
        return None
    when = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return when.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (when.microsecond // 1000)


def ms(seconds):
    return int(seconds * 1000)


class Job:
    """Work that runs from ``start`` for ``duration`` seconds: queued (first 20 %), running, then ``outcome``."""

    def __init__(self, start, duration, outcome='completed'):
        self.id = str(uuid.uuid4())
        self.start = start
        self.duration = max(0.0, duration)
        self.outcome = outcome

    def end(self):
        return self.start + self.duration

    def state(self, now):
        if now >= self.end():
            return self.outcome
        return 'queued' if now < self.start + 0.2 * self.duration else 'running'

    def running(self, now):
        return now < self.end()


class Environment:
    def __init__(self, app_id, spec):
        self.app_id = app_id
        self.mode = spec['mode']
        self.id = spec.get('environment_id') or stable_uuid(app_id, self.mode)
        self._status = spec.get('status', 'Running')
        self.pending = {}  # a stop or start in progress: {'status', 'at', 'interim'}
        self.production = bool(spec.get('production', self.mode == 'Production'))
        self.model_version = spec.get('model_version', '1.0.0.1')
        self.mendix_version = spec.get('mendix_version', '9.24.0')
        self.cloud = spec.get('cloud', 'v4')  # 'v3': every v2 backup call answers 400 NOT_SUPPORTED
        # False: every v2 backup call answers 404 ENVIRONMENT_NOT_FOUND (a Mendix 7 app), v1 works.
        self.backups_v2 = bool(spec.get('backups_v2', True))
        # A free app's sandbox (Mode Sandbox or a Url on mxapps.io): no Backups API, v1 or v2.
        self.url = spec.get('url')
        self.sandbox = self.mode.lower() == 'sandbox' or 'mxapps.io' in (self.url or '')
        self.restored_from = None

    def status(self, now):
        if self.pending:
            if now < self.pending['at']:
                return self.pending['interim']
            self._status, self.pending = self.pending['status'], {}
        return self._status

    def view(self, now):
        suffix = {'Test': '-test', 'Acceptance': '-accp'}.get(self.mode, '' if self.production else '-' + self.mode.lower())
        host = self.app_id + suffix
        view = {'Status': self.status(now), 'EnvironmentId': self.id, 'Mode': self.mode,
                'Url': self.url or 'https://%s.mendixcloud.com' % host, 'ModelVersion': self.model_version,
                'MendixVersion': self.mendix_version, 'Production': self.production}
        if self.sandbox:
            # What live tenants show for a sandbox: extra keys, and no versions (item 10).
            view.update(Instances=1, MemoryPerInstance=1024, TotalMemory=1024, RuntimeLayer='Ubuntu 22.04')
        return {key: value for key, value in view.items() if value is not None or key not in ('ModelVersion', 'MendixVersion')}


class Snapshot:
    def __init__(self, env, comment, job, now, *, model_version, db_bytes, files_bytes, expires=None, snapshot_id=None,
                 failure_message=None):
        self.id = snapshot_id or str(uuid.uuid4())
        self.app_id = env.app_id
        self.env_id = env.id
        self.comment = comment
        self.job = job
        self.created = job.start
        self.expires = self.created + SNAPSHOT_TTL if expires is None else expires
        self.model_version = model_version
        self.failure_message = failure_message or 'Backup creation failed (emulator)'
        self.sizes = {'database_only': db_bytes, 'files_only': files_bytes, 'files_and_database': db_bytes + files_bytes}

    def state(self, now):
        return self.job.state(now)

    def v2(self, now):
        state = self.state(now)
        done = state in ('completed', 'failed')
        message = {'queued': 'Queued', 'running': 'Creating backup', 'completed': 'Completed backup creation',
                   'failed': self.failure_message}[state]
        view = {'snapshot_id': self.id, 'comment': self.comment, 'state': state, 'status_message': message,
                'model_version': None if state == 'queued' else self.model_version, 'created_at': iso(self.created),
                'updated_at': None if state == 'queued' else iso(min(now, self.job.end())),
                'finished_at': iso(self.job.end()) if done else None, 'expires_at': iso(self.expires)}
        if state == 'failed':
            # A live tenant's failed snapshots have no model_version key at all (item 3).
            del view['model_version']
        return view

    def v1(self, now, state=None):
        view = {'SnapshotID': self.id, 'Comment': self.comment, 'State': state or self.state(now).capitalize(),
                'ExpiresOn': ms(self.expires), 'CreatedOn': ms(self.created), 'ModelVersion': self.model_version}
        if view['State'] == 'Failed':
            del view['ModelVersion']
        return view


class Archive:
    def __init__(self, snapshot, data_type, job):
        self.id = str(uuid.uuid4())
        self.snapshot = snapshot
        self.data_type = data_type
        self.job = job
        self.url = None

    def view(self, now):
        state = self.job.state(now)
        message = {'queued': 'Queued', 'running': 'Preparing download archive',
                   'completed': 'Done preparing download archive', 'failed': 'Archive failed'}[state]
        return {'archive_id': self.id, 'snapshot_id': self.snapshot.id, 'data_type': self.data_type, 'state': state,
                'status_message': message, 'created_at': iso(self.job.start),
                'updated_at': iso(min(now, self.job.end())),
                'finished_at': iso(self.job.end()) if state in ('completed', 'failed') else None,
                'url': self.url if state == 'completed' else None}


class Restore:
    def __init__(self, snapshot, target, job, db_only, version):
        self.id = str(uuid.uuid4())
        self.snapshot = snapshot
        self.target = target
        self.job = job
        self.db_only = db_only
        self.version = version

    def view(self, now):
        state = self.job.state(now)
        message = {'queued': 'Queued', 'running': 'Restoring', 'completed': 'Restore completed',
                   'failed': 'Restore failed (emulator)'}[state]
        return {'restore_id': self.id, 'source_snapshot_id': self.snapshot.id, 'source_environment_id': self.snapshot.env_id,
                'target_environment_id': self.target.id, 'state': state, 'status_message': message,
                'created_at': iso(self.job.start), 'updated_at': iso(min(now, self.job.end())),
                'finished_at': iso(self.job.end()) if state in ('completed', 'failed') else None}


class Cloud:
    """All Mendix state.  Callers hold the app lock and pass the config dict and the clock's ``now``."""

    def __init__(self):
        self.users = dict(DEFAULT_USERS)
        self.apps = {}  # app_id -> {'name', 'project_id', 'envs': {mode: Environment}}
        self.snapshots = {}  # id -> Snapshot (every app)
        self.archives = {}
        self.restores = {}
        self.start_jobs = {}  # job id -> (Environment, Job)
        self.counts = dict.fromkeys(('snapshots', 'archives', 'restores', 'deletes', 'starts', 'stops', 'downloads'), 0)
        for app in DEFAULT_APPS:
            self.add_app(app)

    # -- seeding -------------------------------------------------------------------------------------
    def add_app(self, spec):
        app_id = spec['app_id']
        app = {'name': spec.get('name', app_id), 'project_id': spec.get('project_id') or stable_uuid('project', app_id),
               'url': spec.get('url'), 'envs': {}}
        for env in spec.get('environments', ()):
            app['envs'][env['mode']] = Environment(app_id, env)
        self.apps[app_id] = app

    def seed_snapshot(self, spec, now, config):
        env = self.env(spec['app_id'], spec['environment'])
        age = float(spec.get('age_seconds', 3600.0))
        outcome = spec.get('state', 'completed')
        if outcome not in ('completed', 'failed', 'running'):
            raise ValueError('seeded snapshot state must be completed, failed or running')
        duration = age + 3600.0 if outcome == 'running' else 60.0
        job = Job(now - age, duration, 'completed' if outcome == 'running' else outcome)
        expires = now + float(spec['expires_in_seconds']) if 'expires_in_seconds' in spec else None
        snap = Snapshot(env, spec.get('comment', 'Automatically created nightly snapshot'), job, now,
                        model_version=spec.get('model_version', env.model_version), expires=expires,
                        db_bytes=int(spec.get('database_bytes', config['database_bytes'])),
                        files_bytes=int(spec.get('files_bytes', config['files_bytes'])), snapshot_id=spec.get('snapshot_id'),
                        failure_message=spec.get('status_message'))
        self.snapshots[snap.id] = snap
        return snap

    # -- lookups ---------------------------------------------------------------------------------------
    def app(self, app_id):
        if app_id not in self.apps:
            raise ApiError(404, 'APP_NOT_FOUND', "App '%s' not found." % app_id)
        return self.apps[app_id]

    def env(self, app_id, mode):
        envs = self.app(app_id)['envs']
        # The Portal shows modes capitalised; the API is assumed to accept any case.
        for name, env in envs.items():
            if name.lower() == mode.lower():
                return env
        raise ApiError(404, 'ENVIRONMENT_NOT_FOUND', "Environment '%s' of app '%s' not found." % (mode, app_id))

    def env_v2(self, project_id, env_id):
        for app in self.apps.values():
            if app['project_id'] == project_id:
                for env in app['envs'].values():
                    if env.id == env_id:
                        if not env.backups_v2 or env.sandbox:
                            break  # answered like an unknown environment, as for the live Mendix 7 apps
                        if env.cloud != 'v4':
                            raise ApiError(400, 'NOT_SUPPORTED', 'This endpoint can only be used with Mendix Cloud.')
                        return env
        raise ApiError(404, 'ENVIRONMENT_NOT_FOUND', 'Environment not found.')

    def env_v1_backups(self, app_id, mode):
        """The environment of a Backups API v1 call; a sandbox has no Backups API."""
        env = self.env(app_id, mode)
        if env.sandbox:
            # UNCONFIRMED what the platform answers exactly; live clients saw raw 400s and 404s.
            raise ApiError(400, 'INVALID_ENVIRONMENT', 'Backups are not available for this environment.')
        return env

    def env_snapshots(self, env):
        found = [s for s in self.snapshots.values() if s.env_id == env.id]
        return sorted(found, key=lambda s: s.created, reverse=True)

    def snapshot(self, env, snapshot_id, status=404, code='NOT_FOUND'):
        snap = self.snapshots.get(snapshot_id)
        if snap is None or snap.env_id != env.id:
            raise ApiError(status, code, "Snapshot '%s' not found." % snapshot_id)
        return snap

    def busy(self, env, now):
        return any(s.env_id == env.id and s.job.running(now) for s in self.snapshots.values()) or \
            any(r.target.id == env.id and r.job.running(now) for r in self.restores.values())

    # -- snapshots -----------------------------------------------------------------------------------
    def create_snapshot(self, env, comment, now, config):
        if self.busy(env, now):
            raise ApiError(400, 'ENVIRONMENT_BUSY', 'Another job is running on this environment; try again later.')
        job = Job(now, config['snapshot_seconds'], config['snapshot_result'])
        snap = Snapshot(env, comment, job, now, model_version=env.model_version,
                        db_bytes=config['database_bytes'], files_bytes=config['files_bytes'])
        self.snapshots[snap.id] = snap
        self.counts['snapshots'] += 1
        return snap

    def delete_snapshot(self, env, snapshot_id):
        self.snapshot(env, snapshot_id)
        del self.snapshots[snapshot_id]
        self.counts['deletes'] += 1

    def create_archive(self, env, snapshot_id, data_type, now, config):
        snap = self.snapshot(env, snapshot_id)
        if data_type not in V2_DATA_TYPES:
            raise ApiError(400, 'UNSUPPORTED', "Unsupported data_type '%s'." % data_type)
        if snap.state(now) != 'completed':
            raise ApiError(400, 'INVALID_STATE', 'The snapshot is not completed.')
        archive = Archive(snap, data_type, Job(now, config['archive_seconds']))
        self.archives[archive.id] = archive
        self.counts['archives'] += 1
        return archive

    def archive(self, env, snapshot_id, archive_id):
        self.snapshot(env, snapshot_id)
        archive = self.archives.get(archive_id)
        if archive is None or archive.snapshot.id != snapshot_id:
            raise ApiError(404, 'NOT_FOUND', "Archive '%s' not found." % archive_id)
        return archive

    # -- restores ------------------------------------------------------------------------------------
    def check_restore(self, target, snapshot_id, now, not_found_code='NOT_FOUND'):
        snap = self.snapshots.get(snapshot_id)
        if snap is None or snap.app_id != target.app_id:
            raise ApiError(400, not_found_code, "Snapshot '%s' not found for this app." % snapshot_id)
        if target.status(now) not in STOPPED:
            raise ApiError(400, 'ERROR_NOT_ALLOWED', 'Please stop loft before restarting a backup.')
        if self.busy(target, now):
            raise ApiError(400, 'ENVIRONMENT_BUSY', 'Another job is running on this environment; try again later.')
        if snap.state(now) != 'completed':
            raise ApiError(400, 'ERROR_NOT_ALLOWED', 'backup is not in the right state')
        return snap

    def restore(self, target, snapshot_id, db_only, now, config, version):
        snap = self.check_restore(target, snapshot_id, now)
        # v1 answers once the restore is done (synchronous), so its job takes no time.
        duration = config['restore_seconds'] if version == 2 else 0.0
        restore = Restore(snap, target, Job(now, duration, config['restore_result']), db_only, version)
        self.restores[restore.id] = restore
        target.restored_from = snap.id
        self.counts['restores'] += 1
        return restore

    # -- start / stop --------------------------------------------------------------------------------
    def start(self, env, now, config):
        status = env.status(now)
        if status == 'Running':
            return None
        if status == 'Starting':
            raise ApiError(500, 'APP_ALREADY_HAS_A_STARTING_JOB', 'The app already has a starting job.')
        if status == 'Empty':
            raise ApiError(500, 'NO_MDA_HAS_BEEN_DEPLOYED', 'No deployment package has been deployed.')
        job = Job(now, config['start_seconds'])
        env.pending = {'status': 'Running', 'at': job.end(), 'interim': 'Starting'}
        self.start_jobs[job.id] = (env, job)
        self.counts['starts'] += 1
        return job

    def start_status(self, env, job_id, now):
        entry = self.start_jobs.get(job_id)
        if entry is None or entry[0] is not env:
            raise ApiError(404, 'NO_SUCH_STARTJOB', "No start job '%s'." % job_id)
        return 'Starting' if entry[1].running(now) else 'Started'

    def stop(self, env, now, config):
        if env.status(now) in STOPPED + ('Stopping',):
            return
        for job_id, (owner, dummy) in list(self.start_jobs.items()):
            if owner is env:
                del self.start_jobs[job_id]
        env.pending = {'status': 'Stopped', 'at': now + config['stop_seconds'], 'interim': 'Stopping'}
        self.counts['stops'] += 1

    # -- dump ----------------------------------------------------------------------------------------
    def dump(self, now):
        apps = {}
        for app_id, app in self.apps.items():
            apps[app_id] = {'name': app['name'], 'project_id': app['project_id'], 'url': app['url'],
                            'environments': {mode: dict(env.view(now), restored_from=env.restored_from, cloud=env.cloud)
                                             for mode, env in app['envs'].items()}}
        snapshots = [dict(s.v2(now), app_id=s.app_id, environment_id=s.env_id, sizes=dict(s.sizes))
                     for s in sorted(self.snapshots.values(), key=lambda s: s.created)]
        return {'users': sorted(self.users), 'apps': apps, 'snapshots': snapshots,
                'archives': [a.view(now) for a in self.archives.values()],
                'restores': [dict(r.view(now), db_only=r.db_only, api_version=r.version) for r in self.restores.values()],
                'counts': dict(self.counts)}


def signature():
    return secrets.token_urlsafe(24)
