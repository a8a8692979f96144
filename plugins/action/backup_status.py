# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_status: one environment's row of the estate report, whatever its platform. Read-only.

One task runs it over every host of the play, so every platform is read in the same fork batch.
A platform that cannot be read makes the row 'unknown' with the reason; only bad input fails the task.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from ansible.plugins.action import ActionBase

from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_env import identity_of
from ansible_collections.saasops.backup.plugins.module_utils._duration import parse_duration
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.plugin_utils import _estate as estate
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils._estate import MANIFEST_NOTE
from ansible_collections.saasops.backup.plugins.plugin_utils._estate_manifests import recorded_backups
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import accepted, fqcn

ARGUMENT_SPEC = dict(
    # Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    connection=dict(type='raw', no_log=True),
    target=dict(type='raw', default={}),
    rpo=dict(type='raw', default='24h'),
    window=dict(type='raw', default='7d'),
    manifest_dir=dict(type='path'),
)


def label_of(platform, identity):
    """A few words naming the environment for people (the report's 'environment' column)."""
    if platform == 'arcgis':
        where = urlsplit(str(identity.get('url') or '')).hostname or '?'
        return '%s / %s' % (where, identity['store']) if identity.get('store') else where
    keys = {'jahia': ('organization', 'environment'), 'mendix': ('app_id', 'environment'),
            'atlassian': ('cloud_id', 'product')}[platform]
    return ' / '.join(str(identity[k]) for k in keys if identity.get(k) is not None) or '?'


def checked(args):
    """platform, connection, target, rpo and window seconds; InputError naming the variable (never a value)."""
    platform = args['platform']
    if platform not in estate.INFO_MODULES:
        raise InputError('saasops_platform must be one of %s' % ', '.join(sorted(estate.INFO_MODULES)))
    for variable, value in (('saasops_connection', args['connection']), ('saasops_target', args['target'])):
        if not isinstance(value, dict):
            raise InputError('%s must be a dictionary of %s module options' % (variable, estate.INFO_MODULES[platform]))
    return (platform, args['connection'], args['target'], parse_duration(args['rpo'], 'saasops_rpo'),
            parse_duration(args['window'], 'saasops_report_window'))


class ActionModule(ActionBase):

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        host = (task_vars or {}).get('inventory_hostname')
        try:
            platform, connection, target, rpo, window = checked(args)
        except InputError as exc:
            result.update(failed=True, msg='%s: %s' % (host, exc))
            return result
        identity = identity_of(connection, target)
        row = dict(host=host, platform=platform, label=label_of(platform, identity), identity=identity,
                   rpo=str(args['rpo']), rpo_seconds=int(rpo), source='platform', last_drill=None)
        answer = self._execute_module(module_name=fqcn(estate.INFO_MODULES[platform]),
                                      module_args=accepted(estate.INFO_MODULES[platform], estate.info_args(platform, connection, target)), task_vars=task_vars)
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (host, warning))
        if answer.get('failed'):
            row.update(_unreadable(answer.get('msg') or 'the %s module failed' % estate.INFO_MODULES[platform]))
        elif platform == 'jahia':
            row.update(self._from_manifests(host, platform, identity, args['manifest_dir'], rpo, window, str(args['rpo'])))
        else:
            row.update(estate.assess(estate.backups(platform, answer), time.time(), rpo, window, str(args['rpo'])))
        result.update(changed=False, environment=row)
        return result

    @staticmethod
    def _from_manifests(host, platform, identity, directory, rpo, window, rpo_text):
        """Jahia: the environment answered; its backups are what our own manifests recorded."""
        try:
            listed = recorded_backups(directory or store.default_dir(), host, platform, identity)
        except (store.StoreError, OSError) as exc:
            return _unreadable('the manifests cannot be read: %s' % exc, source='manifest')
        if not listed:
            return _unreadable('%s, and none records a backup of this environment' % MANIFEST_NOTE, source='manifest')
        found = estate.assess(listed, time.time(), rpo, window, rpo_text)
        found.update(source='manifest', reason='%s (%s)' % (found['reason'], MANIFEST_NOTE))
        return found


def _unreadable(reason, source='platform'):
    return dict(verdict='unknown', reason=reason, source=source, newest=None, count=None,
                expiry=dict(oldest=None, newest=None), window=dict(failed=0, incomplete=0))
