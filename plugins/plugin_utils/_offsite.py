# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Off-site copies of the snapshot role's backups: where they go, what each is called, what the manifest records.

``saasops_offsite`` (per environment):

    none (or unset)         no copy
    /an/absolute/directory  a directory on the controller: <dir>/<host>/saasops-<run id>.<ext>
    s3://bucket[/prefix]    S3 or S3-compatible object storage (amazon.aws.s3_object): <prefix>/<host>/saasops-<run id>.<ext>

A copy's name carries the run id, as the vendors' backups do (ArcGIS ``saasops-<run id>``), so the rotation
in the prune playbook knows which copies this collection made and which run made them; anything else in
the folder is never touched. Pure functions: the snapshot_copy and offsite_prune actions do the I/O.
"""

from __future__ import annotations

import os
import re

from ansible_collections.saasops.backup.plugins.plugin_utils._manifest_store import is_run_id

NONE, DIR, S3, EXPORT = 'none', 'dir', 's3', 'atlassian_export'
COPIED, FAILED, PLANNED, UNSUPPORTED, SKIPPED = 'copied', 'failed', 'planned', 'unsupported', 'skipped'
PREFIX = 'saasops-'
# The Mendix archive kinds a copy can hold, and the file name ending of each (mendix_snapshot download.data_type).
ARCHIVES = {'files_and_database': '.tar.gz', 'database_only': '.backup'}
DEFAULT_ARCHIVE = 'files_and_database'
# A host name names a folder (and an S3 key part): the run id's safe characters, whatever case.
HOST = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z')
# S3 bucket naming rules (3 to 63 lower-case letters, digits, dots and hyphens, a letter or digit at each end).
BUCKET = re.compile(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z')
# A key part of the prefix: no empty part, no dot-only part, nothing a URL or a shell would read twice.
KEY_PART = re.compile(r'^[A-Za-z0-9!_.*()-]+\Z')
# The options of saasops_offsite_s3, given to amazon.aws.s3_object (all) and amazon.aws.s3_object_info
# (the connection ones). Secrets are never recorded nor printed; an unknown key is refused by name only.
S3_CONNECTION = {'endpoint_url': 'str', 'region': 'str', 'access_key': 'str', 'secret_key': 'str',
                 'session_token': 'str', 'profile': 'str', 'validate_certs': 'bool', 'aws_ca_bundle': 'str',
                 'ceph': 'bool'}
S3_PUT = {'encrypt': 'bool', 'encryption_mode': 'str', 'encryption_kms_key_id': 'str', 'permission': 'list'}
S3_SECRETS = ('access_key', 'secret_key', 'session_token')
# Why a platform gets no copy made by this collection (said in the summary and recorded, never a failure).
NO_DOWNLOAD = {
    'arcgis': 'ArcGIS has no API to download a backup: no off-site copy (the backup stays in its store)',
    'jahia': 'Jahia has no API to download a backup: no off-site copy',
}
ATLASSIAN_V2 = "Atlassian's backup API v2 has no export: no off-site copy"
ATLASSIAN_NOTE = ("Atlassian's API cannot download a backup: it was exported to the backup policy's external storage "
                  '(the API reports no size or checksum of an export)')
ATLASSIAN_LOCATION = 'atlassian:policy-storage'


class InputProblem(ValueError):
    """A setting that cannot work; the message never holds a secret's value."""


