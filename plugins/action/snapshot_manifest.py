# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_manifest: the manifest directory on the controller (plugin_utils/_manifest_store.py).

No module runs: everything happens on the controller, whatever the host's connection. Every problem
(a directory that cannot be used, a run id that cannot name a file, a file that is not a manifest of
its run) comes back as ``failed`` with a message naming the path, never as a traceback.
"""

from __future__ import annotations

import os

from ansible.plugins.action import ActionBase

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store

ARGUMENT_SPEC = dict(
    state=dict(type='str', default='write', choices=['check', 'write', 'list']),
    dir=dict(type='path'),
    create=dict(type='bool', default=False),
    run_id=dict(type='str'),
    # raw elements: a dict type would turn a string 'host=x' into a dict; the store checks each entry itself.
    entries=dict(type='list', elements='raw', default=[]),
    final=dict(type='bool', default=False),
    copy_to=dict(type='path'),
)
REQUIRED_IF = [('state', 'check', ['run_id']), ('state', 'write', ['run_id'])]


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    # The manifest directory is on the controller: no connection to the host is opened.
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC, required_if=REQUIRED_IF)
        directory = args['dir'] or store.default_dir()
        result.update(changed=False, dir=directory)
        try:
            result.update(getattr(self, '_' + args['state'])(directory, args))
        except (store.StoreError, OSError) as exc:
            result.update(failed=True, msg=_message(exc))
        return result

    def _check(self, directory, args):
        """The directory is usable (created if asked), the run id names a file, an earlier manifest is this run's."""
        run_id = store.check_run_id(args['run_id'])
        path = store.run_path(directory, run_id)
        if self._task.check_mode and args['create'] and not os.path.exists(directory):
            return dict(path=path, previous={}, would_create=True)
        created = store.check_dir(directory, args['create'])
        return dict(path=path, previous=store.read_run(directory, run_id) or {}, changed=created)

    def _write(self, directory, args):
        """Merge the entries into the run's manifest; in check mode only say what it would hold."""
        run_id = store.check_run_id(args['run_id'])
        entries = store.check_entries(args['entries'])
        path = store.run_path(directory, run_id)
        if self._task.check_mode:
            # A missing directory is not an error here: check mode created nothing, and the check before the
            # writes (state=check) already said whether the directory would be created or is refused.
            if os.path.exists(directory):
                store.check_dir(directory, False)
            manifest = store.merge(store.read_run(directory, run_id), run_id, entries)
            manifest['updated'] = store.now_iso()
            latest = args['final'] and store.takes_latest(directory, manifest)
            return dict(manifest=manifest, path=path, latest=latest, changed=True)
        store.check_dir(directory, args['create'])
        manifest, path, latest = store.write_run(directory, run_id, entries, args['final'], copy_to=args['copy_to'])
        return dict(manifest=manifest, path=path, latest=latest, changed=True)

    def _list(self, directory, args):
        """The runs kept, newest first; a missing directory holds none."""
        del args
        found = dict(runs=store.list_runs(directory), latest=None)
        try:
            found['latest'] = store.latest_run_id(directory)
        except (store.StoreError, OSError) as exc:
            found['warnings'] = ['the latest pointer cannot be used: %s' % _message(exc)]
        return found


def _message(exc):
    if isinstance(exc, store.StoreError):
        return str(exc)
    # An OSError from the file system: its path and reason, without the errno prefix.
    where = exc.filename if exc.filename is not None else ''
    return ('%s: %s' % (where, exc.strerror or exc)) if where else str(exc.strerror or exc)
