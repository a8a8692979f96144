#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/offsite_prune.py; this file documents it.

DOCUMENTATION = r'''
module: offsite_prune
short_description: One phase of the rotation of an environment's off-site copies
version_added: 0.1.0
description:
  - Part of the C(saasops.backup.prune) role - the rotation of the copies the C(saasops.backup.pre_deploy_snapshot) role
    keeps (M(saasops.backup.snapshot_copy)). One task runs a phase over every host of the play, whatever its platform;
    an environment whose O(offsite) is V(none) is skipped.
  - Phase V(validate) changes nothing - it fails when O(offsite) or O(offsite_s3) cannot be used, a directory does not
    exist, C(amazon.aws) is missing for an S3 location, O(keep_last), O(keep_days) or O(protect_runs) cannot be used, or
    (not in check mode) the manifest directory cannot be written.
  - Phase V(prune) lists the environment's folder (C(<offsite>/<host>/), a directory on the controller, or an S3 prefix
    read with C(amazon.aws.s3_object_info)) and decides for each copy by the rules of the vendors' backups
    (M(saasops.backup.backup_prune)). A copy is deleted only when this collection named it (C(saasops-<run id>.tar.gz)
    or C(.backup)), it is not among the newest O(keep_last) copies, it is older than O(keep_days) (the file's
    modification time, the object's C(LastModified)), it is not the newest copy, and no protected manifest run - the
    latest complete run, the newest run recorded, a run of O(protect_runs) - recorded it or made it. Anything else
    in the folder is never touched. A file goes with its C(.mendix-snapshot.json) record; an object is deleted with
    C(amazon.aws.s3_object) (O(ignore:mode=delobj)). Only Mendix copies are made by this collection at O(offsite), so
    other platforms only get a note.
  - Phase V(record) (once) appends what was deleted (and failed to be) to C(prune/copies/history.json) in
    O(manifest_dir) - atomically, under a lock, at most 500 records per environment, locations only (never an endpoint
    or a credential) - and returns the summary lines.
author:
  - saasops.backup maintainers (@saasops)
options:
  phase:
    description: The phase to run.
    type: str
    required: true
    choices: [validate, prune, record]
  platform:
    description: The environment's platform.
    type: raw
  offsite:
    description: Where the environment's copies are - V(none), an absolute directory, or C(s3://bucket/prefix).
    type: raw
  offsite_s3:
    description: Options of C(amazon.aws.s3_object) for an S3 O(offsite) (see M(saasops.backup.snapshot_copy)). Never returned.
    type: raw
    default: {}
  keep_last:
    description: How many of the newest copies are kept, however old (a whole number of at least 1).
    type: raw
    default: 7
  keep_days:
    description: Copies younger than this many days are kept, however many there are (a whole number of at least 1).
    type: raw
    default: 30
  protect_runs:
    description: Run ids whose copies are never deleted; each must have a manifest.
    type: raw
    default: []
  manifest_dir:
    description: The manifest directory (protected runs, and the rotation history). Default, the roles' default.
    type: raw
  results:
    description: Phase V(record) - every environment's RV(copies).
    type: list
    elements: raw
    default: []
attributes:
  check_mode:
    support: full
    description: Phase V(prune) lists and plans, and deletes nothing; phase V(record) writes nothing.
  diff_mode:
    support: none
    description: Compares nothing.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: saasops.backup.snapshot_copy
  - module: saasops.backup.backup_prune
'''

EXAMPLES = r'''
- name: Rotate this environment's off-site copies - keep the newest 7, delete those older than 30 days
  saasops.backup.offsite_prune:
    phase: prune
    platform: "{{ saasops_platform }}"
    offsite: /srv/backups/saasops
    keep_last: 7
    keep_days: 30
  register: rotated
'''

RETURN = r'''
copies:
  description:
    - Phase V(prune) - C(host), C(platform), C(folder), C(keep_last), C(keep_days), C(protected_runs), C(copies) (one
      decision per copy, newest first - C(id) (its location), C(name), C(time), C(size), C(run_id), C(age_seconds),
      C(action) V(delete) or V(keep), C(codes), C(reason)), C(deleted) and C(failed) (with C(error)), C(error) or
      C(note), C(check_mode); C(skipped) when O(offsite) is V(none).
  returned: in phase prune
  type: dict
lines:
  description: Phase V(record) - the summary, one line per environment and one per copy deleted (or that would be).
  returned: in phase record
  type: list
  elements: str
deleted:
  description: Phase V(record) - the history records of the copies deleted.
  returned: in phase record
  type: list
  elements: dict
delete_errors:
  description: Phase V(record) - the history records of the copies that could not be deleted.
  returned: in phase record
  type: list
  elements: dict
would_delete:
  description: Phase V(record) in check mode - the copies that would be deleted (host, location, run id, time, reason).
  returned: in phase record
  type: list
  elements: dict
path:
  description: Phase V(record) - the rotation history file.
  returned: in phase record
  type: str
written:
  description: Phase V(record) - whether the history was written.
  returned: in phase record
  type: bool
'''
