#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/snapshot_phase.py; this file documents it.

DOCUMENTATION = r'''
module: snapshot_phase
short_description: One phase of the pre-deploy snapshot of one environment, on any of the four platforms
version_added: 0.1.0
description:
  - The engine of the C(saasops.backup.pre_deploy_snapshot) role. One task runs it over every host of the play,
    whatever each host's platform, and it runs the platform's backup module (M(saasops.backup.arcgis_dr_backup),
    M(saasops.backup.jahia_backup), M(saasops.backup.atlassian_backup), M(saasops.backup.mendix_snapshot)).
  - O(phase=validate) checks the environment's variables and sends nothing. Every key of O(connection), O(target)
    and O(backup_options) must be an option of the platform's backup module, of the documented type; keys the
    role sets itself (the backup name or comment, C(wait), C(wait_timeout)) are refused in O(backup_options).
    An error names the variable and the key, never a value, so a misspelled secret key is not printed.
  - O(phase=start) starts the backup without waiting and returns its manifest entry. A Jahia backup already
    triggered by this run (O(previous)) is not triggered again; other platforms' modules find the backup this run
    made by its key (ArcGIS name C(saasops-<run id>), Mendix comment C(saasops <run id>), Atlassian's running or
    recent backup) and create nothing. A failed or unfinished earlier entry is tried again.
  - O(phase=wait) waits for a backup the start phase left running, printing a progress line every
    O(progress_interval) seconds while it waits.
  - A failed backup does not fail the task; it is returned as an entry with status V(failed) and C(error), so the
    manifest can be written before the play stops.
author:
  - saasops.backup maintainers (@saasops)
options:
  phase:
    description: The phase to run.
    type: str
    required: true
    choices: [validate, start, wait]
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
  backup_options:
    description: Extra options of the platform's backup module.
    type: raw
    default: {}
  run_id:
    description: The run id; names what the run makes. Letters, digits, C(.), C(_) and C(-).
    type: raw
  wait_timeout:
    description: Seconds to wait for the backup in the wait phase (a positive whole number).
    type: raw
    default: 3600
  max_age:
    description:
      - How old a complete Atlassian backup may be to be reused instead of running a new one (the platform allows
        one backup per 7 days). O(backup_options) may override it.
    type: str
    default: 24h
  previous:
    description: This environment's entry in the manifest an earlier run with the same id wrote.
    type: dict
  entry:
    description: This environment's entry as the start phase returned it (wait phase).
    type: dict
  progress_interval:
    description: Seconds between two progress lines while waiting.
    type: float
    default: 30
attributes:
  check_mode:
    support: full
    description: The backup module runs in check mode; the entry's status is V(planned).
  diff_mode:
    support: none
    description: Compares nothing.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: saasops.backup.snapshot_manifest
'''

EXAMPLES = r'''
- name: Start the backup of this environment
  saasops.backup.snapshot_phase:
    phase: start
    platform: "{{ saasops_platform }}"
    connection: "{{ saasops_connection }}"
    target: "{{ saasops_target }}"
    run_id: release-42
  register: started

- name: Wait for it
  saasops.backup.snapshot_phase:
    phase: wait
    platform: "{{ saasops_platform }}"
    connection: "{{ saasops_connection }}"
    target: "{{ saasops_target }}"
    run_id: release-42
    entry: "{{ started.entry }}"
'''

RETURN = r'''
entry:
  description:
    - The environment's manifest entry - C(host), C(platform), C(status) (V(completed), V(triggered), V(running),
      V(failed), or V(planned) in check mode), C(backup), C(target), C(restore), C(reused), C(age_s) (age in seconds
      of a backup that was reused), C(elapsed_s), and C(error) when it failed. No credential.
  returned: in the start and wait phases
  type: dict
  sample: {host: gis-prod, platform: arcgis, status: completed, backup: {name: saasops-release-42, store: default-store},
           target: {url: "https://gis.example.com/arcgis", store: default-store},
           restore: {name: saasops-release-42, store: default-store}, reused: false, age_s: 0, elapsed_s: 312.4}
line:
  description: The entry as one line of the end-of-run summary.
  returned: in the start and wait phases
  type: str
  sample: "gis-prod                 arcgis     completed     saasops-release-42  [312.4s]"
'''
