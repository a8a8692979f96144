# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An environment's backups as this collection's manifests recorded them, for platforms that cannot list them (Jahia).

The manifests are read back as untrusted data: an entry only counts for a host when its platform and
the environment it names match the inventory's, and it can only describe a backup, never where to connect.
"""

from __future__ import annotations

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils._estate import FAILED, GOOD, RUNNING
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_plan import backup_label

STATUSES = {'completed': GOOD, 'triggered': GOOD, 'failed': FAILED, 'running': RUNNING}


def _names_same_environment(entry, identity):
    """Whether the entry is about the inventory's environment: every name both give agrees."""
    recorded = entry.get('target')
    if not isinstance(recorded, dict):
        return False
    return all(str(recorded[key]) == str(identity[key]) for key in ('organization', 'environment')
               if recorded.get(key) is not None and identity.get(key) is not None)


def recorded_backups(directory, host, platform, identity):
    """The backups the manifests in ``directory`` recorded for ``host``, newest first, as _estate.backups gives them.

    A run's time is its manifest's ``created``: Jahia answers a trigger with no backup time of its own.
    Files that are not usable manifests are skipped (list_runs reports them), never trusted.
    """
    found = []
    for run_id, path in store.run_files(directory):
        try:
            # Each manifest is read once; one that is not a usable manifest of its run is skipped.
            manifest = store.read_json(path)
            if manifest is None:  # removed since listed
                continue
            store.check_manifest(manifest, run_id, path)
        except store.StoreError:
            continue
        created = str(manifest.get('created') or '') or None
        for entry in store.environments_of(manifest, path):
            if not isinstance(entry, dict) or entry.get('host') != host or entry.get('platform') != platform:
                continue
            status = STATUSES.get(entry.get('status'))
            if status is None or not _names_same_environment(entry, identity):
                continue
            label = backup_label(entry)
            found.append(dict(id=label if label != '-' else 'run %s' % run_id, name=None, time=created,
                              status=status, expires=None, run_id=run_id))
    return sorted(found, key=lambda b: b['time'] or '', reverse=True)
