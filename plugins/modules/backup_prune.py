#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/backup_prune.py; this file documents it.

DOCUMENTATION = r'''
module: backup_prune
short_description: One phase of the retention of an environment's backups, on any of the four platforms
version_added: 0.1.0
description:
  - The steps of the C(saasops.backup.prune) role, usable on their own. One task runs a phase over every host of the
    play, whatever each host's platform.
  - Phase V(validate) sends nothing. It returns in RV(problems) every reason the prune must not run - an unknown
    platform, O(keep_last) or O(keep_days) not a whole number of at least 1, a run of O(protect_runs) that is not a
    valid run id or has no manifest, a latest-run pointer or a protected manifest that cannot be read, a
    O(manifest_dir) given but missing, a history folder that cannot be written.
  - Phase V(prune) lists the environment's backups with its platform's info module (M(saasops.backup.arcgis_dr_backup_info),
    M(saasops.backup.mendix_snapshot_info), M(saasops.backup.atlassian_backup_info); Jahia's API cannot list
    them, so they are what this collection's manifests recorded) and decides for each one. It deletes a backup only
    when this collection made it (the snapshot role's run id in the ArcGIS backup name or the Mendix snapshot comment),
    it is not among the newest O(keep_last) completed backups the collection made, and it is older than O(keep_days).
  - It never deletes - and says why in RV(prune) - a backup still in progress, one the collection did not make, the
    environment's newest completed backup whoever made it, or one protected by a manifest run - the latest complete
    run (C(latest.json)), the newest run recorded, and every run of O(protect_runs). A protected run keeps the backups
    its manifest recorded for this environment (matched by name or snapshot id, and by host and environment) and those
    whose name says the run made them. A manifest is data - it can keep a backup, never make one deletable nor say
    where to connect.
  - Deletes with M(saasops.backup.arcgis_dr_backup) (O(ignore:state=absent)) and M(saasops.backup.mendix_snapshot)
    (O(ignore:state=absent), Backups API v2), oldest first. Atlassian backups expire by themselves, Jahia's API cannot
    delete, and Mendix's Backups API v1 cannot delete either - those environments are reported (what would be old),
    never failed.
  - A delete that fails does not fail the task - it is returned in C(failed) of RV(prune), so the other environments
    are pruned and the history written before the role fails the play.
  - Phase V(record), run once, appends what was deleted (and what failed) to C(prune/history.json) in O(manifest_dir),
    atomically, under a lock, at most 500 records per host, names only - never a credential - and returns the summary.
author:
  - saasops.backup maintainers (@saasops)
options:
  phase:
    description: The phase to run.
    type: str
    required: true
    choices: [validate, prune, record]
  platform:
    description: The environment's platform, V(arcgis), V(atlassian), V(jahia) or V(mendix).
    type: raw
  connection:
    description: Connection and credential options of the platform's modules. Never returned.
    type: raw
  target:
    description: Options naming the environment (for example C(app_id), C(environment) and C(api_version) for Mendix).
    type: raw
    default: {}
  keep_last:
    description:
      - How many of the newest completed backups this collection made are kept, however old. At least 1.
    type: raw
    default: 7
  keep_days:
    description:
      - Backups younger than this many days are kept, however many there are. At least 1.
    type: raw
    default: 30
  protect_runs:
    description:
      - Run ids of manifest runs whose backups are never deleted, a list (or one text, comma-separated). Each must have a
        manifest in O(manifest_dir).
    type: raw
    default: []
  manifest_dir:
    description:
      - The manifest directory of the C(pre_deploy_snapshot) role - the protected runs' manifests, Jahia's backups, and
        the prune history in its C(prune) folder. When given, it must exist.
      - Default, C($XDG_STATE_HOME/saasops/manifests), else C(~/.local/state/saasops/manifests).
    type: raw
  results:
    description: Phase V(record) - the RV(prune) of every host.
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
    description: Runs on the controller, which calls the platform's API.
seealso:
  - module: saasops.backup.arcgis_dr_backup
  - module: saasops.backup.mendix_snapshot
  - module: saasops.backup.backup_status
'''

