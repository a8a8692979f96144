# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_copy: the off-site copy of one environment's backup, whatever its platform (plugin_utils/_offsite.py).

- ``validate`` (before any backup starts): saasops_offsite, saasops_offsite_s3 and saasops_offsite_archive are
  usable - the directory exists and is writable; for S3 amazon.aws is installed and the bucket can be read.
- ``copy`` (after the backup completed): Mendix - the archive is downloaded with mendix_snapshot (verified) into the
  directory (the module puts it at its final name only once complete and verified), or into a controller temporary
  folder and uploaded with amazon.aws.s3_object (boto3's managed upload streams from the file), checked with a HEAD
  (size, and the sha256 stored as object metadata) and the temporary file removed; Atlassian v1 - the backup is
  exported to its policy's storage with atlassian_backup_export; ArcGIS and Jahia - no download API, said so.

A failed copy never fails the task: it is the entry's ``offsite`` with status ``failed`` and the error (the role
records it in the manifest, then fails the host). A re-run of the same run id makes no second copy when the one an
earlier run recorded is there with the same size and sha256.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile

from ansible.plugins.action import ActionBase
from ansible.plugins.loader import module_loader
from ansible.utils.display import Display

from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_env import identity_of
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite as offsite
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite_s3 as s3
from ansible_collections.saasops.backup.plugins.plugin_utils import _snapshot_plan as plan
from ansible_collections.saasops.backup.plugins.plugin_utils._manifest_store import check_dir, now_iso
from ansible_collections.saasops.backup.plugins.plugin_utils._module_options import accepted, printable
from ansible_collections.saasops.backup.plugins.plugin_utils._progress import run_reporting

display = Display()

ARGUMENT_SPEC = dict(
    phase=dict(type='str', required=True, choices=['validate', 'copy']),
    # Checked here rather than by the spec, so that a wrong type never echoes a value.
    platform=dict(type='raw'),
    connection=dict(type='raw', no_log=True),
    target=dict(type='raw', default={}),
    run_id=dict(type='raw'),
    offsite=dict(type='raw'),
    offsite_s3=dict(type='raw', default={}, no_log=True),
    offsite_archive=dict(type='raw'),
    wait_timeout=dict(type='raw', default=3600),
    entry=dict(type='dict'),
    line=dict(type='str'),
    previous=dict(type='dict'),
    progress_interval=dict(type='float', default=30.0),
    # validate of several hosts from one task (a loop over them, run once): the host whose settings these are.
    host=dict(type='str'),
)
CHUNK = 1 << 20


