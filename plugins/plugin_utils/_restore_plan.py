# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore role's plan for one environment, from an untrusted manifest and the inventory.

A manifest is data a person or another job can edit: it may *identify* a backup (a name, an id, a
restore point), never say where to connect or what to overwrite. Everything here is pure (no I/O
but reading the manifest and restore-record files) so the rules can be tested as a table.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store

# A manifest of a few thousand environments is well under this; anything larger is not ours.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
RESTORABLE = ('completed', 'triggered')
MAX_IDENTITY_CHARS = 256

# Per platform: the restore module, the manifest `restore` keys that identify the backup (with
# the sub-keys of a dict-shaped identity), and the keys that name the target environment. Target
# values are taken from the inventory only; the manifest's are compared with them.
PLATFORMS = {
    'arcgis': dict(module='arcgis_dr_restore', identity={'name': None},
                   target=('url', 'store'), declared_production=True, waits=True),
    'jahia': dict(module='jahia_restore',
                  identity={'backup': ('backup_name', 'timestamp', 'backup_type', 'cloud_provider', 'region',
                                       'env_role', 'environment')},
                  target=('organization', 'environment'), declared_production=False,
                  # Jahia's API reports nothing about a restore: there is nothing to wait for.
                  waits=False),
    'atlassian': dict(module='atlassian_restore', identity={'backup_id': None},
                      target=('cloud_id', 'product'), declared_production=True, waits=True),
    'mendix': dict(module='mendix_restore', identity={'snapshot_id': None},
                   target=('app_id', 'environment'), declared_production=False, waits=True),
}
# Restore behaviour the role chooses (the user may override it with saasops_restore_options).
ROLE_DEFAULTS = {'mendix': {'stop_environment': True, 'start_environment': True}}


def role_defaults(platform, wait_timeout):
    """The restore module options the role chooses for ``platform``."""
    defaults = dict(ROLE_DEFAULTS.get(platform, {}))
    if PLATFORMS[platform]['waits']:
        defaults['wait_timeout'] = wait_timeout
    return defaults


class ManifestError(ValueError):
    """The manifest cannot be used at all (missing, unreadable, not a manifest)."""


def load_manifest(manifest=None, path=None, parts=None, directory=None, run_id=None):
    """The manifest to restore from, as a dict, wherever it comes from (first that is given):

    - ``manifest`` and ``parts``: what an AWX workflow passes on from the snapshot job (a job sliced
      over several nodes publishes one part per slice); put together by host;
    - ``path``: a manifest file;
    - ``directory``: the run ``run_id`` of the manifest directory, else its latest complete run.
    """
    if manifest is not None or parts:
        return assemble(checked(_parsed(manifest), 'saasops_manifest') if manifest is not None else None,
                        [checked(_parsed(part), 'a saasops_manifest_part') for part in parts or []])
    if path:
        return checked(_read(path, 'the manifest %s' % path), 'the manifest %s' % path)
    if not directory:
        raise ManifestError('no manifest: set saasops_manifest_dir, saasops_manifest_path or saasops_manifest')
    if run_id is None:
        try:
            run_id = store.latest_run_id(directory)
        except store.StoreError as exc:
            raise ManifestError(str(exc)) from None
        if run_id is None:
            raise ManifestError('the manifest directory %s has no complete run: run the pre_deploy_snapshot playbook first, '
                                'or name a run with saasops_run_id (ansible-playbook saasops.backup.manifests lists them)'
                                % directory)
    elif not store.is_run_id(run_id):
        raise ManifestError('saasops_run_id %s is not a valid run id' % ascii(run_id))
    source = 'the manifest of run %s' % run_id
    return checked(_read(store.run_path(directory, run_id), source), source)


def _parsed(manifest):
    if isinstance(manifest, (str, bytes)):
        try:
            return json.loads(manifest)
        except ValueError as exc:
            raise ManifestError('saasops_manifest is not JSON: %s' % exc) from None
    return manifest


