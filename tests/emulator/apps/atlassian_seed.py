"""Seeding and dumping the emulated Atlassian organization (POST /_emulator/seed, GET /_emulator/state/atlassian).

Seed ``{"atlassian": {...}}``, every key optional:
``replace`` (drop storages, policies, backups, exports, imports, restores first), ``org_id``,
``users`` ``{email: {"api_token", "admin"}}``, ``sites`` ``{cloudId: shard}``,
``storages`` ``[{storageName, storageRegion, storagePrefix, roleIdentifier, principalTag, cloudId, storageId?}]``,
``policies`` ``[{cloudId, product, storageId?, includeAttachments?, includePersonalSpaces?, policyId?}]``,
``backups`` ``[{policyId, status (COMPLETE|INCOMPLETE|FAILED|IN_PROGRESS), ageSeconds (default 3600), backupId?, count?}]``
(``count`` makes that many, one minute apart), ``exports`` / ``imports`` ``[{backupId, status, ageSeconds?}]``.
"""

from apps.atlassian_model import PRODUCTS, Timed, iso, new_id

STATUSES = ('COMPLETE', 'INCOMPLETE', 'FAILED', 'IN_PROGRESS')


def _list(data, key):
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError('atlassian seed "%s" must be a list of objects' % key)
    return value


def seed(org, data, now, config):
    if not isinstance(data, dict):
        raise ValueError('atlassian seed must be an object')
    if data.get('replace'):
        for table in (org.storages, org.policies, org.backups, org.exports, org.imports, org.restores):
            table.clear()
    org.org_id = data.get('org_id', org.org_id)
    for email, user in (data.get('users') or {}).items():
        org.users[email] = {'api_token': str(user['api_token']), 'admin': bool(user.get('admin', True))}
    for cloud, shard in (data.get('sites') or {}).items():
        org.sites[cloud] = {'cloudId': cloud, 'shard': shard}
    for spec in _list(data, 'storages'):
        storage = dict(spec, storageType='aws')
        storage.setdefault('storageId', new_id('stg'))
        org.site(storage.get('cloudId'))
        org.storages[storage['storageId']] = storage
    for spec in _list(data, 'policies'):
        if spec.get('product') not in PRODUCTS:
            raise ValueError('a seeded policy needs product JIRA or CONFLUENCE')
        org.site(spec.get('cloudId'))
        policy = {'policyId': spec.get('policyId') or new_id('pol'), 'cloudId': spec['cloudId'], 'product': spec['product'],
                  'storageId': spec.get('storageId'), 'includeAttachments': spec.get('includeAttachments', False),
                  'includePersonalSpaces': spec.get('includePersonalSpaces', False), 'createdAt': iso(now - 30 * 86400)}
        org.policies[policy['policyId']] = policy
    for spec in _list(data, 'backups'):
        _seed_backups(org, spec, now, config)
    for kind in ('export', 'import'):
        for spec in _list(data, kind + 's'):
            _seed_transfer(org, kind, spec, now, config)


def _seed_backups(org, spec, now, config):
    policy = org.policies.get(spec.get('policyId'))
    status = spec.get('status', 'COMPLETE')
    if policy is None or status not in STATUSES:
        raise ValueError('a seeded backup needs an existing "policyId" and status %s' % '|'.join(STATUSES))
    count = int(spec.get('count', 1))
    for index in range(count):
        created = now - float(spec.get('ageSeconds', 3600)) - 60 * (count - 1 - index)
        record = {'backupId': spec.get('backupId') if count == 1 and spec.get('backupId') else new_id('bkp'),
                  'policyId': policy['policyId'], 'cloudId': policy['cloudId'], 'product': policy['product'],
                  'created': created, 'run': None, 'fixed': status}
        if status == 'IN_PROGRESS':
            record.update(run=Timed(now, config['backup_seconds'], config['backup_result']), fixed=None)
        org.backups[record['backupId']] = record


def _seed_transfer(org, kind, spec, now, config):
    backup = org.backups.get(spec.get('backupId'))
    if backup is None or spec.get('status', 'COMPLETE') not in ('COMPLETE', 'FAILED', 'IN_PROGRESS'):
        raise ValueError('a seeded %s needs an existing "backupId" and status COMPLETE|FAILED|IN_PROGRESS' % kind)
    status = spec.get('status', 'COMPLETE')
    start = now - float(spec.get('ageSeconds', 600))
    run = Timed(now, config[kind + '_seconds'], config[kind + '_result']) if status == 'IN_PROGRESS' else Timed(start, 0, status)
    record = {kind + 'Id': new_id(kind[:3]), 'backupId': backup['backupId'], 'cloudId': backup['cloudId'], 'product': backup['product']}
    (org.exports if kind == 'export' else org.imports)[record[kind + 'Id']] = {'record': record, 'run': run}


def dump(org, now):
    return {
        'org_id': org.org_id,
        'users': [{'email': email, 'api_token': user['api_token'], 'admin': user['admin']} for email, user in org.users.items()],
        'sites': list(org.sites.values()),
        'storages': list(org.storages.values()),
        'policies': list(org.policies.values()),
        'backups': [org.backup_view(b, now) for b in sorted(org.backups.values(), key=lambda b: b['created'])],
        'exports': [org.transfer_view('export', e, now) for e in org.exports.values()],
        'imports': [org.transfer_view('import', e, now) for e in org.imports.values()],
        'restores': [dict(r.view(now), consent=list(r.consent)) for r in org.restores.values()],
        'counts': dict(org.counts),
    }
