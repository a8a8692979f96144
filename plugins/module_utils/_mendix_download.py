# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Downloading a Mendix snapshot once: a sidecar file beside ``dest`` records what it holds."""

import json
import os
import tempfile

from ansible_collections.saasops.backup.plugins.module_utils._download import download
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError

SIDECAR_SUFFIX = '.mendix-snapshot.json'
DATA_TYPES = ('database_only', 'files_and_database', 'files_only')


def sidecar_path(dest):
    return dest + SIDECAR_SUFFIX


def check_dest(options, version):
    """Reject a download that cannot work, before any request."""
    dest = options.get('dest')
    if not dest:
        raise InputError('download.dest is required: the file to write the snapshot to')
    data_type = options.get('data_type') or 'files_and_database'
    if data_type not in DATA_TYPES:
        raise InputError('download.data_type must be one of %s, got %r' % (', '.join(DATA_TYPES), data_type))
    if data_type == 'files_only' and version != 1:
        raise InputError("download.data_type 'files_only' exists only in Backups API v1 (api_version: 1); "
                         "v2 archives are database_only or files_and_database")
    directory = os.path.dirname(os.path.abspath(dest))
    if not os.path.isdir(directory):
        raise InputError("download.dest %s: the directory %s does not exist" % (dest, directory))
    if os.path.isdir(dest):
        raise InputError('download.dest %s is a directory; give a file path' % dest)
    return dest, data_type


def sidecar(dest):
    """The record beside ``dest`` when it still describes the file there (same size and mtime), else {}.

    A file changed or replaced since is not trusted; its sha256 is not recomputed, as snapshot
    files can be many gigabytes.
    """
    try:
        with open(sidecar_path(dest), encoding='utf-8') as handle:
            record = json.load(handle)
        stat = os.stat(dest)
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get('size') != stat.st_size or record.get('mtime_ns') != stat.st_mtime_ns:
        return {}
    return record


def recorded(dest, snapshot_id, data_type):
    """The record when ``dest`` holds exactly that snapshot's download of that type, else None."""
    record = sidecar(dest)
    if record.get('snapshot_id') != snapshot_id or record.get('data_type') != data_type:
        return None
    return record


def _write_sidecar(dest, record):
    directory = os.path.dirname(os.path.abspath(dest))
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(sidecar_path(dest)), dir=directory)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            json.dump(record, handle, indent=2, sort_keys=True)
        os.replace(tmp, sidecar_path(dest))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def fetch(http, url, dest, snapshot_id, data_type, operation):
    """Stream ``url`` to ``dest`` (resumed, atomic) and record it; the download result.

    The sidecar is removed first, so a run interrupted between the rename and the new record
    never leaves an old record describing new bytes.
    """
    try:
        os.unlink(sidecar_path(dest))
    except FileNotFoundError:
        pass
    result = download(http, url, dest, operation)
    stat = os.stat(dest)
    record = {'snapshot_id': snapshot_id, 'data_type': data_type, 'size': result['size'], 'sha256': result['sha256'],
              'mtime_ns': stat.st_mtime_ns}
    _write_sidecar(dest, record)
    return dict(record, path=dest, resumed=result['resumed'])
