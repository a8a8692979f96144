"""ArcGIS Enterprise on Kubernetes disaster recovery: the organization's state, without HTTP.

Stores, backups, jobs, the last DR operation and issued tokens.  Every status is derived from the
shared clock when asked (``now`` arguments), so a backup is ``in_progress`` until its job's time
has elapsed, then ``completed`` or ``failed``.  Failures are raised as ``ApiError`` and shaped into
the vendor's error bodies by the HTTP layer (apps/arcgis.py).
"""

import base64
import hashlib
import re
import secrets
import uuid

NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$')
RELEASE = '11.3'
SITE_NAME = 'arcgis'
DEFAULT_USERS = {'dr-admin': 'Emul4tor-Pa55word!'}
SEED_PASSCODE = 'Emul4tor-Passcode'
BACKUP_STAGES = ('Validation', 'Stage Relational store', 'Stage Object store', 'Stage system configuration',
                 'Post backup operation cleanup')
RESTORE_STAGES = ('Validation', 'Restore Relational store', 'Restore Object store', 'Restore system configuration',
                  'Post restore operation cleanup')
OUTCOME_MESSAGES = {
    'success': '',
    'failed': 'The operation failed: simulated failure (emulator).',
    'completed_with_warnings': 'Restore completed with warnings: 2 items could not be restored (emulator).',
}
# How a job ends other than by its operation's outcome (config ``job_end``), and the message it then carries.
JOB_END_MESSAGES = {
    'FAILED': 'The operation failed: simulated failure (emulator).',
    'CANCELLED': 'The job was cancelled by an administrator (emulator).',
    'TIMED OUT': 'The job did not finish within its timeout of 7200 seconds (emulator).',
}


