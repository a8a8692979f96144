# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_status: the estate report's rows, whatever each environment's platform. Read-only.

Run once (``run_once: true``, no ``platform``), it reads every host of the play at once: each host's
variables come from hostvars and its platform's info module runs in a thread of its own inside this
process (_in_process), as the snapshot role's phases do. Given ``platform`` (and the rest), it reads the
one host it runs on. A platform that cannot be read makes the row 'unknown' with the reason; only bad
input fails the task.
"""

from __future__ import annotations

import concurrent.futures
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
from ansible_collections.saasops.backup.plugins.plugin_utils import _in_process
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import accepted
from ansible_collections.saasops.backup.plugins.plugin_utils._progress import answer_of

ARGUMENT_SPEC = dict(
    # Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    connection=dict(type='raw', no_log=True),
    target=dict(type='raw', default={}),
    rpo=dict(type='raw', default='24h'),
    window=dict(type='raw', default='7d'),
    manifest_dir=dict(type='path'),
    # Run once without platform: these hosts (default: the play's batch), each one's variables from hostvars.
    hosts=dict(type='list', elements='str'),
)
# A thread per environment, up to this many at once (each mostly waits on the network).
MAX_THREADS = 64
# The role's defaults of the variables read per host.
HOST_DEFAULTS = dict(saasops_target={}, saasops_rpo='24h', saasops_report_window='7d')


def label_of(platform, identity):
    """A few words naming the environment for people (the report's 'environment' column)."""
    if platform == 'arcgis':
        where = urlsplit(str(identity.get('url') or '')).hostname or '?'
        return '%s / %s' % (where, identity['store']) if identity.get('store') else where
    keys = {'jahia': ('organization', 'environment'), 'mendix': ('app_id', 'environment'),
            'atlassian': ('cloud_id', 'product')}[platform]
    return ' / '.join(str(identity[k]) for k in keys if identity.get(k) is not None) or '?'


def host_settings(hostvars):
    """One host's variables of the report, as the task arguments of a per-host run would give them."""
    def get(name):
        try:
            value = hostvars[name]
        except KeyError:
            value = None
        return HOST_DEFAULTS.get(name) if value is None else value
    return dict(platform=get('saasops_platform'), connection=get('saasops_connection'), target=get('saasops_target'),
                rpo=get('saasops_rpo'), window=get('saasops_report_window'))


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
        task_vars = task_vars or {}
        if args['platform'] is not None:
            host = task_vars.get('inventory_hostname')
            try:
                result.update(changed=False, environment=self._row(host, args))
            except InputError as exc:
                result.update(failed=True, msg='%s: %s' % (host, exc))
            return result
        hosts = args['hosts'] if args['hosts'] is not None else list(task_vars.get('ansible_play_batch') or [])
        hostvars = task_vars.get('hostvars') or {}
        settings = dict((host, dict(args, **host_settings(hostvars.get(host) or {}))) for host in hosts)
        problems = []
        for host in hosts:
            try:
                checked(settings[host])
            except InputError as exc:
                problems.append('%s: %s' % (host, exc))
        if problems:
            # Before anything is read: a report with a hole in it would read as a clean estate.
            result.update(failed=True, msg=' | '.join(problems), problems=problems)
            return result
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(MAX_THREADS, len(hosts))),
                                                   thread_name_prefix='saasops-status') as pool:
            rows = list(pool.map(lambda host: self._row(host, settings[host]), hosts))
        result.update(changed=False, environments=rows)
        return result

    def _row(self, host, args):
        """This environment's row; InputError for variables that cannot work."""
        platform, connection, target, rpo, window = checked(args)
        identity = identity_of(connection, target)
        row = dict(host=host, platform=platform, label=label_of(platform, identity), identity=identity,
                   rpo=str(args['rpo']), rpo_seconds=int(rpo), source='platform', last_drill=None)
        module = estate.INFO_MODULES[platform]
        module_args = accepted(module, estate.info_args(platform, connection, target))
        check_mode = bool(self._task.check_mode)
        answer = answer_of(lambda: _in_process.run(module, module_args, check_mode))
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (host, warning))
        if answer.get('failed'):
            row.update(_unreadable(answer.get('msg') or 'the %s module failed' % module))
        elif platform == 'jahia':
            row.update(self._from_manifests(host, platform, identity, args['manifest_dir'], rpo, window, str(args['rpo'])))
        else:
            row.update(estate.assess(estate.backups(platform, answer), time.time(), rpo, window, str(args['rpo'])))
        return row

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
