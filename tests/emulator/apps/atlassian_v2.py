"""Atlassian backup-management API v2, over HTTP, beside v1 (``/atlassian_v2``; module option
``api_url`` = ``<api_base>/atlassian_v2`` with ``api_version: 2``).

Same authentication, errors, pagination and rate limits as v1 (apps/atlassian.py), separate state
(apps/atlassian_v2_model.py). Served: policies (list, details with ``storageDetails`` /
``backupDetails``, create, update), ``PUT .../activate`` (400 without ``X-Atl-Account-Id``, the
emulator's choice; counted as a policy update), backups of a policy, one backup, restores, revalidate and
the post-operation report. What v2 lacks or the project does not use on v2 (create backup, exports,
imports, storages) is a 404.
"""

import re

from apps.atlassian import CHOICES, CREATE, READ, UPDATE, USER_POST, AtlassianApp
from apps.atlassian_model import ApiError
from apps.atlassian_v2_model import V2Org, dump_v2, restore_view, seed_v2
from apps.base import App

_ORG = r'/orgs/(?P<org>[^/]+)'
_CLOUD = _ORG + r'/cloud/(?P<cloud>[^/]+)'
ROUTES_V2 = [(method, re.compile(pattern), rate, handler) for method, pattern, rate, handler in (
    ('POST', _CLOUD + r'/policies', CREATE, 'create_policy'),
    ('GET', _ORG + r'/policies', READ, 'policies'),
    ('GET', _ORG + r'/policies/(?P<policy>[^/]+)', READ, 'policy'),
    ('PUT', _ORG + r'/policies/(?P<policy>[^/]+)', UPDATE, 'update_policy'),
    # Not in v2's rate-limit guide: counted as the PUT it is.
    ('PUT', _ORG + r'/policies/(?P<policy>[^/]+)/activate', UPDATE, 'activate'),
    ('GET', _ORG + r'/policies/(?P<policy>[^/]+)/backups', READ, 'backups'),
    ('GET', _ORG + r'/backups/(?P<backup>[^/]+)', READ, 'backup'),
    ('POST', _CLOUD + r'/restores/revalidate', USER_POST, 'revalidate'),
    ('POST', _CLOUD + r'/restores', USER_POST, 'create_restore'),
    ('GET', _ORG + r'/restores', READ, 'restores'),
    ('GET', _ORG + r'/restores/(?P<restore>[^/]+)', READ, 'restore'),
    ('GET', _CLOUD + r'/migration/(?P<migration>[^/]+)/postOpReport', READ, 'post_op_report'),
)]


def flag(request, name):
    return str(request.query_value(name, 'false')).lower() == 'true'


class AtlassianV2App(AtlassianApp):
    name = 'atlassian_v2'
    prefix = '/atlassian_v2'
    ROUTES = ROUTES_V2
    CONFIG_CHOICES = dict(CHOICES, completed_spelling=('COMPLETED', 'COMPLETE'))
    DEFAULT_CONFIG = dict(
        AtlassianApp.DEFAULT_CONFIG,
        created_seconds=0.2,             # a new backup is CREATED this long, then IN_PROGRESS for backup_seconds
        completed_spelling='COMPLETED',  # the word of a complete backup (v2's is UNCONFIRMED)
    )

    def reset(self):
        super().reset()
        with self.lock:
            self.org = V2Org()

    def seed(self, data):
        with self.lock:
            seed_v2(self.org, data, self.clock.now(), self.config)

    def state(self):
        with self.lock:
            now = self.clock.now()
            self.org.tick(now, self.config)
            return dict(App.state(self), **dump_v2(self.org, now, self.config['completed_spelling']))

    def before(self, now):
        self.org.tick(now, self.config)

    def _backup(self, record, now):
        return self.org.backup_view_v2(record, now, self.config['completed_spelling'])

    # -- handlers ------------------------------------------------------------------------------------
    def do_create_policy(self, request, now, org, cloud):
        body = self._body(request)
        if not isinstance(body, dict):
            raise ApiError(400, 'Expected a JSON object.')
        return 201, self.org.policy_view(self.org.create_policy(cloud, body, now), now)

    def do_policies(self, request, now, org):
        views = [self.org.policy_view(p, now, flag(request, 'storageDetails'), flag(request, 'backupDetails'))
                 for p in self.org.policies.values()]
        return self._page(request, 'policies', views)

    def do_policy(self, request, now, org, policy):
        record = self.org.get(self.org.policies, policy, 'Backup policy')
        return 200, self.org.policy_view(record, now, flag(request, 'storageDetails'), flag(request, 'backupDetails'))

    def do_update_policy(self, request, now, org, policy):
        return 200, self.org.policy_view(self.org.update_policy(policy, request.json), now)

    def do_activate(self, request, now, org, policy):
        account = (request.headers.get('X-Atl-Account-Id') or '').strip()
        if not account:
            raise ApiError(400, 'Missing required header X-Atl-Account-Id.')
        started = self.org.activate(policy, account, now, self.config)
        return 200, {'backups': [self._backup(b, now) for b in started], 'totalItems': len(started)}

    def do_backups(self, request, now, org, policy):
        self.org.get(self.org.policies, policy, 'Backup policy')
        records = sorted(self.org.policy_backups(policy), key=lambda b: b['created'])
        return self._page(request, 'backups', [self._backup(b, now) for b in records])

    def do_backup(self, request, now, org, backup):
        return 200, self._backup(self.org.get(self.org.backups, backup, 'Backup'), now)

    def do_create_restore(self, request, now, org, cloud):
        return 202, restore_view(self.org.create_restore(cloud, self._body(request), now, self.config), now)

    def do_revalidate(self, request, now, org, cloud):
        return 202, restore_view(self.org.revalidate(cloud, self._body(request), now), now)

    def do_restores(self, request, now, org):
        return self._page(request, 'restores', [restore_view(r, now) for r in self.org.restores.values()])

    def do_restore(self, request, now, org, restore):
        return 200, restore_view(self.org.get(self.org.restores, restore, 'Restore'), now)