EXAMPLES = r'''
- name: Check the prune's variables, sending nothing
  saasops.backup.backup_prune:
    phase: validate
    platform: mendix
    connection:
      username: release-bot@example.com
      api_key: "{{ mendix_api_key }}"
    target:
      app_id: calc
      environment: Acceptance
    keep_last: 5
    keep_days: 14
  register: prune_check

- name: Say what would be deleted, and why (run with --check to delete nothing)
  saasops.backup.backup_prune:
    phase: prune
    platform: mendix
    connection:
      username: release-bot@example.com
      api_key: "{{ mendix_api_key }}"
    target:
      app_id: calc
      environment: Acceptance
    keep_last: 5
    keep_days: 14
    protect_runs: [20261130t101500z-ab12]
  register: pruned
  when: prune_check.ok

- name: Record what was deleted and print the summary
  saasops.backup.backup_prune:
    phase: record
    results: ["{{ pruned.prune }}"]
  register: recorded
  when: prune_check.ok

- name: Show it
  ansible.builtin.debug:
    msg: "{{ recorded.lines }}"
  when: prune_check.ok
'''

RETURN = r'''
problems:
  description: Phase V(validate) - every reason not to prune this host, one sentence each.
  returned: phase validate
  type: list
  elements: str
  sample: ["saasops_keep_last must be a whole number of at least 1, got 0: a prune with nothing to keep is refused"]
ok:
  description: Phase V(validate) - whether RV(problems) is empty.
  returned: phase validate
  type: bool
  sample: true
prune:
  description:
    - Phase V(prune) - the environment (C(host), C(platform), C(label), C(identity), never a credential), the settings
      (C(keep_last), C(keep_days), C(protected_runs)), C(cannot) (why its platform cannot delete, or null), and one
      decision per backup, newest first, in C(backups) - C(id), C(name), C(time), C(status), C(run_id) (the run that
      made it, or null), C(age_seconds), C(action) (V(delete), V(keep), or V(report) where the platform cannot delete),
      C(codes) and C(reason).
    - C(deleted), C(failed) (with C(error)) and C(gone) (deleted meanwhile) - the deletions tried, with their time C(at);
      empty in check mode.
    - C(error) when the environment could not be pruned (its backups could not be listed); C(note) when a platform that
      deletes nothing could not be read.
  returned: phase prune
  type: dict
  sample:
    host: gis-prod
    platform: arcgis
    label: gis.example.com / default-store
    identity: {url: "https://gis.example.com/arcgis", store: default-store}
    cannot: null
    keep_last: 7
    keep_days: 30
    protected_runs: [20261130t101500z-ab12]
    backups:
      - id: saasops-20261001t101500z-cd34
        name: saasops-20261001t101500z-cd34
        time: "2026-10-01T10:15:00Z"
        status: good
        run_id: 20261001t101500z-cd34
        age_seconds: 5184000
        action: delete
        codes: []
        reason: older than 30 days, and not one of the newest 7 completed backups of this collection
    deleted: []
    failed: []
    gone: []
    error: null
lines:
  description: Phase V(record) - the summary, one line per environment and one per backup deleted (or, in check mode,
    that would be deleted) with its id, name, age and reason.
  returned: phase record
  type: list
  elements: str
  sample: ["gis-prod (arcgis, gis.example.com / default-store): deleted 1 of 9 backups, kept 8",
           "  - deleted saasops-20261001t101500z-cd34 (60d old): older than 30 days, and not one of the newest 7 completed..."]
deleted:
  description: Phase V(record) - the history records of the backups deleted (C(kind), C(host), C(platform), C(identity),
    C(backup), C(result), C(reason), C(at), C(error)).
  returned: phase record
  type: list
  elements: dict
delete_errors:
  description: Phase V(record) - the history records of the deletions that failed, with their C(error).
  returned: phase record
  type: list
  elements: dict
would_delete:
  description: Phase V(record) in check mode - the backups that would be deleted (C(host), C(platform), C(id), C(name),
    C(time), C(run_id), C(age_seconds), C(reason)).
  returned: phase record
  type: list
  elements: dict
written:
  description: Phase V(record) - whether the history was written.
  returned: phase record
  type: bool
path:
  description: Phase V(record) - the prune history file.
  returned: phase record
  type: str
  sample: /home/release/.local/state/saasops/manifests/prune/history.json
'''