class Location:
    """Where an environment's copies go: ``kind`` none, dir (``path``) or s3 (``bucket``, ``prefix``)."""

    def __init__(self, kind, path=None, bucket=None, prefix=''):
        self.kind, self.path, self.bucket, self.prefix = kind, path, bucket, prefix

    def folder(self, host):
        """The host's folder: a directory path, or an S3 key prefix ending in '/'."""
        if self.kind == DIR:
            return os.path.join(self.path, host)
        return '/'.join(p for p in (self.prefix, host) if p) + '/'

    def where(self, host, name):
        """The copy's path (dir) or key (s3)."""
        return os.path.join(self.folder(host), name) if self.kind == DIR else self.folder(host) + name

    def text(self, host=None, name=None):
        """The location as recorded and printed: a path, or s3://bucket/key - never an endpoint or a credential."""
        if self.kind == DIR:
            return self.where(host, name) if name else (self.folder(host) if host else self.path)
        if name:
            return 's3://%s/%s' % (self.bucket, self.where(host, name))
        return 's3://%s/%s' % (self.bucket, self.folder(host) if host else (self.prefix + '/' if self.prefix else ''))


def parse_location(value):
    """The Location of a saasops_offsite value (InputProblem when it cannot be one)."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ('', NONE)):
        return Location(NONE)
    if not isinstance(value, str):
        raise InputProblem('saasops_offsite must be none, an absolute directory path or s3://bucket/prefix')
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise InputProblem('saasops_offsite %s holds a control character' % ascii(value))
    if value.lower().startswith('s3://'):
        return _s3_location(value)
    if '://' in value:
        raise InputProblem('saasops_offsite must be none, an absolute directory path or s3://bucket/prefix '
                           '(no other URL scheme)')
    path = os.path.expanduser(value)
    if not os.path.isabs(path):
        raise InputProblem('saasops_offsite %s is not an absolute directory path: a copy must not depend on the '
                           'directory a job happens to start in' % ascii(value))
    return Location(DIR, path=os.path.normpath(path))


def _s3_location(value):
    rest = value[len('s3://'):]
    bucket, dummy, prefix = rest.partition('/')
    if '@' in bucket or ':' in bucket:
        # s3://key:secret@bucket would put a credential in every record: refused without echoing it.
        raise InputProblem('saasops_offsite must not hold credentials or a port: give them in saasops_offsite_s3')
    if '?' in rest or '#' in rest:
        raise InputProblem('saasops_offsite %s has a query or fragment: give options in saasops_offsite_s3' % ascii(value))
    if not BUCKET.match(bucket) or '..' in bucket:
        raise InputProblem('saasops_offsite %s does not name a valid S3 bucket (3 to 63 lower-case letters, digits, dots '
                           'and hyphens)' % ascii(value))
    parts = [p for p in prefix.split('/') if p != ''] if prefix else []
    if any(not KEY_PART.match(p) or set(p) == {'.'} for p in parts) or '//' in prefix.strip('/'):
        raise InputProblem('saasops_offsite %s has a prefix part that is empty, only dots, or holds characters other '
                           'than letters, digits and !_.*()-' % ascii(value))
    return Location(S3, bucket=bucket, prefix='/'.join(parts))


def check_host(host):
    if not isinstance(host, str) or not HOST.match(host):
        raise InputProblem('the inventory host name %s cannot name a folder of copies: 1 to 128 letters, digits, ".", '
                           '"_" or "-", starting with a letter or digit' % ascii(host))
    return host


def check_archive(value):
    if value in (None, ''):
        return DEFAULT_ARCHIVE
    if value not in ARCHIVES:
        raise InputProblem('saasops_offsite_archive must be one of %s' % ', '.join(sorted(ARCHIVES)))
    return value


def check_s3_options(values):
    """saasops_offsite_s3 as a dict of known options (errors name keys, never values)."""
    if values in (None, ''):
        return {}
    if not isinstance(values, dict):
        raise InputProblem('saasops_offsite_s3 must be a dictionary of amazon.aws.s3_object options')
    known = dict(S3_CONNECTION, **S3_PUT)
    problems = []
    for key in sorted(values, key=str):
        if key not in known:
            problems.append('saasops_offsite_s3 has an unknown option %s (known: %s)' % (
                "'%s'" % key if isinstance(key, str) else ascii(key), ', '.join(sorted(known))))
        elif values[key] is not None and not _is_type(values[key], known[key]):
            problems.append('saasops_offsite_s3.%s must be of type %s' % (key, known[key]))
    if values.get('endpoint_url') and not re.match(r'^https?://[^/@?#\s]+(/[^?#\s]*)?\Z', str(values['endpoint_url'])):
        problems.append('saasops_offsite_s3.endpoint_url must be an http(s) URL without credentials or query')
    if problems:
        raise InputProblem('; '.join(problems))
    return dict((k, v) for k, v in values.items() if v is not None)


def _is_type(value, kind):
    if kind == 'bool':
        return isinstance(value, bool) or str(value).lower() in ('true', 'false', 'yes', 'no', '1', '0')
    if kind == 'list':
        return isinstance(value, (list, str))
    return isinstance(value, str)


def s3_arguments(options, put=False):
    """The amazon.aws module options of saasops_offsite_s3: the connection ones, and with ``put`` the upload ones."""
    keys = dict(S3_CONNECTION, **S3_PUT) if put else S3_CONNECTION
    return dict((k, v) for k, v in options.items() if k in keys)


# -- names ----------------------------------------------------------------------------------------------
def copy_name(run_id, archive):
    return PREFIX + run_id + ARCHIVES[archive]


def run_id_of(name):
    """The run id a copy's file name or key's last part carries, or None when this collection did not name it so."""
    if not isinstance(name, str) or not name.startswith(PREFIX):
        return None
    for ending in ARCHIVES.values():
        if name.endswith(ending):
            run_id = name[len(PREFIX):-len(ending)]
            return run_id if is_run_id(run_id) else None
    return None


# -- what the manifest records ------------------------------------------------------------------------------
def what_copies(platform, identity):
    """('download' | 'export', None), or (None, why this environment gets no copy)."""
    if platform == 'mendix':
        return 'download', None
    if platform == 'atlassian':
        if str(identity.get('api_version', 1)) == '2':
            return None, ATLASSIAN_V2
        return 'export', None
    return None, NO_DOWNLOAD[platform]


def record(kind, location, status, size=None, sha256=None, copied_at=None, **extra):
    """The ``offsite`` of a manifest entry: names and figures, never a credential, an endpoint or a query."""
    found = dict(kind=kind, location=location, status=status, size=size, sha256=sha256, copied_at=copied_at)
    found.update((k, v) for k, v in extra.items() if v is not None)
    return found


def reusable(previous, kind, location):
    """The copy an earlier run with this run id recorded at ``location``, when it says it was made; else None."""
    offsite = (previous or {}).get('offsite')
    if not isinstance(offsite, dict) or offsite.get('status') != COPIED:
        return None
    if offsite.get('kind') != kind or offsite.get('location') != location:
        return None
    size, sha256 = offsite.get('size'), offsite.get('sha256')
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        return None
    if not isinstance(sha256, str) or not re.match(r'^[0-9a-f]{64}\Z', sha256):
        return None
    return offsite


def size_text(size):
    if not isinstance(size, int) or isinstance(size, bool):
        return 'size unknown'
    for unit, scale in (('GB', 1 << 30), ('MB', 1 << 20), ('kB', 1 << 10)):
        if size >= scale:
            return '%.1f %s' % (size / float(scale), unit)
    return '%d B' % size


def words(offsite):
    """The copy in a few words, for the end-of-run summary."""
    status = offsite.get('status')
    if status == COPIED:
        figures = '%s, sha256 %s' % (size_text(offsite.get('size')), offsite['sha256'][:12]) if offsite.get('sha256') \
            else 'export %s' % offsite.get('export_id')
        again = ' (already there)' if offsite.get('reused') else ''
        return 'copy: %s (%s)%s' % (offsite.get('location'), figures, again)
    if status == FAILED:
        return 'copy FAILED: %s' % offsite.get('error')
    if status == PLANNED:
        return 'would copy to %s' % offsite.get('location')
    return 'no copy: %s' % offsite.get('note')
