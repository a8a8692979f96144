#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/restore_drill.py; this file documents it.

DOCUMENTATION = r'''
module: restore_drill
short_description: One phase of a restore drill - restore an environment's backup into another environment and check it
version_added: 0.1.0
description:
  - The steps of the C(saasops.backup.restore_drill) role, usable on their own. A drill proves that a backup can be
    restored and measures how long that takes (the restore time, RTO). It restores the backup of the current host (the
    B(source)) into its O(drill_target), another host of the inventory where overwriting is acceptable, waits, checks the
    result, and records it in the drill history beside the manifests.
  - Never into the source, never into production. Refused before any request (phase V(validate)), every problem of the
    host returned in RV(problems) - a drill target that is not in the inventory, of another platform, the source
    itself (the same host, or the same environment - Mendix app and environment, Atlassian C(cloud_id), Jahia
    organization and environment, ArcGIS URL), declared production (C(saasops_production) of the drill target), of
    another Mendix app, Atlassian product or organization, or Jahia organization, and options the restore module does
    not know or that the drill sets itself. The restore modules never get C(allow_production), so their own production
    guards (Jahia C(prod) role, Mendix C(Production) flag) stay on.
  - Phase V(plan) only reads. It finds the backup - the source's newest good backup, listed by the platform's info
    module, or, with O(drill_run), the source's entry in that manifest run. Jahia cannot list backups, so a Jahia drill
    always takes the manifest's (the latest complete run unless O(drill_run) names one) and says so. Then it runs the
    platform's restore module in check mode against the drill target with the real arguments, which proves the
    credentials, finds the backup restorable from there, and applies the module's guards.
  - Phase V(run) restores and checks. Mendix - the snapshot restored (stopping the drill target first, starting it
    after) and the environment C(Running). Atlassian - the restore C(COMPLETE), its post-operation report fetched and
    summarised in counts. ArcGIS - the disaster recovery status of the restore C(success) (C(completed_with_warnings)
    fails the drill). Jahia - the restore triggered, then the drill target's O(drill) C(health_url) polled until it
    answers 200 after having been down; Jahia's API reports nothing about a restore, so this shows the site is up, not
    that the restore finished.
  - The restore time (C(rto_seconds)) runs from the restore request to the checks passing.
  - A drill that fails is returned as a failed record (RV(record)), never as a failed task, so the other drills go on and
    the history is written. Phase V(record) appends the record to C(drills/history.json) in O(manifest_dir), atomically, under a
    lock, at most 50 records per host kept; the history holds names, never credentials.
  - In check mode, phase V(run) restores nothing and returns a V(planned) record saying what would be restored where;
    phase V(record) writes nothing.
author:
  - saasops.backup maintainers (@saasops)
options:
  phase:
    description: The phase to run.
    type: str
    required: true
    choices: [validate, plan, run, record]
  platform:
    description: The platform of the source, V(arcgis), V(atlassian), V(jahia) or V(mendix).
    type: raw
  connection:
    description: Connection and credential options of the source's platform modules (its C(saasops_connection)).
    type: raw
  target:
    description: Options naming the source environment (its C(saasops_target)).
    type: raw
    default: {}
  drill_target:
    description:
      - The inventory name of the host to restore into. Without it the host is not drilled (RV(skip)).
    type: raw
  drill:
    description:
      - What the inventory says about O(drill_target), C(known) (whether it is a host of the inventory), C(platform),
        C(connection), C(target), C(production) and, for Jahia, C(health_url) (its C(<environment URL>/cms/login) or
        its healthcheck URL, C(https://) only).
    type: raw
    default: {}
  claims:
    description: Every host of the play that has a drill target, with it, to refuse two drills into one target.
    type: dict
    default: {}
  options:
    description:
      - Extra options of the platform's restore module (for example C(consent) for Atlassian, C(db_only) for Mendix).
        Options the drill sets itself are refused.
    type: raw
    default: {}
  drill_run:
    description:
      - Drill the backup a manifest run recorded instead of the newest good one - a run id, or V(latest) for the latest
        complete run.
    type: raw
  timeout:
    description: Seconds the restore, its start and its checks may take together.
    type: raw
    default: 14400
  settle:
    description:
      - Jahia only. Seconds the drill target may go on answering 200 after the restore was triggered; if it never went
        down by then, the restore did not visibly run and the check fails.
    type: raw
    default: 900
  manifest_dir:
    description:
      - The manifest directory, which holds the manifests Jahia's backup is found in and the drill history C(drills/history.json).
      - Default, C($XDG_STATE_HOME/saasops/manifests), else C(~/.local/state/saasops/manifests).
    type: raw
  plan:
    description: Phase V(run) - the RV(plan) phase V(plan) returned.
    type: dict
  record:
    description: Phase V(record) - the RV(record) phase V(run) returned.
    type: dict
  progress_interval:
    description: Seconds between two progress lines while a restore or a check goes on.
    type: float
    default: 30
attributes:
  check_mode:
    support: full
    description: Phase V(plan) reads as always; phase V(run) restores nothing and phase V(record) writes nothing.
  diff_mode:
    support: none
    description: Compares nothing.
  platform:
    support: full
    platforms: all
    description: Runs on the controller; the platform modules and the checks' requests run where modules run.
notes:
  - The Atlassian post-operation report's format is not documented (UNCONFIRMED); any CSV is summarised by its rows, the
    rows per value of a status column, and the sum of a count column per entity. It is fetched without credentials, as
    a download link.
  - An Atlassian backup restores into a site at most once per 7 days; a drill within that time finds the earlier restore
    of that backup into that site and reports it as reused.
  - For ArcGIS, the drill target's store must hold the source's backups (the same storage location registered in both
    organizations), and the backup's passcode is the source's C(passcode).
seealso:
  - module: saasops.backup.arcgis_dr_restore
  - module: saasops.backup.atlassian_restore
  - module: saasops.backup.jahia_restore
  - module: saasops.backup.mendix_restore
'''

