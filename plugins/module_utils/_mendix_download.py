# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Downloading a Mendix snapshot once, verified: a sidecar file beside ``dest`` records what it holds.

Every download is checked to be the archive of its data type (``_archive_check``) before it is
put at ``dest``; the sidecar records what the check found, so a file kept on a later run is known
to have passed it.
"""

import json
import os
import tempfile

from ansible_collections.saasops.backup.plugins.module_utils._archive_check import ArchiveCheck, ArchiveMismatch, check_file
from ansible_collections.saasops.backup.plugins.module_utils._download import download
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError

SIDECAR_SUFFIX = '.mendix-snapshot.json'
DATA_TYPES = ('database_only', 'files_and_database', 'files_only')
# Bytes read from the start of a recorded file to tell a web page from a snapshot.
PAGE_SNIFF_BYTES = 64


def sidecar_path(dest):
    return dest + SIDECAR_SUFFIX


def check_dest(options, version):
    """Reject a download that cannot work, before any request.

    ``options`` went through the module's argument spec: ``data_type`` is one of DATA_TYPES (its
    choices, default files_and_database). ``dest`` is required there, but ``dest: ""`` and
    ``dest: null`` both arrive as an empty path, hence the check.
    """
    dest = options['dest']
    if not dest:
        raise InputError('download.dest is required: the file to write the snapshot to')
    data_type = options['data_type']
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
    files can be many gigabytes. Nor is an empty file or one that starts like a web page: no
    snapshot does (a database dump starts with ``PGDMP``, an archive with the gzip magic bytes,
    api/mendix.md "Real clients" item 11), but the redirect and login pages that versions before
    the download checks could save as the snapshot, and record, do.
    """
    try:
        with open(sidecar_path(dest), encoding='utf-8') as handle:
            record = json.load(handle)
        stat = os.stat(dest)
        with open(dest, 'rb') as handle:
            head = handle.read(PAGE_SNIFF_BYTES)
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get('size') != stat.st_size or record.get('mtime_ns') != stat.st_mtime_ns:
        return {}
    if not head or head.lstrip(b'\xef\xbb\xbf \t\r\n').startswith(b'<'):
        return {}
    return record


def recorded(dest, snapshot_id, data_type):
    """The record when ``dest`` holds exactly that snapshot's download of that type, else None."""
    record = sidecar(dest)
    if record.get('snapshot_id') != snapshot_id or record.get('data_type') != data_type:
        return None
    return record


def kept(dest, snapshot_id, data_type, update=True):
    """``(record, problem)``: the record of a verified copy of that download at ``dest``, or None and why not.

    A record written after a verified download carries what the check found (``archive``) and is
    taken as it is while the file keeps its size and modification time: a multi-GiB file is not
    read again on every run. A record without it (written by a version before the checks) is
    verified now by reading the file once; the result is recorded (``update``, not in check mode).
    ``problem`` says why a recorded file is not kept (it failed the check), for a warning; the
    file is then downloaded again.
    """
    record = recorded(dest, snapshot_id, data_type)
    if record is None:
        return None, None
    facts = record.get('archive')
    if isinstance(facts, dict) and facts.get('kind') == data_type:
        return record, None
    try:
        facts = check_file(dest, data_type)
    except ArchiveMismatch as exc:
        return None, '%s holds a download of snapshot %s that is %s' % (dest, snapshot_id, exc)
    except OSError as exc:
        return None, 'could not read %s: %s' % (dest, exc.strerror or exc)
    if sidecar(dest) != record:
        return None, '%s changed while it was verified' % dest
    record = dict(record, archive=facts)
    if update:
        try:
            _write_sidecar(dest, record)
        except OSError:
            pass  # verified all the same; the next run verifies it again
    return record, None


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
    """Stream ``url`` to ``dest`` (verified, resumed, atomic) and record it; the download result.

    Until the new file is complete and verified, ``dest`` and its sidecar stay as they were, so a
    failed download leaves the previous copy usable and still recognised. Verified means: the size
    announced, and the content of an archive of ``data_type`` (``_archive_check``: a custom-format
    dump, or a gzip tar read to its end with ``.metadata`` and ``db/db.backup``); bytes that fail
    the check never reach ``dest`` and no partial file of them is kept. The sidecar is removed
    just before the rename and written again after it: a run interrupted in between leaves a file
    without a record (downloaded again next time), never an old record describing new bytes.

    The Backups API reports no size for a snapshot or an archive (api/mendix.md, "Real clients"
    items 3 and 11): the size checked is the one the download host announces.
    """
    def drop_sidecar(dummy):
        try:
            os.unlink(sidecar_path(dest))
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise PlatformError(http.platform, operation, 'could not remove %s: %s' % (sidecar_path(dest), exc.strerror))

    # A partial file of an interrupted run is continued only for the same snapshot and data type
    # (and the same ETag and size at the download host: _download checks those).
    identity = {'snapshot_id': snapshot_id, 'data_type': data_type}
    result = download(http, url, dest, operation, identity=identity, before_replace=drop_sidecar,
                      check=ArchiveCheck(data_type))
    try:
        record = {'snapshot_id': snapshot_id, 'data_type': data_type, 'size': result['size'],
                  'sha256': result['sha256'], 'mtime_ns': os.stat(dest).st_mtime_ns, 'archive': result['checked']}
        _write_sidecar(dest, record)
    except OSError as exc:
        raise PlatformError(http.platform, operation, 'downloaded %s but could not record it in %s: %s'
                            % (dest, sidecar_path(dest), exc.strerror))
    return dict(record, path=dest, resumed=result['resumed'])