def _read(path, source):
    try:
        size = os.path.getsize(path)
        if size > MAX_MANIFEST_BYTES:
            raise ManifestError('%s is %d bytes, more than a manifest can be (%d)' % (source, size, MAX_MANIFEST_BYTES))
        with open(path, encoding='utf-8') as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise ManifestError('%s (%s) does not exist: run the pre_deploy_snapshot playbook first, or name the manifest of '
                            'the run to restore' % (source, path) if source.startswith('the manifest of run') else
                            '%s does not exist: run the pre_deploy_snapshot playbook first, or set saasops_manifest_path '
                            'to the manifest of the run to restore' % source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError('%s cannot be read: %s' % (source, exc)) from None
    except ValueError as exc:
        raise ManifestError('%s is not JSON: %s' % (source, exc)) from None


def checked(manifest, source):
    if not isinstance(manifest, dict):
        raise ManifestError('%s is not a manifest (a JSON object with schema, run_id and environments)' % source)
    if manifest.get('schema') != store.SCHEMA:
        raise ManifestError('%s has schema %r; this collection reads schema %d' % (source, manifest.get('schema'), store.SCHEMA))
    if not isinstance(manifest.get('environments'), list):
        raise ManifestError('%s has no list of environments' % source)
    run_id = manifest.get('run_id')
    if not store.is_run_id(run_id):
        raise ManifestError('%s has an invalid run_id %r' % (source, run_id))
    return manifest


def assemble(manifest, parts):
    """One manifest from what an AWX workflow passes on: the parts of one run (one per job slice) by host, and
    ``saasops_manifest`` for hosts no part has (the last slice's copy may hold other slices' hosts mid-run).
    Parts of different runs, or two different entries of one host, are refused."""
    given = ([manifest] if manifest is not None else []) + parts
    run_ids = sorted(set(m['run_id'] for m in given))
    if len(run_ids) > 1:
        raise ManifestError('saasops_manifest and its parts name different runs (%s): pass the parts of one run only'
                            % ', '.join(run_ids))
    by_host = {}
    for part in parts:
        for entry in part['environments']:
            if isinstance(entry, dict) and isinstance(entry.get('host'), str):
                found = by_host.setdefault(entry['host'], [])
                if entry not in found:
                    found.append(entry)
    for entry in (manifest or {}).get('environments', []):
        if isinstance(entry, dict) and isinstance(entry.get('host'), str) and entry['host'] not in by_host:
            by_host[entry['host']] = [entry]
    return dict(given[0], environments=[e for host in sorted(by_host) for e in by_host[host]])


def find_entry(manifest, host):
    """The manifest's entry for ``host``; ValueError when it has none or more than one."""
    entries = [e for e in manifest['environments'] if isinstance(e, dict) and e.get('host') == host]
    if not entries:
        raise ValueError('the manifest of run %s has no entry for this environment' % manifest['run_id'])
    if len(entries) > 1:
        raise ValueError('the manifest of run %s has %d entries for this environment; refusing to guess'
                         % (manifest['run_id'], len(entries)))
    return entries[0]


def _clean_text(value, what):
    if not isinstance(value, str) or not value or len(value) > MAX_IDENTITY_CHARS \
            or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError('the manifest entry has an invalid %s %r' % (what, value))
    return value


def identity(platform, entry):
    """Only the keys of the entry's ``restore`` that identify the backup, checked; others are ignored."""
    restore = entry.get('restore')
    if not isinstance(restore, dict):
        raise ValueError('the manifest entry has no restore arguments')
    found = {}
    for key, subkeys in PLATFORMS[platform]['identity'].items():
        value = restore.get(key)
        if subkeys is None:
            found[key] = _clean_text(value, key)
            continue
        if not isinstance(value, dict):
            raise ValueError('the manifest entry has no %s' % key)
        # Optional sub-keys may be null; unknown ones are dropped.
        found[key] = dict((sub, _clean_text(value[sub], '%s.%s' % (key, sub)))
                          for sub in subkeys if value.get(sub) is not None)
    return found


def _normal(key, value):
    if value is None:
        return None
    text = str(value)
    if key == 'url':
        return text.rstrip('/')
    return text.lower() if key in ('product',) else text


def recorded_target(platform, entry):
    """What the entry says about the environment the backup was taken from (``target``, else ``restore``)."""
    recorded = entry.get('target') if isinstance(entry.get('target'), dict) else entry.get('restore') or {}
    return dict((k, recorded.get(k)) for k in PLATFORMS[platform]['target'] if recorded.get(k) is not None)


def inventory_target(platform, connection, target):
    """The target environment as the inventory names it (saasops_target first, then saasops_connection)."""
    found = {}
    for key in PLATFORMS[platform]['target']:
        value = (target or {}).get(key)
        if value is None:
            value = (connection or {}).get(key)
        if value is not None:
            found[key] = value
    return found


def target_mismatches(platform, entry, connection, target):
    """Lines naming each target key on which the manifest and the inventory disagree."""
    ours = inventory_target(platform, connection, target)
    theirs = recorded_target(platform, entry)
    return ['the manifest entry was taken from %s %r, the inventory names %r' % (key, theirs[key], ours[key])
            for key in PLATFORMS[platform]['target']
            if key in theirs and key in ours and _normal(key, theirs[key]) != _normal(key, ours[key])]


def default_record_dir(path, directory):
    """Restore records beside the manifest file, else in the manifest directory."""
    if path:
        return os.path.join(os.path.dirname(os.path.abspath(path)), 'saasops-restores')
    return os.path.join(directory or store.default_dir(), 'restores')


def record_path(record_dir, restore_run_id, host):
    """Where a restore run records that ``host`` was restored (one file per host: no shared writer)."""
    return os.path.join(record_dir, restore_run_id, quote(host, safe='') + '.json')


def read_record(path):
    """The record at ``path``, or None when there is none. A record is data too: only its shape is trusted."""
    try:
        with open(path, encoding='utf-8') as handle:
            record = json.load(handle)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ValueError('the restore record %s cannot be read (%s); remove it to restore this environment again'
                         % (path, exc)) from None
    return record if isinstance(record, dict) else None


def writable_dir(path):
    """Whether ``path`` is, or can be created as, a directory we may write into."""
    probe = os.path.abspath(path)
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            return False
        probe = parent
    return os.path.isdir(probe) and os.access(probe, os.W_OK | os.X_OK)


def new_record(host, platform, manifest, restore_run_id, backup):
    """What a restore run records once ``host`` is restored (the role adds ``restored_at``)."""
    return {'schema': 1, 'host': host, 'platform': platform, 'manifest_run_id': manifest['run_id'],
            'restore_run_id': restore_run_id, 'backup': backup}


def describe(platform, backup, target):
    """'backup X into Y', for messages and the summary."""
    what = {'arcgis': lambda: "backup '%s'" % backup['name'],
            'jahia': lambda: "restore point '%s' of %s" % (backup['backup'].get('backup_name'), backup['backup'].get('timestamp')),
            'atlassian': lambda: "backup '%s'" % backup['backup_id'],
            'mendix': lambda: "snapshot '%s'" % backup['snapshot_id']}[platform]()
    where = ', '.join('%s %s' % (k, v) for k, v in sorted(target.items())) or 'the inventory target'
    return '%s into %s' % (what, where)
