"""Atlassian backup-management API v2: the organization's state, beside (and separate from) v1's.

v2 runs a backup by activating a policy that has a schedule: a ``ONCE`` activation makes one backup
``CREATED`` -> ``IN_PROGRESS`` -> ``COMPLETED`` (or ``COMPLETE`` / ``INCOMPLETE`` / ``FAILED``, see the
app's config), then the policy is inactive again; an active ``DAILY`` / ``WEEKLY`` policy makes one backup
per interval on the emulator clock. Backups expire 30 days after creation. Restores are v1's, with
``productType`` for ``product`` (the assumed v2 body). Only activate and policy details are documented;
the other shapes follow v1 (UNCONFIRMED), see ../shared/api/atlassian.md "v2 sub-contract".
"""

from apps.atlassian_model import DAY, PRODUCTS, ApiError, Org, Timed, iso, new_id

RETENTION_V2 = 30 * DAY
# The account id the tests send as X-Atl-Account-Id (the emulator takes any non-empty one and records it).
DEFAULT_ACCOUNT_ID = '5b10ac8d82e05b22cc7d4ef5'
INTERVALS = {'ONCE': None, 'DAILY': DAY, 'WEEKLY': 7 * DAY}
POLICY_FIELDS = ('policyName', 'includeAttachments', 'includePersonalSpaces', 'includeUsersAndGroups', 'scheduleDetails')
STATUSES = ('COMPLETE', 'INCOMPLETE', 'FAILED', 'IN_PROGRESS')
PENDING = ('CREATED', 'IN_PROGRESS')


