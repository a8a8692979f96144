# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exports and imports: moving backups to and from a policy's external storage.

The two operations differ only in their path, id field and what counts as "already done",
so both modules hand this one run a ``Kind``.
"""

import time

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import PLATFORM
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    BACKUP_RETENTION, TRANSFER_STATES, normalise_product, object_result, parse_time, status_of)
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import create_once
from ansible_collections.saasops.backup.plugins.module_utils._module import reporting
from ansible_collections.saasops.backup.plugins.module_utils._path import check_segment
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, PENDING, SUCCESS, Waiter


class Kind:
    def __init__(self, name, id_key, done):
        self.name = name            # 'export' | 'import'
        self.plural = name + 's'    # path segment and list key
        self.id_key = id_key        # 'exportId' | 'importId'
        self.done = done            # done(record, now): the backup needs no new transfer


def _running_or_complete(record, now):
    return status_of(record) in ('IN_PROGRESS', 'COMPLETE')


def _running_or_still_in_retention(record, now):
    """An imported backup lives in Atlassian storage for the usual retention, then needs importing again.

    The platform does not document how long an imported backup is kept; we assume the 14 days of any backup.
    """
    if status_of(record) == 'IN_PROGRESS':
        return True
    created = parse_time(record.get('createdAt'))
    return status_of(record) == 'COMPLETE' and (created is None or now - created < BACKUP_RETENTION)


EXPORT = Kind('export', 'exportId', _running_or_complete)
IMPORT = Kind('import', 'importId', _running_or_still_in_retention)


def backups_argument_spec():
    return dict(type='list', elements='dict', required=True, options=dict(
        product=dict(type='str', required=True),
        cloud_id=dict(type='str', required=True),
        backup_id=dict(type='str', required=True),
    ))


def check_backups(items):
    """The ``backups`` option as API items; InputError for an empty list, a bad product or a duplicate."""
    if not items:
        raise InputError('backups must list at least one {product, cloud_id, backup_id}')
    result, seen = [], set()
    for number, item in enumerate(items, 1):
        product = normalise_product(item['product'], 'backups[%d].product' % number)
        for option in ('cloud_id', 'backup_id'):  # both go into URL paths (reads, waits)
            check_segment(item[option], 'backups[%d].%s' % (number, option))
        if item['backup_id'] in seen:
            raise InputError("backups lists backup '%s' twice" % item['backup_id'])
        seen.add(item['backup_id'])
        result.append({'product': product, 'cloudId': item['cloud_id'], 'backupId': item['backup_id']})
    return result


class TransferRun:
    """One atlassian_backup_export / atlassian_backup_import run."""

    def __init__(self, module, api, kind, precheck=None):
        self.module = module
        self.api = api
        self.kind = kind
        self.precheck = precheck  # precheck(api, item): InputError before anything is sent
        self.params = module.params

    def list_records(self):
        return self.api.exports() if self.kind is EXPORT else self.api.imports()

    def execute(self):
        wanted = check_backups(self.params['backups'])
        if self.precheck:
            for item in wanted:
                self.precheck(self.api, item)
        now = time.time()
        records = {}
        for record in self.list_records():
            backup_id = record.get('backupId')
            if backup_id not in records and self.kind.done(record, now):
                records[backup_id] = record  # lists come newest first
        skipped = [item['backupId'] for item in wanted if item['backupId'] in records]
        to_send = [item for item in wanted if item['backupId'] not in records]
        # Not 'skipped': Ansible would report the whole task as skipped.
        result = dict(changed=False, skipped_backups=skipped, elapsed=0.0)
        if to_send:
            if self.module.check_mode:
                for item in to_send:
                    records[item['backupId']] = dict(item, status='IN_PROGRESS')
            else:
                for record in self.send(to_send):
                    records[record.get('backupId')] = record
            result['changed'] = True
        ours = [records[item['backupId']] for item in wanted if item['backupId'] in records]
        # Said before waiting: a run that times out still reports the transfers it started.
        result[self.kind.plural] = [object_result(r) for r in ours]
        if self.params['wait'] and not self.module.check_mode:
            with reporting(result):
                ours, result['elapsed'] = self.wait(ours)
        result[self.kind.plural] = [object_result(r) for r in ours]
        return result

    def send(self, items):
        before = set(r.get(self.kind.id_key) for r in self.list_records())
        wanted = set(item['backupId'] for item in items)

        def create():
            body = self.api.call('POST', self.api.path(self.kind.plural), 'start the %s of %s' % (
                self.kind.name, ', '.join(sorted(wanted))), body=items)
            return body.get(self.kind.plural) or []

        def find():
            found = [r for r in self.list_records() if r.get('backupId') in wanted and r.get(self.kind.id_key) not in before]
            return found or None

        dummy, created = create_once(create, find)
        missing = wanted - set(r.get('backupId') for r in created)
        if missing:
            raise PlatformError(PLATFORM, 'start the %s of %s' % (self.kind.name, ', '.join(sorted(wanted))),
                                'the answer lists no %s for %s' % (self.kind.name, ', '.join(sorted(missing))))
        return created

    def wait(self, records):
        state = dict((r.get(self.kind.id_key), r) for r in records)

        def poll():
            for key, record in state.items():
                if TRANSFER_STATES.outcome(status_of(record)) == PENDING:
                    state[key] = self.api.transfer(self.kind.name, record.get('cloudId'), key) or record
            return list(state.values())

        def outcome(current):
            outcomes = [TRANSFER_STATES.outcome(status_of(r)) for r in current]
            if PENDING in outcomes:
                return PENDING
            return FAILURE if FAILURE in outcomes else SUCCESS

        def describe(current):
            return ', '.join('%s %s' % (r.get('backupId'), status_of(r)) for r in current)

        final, result, elapsed = Waiter(self.params['wait_timeout']).wait(
            'the %ss of %s' % (self.kind.name, ', '.join(sorted(str(r.get('backupId')) for r in records))),
            poll, outcome, describe)
        if result == FAILURE:
            failed = [r for r in final if status_of(r) == 'FAILED']
            raise PlatformError(PLATFORM, '%s backups' % self.kind.name, '; '.join(
                '%s of backup %s failed: %s' % (self.kind.name, r.get('backupId'), r.get('statusMessage') or 'no message')
                for r in failed))
        return final, elapsed
