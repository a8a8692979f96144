"""Atlassian Cloud backup & restore: the organization's state and timing, without HTTP.

Sites, storages, policies, backups, exports, imports and restores.  Every status is derived from the
shared clock when asked (``now`` arguments): a backup is IN_PROGRESS until its time has passed, then
COMPLETE / INCOMPLETE / FAILED, and EXPIRED 14 days after it was made (or imported).  A restore
validates, waits for consent when a configured check fails, runs, then completes with a migration id.
Failures are raised as ``ApiError`` (HTTP status + detail) and shaped by apps/atlassian.py.
"""

import datetime
import uuid

DAY = 86400.0
BACKUP_INTERVAL = 7 * DAY   # one backup per policy per 7 days after the last COMPLETE one
RESTORE_INTERVAL = 7 * DAY  # a backup restores at most once per 7 days
RETENTION = 14 * DAY        # backups expire 14 days after creation (or import)
PRODUCTS = ('JIRA', 'CONFLUENCE')
CUSTOM_GROUP = ('Accept_Custom_Group_Check', 'Deny_Custom_Group_Check')
CONSENTS = ('Consent_Conflicting_Space_Check', 'Consent_Conflicting_Group_Check', 'Consent_Product_License_Check',
            'Consent_TDP_Shard_Check', 'Consent_Site_License_Check') + CUSTOM_GROUP
# What validation says for each failing check (the custom group check is reported under its "accept" value).
CHECK_MESSAGES = {
    'Consent_Conflicting_Space_Check': 'Spaces with the keys DOCS and TEAM exist in the target site; they will be skipped.',
    'Consent_Conflicting_Group_Check': 'Groups jira-administrators and site-admins exist in the target site; members will be merged.',
    'Consent_Product_License_Check': 'The target product licence allows fewer users than the backup holds.',
    'Consent_TDP_Shard_Check': 'The target site is on another data shard than the backed-up site.',
    'Consent_Site_License_Check': 'The target site licence tier differs from the backed-up site.',
    'Accept_Custom_Group_Check': 'Restored groups grant product access; accept or deny it.',
}
DEFAULT_USERS = {'backup-admin@example.com': {'api_token': 'Emul4tor-Atl-Api-Token-0001', 'admin': True},
                 'viewer@example.com': {'api_token': 'Emul4tor-Atl-Viewer-Token-02', 'admin': False}}
DEFAULT_ORG = 'org-emulator-1'
DEFAULT_SITES = {'cloud-prod': 'shard-1', 'cloud-staging': 'shard-1', 'cloud-sandbox': 'shard-2'}
# What a post-operation report lists for each product besides attachments, users and groups (emulator's figures).
REPORT_CONTENT = {'JIRA': (('Projects', 12), ('Issues', 3456)), 'CONFLUENCE': (('Spaces', 8), ('Pages', 1520))}