def sha256_of(path):
    """(size, sha256) of a file, read in chunks (constant memory whatever its size)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(CHUNK), b''):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def staging_dir(run_id, host):
    """Where an S3 copy is downloaded before its upload: the controller's temporary directory, per run and host.

    Kept after a failed upload (the verified archive is uploaded by the next run without a second download), removed
    after a good one.
    """
    return os.path.join(tempfile.gettempdir(), 'saasops-offsite', run_id, host)


class CopyFailed(Exception):
    """The copy could not be made; the message names what failed, never a credential."""


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    host = task_vars = args = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        self.host = (args['host'] if args['phase'] == 'validate' and args['host'] else None) or \
            (task_vars or {}).get('inventory_hostname')
        self.task_vars = task_vars
        self.args = args
        try:
            settings = self._settings()
        except (offsite.InputProblem, plan.InputProblem) as exc:
            if args['phase'] == 'validate':
                result.update(failed=True, msg='%s: %s' % (self.host, exc))
                return result
            settings = None
            problem = str(exc)
        if args['phase'] == 'validate':
            problem = self._validate(settings)
            if problem:
                result.update(failed=True, msg='%s: %s' % (self.host, problem))
            else:
                result.update(changed=False, msg='%s: the off-site copy settings are usable' % self.host)
            return result
        entry = dict(args['entry'] or {})
        if settings is None:
            entry['offsite'] = offsite.record(None, None, offsite.FAILED, error=problem)
        elif settings['location'].kind != offsite.NONE:
            entry['offsite'] = self._copy(entry, settings)
        line = args['line'] if args['line'] is not None else plan.summary_line(entry)
        if entry.get('offsite'):
            line = '%s  %s' % (line, offsite.words(entry['offsite']))
        result.update(changed=bool(entry.get('offsite', {}).get('changed')), entry=entry, line=line)
        if entry.get('offsite'):
            entry['offsite'].pop('changed', None)
        return result

    # -- settings ------------------------------------------------------------------------------------------
    def _settings(self):
        args = self.args
        platform = args['platform']
        if platform not in plan.PLATFORMS:
            raise offsite.InputProblem('saasops_platform must be one of %s' % ', '.join(sorted(plan.PLATFORMS)))
        location = offsite.parse_location(args['offsite'])
        found = dict(platform=platform, location=location, s3={}, archive=offsite.DEFAULT_ARCHIVE, run_id=args['run_id'])
        if location.kind == offsite.NONE:
            return found
        offsite.check_host(self.host)
        plan.check_run_id(args['run_id'])
        found['wait_timeout'] = plan.check_wait_timeout(args['wait_timeout'])
        found['archive'] = offsite.check_archive(args['offsite_archive'])
        found['s3'] = offsite.check_s3_options(args['offsite_s3'])
        for variable, value in (('saasops_connection', args['connection']), ('saasops_target', args['target'] or {})):
            if not isinstance(value, dict):
                raise offsite.InputProblem('%s must be a dictionary' % variable)
        return found

    def _validate(self, settings):
        """Why the copy cannot be made (read-only checks), or None."""
        location = settings['location']
        how, dummy = offsite.what_copies(settings['platform'], identity_of(self.args['connection'], self.args['target']))
        if location.kind == offsite.NONE or how != 'download':
            # No copy, or one this collection does not download (Atlassian exports, ArcGIS and Jahia cannot).
            return None
        if location.kind == offsite.DIR:
            if not os.path.isdir(location.path):
                return 'saasops_offsite %s is not an existing directory (it is not created: a typo must not make one)' \
                    % location.path
            if not os.access(location.path, os.W_OK | os.X_OK):
                return 'saasops_offsite %s is not writable' % location.path
            return None
        for module in (s3.PUT_MODULE, s3.INFO_MODULE):
            if not module_loader.find_plugin_with_context(module).resolved:
                return ('saasops_offsite %s needs the amazon.aws collection (%s), which is not installed: ansible-galaxy '
                        'collection install amazon.aws, and boto3 on the controller' % (location.text(), module))
        answer = self._module(s3.INFO_MODULE, s3.list_arguments(location, settings['s3'], self.host, max_keys=1))
        if answer.get('failed'):
            return 'the S3 location %s cannot be read: %s' % (location.text(), printable(answer.get('msg') or 'failed'))
        return None

    # -- copy ----------------------------------------------------------------------------------------------
    def _copy(self, entry, settings):
        location = settings['location']
        identity = identity_of(self.args['connection'], self.args['target'])
        how, why = offsite.what_copies(settings['platform'], identity)
        kind = {'export': offsite.EXPORT}.get(how, location.kind)
        if how is None:
            return offsite.record(None, None, offsite.UNSUPPORTED, note=why)
        if how == 'export':
            where = offsite.ATLASSIAN_LOCATION
        else:
            where = location.text(self.host, offsite.copy_name(settings['run_id'], settings['archive']))
        if entry.get('status') == plan.PLANNED:
            return offsite.record(kind, where, offsite.PLANNED)
        if entry.get('status') != plan.COMPLETED:
            return offsite.record(kind, where, offsite.SKIPPED, note='the backup is %s: nothing to copy' % entry.get('status'))
        try:
            if how == 'export':
                return self._export(entry, settings, where)
            if location.kind == offsite.DIR:
                return self._to_dir(entry, settings, where)
            return self._to_s3(entry, settings, where)
        except CopyFailed as exc:
            return offsite.record(kind, where, offsite.FAILED, error=str(exc))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # This environment's copy failed; the manifest is still written and the others go on.
            return offsite.record(kind, where, offsite.FAILED, error='%s: %s' % (type(exc).__name__, printable(exc)))

    def _module(self, name, module_args):
        # A download or an upload of a large archive takes minutes: say now and then that it goes on.
        def say(seconds):
            display.display('saasops: %s off-site copy: still running %s, %d s so far' % (self.host, name.split('.')[-1], seconds))

        answer = run_reporting(lambda: self._execute_module(module_name=name, module_args=module_args, task_vars=self.task_vars),
                               self.args['progress_interval'], say, 'saasops-copy-%s' % self.host)
        for warning in answer.get('warnings') or []:
            self._display.warning('%s: %s' % (self.host, warning))
        return answer

    def _download(self, entry, settings, dest):
        """Download the run's Mendix snapshot to ``dest`` with mendix_snapshot (verified); (size, sha256, download)."""
        role = plan.role_arguments('mendix', settings['run_id'], 'wait', settings['wait_timeout'])
        role['download'] = dict(dest=dest, data_type=settings['archive'])
        module_args = plan.module_arguments(self.args['connection'], self.args['target'], {}, {}, role)
        answer = self._module('saasops.backup.mendix_snapshot', accepted('mendix_snapshot', module_args))
        if answer.get('failed'):
            raise CopyFailed('the Mendix download failed: %s' % printable(answer.get('msg') or 'mendix_snapshot failed'))
        download = answer.get('download') or {}
        wanted = (entry.get('backup') or {}).get('snapshot_id')
        if download.get('snapshot_id') != wanted:
            # mendix_snapshot finds the snapshot by the run's comment: another one is not this run's backup.
            raise CopyFailed('the Mendix download holds snapshot %s, not the run\'s snapshot %s'
                             % (download.get('snapshot_id'), wanted))
        if download.get('verified') is not True or not isinstance(download.get('size'), int) or not download.get('sha256'):
            raise CopyFailed('the Mendix download of snapshot %s was not verified' % wanted)
        return download, bool(answer.get('changed'))

    def _to_dir(self, entry, settings, where):
        previous = offsite.reusable(self.args['previous'], offsite.DIR, where)
        if previous and os.path.isfile(where) and sha256_of(where) == (previous['size'], previous['sha256']):
            return dict(previous, reused=True)
        folder = os.path.dirname(where)
        try:
            check_dir(folder, create=True)
        except ValueError as exc:
            raise CopyFailed(str(exc)) from None
        download, changed = self._download(entry, settings, where)
        return offsite.record(offsite.DIR, where, offsite.COPIED, size=download['size'], sha256=download['sha256'],
                              copied_at=now_iso(), archive=settings['archive'], snapshot_id=download['snapshot_id'],
                              model_version=(download.get('archive') or {}).get('model_version'), verified=True,
                              changed=changed)

    def _to_s3(self, entry, settings, where):
        location = settings['location']
        name = offsite.copy_name(settings['run_id'], settings['archive'])
        key = location.where(self.host, name)
        snapshot_id = (entry.get('backup') or {}).get('snapshot_id')
        there = self._head(location, settings, key)
        previous = offsite.reusable(self.args['previous'], offsite.S3, where)
        if previous and s3.holds(there, previous['size'], previous['sha256']):
            return dict(previous, reused=True)
        adopted = s3.adoptable(there, snapshot_id, settings['archive'])
        if adopted:
            # An upload an earlier run made but could not record (its metadata was written with the object, atomically).
            return offsite.record(offsite.S3, where, offsite.COPIED, size=adopted['size'], sha256=adopted['sha256'],
                                  copied_at=adopted['time'] or now_iso(), archive=settings['archive'],
                                  snapshot_id=snapshot_id, verified=True)
        staged_dir = staging_dir(settings['run_id'], self.host)
        os.makedirs(staged_dir, mode=0o700, exist_ok=True)
        staged = os.path.join(staged_dir, name)
        download, dummy = self._download(entry, settings, staged)
        metadata = s3.metadata(download['sha256'], download['size'], snapshot_id, settings['archive'], settings['run_id'])
        answer = self._module(s3.PUT_MODULE, s3.put_arguments(location, settings['s3'], key, staged, metadata))
        if answer.get('failed'):
            raise CopyFailed('the upload to %s failed: %s; the verified archive is kept at %s for the next run'
                             % (where, printable(answer.get('msg') or 's3_object failed'), staged))
        there = self._head(location, settings, key)
        if not s3.holds(there, download['size'], download['sha256']):
            raise CopyFailed('the upload to %s cannot be confirmed: the object is %s, not %d bytes with sha256 %s; the '
                             'verified archive is kept at %s for the next run' % (
                                 where, s3.described(there), download['size'], download['sha256'], staged))
        # Uploaded and confirmed: the temporary copy goes (with mendix_snapshot's record of it).
        shutil.rmtree(staged_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.rmdir(os.path.dirname(staged_dir))
        return offsite.record(offsite.S3, where, offsite.COPIED, size=download['size'], sha256=download['sha256'],
                              copied_at=now_iso(), archive=settings['archive'], snapshot_id=snapshot_id,
                              model_version=(download.get('archive') or {}).get('model_version'), verified=True,
                              changed=True)

    def _head(self, location, settings, key):
        """The object at ``key`` ({size, sha256, time, metadata}) or None when there is none."""
        answer = self._module(s3.INFO_MODULE, s3.head_arguments(location, settings['s3'], key))
        if answer.get('failed'):
            raise CopyFailed('the S3 object %s cannot be read: %s' % (
                's3://%s/%s' % (location.bucket, key), printable(answer.get('msg') or 's3_object_info failed')))
        return s3.object_of(answer, key)

    def _export(self, entry, settings, where):
        backup = entry.get('backup') or {}
        target = entry.get('target') or {}
        values = dict(self.args['connection'], **(self.args['target'] or {}))
        values.update(wait=True, wait_timeout=settings['wait_timeout'],
                      backups=[dict(product=target.get('product'), cloud_id=target.get('cloud_id'),
                                    backup_id=backup.get('backup_id'))])
        answer = self._module('saasops.backup.atlassian_backup_export', accepted('atlassian_backup_export', values))
        if answer.get('failed'):
            raise CopyFailed('the Atlassian export failed: %s' % printable(answer.get('msg') or 'atlassian_backup_export failed'))
        export = next((e for e in answer.get('exports') or [] if e.get('backup_id') == backup.get('backup_id')), {})
        status = str(export.get('status') or '').upper()
        if status != 'COMPLETE':
            raise CopyFailed('the Atlassian export %s of backup %s ended %s' % (
                export.get('export_id'), backup.get('backup_id'), status or 'without a status'))
        return offsite.record(offsite.EXPORT, where, offsite.COPIED, copied_at=now_iso(), export_id=export.get('export_id'),
                              export_status=status, backup_id=backup.get('backup_id'), note=offsite.ATLASSIAN_NOTE,
                              changed=bool(answer.get('changed')))