EXAMPLES = r'''
- name: Check the drill's variables, sending nothing
  saasops.backup.restore_drill:
    phase: validate
    platform: "{{ saasops_platform }}"
    connection: "{{ saasops_connection }}"
    target: "{{ saasops_target | default({}) }}"
    drill_target: acceptance
    drill:
      known: true
      platform: "{{ hostvars['acceptance'].saasops_platform }}"
      connection: "{{ hostvars['acceptance'].saasops_connection }}"
      target: "{{ hostvars['acceptance'].saasops_target }}"
  register: drill_check

- name: Find the backup and prove it restorable into the drill target, restoring nothing
  saasops.backup.restore_drill:
    phase: plan
    platform: "{{ saasops_platform }}"
    connection: "{{ saasops_connection }}"
    target: "{{ saasops_target | default({}) }}"
    drill_target: acceptance
    drill:
      known: true
      platform: "{{ hostvars['acceptance'].saasops_platform }}"
      connection: "{{ hostvars['acceptance'].saasops_connection }}"
      target: "{{ hostvars['acceptance'].saasops_target }}"
  register: drill_plan
  when: drill_check.ok
'''

RETURN = r'''
skip:
  description: Whether the host has no drill target (nothing is done for it).
  returned: always
  type: bool
  sample: false
problems:
  description: Phase V(validate) - every reason not to drill this host, one sentence each.
  returned: phase validate, and for hosts without a drill target
  type: list
  elements: str
  sample: ["the drill target 'calc-prod' is production (saasops_production: true): a drill never restores into production"]
ok:
  description: Phase V(validate) - whether RV(problems) is empty.
  returned: phase validate
  type: bool
  sample: true
plan:
  description:
    - Phase V(plan) - the backup chosen (C(backup) with C(id), C(name), C(time)), the restore module's identity of it
      (C(identity)), the manifest run it came from (C(manifest_run_id), or null), the names of the source and of the
      drill target (C(source), C(target)), C(line) in words, and C(error) when the drill cannot run (no usable backup,
      the restore module refused it in check mode).
  returned: phase plan
  type: dict
  sample:
    backup: {id: 5f8ace23-2c4f-4f59-8b0a-3a8f8e2d1c77, name: nightly, time: "2026-11-30T02:00:00Z"}
    identity: {snapshot_id: 5f8ace23-2c4f-4f59-8b0a-3a8f8e2d1c77}
    manifest_run_id: null
    source: {app_id: calc, environment: Production}
    target: {app_id: calc, environment: Acceptance}
    error: null
record:
  description:
    - Phase V(run) - the drill's history record (C(host), C(platform), C(drill_target), C(source), C(target), C(backup),
      C(manifest_run_id), C(started_at), C(finished_at), C(rto_seconds), C(result) V(passed), V(failed) or, in check
      mode, V(planned), C(checks) with C(name), C(ok) and C(detail), C(error)).
  returned: phase run
  type: dict
  sample:
    host: calc-prod
    platform: mendix
    drill_target: calc-acceptance
    backup: {id: 5f8ace23-2c4f-4f59-8b0a-3a8f8e2d1c77, name: nightly, time: "2026-11-30T02:00:00Z"}
    rto_seconds: 412.3
    result: passed
    checks: [{name: environment running, ok: true, detail: "the environment's status is 'Running' after the start"}]
    error: null
line:
  description: The host's line of the drill summary.
  returned: phases validate (for hosts without a drill target), plan and run
  type: str
  sample: "calc-prod (mendix): drill passed into calc-acceptance in 412.3 s (RTO)"
written:
  description: Phase V(record) - whether the record was added to the history.
  returned: phase record
  type: bool
  sample: true
path:
  description: Phase V(record) - the drill history file.
  returned: phase record, when written
  type: str
  sample: /home/ops/.local/state/saasops/manifests/drills/history.json
error:
  description: Phase V(record) - why the history could not be written.
  returned: phase record, when it could not be written
  type: str
'''
