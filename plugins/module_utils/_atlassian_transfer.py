# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exports and imports: moving backups to and from a policy's external storage.

The two operations differ only in their path, id field and what counts as "already done",
so both modules' runs are a TransferRun with a ``Kind`` (the requests are _atlassian.Atlassian's).
"""

from ansible_collections.saasops.backup.plugins.module_utils._atlassian import PLATFORM
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    BACKUP_RETENTION, TRANSFER_STATES, normalise_product, object_result, status_of)
from ansible_collections.saasops.backup.plugins.module_utils._convert import parse_time
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import create_once
from ansible_collections.saasops.backup.plugins.module_utils._path import check_segment
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, PENDING, SUCCESS


class Kind:
    def __init__(self, name, id_key, done):
        self.name = name            # 'export' | 'import'
        self.plural = name + 's'    # the result's key
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


class TransferRun(ModuleRun):
    """One atlassian_backup_export / atlassian_backup_import run; a subclass declares its ``KIND``."""

    KIND = None
    # Not 'skipped': Ansible would report the whole task as skipped.
    RESULT = dict(changed=False, skipped_backups=[], elapsed=0.0)

    def precheck(self, item):
        """InputError when ``item`` cannot be transferred, before anything is sent (may read)."""

    def validate(self):
        # v2 has no export, and no public path or body for its import: refused before any request.
        self.api.strategy.refuse(self.KIND.name)
        self.wanted = check_backups(self.params['backups'])
        for item in self.wanted:
            self.precheck(item)

    def run(self):
        kind = self.KIND
        now = self.api.clock.time()
        records = {}
        for record in self.api.transfers(kind.name):
            backup_id = record.get('backupId')
            if backup_id not in records and kind.done(record, now):
                records[backup_id] = record  # lists come newest first
        self.result['skipped_backups'] = [item['backupId'] for item in self.wanted if item['backupId'] in records]
        to_send = [item for item in self.wanted if item['backupId'] not in records]
        if to_send:
            if self.check_mode:
                for item in to_send:
                    records[item['backupId']] = dict(item, status='IN_PROGRESS')
            else:
                for record in self.send(to_send):
                    records[record.get('backupId')] = record
            self.result['changed'] = True
        ours = [records[item['backupId']] for item in self.wanted if item['backupId'] in records]
        # Said before waiting: a run that times out still reports the transfers it started.
        self.result[kind.plural] = [object_result(r) for r in ours]
        if self.budget.active:
            ours = self.wait(ours)
        self.result[kind.plural] = [object_result(r) for r in ours]

    def send(self, items):
        kind = self.KIND
        before = set(r.get(kind.id_key) for r in self.api.transfers(kind.name))
        wanted = set(item['backupId'] for item in items)
        operation = 'start the %s of %s' % (kind.name, ', '.join(sorted(wanted)))

        def find():
            found = [r for r in self.api.transfers(kind.name)
                     if r.get('backupId') in wanted and r.get(kind.id_key) not in before]
            return found or None

        dummy, created = create_once(lambda: self.api.start_transfers(kind.name, items, operation), find)
        missing = wanted - set(r.get('backupId') for r in created)
        if missing:
            raise PlatformError(PLATFORM, operation, 'the answer lists no %s for %s' % (kind.name, ', '.join(sorted(missing))))
        return created

    def wait(self, records):
        kind = self.KIND
        state = dict((r.get(kind.id_key), r) for r in records)

        def poll():
            for key, record in state.items():
                if TRANSFER_STATES.outcome(status_of(record)) == PENDING:
                    state[key] = self.api.transfer(kind.name, record.get('cloudId'), key) or record
            return list(state.values())

        def outcome(current):
            outcomes = [TRANSFER_STATES.outcome(status_of(r)) for r in current]
            if PENDING in outcomes:
                return PENDING
            return FAILURE if FAILURE in outcomes else SUCCESS

        def describe(current):
            return ', '.join('%s %s' % (r.get('backupId'), status_of(r)) for r in current)

        final, result = self.budget.wait(
            'the %ss of %s' % (kind.name, ', '.join(sorted(str(r.get('backupId')) for r in records))),
            poll, outcome, describe)
        if result == FAILURE:
            failed = [r for r in final if status_of(r) == 'FAILED']
            raise PlatformError(PLATFORM, '%s backups' % kind.name, '; '.join(
                '%s of backup %s failed: %s' % (kind.name, r.get('backupId'), r.get('statusMessage') or 'no message')
                for r in failed))
        return final
