# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugins whose each task runs one phase of a role over every host (drill, prune, copies' rotation).

Each declares ARGUMENT_SPEC (with a ``phase``) and PHASES (phase -> method name); the arguments checked, the
host, the manifest directory and the writing of a history are the same for all of them, here once.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils._history_file import HistoryError


class PhasedAction(ActionBase):

    TRANSFERS_FILES = False
    ARGUMENT_SPEC = {}
    PHASES = {}
    # Set by run() for the phase it runs.
    host = task_vars = args = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, self.args = self.validate_argument_spec(argument_spec=self.ARGUMENT_SPEC)
        self.host = (task_vars or {}).get('inventory_hostname')
        self.task_vars = task_vars
        result.update(changed=False)
        if self.prepare(result):
            result.update(getattr(self, self.PHASES[self.args['phase']])())
        return result

    def prepare(self, result):
        """Before the phase: add to ``result``; False ends the task with it (say, a host with nothing to do)."""
        del result
        return True

    def _directory(self):
        """The manifest directory: the one named, else the roles' default."""
        directory = self.args.get('manifest_dir')
        return directory if isinstance(directory, str) and directory else store.default_dir()

    def append_history(self, append, entries, what):
        """Append ``entries`` with ``append(directory, entries)`` unless in check mode or none: {written, path} or error.

        A history that cannot be written is an ``error`` of the result (the role fails the play on it after every
        host ran), and what the history said about an unusable file is shown as a warning.
        """
        outcome = {'written': False}
        if not entries or self._task.check_mode:
            return outcome
        try:
            path, notes = append(self._directory(), entries)
        except (HistoryError, store.StoreError, OSError) as exc:
            outcome['error'] = 'the %s could not be written: %s' % (what, exc)
            return outcome
        for note in notes:
            self._display.warning(note)
        outcome.update(written=True, path=path)
        return outcome