class V2Org(Org):
    """All v2 state of the emulated organization (same sites and users as v1).  Callers hold the app lock."""

    def __init__(self):
        super().__init__()
        self.counts.update(activations=0)
        self.activations = []  # [{policyId, accountId, at}]

    # -- policies ----------------------------------------------------------------------------------
    def _check_v2_fields(self, product, body):
        for field in ('includeAttachments', 'includePersonalSpaces', 'includeUsersAndGroups'):
            if field in body and not isinstance(body[field], bool):
                raise ApiError(400, '%s must be a boolean.' % field)
        if product == 'JIRA' and body.get('includePersonalSpaces'):
            raise ApiError(400, 'includePersonalSpaces applies to Confluence only.')
        if 'scheduleDetails' in body and body['scheduleDetails'] is not None:
            schedule = body['scheduleDetails']
            if not isinstance(schedule, dict) or schedule.get('interval') not in INTERVALS:
                raise ApiError(400, 'scheduleDetails.interval must be one of %s.' % ', '.join(INTERVALS))

    def create_policy(self, cloud_id, body, now):
        self.site(cloud_id)
        product = body.get('productType')
        if product not in PRODUCTS:
            raise ApiError(400, "productType must be JIRA or CONFLUENCE, got '%s'." % product)
        unknown = sorted(set(body) - set(POLICY_FIELDS) - {'productType'})
        if unknown:
            raise ApiError(400, 'Unknown fields: %s.' % ', '.join(unknown))
        self._check_v2_fields(product, body)
        if any(p['cloudId'] == cloud_id and p['product'] == product and not p['storageId'] for p in self.policies.values()):
            raise ApiError(409, 'A backup policy for %s in Atlassian storage already exists on site %s.' % (product, cloud_id))
        policy = self.new_policy(cloud_id, product, body, now)
        self.counts['policies'] += 1
        return policy

    def new_policy(self, cloud_id, product, body, now):
        schedule = body.get('scheduleDetails') or {}
        policy = {'policyId': body.get('policyId') or new_id('pol'), 'cloudId': cloud_id, 'product': product,
                  'storageId': body.get('storageId'), 'policyName': body.get('policyName') or '%s backups' % product,
                  'includeAttachments': body.get('includeAttachments', False),
                  'includePersonalSpaces': body.get('includePersonalSpaces', False),
                  'includeUsersAndGroups': body.get('includeUsersAndGroups', True),
                  'createdAt': iso(now), 'schedule': schedule.get('interval'), 'activated': None, 'once_backup': None,
                  'runs': 0}
        self.policies[policy['policyId']] = policy
        return policy

    def update_policy(self, policy_id, body):
        policy = self.get(self.policies, policy_id, 'Backup policy')
        if not isinstance(body, dict) or not body:
            raise ApiError(400, 'Expected an object with fields of the policy.')
        unknown = sorted(set(body) - set(POLICY_FIELDS))
        if unknown:
            raise ApiError(400, 'Fields that cannot be updated: %s.' % ', '.join(unknown))
        self._check_v2_fields(policy['product'], body)
        for field in POLICY_FIELDS[:-1]:
            if field in body:
                policy[field] = body[field]
        if 'scheduleDetails' in body:
            interval = (body['scheduleDetails'] or {}).get('interval')
            if interval != policy['schedule']:
                # A changed or removed schedule leaves the policy inactive until activated again.
                policy.update(schedule=interval, activated=None)
        self.counts['policy_updates'] += 1
        return policy

    def policy_status(self, policy, now):
        if policy['activated'] is None or not policy['schedule']:
            return 'INACTIVE'
        if policy['schedule'] == 'ONCE':
            backup = self.backups.get(policy['once_backup'])
            return 'ACTIVE' if backup and self.backup_status(backup, now) in PENDING else 'INACTIVE'
        return 'ACTIVE'

    def activate(self, policy_id, account_id, now, config):
        policy = self.get(self.policies, policy_id, 'Backup policy')
        if not policy['schedule']:
            raise ApiError(400, "Backup policy '%s' has no schedule to activate." % policy_id)
        if policy['schedule'] == 'ONCE' and self.policy_status(policy, now) == 'ACTIVE':
            raise ApiError(409, "Backup policy '%s' is already running its one-time backup." % policy_id)
        policy['activated'] = now
        policy['runs'] = 0
        self.activations.append({'policyId': policy_id, 'accountId': account_id, 'at': iso(now)})
        self.counts['activations'] += 1
        started = []
        if policy['schedule'] == 'ONCE':
            record = self.new_backup(policy, now, account_id, config)
            policy['once_backup'] = record['backupId']
            started.append(record)
        return started

    def tick(self, now, config):
        """Recurring schedules: one backup per interval since activation, made when the clock passes it."""
        for policy in self.policies.values():
            interval = INTERVALS.get(policy['schedule'])
            if not interval or policy['activated'] is None:
                continue
            due = int((now - policy['activated']) // interval)
            while policy['runs'] < due:
                policy['runs'] += 1
                self.new_backup(policy, policy['activated'] + policy['runs'] * interval, None, config)

    def policy_view(self, policy, now, storage_details=False, backup_details=False):
        details = {'scheduleDetails': None if not policy['schedule'] else {
            'interval': policy['schedule'], 'startDate': iso(policy['activated']) if policy['activated'] else None,
            'scheduleSlot': '00:00-04:00'}}
        if storage_details:
            details['storageId'] = policy['storageId']
        if backup_details:
            done = [b for b in self.policy_backups(policy['policyId'])
                    if self.backup_status(b, now) in ('COMPLETE', 'INCOMPLETE')]
            last = max(done, key=lambda b: b['created']) if done else None
            details['backupDetails'] = {'lastBackupTime': self.backup_view_v2(last, now)['lastUpdatedAt'] if last else None,
                                        'totalAvailableBackups': len(done)}
        return {'policyId': policy['policyId'], 'policyName': policy['policyName'],
                'cloudInfo': {'cloudId': policy['cloudId'], 'cloudUrl': 'https://%s.atlassian.net' % policy['cloudId'],
                              'cloudName': policy['cloudId'], 'encryptionType': 'ATLASSIAN_MANAGED'},
                'productType': policy['product'], 'status': self.policy_status(policy, now),
                'includeAttachments': policy['includeAttachments'], 'includePersonalSpaces': policy['includePersonalSpaces'],
                'includeUsersAndGroups': policy['includeUsersAndGroups'], 'details': details,
                'createdAt': policy['createdAt'], 'createdBy': 'emulator'}

    # -- backups -----------------------------------------------------------------------------------
    def new_backup(self, policy, created, account_id, config):
        start = created + config['created_seconds']
        record = {'backupId': new_id('bkp'), 'policyId': policy['policyId'], 'cloudId': policy['cloudId'],
                  'product': policy['product'], 'created': created, 'accountId': account_id,
                  'run': Timed(start, config['backup_seconds'], config['backup_result']), 'fixed': None}
        self.backups[record['backupId']] = record
        self.counts['backups'] += 1
        return record

    def backup_status(self, record, now):
        if record['fixed'] is None and now < record['run'].start:
            return 'CREATED'
        return super().backup_status(record, now)

    def backup_expiry(self, record, now):
        return record['created'] + RETENTION_V2

    def backup_view_v2(self, record, now, completed='COMPLETED'):
        status = self.backup_status(record, now)
        run = record['run']
        if status in PENDING:
            updated = record['created'] if status == 'CREATED' else run.start
        else:
            updated = record['created'] + record.get('took', 60) if run is None else run.end()
        view = {'backupId': record['backupId'], 'name': 'Backup of %s' % record['cloudId'], 'cloudId': record['cloudId'],
                'product': record['product'], 'status': completed if status == 'COMPLETE' else status,
                'statusMessage': None, 'accountId': record.get('accountId'),
                'expiryTime': iso(self.backup_expiry(record, now)), 'selections': ['USERS'],
                'backupSize': {'usersSize': 1, 'dataSize': 10, 'attachmentsSize': 0, 'totalBackupSizeInGB': 0.01},
                'createdAt': iso(record['created']), 'lastUpdatedAt': iso(updated), 'storageId': None,
                'encryptionType': 'ATLASSIAN_MANAGED'}
        if status == 'FAILED':
            view['statusMessage'] = 'The backup failed: simulated failure (emulator).'
        return view

    # -- restores (v1's, product named productType) --------------------------------------------------
    def create_restore(self, cloud_id, body, now, config):
        if isinstance(body, dict) and 'product' in body:
            raise ApiError(400, 'Unknown field product (this API names it productType).')
        body = dict(body or {})
        if 'productType' in body:
            body['product'] = body.pop('productType')
        return super().create_restore(cloud_id, body, now, config)


def restore_view(restore, now):
    view = restore.view(now)
    view['productType'] = view.pop('product')
    return view


def seed_v2(org, data, now, config):
    """``{"replace", "policies": [{cloudId, product, policyId?, schedule?, active?, storageId?, ...}],
    "backups": [{policyId, status, ageSeconds?, tookSeconds? (60), count?, backupId?}]}``."""
    if not isinstance(data, dict):
        raise ValueError('atlassian_v2 seed must be an object')
    if data.get('replace'):
        for table in (org.policies, org.backups, org.restores):
            table.clear()
    for spec in data.get('policies') or []:
        product = spec.get('product') or spec.get('productType')
        if product not in PRODUCTS:
            raise ValueError('a seeded policy needs product JIRA or CONFLUENCE')
        org.site(spec.get('cloudId'))
        body = dict((k, v) for k, v in spec.items() if k in POLICY_FIELDS + ('policyId', 'storageId'))
        if spec.get('schedule'):
            body['scheduleDetails'] = {'interval': spec['schedule']}
        policy = org.new_policy(spec['cloudId'], product, body, now - 30 * DAY)
        if spec.get('active'):
            policy['activated'] = now
    for spec in data.get('backups') or []:
        policy = org.policies.get(spec.get('policyId'))
        status = spec.get('status', 'COMPLETE')
        if policy is None or status not in STATUSES:
            raise ValueError('a seeded backup needs an existing "policyId" and status %s' % '|'.join(STATUSES))
        count = int(spec.get('count', 1))
        for index in range(count):
            created = now - float(spec.get('ageSeconds', 3600)) - 60 * (count - 1 - index)
            record = {'backupId': spec.get('backupId') if count == 1 and spec.get('backupId') else new_id('bkp'),
                      'policyId': policy['policyId'], 'cloudId': policy['cloudId'], 'product': policy['product'],
                      'created': created, 'accountId': None, 'run': None, 'fixed': status,
                      'took': float(spec.get('tookSeconds', 60))}
            if status == 'IN_PROGRESS':
                record.update(run=Timed(now, config['backup_seconds'], config['backup_result']), fixed=None)
            org.backups[record['backupId']] = record


def dump_v2(org, now, completed):
    return {
        'org_id': org.org_id,
        'policies': [org.policy_view(p, now, True, True) for p in org.policies.values()],
        'backups': [dict(org.backup_view_v2(b, now, completed), policyId=b['policyId'])
                    for b in sorted(org.backups.values(), key=lambda b: b['created'])],
        'restores': [dict(restore_view(r, now), consent=list(r.consent)) for r in org.restores.values()],
        'activations': list(org.activations),
        'counts': dict(org.counts),
    }