class ApiError(Exception):
    """A vendor-level failure: ``code`` is the ArcGIS error code carried in the body, not the HTTP status."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def ms(seconds):
    return int(seconds * 1000)


def store_object(name, default, static=False):
    """A store as GET stores returns it; identity fields are derived from the name so they are stable."""
    storage = {'storageClass': 'backups', 'size': '64Gi', 'provisioningType': 'STATIC' if static else 'DYNAMIC'}
    if static:
        storage['labels'] = {'arcgis/backup-store': name}
    digest = hashlib.sha256(name.encode('utf-8')).digest()
    return {'default': default, 'storageConfig': storage, 'identity': str(uuid.UUID(bytes=digest[:16])), 'name': name,
            'identityKey': base64.b64encode(digest).decode('ascii'), 'rootDir': 'rootdir', 'type': 'HOSTED',
            'autoShutdown': True}


class Operation:
    """One DR job (a backup or a restore) that runs from ``start`` for ``duration`` seconds, then ends with ``outcome``."""

    def __init__(self, kind, store, backup_name, *, start, duration, outcome, jobid=None, job_end=None):
        self.kind = kind
        self.operation_uri = 'system/disasterrecovery/stores/%s/backups/%s' % (store, 'create' if kind == 'Backup' else backup_name + '/restore')
        self.store = store
        self.backup_name = backup_name
        self.start = start
        self.duration = max(0.0, duration)
        # A job that ends FAILED, CANCELLED or TIMED OUT (``job_end``) is a failed operation too.
        self.outcome = 'failed' if job_end in JOB_END_MESSAGES else outcome  # success | failed | completed_with_warnings
        self.jobid = jobid
        self.job_end = job_end if job_end in JOB_END_MESSAGES else None

    def progress(self, now):
        return 1.0 if self.duration == 0 else min(1.0, max(0.0, (now - self.start) / self.duration))

    def running(self, now):
        return self.progress(now) < 1.0

    def end(self):
        return self.start + self.duration

    def stages(self, now):
        names = BACKUP_STAGES if self.kind == 'Backup' else RESTORE_STAGES
        done = int(self.progress(now) * len(names))
        step = self.duration / len(names)
        result = []
        for index, name in enumerate(names):
            if index < done:
                state = 'failed' if (self.outcome == 'failed' and index == len(names) - 1) else 'completed'
            else:
                state = 'in_progress' if index == done else 'pending'
            updated = self.start + step * (index + 1) if index < done else self.start
            result.append({'name': name, 'state': state, 'duration': '%d millis (~ 0 minutes)' % ms(step),
                           'lastUpdated': ms(updated)})
        return result

    def state(self, now):
        """DR status ``state``: in_progress while running, then the outcome."""
        return 'in_progress' if self.running(now) else self.outcome

    def status_view(self, now):
        running = self.running(now)
        return {'scheduleType': 'MANUAL', 'operation': self.kind, 'state': self.state(now), 'backupName': self.backup_name,
                'backupStore': self.store, 'message': '' if running else OUTCOME_MESSAGES[self.outcome],
                'startTime': ms(self.start), 'completeTime': 0 if running else ms(self.end()), 'stages': self.stages(now)}

    def job_view(self, now):
        fraction = self.progress(now)
        if fraction < 0.2:
            status = 'SUBMITTED'
        elif fraction < 1.0:
            status = 'EXECUTING'
        elif self.job_end:
            status = self.job_end
        else:
            # A restore that completed with warnings is a COMPLETED job; its DR status carries the warning.
            status = 'FAILED' if self.outcome == 'failed' else 'COMPLETED'
        finished = fraction >= 1.0
        result = {'backupName': self.backup_name, 'backupStore': self.store, 'stages': self.stages(now)} if finished else {}
        messages = [JOB_END_MESSAGES[status]] if status in JOB_END_MESSAGES else []
        return {'jobid': self.jobid, 'status': status, 'starttime': ms(self.start), 'endtime': ms(self.end()) if finished else 0,
                'updatedtime': ms(min(now, self.end())), 'operationURI': self.operation_uri, 'username': 'dr-admin',
                'result': result, 'messages': messages}


class Organization:
    """All DR state of one emulated ArcGIS organization.  Callers hold the app lock.

    ``shared``: the backups of shared stores, by store name, one dict for every organization of the emulator.
    A store seeded with ``"shared": true`` keeps its backups there, so two organizations that both register
    it see the same backups, as two deployments that register the same storage location do (how a backup of
    one organization is restored into another).
    """

    def __init__(self, shared=None):
        self.shared = {} if shared is None else shared
        self.users = dict(DEFAULT_USERS)
        self.stores = {'default-store': store_object('default-store', True),
                       'secondary': store_object('secondary', False, static=True)}
        self.backups = {name: {} for name in self.stores}  # store -> backupName -> record
        self.jobs = {}  # jobid -> Operation
        self.last_operation = None
        self.last_restore = None
        # The DR status keeps describing the operation before the last restore until this time (a stale status).
        self.stale_operation = None
        self.stale_until = 0.0
        self.tokens = {}  # token -> {'expires': s, 'revoked': bool}
        self.restores = []
        self.counts = {'creates': 0, 'restores': 0, 'deletes': 0, 'updates': 0, 'tokens': 0, 'validates': 0}

    # -- tokens ------------------------------------------------------------------------------------
    def issue_token(self, username, password, lifetime, now):
        if not username or self.users.get(username) != password:
            raise ApiError(400, 'Invalid username or password.')
        token = secrets.token_urlsafe(32)
        self.tokens[token] = {'expires': now + lifetime, 'revoked': False, 'username': username}
        self.counts['tokens'] += 1
        return token, self.tokens[token]['expires']

    def token_valid(self, token, now):
        entry = self.tokens.get(token)
        return bool(entry) and not entry['revoked'] and now < entry['expires']

    def expire_tokens(self):
        for entry in self.tokens.values():
            entry['revoked'] = True
        return len(self.tokens)

    # -- lookups -----------------------------------------------------------------------------------
    def store(self, name):
        if name not in self.stores:
            raise ApiError(404, "Backup store '%s' does not exist." % name)
        return self.stores[name]

    def backup(self, store, name):
        self.store(store)
        record = self.backups[store].get(name)
        if record is None:
            raise ApiError(404, "Backup '%s' does not exist in store '%s'." % (name, store))
        return record

    @staticmethod
    def backup_status(record, now):
        operation = record['operation']
        if operation is None:
            return record['fixed_status']
        if operation.running(now):
            return 'in_progress'
        return 'completed' if operation.outcome == 'success' else 'failed'

    def backup_view(self, record, now):
        status = self.backup_status(record, now)
        operation = record['operation']
        complete = record['fixed_complete'] if operation is None else (ms(operation.end()) if status != 'in_progress' else 0)
        return {'backupName': record['name'], 'status': status, 'description': record['description'],
                'startTime': ms(record['start']), 'completeTime': complete, 'retentionDate': record['retention'],
                'backupStore': record['store'], 'scheduleType': 'MANUAL', 'backupType': 'FULL', 'release': RELEASE,
                'siteName': SITE_NAME, 'namespace': SITE_NAME}

    def restore_running(self, now):
        return self.last_restore is not None and self.last_restore.running(now)

    def unavailable(self, now, seconds):
        """True during the first ``seconds`` of the last restore: the organization answers 503."""
        return self.last_restore is not None and now < self.last_restore.start + min(seconds, self.last_restore.duration)

    # -- operations --------------------------------------------------------------------------------
    def validate_store(self, store, ready):
        """The store pre-flight (``stores/<store>/validate``): whether the store is ready (the app shapes the answer)."""
        self.store(store)
        self.counts['validates'] += 1
        return ready

    def create_backup(self, store, name, *, passcode, description, retention, now, duration, outcome, job_end=None):
        self.store(store)
        if self.restore_running(now):
            raise ApiError(409, 'Another disaster recovery operation (restore) is in progress.')
        if not NAME_RE.match(name or ''):
            raise ApiError(400, "Invalid backup name '%s'. Use 1-128 letters, digits, '_', '.', '-', starting with a letter or digit."
                           % (name or ''))
        if len(passcode or '') < 8:
            raise ApiError(400, 'The passcode must be at least 8 characters long.')
        if name in self.backups[store]:
            raise ApiError(409, "Backup '%s' already exists in store '%s'." % (name, store))
        jobid = 'j%s' % uuid.uuid4()
        operation = Operation('Backup', store, name, start=now, duration=duration, outcome=outcome, jobid=jobid, job_end=job_end)
        self.backups[store][name] = self._record(store, name, passcode=passcode, description=description, retention=retention,
                                                 start=now, operation=operation)
        self.jobs[jobid] = operation
        self.last_operation = operation
        self.counts['creates'] += 1
        return jobid

    @staticmethod
    def _record(store, name, *, passcode, description, retention, start, operation, fixed_status=None, fixed_complete=0):
        return {'store': store, 'name': name, 'passcode': passcode, 'description': description or '',
                'retention': retention, 'start': start, 'operation': operation,
                'fixed_status': fixed_status, 'fixed_complete': fixed_complete}

    def update_backup(self, store, name, retention):
        self.backup(store, name)['retention'] = retention
        self.counts['updates'] += 1

    def delete_backup(self, store, name, now):
        record = self.backup(store, name)
        if self.backup_status(record, now) == 'in_progress':
            raise ApiError(409, "Backup '%s' is in progress and cannot be deleted." % name)
        del self.backups[store][name]
        self.counts['deletes'] += 1

    def restore_backup(self, store, name, *, passcode, now, duration, outcome, as_job=False, job_end=None, stale_seconds=0.0):
        """Start a restore; its jobid when it runs ``as_job`` (else None).

        With ``stale_seconds`` the DR status goes on describing the operation before this restore for that
        long, as the real status does for about a minute after a restore was accepted.
        """
        record = self.backup(store, name)
        if self.restore_running(now):
            raise ApiError(409, 'Another disaster recovery operation (restore) is in progress.')
        if passcode != record['passcode']:
            raise ApiError(400, 'Invalid passcode.')
        if self.backup_status(record, now) != 'completed':
            raise ApiError(400, "Backup '%s' is not completed and cannot be restored." % name)
        jobid = 'j%s' % uuid.uuid4() if as_job else None
        operation = Operation('Restore', store, name, start=now, duration=duration, outcome=outcome, jobid=jobid,
                              job_end=job_end if as_job else None)
        if jobid:
            self.jobs[jobid] = operation
        self.stale_operation, self.stale_until = self.last_operation, now + max(0.0, stale_seconds)
        self.last_operation = self.last_restore = operation
        self.restores.append({'backupName': name, 'backupStore': store, 'startTime': ms(now), 'jobid': jobid})
        self.counts['restores'] += 1
        return jobid

    def status_stale(self, now):
        """True while the DR status still describes the operation before the last restore."""
        return self.last_restore is not None and now < self.stale_until

    def dr_status(self, now):
        if self.status_stale(now):
            operation = self.stale_operation
            return {'status': operation.status_view(now)} if operation else {'status': {'code': 0, 'messages': [], 'state': 'no_op'}}
        if self.last_operation is None:
            return {'status': {'code': 0, 'messages': [], 'state': 'no_op'}}
        return {'status': self.last_operation.status_view(now)}

    # -- seeding -----------------------------------------------------------------------------------
    def seed(self, data, now, duration, outcome):
        if data.get('replace'):
            self.users, self.stores, self.backups = {}, {}, {}
        self.users.update(data.get('users') or {})
        for spec in data.get('stores') or []:
            self._seed_store(spec)
        for spec in data.get('backups') or []:
            self._seed_backup(spec, now, duration, outcome)

    def _seed_store(self, spec):
        if not isinstance(spec, dict) or not NAME_RE.match(str(spec.get('name', ''))):
            raise ValueError('a seeded store needs a valid "name"')
        spec = dict(spec)
        shared = spec.pop('shared', False)  # the emulator's own key, never part of the store object
        if not isinstance(shared, bool):
            raise ValueError('a seeded store\'s "shared" is true or false')
        store = dict(self.stores.get(spec['name']) or store_object(spec['name'], False), **spec)
        if store['default']:
            for other in self.stores.values():
                other['default'] = False
        self.stores[store['name']] = store
        if shared:
            # Backups already made in this store move to the shared location (a store registered late).
            location = self.shared.setdefault(store['name'], {})
            location.update(self.backups.get(store['name']) or {})
            self.backups[store['name']] = location
        else:
            self.backups.setdefault(store['name'], {})

    def _seed_backup(self, spec, now, duration, outcome):
        default_store = next((s['name'] for s in self.stores.values() if s['default']), None)
        store, name = spec.get('store', default_store), spec.get('backupName')
        status = spec.get('status', 'completed')
        if store not in self.stores or not NAME_RE.match(name or '') or status not in ('completed', 'failed', 'in_progress'):
            raise ValueError('a seeded backup needs an existing "store", a valid "backupName" and status completed|failed|in_progress')
        start = spec.get('startTime', ms(now - 3600)) / 1000.0
        operation = None
        if status == 'in_progress':
            operation = Operation('Backup', store, name, start=now, duration=duration, outcome=outcome, jobid='j%s' % uuid.uuid4())
        if operation:
            self.jobs[operation.jobid] = operation
        self.backups[store][name] = self._record(store, name, passcode=spec.get('passcode', SEED_PASSCODE), description=spec.get('description', ''),
                                                 retention=spec.get('retentionDate', -1), start=start, operation=operation,
                                                 fixed_status=status, fixed_complete=spec.get('completeTime', ms(start + 60)))

    # -- test view ---------------------------------------------------------------------------------
    def dump(self, now):
        backups = {}
        for store, records in self.backups.items():
            backups[store] = [dict(self.backup_view(r, now), passcode_sha256=hashlib.sha256(r['passcode'].encode('utf-8')).hexdigest())
                              for r in list(records.values())]
        return {
            'users': sorted(self.users), 'stores': list(self.stores.values()), 'backups': backups,
            'jobs': {jobid: op.job_view(now) for jobid, op in self.jobs.items()},
            'dr_status': self.dr_status(now)['status'], 'restores': list(self.restores), 'counts': dict(self.counts),
            'tokens': [{'token': t, 'expires': ms(e['expires']), 'valid': self.token_valid(t, now)} for t, e in self.tokens.items()],
        }