class ApiError(Exception):
    def __init__(self, status, detail, code=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code


def iso(seconds):
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def new_id(prefix):
    return '%s-%s' % (prefix, uuid.uuid4())


class Timed:
    """Something that runs from ``start`` for ``duration`` seconds, then ends with ``outcome``."""

    def __init__(self, start, duration, outcome):
        self.start, self.duration, self.outcome = start, max(0.0, duration), outcome

    def end(self):
        return self.start + self.duration

    def status(self, now):
        return 'IN_PROGRESS' if now < self.end() else self.outcome


class Restore:
    """validate -> (AWAITING_CONSENT -> revalidate ->)* IN_PROGRESS -> COMPLETE | FAILED."""

    def __init__(self, record, now, config):
        self.record = record
        self.config = dict(config)
        self.consent = []
        self.validate_from = now
        self.created = now
        self.migration_id = new_id('mig')

    def failing(self):
        covered = set(self.consent)
        return [c for c in self.config['failing_checks']
                if not (c in covered or (c in CUSTOM_GROUP and covered & set(CUSTOM_GROUP)))]

    def status(self, now):
        """(status, validation errors)."""
        validated = self.validate_from + self.config['validation_seconds']
        if now < validated:
            return 'VALIDATING', []
        failing = self.failing()
        if failing:
            return 'AWAITING_CONSENT', [{'check': c, 'message': CHECK_MESSAGES[c]} for c in failing]
        return Timed(validated, self.config['restore_seconds'], self.config['restore_result']).status(now), []

    def revalidate(self, consent, now):
        self.consent = list(consent)
        self.validate_from = now

    def view(self, now):
        status, errors = self.status(now)
        result = dict(self.record, status=status)
        if errors:
            result['validationErrors'] = errors
        if status == 'COMPLETE':
            result['migrationId'] = self.migration_id
        if status == 'FAILED':
            result['statusMessage'] = 'The restore failed: simulated failure (emulator).'
        return result

    def running(self, now):
        return self.status(now)[0] not in ('COMPLETE', 'FAILED')


class Org:
    """All backup & restore state of one emulated organization.  Callers hold the app lock."""

    def __init__(self):
        self.org_id = DEFAULT_ORG
        self.users = {k: dict(v) for k, v in DEFAULT_USERS.items()}
        self.sites = {cloud: {'cloudId': cloud, 'shard': shard} for cloud, shard in DEFAULT_SITES.items()}
        self.storages, self.policies, self.backups = {}, {}, {}
        self.exports, self.imports, self.restores = {}, {}, {}
        self.counts = {'storages': 0, 'policies': 0, 'policy_updates': 0, 'backups': 0, 'exports': 0, 'imports': 0,
                       'restores': 0, 'revalidations': 0}

    # -- lookups -----------------------------------------------------------------------------------
    def site(self, cloud_id):
        if cloud_id not in self.sites:
            raise ApiError(404, "Site '%s' not found in organization '%s'." % (cloud_id, self.org_id))
        return self.sites[cloud_id]

    def get(self, table, key, what):
        if key not in table:
            raise ApiError(404, "%s '%s' not found." % (what, key))
        return table[key]

    # -- storages and policies ---------------------------------------------------------------------
    def create_storage(self, body, regions):
        fields = ('storageName', 'storageRegion', 'storagePrefix', 'storageType', 'roleIdentifier', 'principalTag', 'cloudId')
        missing = [f for f in fields if not isinstance(body.get(f), str) or not body.get(f)]
        if missing:
            raise ApiError(400, 'Missing or invalid fields: %s.' % ', '.join(missing))
        if body['storageType'] != 'aws':
            raise ApiError(400, "Unsupported storageType '%s': only 'aws' is supported." % body['storageType'])
        if body['storageRegion'] not in regions:
            raise ApiError(400, "Region '%s' is not supported; supported regions: %s." % (body['storageRegion'], ', '.join(regions)))
        self.site(body['cloudId'])
        key = tuple(body[f] for f in ('cloudId', 'storageName', 'storageRegion', 'storagePrefix'))
        if any(tuple(s[f] for f in ('cloudId', 'storageName', 'storageRegion', 'storagePrefix')) == key for s in self.storages.values()):
            raise ApiError(409, 'A storage with this name, region and prefix already exists for this site.')
        storage = dict((f, body[f]) for f in fields)
        storage['storageId'] = new_id('stg')
        self.storages[storage['storageId']] = storage
        self.counts['storages'] += 1
        return storage

    def _check_policy_fields(self, product, body):
        for field in ('includeAttachments', 'includePersonalSpaces'):
            if field in body and not isinstance(body[field], bool):
                raise ApiError(400, '%s must be a boolean.' % field)
        if product == 'JIRA' and body.get('includePersonalSpaces'):
            raise ApiError(400, 'includePersonalSpaces applies to Confluence only.')
        storage = body.get('storageId')
        if storage is not None and storage not in self.storages:
            raise ApiError(400, "Storage '%s' does not exist." % storage)

    def create_policy(self, cloud_id, body, now):
        self.site(cloud_id)
        product = body.get('product')
        if product not in PRODUCTS:
            raise ApiError(400, "product must be JIRA or CONFLUENCE, got '%s'." % product)
        self._check_policy_fields(product, body)
        if any(p['cloudId'] == cloud_id and p['product'] == product for p in self.policies.values()):
            raise ApiError(409, 'A backup policy for %s already exists on site %s.' % (product, cloud_id))
        policy = {'policyId': new_id('pol'), 'cloudId': cloud_id, 'product': product, 'storageId': body.get('storageId'),
                  'includeAttachments': body.get('includeAttachments', False),
                  'includePersonalSpaces': body.get('includePersonalSpaces', False), 'createdAt': iso(now)}
        self.policies[policy['policyId']] = policy
        self.counts['policies'] += 1
        return policy

    def update_policy(self, policy_id, body):
        policy = self.get(self.policies, policy_id, 'Backup policy')
        if not isinstance(body, dict) or not body:
            raise ApiError(400, 'Expected an object with storageId, includeAttachments or includePersonalSpaces.')
        unknown = sorted(set(body) - {'storageId', 'includeAttachments', 'includePersonalSpaces'})
        if unknown:
            raise ApiError(400, 'Fields that cannot be updated: %s.' % ', '.join(unknown))
        self._check_policy_fields(policy['product'], body)
        policy.update(body)
        self.counts['policy_updates'] += 1
        return policy

    # -- backups -----------------------------------------------------------------------------------
    def backup_status(self, record, now):
        if record['fixed'] is not None:
            status = record['fixed']
        else:
            status = record['run'].status(now)
        if status in ('COMPLETE', 'INCOMPLETE') and now >= self.backup_expiry(record, now):
            return 'EXPIRED'
        return status

    def backup_expiry(self, record, now):
        """14 days after creation, or after the last completed import of it (which brings it back)."""
        base = record['created']
        for entry in self.imports.values():
            if entry['record']['backupId'] == record['backupId'] and entry['run'].status(now) == 'COMPLETE':
                base = max(base, entry['run'].end())
        return base + RETENTION

    def backup_view(self, record, now, spelling='IN_PROGRESS'):
        status = self.backup_status(record, now)
        run = record['run']
        completed = None
        if status != 'IN_PROGRESS':
            completed = record['created'] + 60 if run is None else run.end()
        view = {'backupId': record['backupId'], 'policyId': record['policyId'], 'cloudId': record['cloudId'],
                'product': record['product'], 'status': spelling if status == 'IN_PROGRESS' else status,
                'createdAt': iso(record['created']), 'completedAt': iso(completed),
                'expiryTime': iso(self.backup_expiry(record, now))}
        if status == 'FAILED':
            view['statusMessage'] = 'The backup failed: simulated failure (emulator).'
        return view

    def policy_backups(self, policy_id):
        return [b for b in self.backups.values() if b['policyId'] == policy_id]

    def create_backup(self, body, now, duration, outcome):
        if not isinstance(body, dict) or not body.get('policyId') or not body.get('cloudId'):
            raise ApiError(400, 'policyId and cloudId are required.')
        policy = self.get(self.policies, body['policyId'], 'Backup policy')
        if policy['cloudId'] != body['cloudId']:
            raise ApiError(400, "Policy '%s' belongs to site '%s', not '%s'." % (policy['policyId'], policy['cloudId'], body['cloudId']))
        backups = self.policy_backups(policy['policyId'])
        if any(self.backup_status(b, now) == 'IN_PROGRESS' for b in backups):
            raise ApiError(409, 'A backup of this policy is already in progress.')
        complete = [b['created'] for b in backups if self.backup_status(b, now) == 'COMPLETE']
        if complete and now - max(complete) < BACKUP_INTERVAL:
            raise ApiError(409, 'A new backup can be run only 7 days after the last complete backup (created %s); '
                                'next backup allowed after %s.' % (iso(max(complete)), iso(max(complete) + BACKUP_INTERVAL)))
        record = {'backupId': new_id('bkp'), 'policyId': policy['policyId'], 'cloudId': policy['cloudId'],
                  'product': policy['product'], 'created': now, 'run': Timed(now, duration, outcome), 'fixed': None}
        self.backups[record['backupId']] = record
        self.counts['backups'] += 1
        return record

    # -- exports and imports -----------------------------------------------------------------------
    def transfer_view(self, kind, entry, now):
        view = dict(entry['record'], status=entry['run'].status(now), createdAt=iso(entry['run'].start))
        if view['status'] == 'FAILED':
            view['statusMessage'] = 'The %s failed: simulated failure (emulator).' % kind
        return view

    def start_transfers(self, kind, items, now, duration, outcome):
        """Validate every item first (all or nothing), then start one transfer per item."""
        table = self.exports if kind == 'export' else self.imports
        if not isinstance(items, list) or not items:
            raise ApiError(400, 'Expected a non-empty array of {product, cloudId, backupId}.')
        for item in items:
            self._check_transfer(kind, table, item, now)
        started = []
        for item in items:
            record = {kind + 'Id': new_id(kind[:3]), 'backupId': item['backupId'], 'cloudId': item['cloudId'], 'product': item['product']}
            table[record[kind + 'Id']] = {'record': record, 'run': Timed(now, duration, outcome)}
            self.counts[kind + 's'] += 1
            started.append(self.transfer_view(kind, table[record[kind + 'Id']], now))
        return started

    def _check_transfer(self, kind, table, item, now):
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in ('product', 'cloudId', 'backupId')):
            raise ApiError(400, 'Each item needs product, cloudId and backupId.')
        if item['product'] not in PRODUCTS:
            raise ApiError(400, "product must be JIRA or CONFLUENCE, got '%s'." % item['product'])
        backup = self.get(self.backups, item['backupId'], 'Backup')
        if (backup['cloudId'], backup['product']) != (item['cloudId'], item['product']):
            raise ApiError(400, "Backup '%s' is a %s backup of site '%s'." % (backup['backupId'], backup['product'], backup['cloudId']))
        if any(e['record']['backupId'] == item['backupId'] and e['run'].status(now) == 'IN_PROGRESS' for e in table.values()):
            raise ApiError(409, "An %s of backup '%s' is already in progress." % (kind, item['backupId']))
        if kind == 'export':
            if self.backup_status(backup, now) not in ('COMPLETE', 'INCOMPLETE'):
                raise ApiError(400, "Backup '%s' is %s and cannot be exported." % (backup['backupId'], self.backup_status(backup, now)))
            if not self.policies[backup['policyId']].get('storageId'):
                raise ApiError(400, "The policy of backup '%s' has no external storage (storageId)." % backup['backupId'])
        elif not any(e['record']['backupId'] == item['backupId'] and e['run'].status(now) == 'COMPLETE' for e in self.exports.values()):
            raise ApiError(400, "Backup '%s' is not in external storage: export it first." % item['backupId'])

    # -- restores ----------------------------------------------------------------------------------
    def create_restore(self, cloud_id, body, now, config):
        self.site(cloud_id)
        if not isinstance(body, dict) or not body.get('backupId'):
            raise ApiError(400, 'backupId is required.')
        for field in ('includeAttachments', 'includeUsersAndGroups'):
            if field in body and not isinstance(body[field], bool):
                raise ApiError(400, '%s must be a boolean.' % field)
        backup = self.get(self.backups, body['backupId'], 'Backup')
        if body.get('product') != backup['product']:
            raise ApiError(400, "Backup '%s' is a %s backup, not %s." % (backup['backupId'], backup['product'], body.get('product')))
        status = self.backup_status(backup, now)
        if status not in ('COMPLETE', 'INCOMPLETE'):
            raise ApiError(400, "Backup '%s' is %s; only COMPLETE or INCOMPLETE backups can be restored." % (backup['backupId'], status))
        for restore in self.restores.values():
            if restore.record['cloudId'] == cloud_id and restore.running(now):
                raise ApiError(409, "A restore is already running in site '%s'." % cloud_id)
            if (restore.record['backupId'] == backup['backupId'] and restore.status(now)[0] != 'FAILED'
                    and now - restore.created < RESTORE_INTERVAL):
                raise ApiError(409, "Backup '%s' was restored less than 7 days ago." % backup['backupId'])
        record = {'restoreId': new_id('rst'), 'backupId': backup['backupId'], 'cloudId': cloud_id, 'product': backup['product'],
                  'includeAttachments': body.get('includeAttachments', True),
                  'includeUsersAndGroups': body.get('includeUsersAndGroups', True), 'createdAt': iso(now)}
        restore = Restore(record, now, config)
        self.restores[record['restoreId']] = restore
        self.counts['restores'] += 1
        return restore

    def revalidate(self, cloud_id, body, now):
        if not isinstance(body, dict) or not body.get('restoreId') or not isinstance(body.get('consent'), list):
            raise ApiError(400, 'restoreId and a consent array are required.')
        restore = self.get(self.restores, body['restoreId'], 'Restore')
        if restore.record['cloudId'] != cloud_id:
            raise ApiError(404, "Restore '%s' not found in site '%s'." % (body['restoreId'], cloud_id))
        unknown = [c for c in body['consent'] if c not in CONSENTS]
        if unknown:
            raise ApiError(400, 'Unknown consent values: %s.' % ', '.join(str(c) for c in unknown))
        if restore.status(now)[0] != 'AWAITING_CONSENT':
            raise ApiError(409, "Restore '%s' is %s, not AWAITING_CONSENT." % (body['restoreId'], restore.status(now)[0]))
        restore.revalidate(body['consent'], now)
        self.counts['revalidations'] += 1
        return restore

    def report(self, migration_id, now):
        """The post-operation report of a complete restore, as CSV text, or None for an unknown migration.

        Atlassian documents only that the report exists (a link); its columns are the emulator's choice:
        one row per kind of content, whether it was restored, and how many.
        """
        restore = next((r for r in self.restores.values() if r.migration_id == migration_id), None)
        if restore is None or restore.status(now)[0] != 'COMPLETE':
            return None
        record = restore.record
        content = REPORT_CONTENT[record['product']]
        rows = [(entity, 'COMPLETE', count, '') for entity, count in content]
        for entity, flag, count in (('Attachments', 'includeAttachments', 210), ('Users', 'includeUsersAndGroups', 42),
                                    ('Groups', 'includeUsersAndGroups', 7)):
            rows.append((entity, 'COMPLETE', count, '') if record.get(flag, True)
                        else (entity, 'SKIPPED', 0, 'Not selected for this restore'))
        lines = ['Entity,Status,Count,Message'] + ['%s,%s,%d,%s' % row for row in rows]
        return '\r\n'.join(lines) + '\r\n'

    def migration(self, cloud_id, migration_id, now):
        for restore in self.restores.values():
            if restore.migration_id == migration_id and restore.record['cloudId'] == cloud_id and restore.status(now)[0] == 'COMPLETE':
                return restore
        raise ApiError(404, "Migration '%s' not found in site '%s'." % (migration_id, cloud_id))
