# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backup-management API v1 and v2 as strategies behind the Atlassian client (``api.strategy``).

Modules see one shape whatever the version: a policy carries ``policyId``, ``cloudId``, ``product``,
``storageId`` (v2 policies keep their own fields too, and add ``schedule`` and ``lastBackupTime``);
a backup carries ``policyId`` when known and ``expiryTime``. What only one version has - v1's create
backup, exports, imports and storages; v2's schedule and activation - is the strategy's, as are the
requests of v2 (the shared paths are _atlassian.Atlassian's).

v2, from its reference (activate, policy details) and its guides; everything else is assumed in v1's
shape and UNCONFIRMED (see the modules' docs).
"""

from ansible_collections.saasops.backup.plugins.module_utils._convert import iso, parse_time
from ansible_collections.saasops.backup.plugins.module_utils._deferred import RateLimited
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import ADOPTED, CREATED, create_once
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    BACKUP_INTERVAL, BACKUP_RETENTION, BACKUP_RETENTION_V2, status_of)

PLATFORM = 'Atlassian'
# A backup found after a lost activate answer must have been created since the request, give or
# take this much (the platform's clock and ours differ).
CLOCK_MARGIN = 120.0
# What v2 does not offer (or has no public path for), refused before any request.
NOT_IN_V2 = {
    'export': 'backup-management API v2 has no export',
    'import': 'the import of backup-management API v2 has no public path or body',
    'storage': 'the storages of backup-management API v2 have no public path or body, and Atlassian no longer '
               'lets new customers keep backups in Amazon S3',
}


class ApiV1:
    """Backup-management API v1 (the seed's, EAP): a backup is created with POST backups."""

    version = 1
    retention = BACKUP_RETENTION
    # v1 runs one backup per policy per 7 days after the last COMPLETE one.
    backup_interval = BACKUP_INTERVAL
    # The statuses of a backup still running (an unknown word is not taken for one).
    running = ('IN_PROGRESS',)
    # The key of the product in restore bodies and answers.
    product_key = 'product'

    def __init__(self, api):
        self.api = api

    def refuse(self, what, alternative=None, name=None):  # pylint: disable=unused-argument
        """InputError when ``what`` (a key of NOT_IN_V2), shown as ``name``, is not available in this version."""

    def need_account_id(self, why):  # pylint: disable=unused-argument
        """InputError when this version needs ``account_id`` for ``why`` and it is not set."""

    # --- policies -------------------------------------------------------------------------------

    def policies(self):
        return self.api.policies()

    def policy(self, policy_id):
        return self.api.policy(policy_id)

    def known_policy(self, policy_id):
        """Policy ``policy_id`` (a v1 policy is its site, product and storage: no state), from the organization's
        policy page shared by the runs of this process (Atlassian.policy_listed), else read by its id.

        A policy missing from the shared page may be newer than it, or on a later page: only its own read says
        it does not exist.
        """
        return self.api.policy_listed(policy_id) or self.policy(policy_id)

    def find_policy(self, cloud_id, product):
        """The policy of (site, product) - v1 allows one - or None."""
        for policy in self.policies():
            if policy.get('cloudId') == cloud_id and str(policy.get('product', '')).upper() == product:
                return policy
        return None

    def create_policy(self, body, what):
        return self.api.create_policy(body, what)

    def update_policy(self, policy_id, body, what):
        return self.api.update_policy(policy_id, body, what)

    # --- backups --------------------------------------------------------------------------------

    def backups(self, policy):
        return [self.backup_view(b, policy) for b in self.api.backups(policy['policyId'])]

    def backup(self, backup_id, policy=None):
        found = self.api.backup(backup_id)
        return self.backup_view(found, policy) if found else found

    def backup_view(self, backup, policy=None):
        """``backup`` with ``policyId`` (from ``policy`` when it has none) and ``expiryTime`` (creation + retention
        when the platform sends none)."""
        view = dict(backup)
        if policy and not view.get('policyId'):
            view['policyId'] = policy.get('policyId')
        if not view.get('expiryTime'):
            created = parse_time(view.get('createdAt'))
            if created is not None:
                view['expiryTime'] = iso(created + self.retention)
        return view

    def last_backup_time(self, policy):  # pylint: disable=unused-argument
        """When the policy last backed up as the platform reports it (v2), or None."""
        return None

    def start_backup(self, policy, what, known, defer=False):
        """Start a backup of ``policy``: ``(changed, backup)``. ``known`` are the ids of its backups before.

        ``defer``: a create refused by the rate limit raises RateLimited instead of waiting (Atlassian.send_create).
        """
        def started():
            return next((b for b in self.backups(policy) if b.get('backupId') not in known), None)

        # 409: someone else started a backup of this policy since we looked; it is adopted and waited for.
        how, backup = create_once(lambda: self.api.run_backup(policy, what, defer), started,
                                  exists=lambda exc: exc.status == 409)
        return how != ADOPTED, self.backup_view(backup, policy)

    def predicted_backup(self, policy):
        return {'policyId': policy['policyId'], 'cloudId': policy.get('cloudId'), 'product': policy.get('product'),
                'status': 'IN_PROGRESS'}

    # --- restores -------------------------------------------------------------------------------

    def restore_body(self, backup_id, product, include_attachments, include_users_and_groups):
        return {'backupId': backup_id, self.product_key: product, 'includeAttachments': include_attachments,
                'includeUsersAndGroups': include_users_and_groups}

    def start_restore(self, cloud_id, body, what):
        return self.api.start_restore(cloud_id, body, what)


class ApiV2(ApiV1):
    """Backup-management API v2 (Atlassian's current one): a backup is run by giving the product's policy a
    one-time (``ONCE``) schedule and activating it."""

    version = 2
    retention = BACKUP_RETENTION_V2
    # Whether v1's 7-day rule holds in v2 is UNCONFIRMED (daily schedules suggest not): not predicted.
    backup_interval = None
    # CREATED is v2's pending state (the activate answer); the others are assumed as v1's.
    running = ('CREATED', 'IN_PROGRESS')
    # The assumed restore body names the product as policies do (productType); UNCONFIRMED.
    product_key = 'productType'

    def refuse(self, what, alternative=None, name=None):
        raise InputError('%s is not available with api_version 2: %s; use api_version 1%s'
                         % (name or 'the ' + what, NOT_IN_V2[what], ', ' + alternative if alternative else ''))

    def need_account_id(self, why):
        if not self.api.params.get('account_id'):
            raise InputError('account_id (or ATLASSIAN_ACCOUNT_ID) is required with api_version 2 to %s: it is sent as '
                             'the X-Atl-Account-Id header of the activate request' % why)

    # --- policies -------------------------------------------------------------------------------

    @staticmethod
    def flat(policy):
        """A v2 policy with the v1 keys modules use: cloudId (cloudInfo), product (productType),
        storageId, schedule (lower-case interval, None without a schedule) and lastBackupTime (details)."""
        if not isinstance(policy, dict):
            return policy
        details = policy.get('details') if isinstance(policy.get('details'), dict) else {}
        cloud = policy.get('cloudInfo') if isinstance(policy.get('cloudInfo'), dict) else {}
        schedule = details.get('scheduleDetails') if isinstance(details.get('scheduleDetails'), dict) else {}
        backup = details.get('backupDetails') if isinstance(details.get('backupDetails'), dict) else {}
        interval = schedule.get('interval')
        return dict(policy, cloudId=cloud.get('cloudId', policy.get('cloudId')),
                    product=str(policy.get('productType') or policy.get('product') or '').upper() or None,
                    storageId=details.get('storageId', policy.get('storageId')),
                    schedule=str(interval).lower() if interval else None,
                    lastBackupTime=backup.get('lastBackupTime'))

    def policies(self):
        # Listing v2 policies is named in the rate-limit guide; the v1 path is assumed (UNCONFIRMED).
        return [self.flat(p) for p in self.api.policies()]

    def policy(self, policy_id):
        # Documented: both flags, so that details carry the storage and the last backup time.
        found = self.api.get(self.api.path('policies', policy_id), "read backup policy '%s'" % policy_id, missing=None,
                             params={'storageDetails': 'true', 'backupDetails': 'true'})
        return self.flat(found)

    def known_policy(self, policy_id):
        # A v2 policy carries state (its schedule, its last backup time): always read, never shared.
        return self.policy(policy_id)

    def find_policy(self, cloud_id, product):
        """The policy of (site, product) read with its details, or None.

        v2 lets a site's product have two policies (Atlassian storage, and S3 for customers who had it):
        several match -> InputError listing them, asking for policy_id.
        """
        found = [p for p in self.policies() if p.get('cloudId') == cloud_id and p.get('product') == product]
        if len(found) > 1:
            raise InputError("site '%s' has %d %s backup policies: %s; set policy_id to one of them" % (
                cloud_id, len(found), product, ', '.join('%s (name %s, storage %s)' % (
                    p.get('policyId'), p.get('policyName'), p.get('storageId') or 'Atlassian') for p in found)))
        if not found:
            return None
        return self.policy(found[0]['policyId']) or found[0]

    @staticmethod
    def policy_body(body):
        """Module fields (v1 names) as the assumed v2 body: productType, scheduleDetails (UNCONFIRMED)."""
        body = dict(body)
        if 'product' in body:
            body['productType'] = body.pop('product')
        if 'schedule' in body:
            schedule = body.pop('schedule')
            body['scheduleDetails'] = {'interval': schedule.upper()} if schedule else None
        return body

    def create_policy(self, body, what):
        body = self.policy_body(body)
        # The policy object has a name; the module has no option for it (the UI names policies).
        body.setdefault('policyName', '%s backups of %s' % (body.get('productType'), body.get('cloudId')))
        return self.flat(self.api.create_policy(body, what))

    def update_policy(self, policy_id, body, what):
        return self.flat(self.api.update_policy(policy_id, self.policy_body(body), what))

    def set_schedule(self, policy, interval, what):
        """Give ``policy`` the schedule ``interval`` (once, daily, weekly; None removes it); the policy after."""
        answer = self.update_policy(policy['policyId'], {'schedule': interval}, what)
        return self.policy(policy['policyId']) or answer

    def activate(self, policy, what, defer=False):
        """``PUT .../activate`` (documented, no body): the backups it started (a ``ONCE`` policy runs one).

        Never re-sent blindly: activating runs a backup, so a lost answer is resolved by reading (see start_backup).
        ``defer``: see Atlassian.send_create.
        """
        body = self.api.send_create('PUT', self.api.path('policies', policy['policyId'], 'activate'), 'activate ' + what,
                                    defer=defer)
        backups = body.get('backups') if isinstance(body, dict) else None
        return [self.backup_view(b, policy) for b in backups or [] if isinstance(b, dict)]

    # --- backups --------------------------------------------------------------------------------

    def backup(self, backup_id, policy=None):
        found = self.api.backup(backup_id)
        if found is None and policy is not None:
            # One backup by id is named in v2's rate-limit guide, its path assumed: the policy's list stands in.
            return next((b for b in self.backups(policy) if b.get('backupId') == backup_id), None)
        return self.backup_view(found, policy) if found else found

    def last_backup_time(self, policy):
        return policy.get('lastBackupTime')

    def predicted_backup(self, policy):
        return {'policyId': policy['policyId'], 'cloudId': policy.get('cloudId'), 'product': policy.get('product'),
                'status': 'CREATED'}

    def start_backup(self, policy, what, known, defer=False):
        """Give the policy a ONCE schedule when it has none, activate it, and return ``(changed, backup)``.

        A recurring (daily/weekly) schedule is not overwritten: that is atlassian_backup_policy's job.
        ``defer``: an activate refused by the rate limit raises RateLimited, changed when the schedule was set.
        """
        schedule = policy.get('schedule')
        if schedule in ('daily', 'weekly'):
            raise InputError("the %s runs on a %s schedule (last backup %s); atlassian_backup runs a backup by activating "
                             "a one-time (once) schedule and does not replace a recurring one: set schedule: once with "
                             "saasops.backup.atlassian_backup_policy, or let the schedule run"
                             % (what, schedule, policy.get('lastBackupTime') or 'never'))
        scheduled = schedule != 'once'
        if scheduled:
            policy = self.set_schedule(policy, 'once', 'the schedule of ' + what)
        since = self.api.clock.time() - CLOCK_MARGIN

        def ours(backups):
            return next((b for b in backups if b.get('backupId') not in known
                         and b.get('cloudId') in (None, policy.get('cloudId'))
                         and str(b.get('product') or policy.get('product')).upper() == policy.get('product')
                         and (parse_time(b.get('createdAt')) or since) >= since), None)

        def started():
            return ours(self.backups(policy))

        def pending():
            return next((b for b in self.backups(policy) if status_of(b) in self.running), None)

        try:
            how, answer = create_once(lambda: self.activate(policy, what, defer), started)
        except RateLimited as exc:
            exc.changed = scheduled
            raise
        except PlatformError as exc:
            # 409 on activate: meaning UNCONFIRMED (a run in progress, a platform limit): wait for a pending
            # backup when there is one, else the server's detail stands.
            if exc.status != 409:
                raise
            running = pending()
            if running is None:
                raise
            return False, running
        backup = ours(answer) if how == CREATED else answer
        if backup is None:
            # The answer holds no backup of this policy: the list says which one started.
            backup = started()
        if backup is None:
            raise PlatformError(PLATFORM, 'activate ' + what, 'the policy was activated but no new backup of it is listed')
        return True, backup

    # --- restores -------------------------------------------------------------------------------

    def start_restore(self, cloud_id, body, what):
        try:
            return self.api.start_restore(cloud_id, body, what)
        except PlatformError as exc:
            if exc.status == 400 and exc.hint is None:
                exc.hint = ('the v2 restore body is not documented: this collection assumes v1\'s with productType '
                            '(backupId, includeAttachments, includeUsersAndGroups, productType)')
            raise


def for_version(api):
    return ApiV2(api) if api.api_version == 2 else ApiV1(api)
