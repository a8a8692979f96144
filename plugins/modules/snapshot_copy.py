#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/snapshot_copy.py; this file documents it.

DOCUMENTATION = r'''
module: snapshot_copy
short_description: The off-site copy of an environment's pre-deploy backup, on any of the four platforms
version_added: 0.1.0
description:
  - Part of the C(saasops.backup.pre_deploy_snapshot) role. The copy runs on every host of the play, whatever each
    host's platform; an environment whose O(offsite) is V(none) is left as it is. The check runs once, over the hosts
    that keep a copy (O(host)).
  - Phase V(validate) checks O(offsite), O(offsite_s3) and O(offsite_archive) before any backup starts, changing
    nothing - a directory must exist and be writable (it is never created, so a typo does not make one); for an S3
    location the C(amazon.aws) collection must be installed, and the bucket is read once (a listing of the
    environment's prefix) to prove the endpoint, the credentials and the bucket. Errors name the variable and the key,
    never a value of O(offsite_s3).
  - Phase V(copy) runs after the backup completed, and returns O(entry) with its C(offsite) record and O(line) with
    the copy in a few words.
  - Mendix - the snapshot's archive (O(offsite_archive)) is downloaded and verified with
    M(saasops.backup.mendix_snapshot) (O(ignore:download)), which puts it at its final name only once it is complete
    and verified. A directory copy is C(<offsite>/<host>/saasops-<run id>.tar.gz) (C(.backup) for V(database_only)),
    with the module's record C(<name>.mendix-snapshot.json) beside it. An S3 copy is downloaded into
    C(<temporary directory>/saasops-offsite/<run id>/<host>/) on the controller, uploaded to
    C(<prefix>/<host>/saasops-<run id>.<ext>) with C(amazon.aws.s3_object) (boto3's managed upload streams the file,
    multipart for large ones; S3 makes the object appear only once the whole upload completed) with its sha256, size,
    snapshot id, archive kind and run id as object metadata, confirmed with a HEAD (C(amazon.aws.s3_object_info) - the
    size and the sha256 metadata must be the uploaded file's), and the temporary file is removed. After a failed
    upload the verified archive is kept there, and the next run uploads it without downloading it again.
  - Atlassian (backup API v1) - the backup is exported with M(saasops.backup.atlassian_backup_export) to the external
    storage of its backup policy (Atlassian cannot download a backup); the export's id and status are recorded, size
    and sha256 are null (the API reports neither). ArcGIS, Jahia and Atlassian backup API v2 have no API to download or
    export a backup - the record says so (status V(unsupported)), and it is no failure.
  - A re-run of the same run id (O(previous)) copies nothing again when the copy recorded is there with the same size
    and sha256 (a file is read again to prove it; an object is read with a HEAD). An S3 object an earlier run uploaded
    but could not record (its metadata names this snapshot and archive kind) is taken as it is.
  - A failed copy does not fail the task - the record has status V(failed) and the error, so the role writes the
    manifest and then stops the play.
author:
  - saasops.backup maintainers (@saasops)
options:
  phase:
    description: The phase to run.
    type: str
    required: true
    choices: [validate, copy]
  platform:
    description: The environment's platform, V(arcgis), V(atlassian), V(jahia) or V(mendix).
    type: raw
  connection:
    description: Connection and credential options of the platform's modules. Never returned.
    type: raw
  target:
    description: Options naming the environment.
    type: raw
    default: {}
  run_id:
    description: The run id; names the copy.
    type: raw
  offsite:
    description:
      - Where the copy goes - V(none), an absolute directory on the controller, or C(s3://bucket/prefix) (no
        credentials, port or query in it).
    type: raw
  offsite_s3:
    description:
      - Options of C(amazon.aws.s3_object) for an S3 O(offsite) - C(endpoint_url), C(region), C(access_key),
        C(secret_key), C(session_token), C(profile), C(validate_certs), C(aws_ca_bundle), C(ceph), and for the upload
        C(encrypt), C(encryption_mode), C(encryption_kms_key_id), C(permission). Never returned or recorded.
    type: raw
    default: {}
  offsite_archive:
    description: The Mendix archive to copy, V(files_and_database) (the default) or V(database_only).
    type: raw
  wait_timeout:
    description: Seconds the Mendix download (including its archive job) or the Atlassian export may take.
    type: raw
    default: 3600
  entry:
    description: The environment's manifest entry after the wait phase (M(saasops.backup.snapshot_phase)).
    type: dict
  line:
    description: The entry's summary line, to which the copy is added.
    type: str
  previous:
    description: This environment's entry in the manifest an earlier run with the same id wrote.
    type: dict
  progress_interval:
    description: While a download or an upload runs, a progress line every this many seconds.
    type: float
    default: 30.0
  host:
    description:
      - Phase V(validate) only - the inventory host whose settings these are, when one task checks several hosts (the
        role runs the check once, looping over the hosts that keep a copy). Default, the host the task runs on.
    type: str
notes:
  - The copy is made on the controller (the role's hosts use C(connection=local)); a directory O(offsite) is a
    directory there.
  - C(amazon.aws) (with C(boto3) and C(botocore)) is needed only for an S3 O(offsite); it is not a dependency of this
    collection. Its modules run with O(offsite_s3) and otherwise their own defaults and environment variables.
attributes:
  check_mode:
    support: full
    description: In check mode the backup is only planned, so the copy is only planned (C(offsite.status) V(planned)).
  diff_mode:
    support: none
    description: Compares nothing.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: saasops.backup.snapshot_phase
  - module: saasops.backup.mendix_snapshot
  - module: saasops.backup.atlassian_backup_export
  - module: saasops.backup.offsite_prune
'''

EXAMPLES = r'''
- name: Keep an off-site copy of the backup the wait phase completed
  saasops.backup.snapshot_copy:
    phase: copy
    platform: "{{ saasops_platform }}"
    connection: "{{ saasops_connection }}"
    target: "{{ saasops_target }}"
    run_id: release-42
    offsite: s3://backups-example/saasops
    offsite_s3:
      region: eu-west-1
    entry: "{{ done.entry }}"
    line: "{{ done.line }}"
  register: copied
'''

RETURN = r'''
entry:
  description:
    - O(entry) with C(offsite) when O(offsite) is set - C(kind) (V(dir), V(s3), V(atlassian_export), or null when no
      copy can be made), C(location) (a path, C(s3://bucket/key) or V(atlassian:policy-storage); never an endpoint, a
      credential or a query), C(status) (V(copied), V(failed), V(planned), V(unsupported), V(skipped) when the backup
      did not complete), C(size), C(sha256), C(copied_at) (ISO 8601 UTC), and as they apply C(archive),
      C(snapshot_id), C(model_version), C(verified), C(reused) (an earlier run's copy, found there), C(export_id),
      C(export_status), C(backup_id), C(note), C(error).
  returned: in phase copy
  type: dict
  sample:
    host: mendix-prod
    platform: mendix
    status: completed
    offsite: {kind: s3, location: "s3://backups-example/saasops/mendix-prod/saasops-release-42.tar.gz", status: copied,
              size: 734003200, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,
              copied_at: "2026-11-28T10:07:31Z", archive: files_and_database, snapshot_id: 51dc7872, verified: true}
line:
  description: O(line) with the copy in a few words.
  returned: in phase copy
  type: str
  sample: "mendix-prod  mendix  completed  51dc7872  [131.0s]  copy: s3://backups-example/... (700.0 MB, sha256 9f86d081884c)"
'''
