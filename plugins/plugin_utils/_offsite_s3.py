# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Off-site copies in S3 through the ecosystem's own modules: amazon.aws.s3_object (upload, delete) and
amazon.aws.s3_object_info (list, HEAD). Their arguments, and what their answers say about an object.

amazon.aws is an optional dependency (with boto3): only an environment whose saasops_offsite is an S3
location needs it. An S3 PUT - single or multipart - makes the object appear only once complete, so a
dropped upload leaves no object; a copy is recorded only after a HEAD shows the size uploaded and the
sha256 stored as its metadata (computed from the verified local archive before the upload).
"""

from __future__ import annotations

import re

from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite as offsite

PUT_MODULE = 'amazon.aws.s3_object'
INFO_MODULE = 'amazon.aws.s3_object_info'
SHA256 = re.compile(r'^[0-9a-f]{64}\Z')
# Enough for years of daily copies of one environment; a longer listing is read no further.
MAX_KEYS = 10000
# Every detail off: s3_object_info then only HEADs each listed object (size, time, metadata).
HEAD_ONLY = dict(object_acl=False, object_legal_hold=False, object_lock_configuration=False, object_retention=False,
                 object_tagging=False, object_attributes=False)


def _connection(options):
    return offsite.s3_arguments(options)


def list_arguments(location, options, host, max_keys=None, details=False):
    """s3_object_info options listing the host's folder (with ``details``, a HEAD of each object)."""
    found = dict(_connection(options), bucket_name=location.bucket, prefix=location.folder(host),
                 max_keys=max_keys or MAX_KEYS)
    if details:
        found['object_details'] = dict(HEAD_ONLY)
    return found


def head_arguments(location, options, key):
    """s3_object_info options reading the object at ``key``: a listing of that exact prefix, so that a missing
    object is an empty answer rather than an error to tell apart from a refused read."""
    return dict(_connection(options), bucket_name=location.bucket, prefix=key, max_keys=MAX_KEYS,
                object_details=dict(HEAD_ONLY))


def put_arguments(location, options, key, src, metadata):
    """s3_object options uploading ``src`` to ``key``: always sent (the caller decided), metadata with the object."""
    return dict(offsite.s3_arguments(options, put=True), bucket=location.bucket, object=key, src=src, mode='put',
                overwrite='always', metadata=metadata)


def delete_arguments(location, options, key):
    return dict(offsite.s3_arguments(options, put=True), bucket=location.bucket, object=key, mode='delobj')


def metadata(sha256, size, snapshot_id, archive, run_id):
    """What the object carries about itself (S3 user metadata: lower-case names, text values)."""
    return {'sha256': sha256, 'size': str(size), 'snapshot-id': str(snapshot_id), 'data-type': archive, 'run-id': run_id}


def objects_of(answer):
    """Every object an s3_object_info answer with details describes: ``[{key, size, time, sha256, metadata}]``.

    The answer is the server's: a field of an unexpected type reads as absent.
    """
    found = []
    for item in answer.get('object_info') or []:
        if not isinstance(item, dict) or not isinstance(item.get('object_name'), str):
            continue
        data = item.get('object_data') if isinstance(item.get('object_data'), dict) else {}
        meta = data.get('metadata') if isinstance(data.get('metadata'), dict) else {}
        size = data.get('content_length')
        sha256 = meta.get('sha256')
        found.append(dict(key=item['object_name'], size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                          time=str(data['last_modified']) if data.get('last_modified') else None,
                          sha256=sha256 if isinstance(sha256, str) and SHA256.match(sha256) else None, metadata=meta))
    return found


def object_of(answer, key):
    """The object at exactly ``key`` in an s3_object_info answer, or None."""
    return next((o for o in objects_of(answer) if o['key'] == key), None)


def holds(there, size, sha256):
    """Whether the object is the copy of ``size`` bytes with ``sha256``."""
    return bool(there) and there['size'] == size and there['sha256'] == sha256


def adoptable(there, snapshot_id, archive):
    """An object an earlier run uploaded for this snapshot and archive kind, whole (its size is the one it says), or None."""
    if not there or not there['sha256'] or there['size'] is None:
        return None
    meta = there['metadata']
    if meta.get('snapshot-id') != str(snapshot_id) or meta.get('data-type') != archive or meta.get('size') != str(there['size']):
        return None
    return there


def described(there):
    if not there:
        return 'missing'
    return '%s bytes with sha256 %s' % (there['size'], there['sha256'] or '(none recorded)')
