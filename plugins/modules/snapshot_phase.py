#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/snapshot_phase.py; this file documents it.

DOCUMENTATION = r'''
module: snapshot_phase
short_description: One phase of the pre-deploy snapshot of every environment, on any of the four platforms
version_added: 0.1.0
description:
  - The engine of the C(saasops.backup.pre_deploy_snapshot) role, which runs each phase once (C(run_once)) for every
    host of the play's batch, whatever each host's platform. Each host's variables are read from its hostvars -
    C(saasops_platform), C(saasops_connection), C(saasops_target), C(saasops_backup_options), C(saasops_wait_timeout)
    and C(saasops_max_age) - and the platform's backup module (M(saasops.backup.arcgis_dr_backup),
    M(saasops.backup.jahia_backup), M(saasops.backup.atlassian_backup), M(saasops.backup.mendix_snapshot)) runs for
    each environment in a thread of its own inside the Python of C(ansible-playbook), which needs C(requests).
  - O(phase=validate) checks every environment's variables and sends nothing. Every key of C(saasops_connection),
    C(saasops_target) and C(saasops_backup_options) must be an option of the platform's backup module, of the
    documented type; keys the role sets itself (the backup name or comment, C(wait), C(wait_timeout)) are refused.
    An error names the host, the variable and the key, never a value, so a misspelled secret key is not printed;
    every host's mistakes are in one message. Given O(platform) (and O(connection), O(target), O(backup_options),
    O(wait_timeout)), it checks those of the one host it runs on instead.
  - O(phase=start) starts every backup without waiting and returns the manifest entries. A Jahia backup already
    triggered by this run (O(previous)) is not triggered again; a completed backup O(previous) records is confirmed
    with one read (the modules' C(confirm)); other platforms' modules find the backup this run made by its key
    (ArcGIS name C(saasops-<run id>), Mendix comment C(saasops <run id>), Atlassian's running or recent backup) and
    create nothing. A failed or unfinished earlier entry is tried again. An Atlassian create refused by the rate
    limit (HTTP 429) is not waited for - its entry has status V(pending), and the wait phase starts it.
  - O(phase=wait) waits for every backup O(entries) says is running or pending, all at once, printing a progress
    line per environment still running every O(progress_interval) seconds.
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
  run_id:
    description: The run id; names what the run makes. Letters, digits, C(.), C(_) and C(-).
    type: raw
  hosts:
    description: The hosts of the phase; default, the play's current batch (C(ansible_play_batch)).
    type: list
    elements: str
  previous:
    description:
      - O(phase=start) - the entries of the manifest an earlier run with the same id wrote (matched by host; read as
        untrusted data, they only identify backups).
    type: raw
    default: []
  new_run_id:
    description:
      - O(phase=start) - the play made the run id up (no C(saasops_run_id)), so no backup bears its name yet and the
        modules need not look for one before creating it (their C(assume_new)).
    type: bool
    default: false
  entries:
    description: O(phase=wait) - the entries the start phase returned, by host.
    type: dict
    default: {}
  progress_interval:
    description: Seconds between two progress lines while waiting.
    type: float
    default: 30
  platform:
    description: O(phase=validate) of the one host the task runs on - its platform.
    type: raw
  connection:
    description: O(phase=validate) of one host - its connection and credential options. Never returned.
    type: raw
  target:
    description: O(phase=validate) of one host - the options naming the environment.
    type: raw
    default: {}
  backup_options:
    description: O(phase=validate) of one host - extra options of the platform's backup module.
    type: raw
    default: {}
  wait_timeout:
    description: O(phase=validate) of one host - seconds to wait for the backup (a positive whole number).
    type: raw
    default: 3600
attributes:
  check_mode:
    support: full
    description: The backup modules run in check mode; the entries' status is V(planned).
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
- name: Check every environment's variables
  saasops.backup.snapshot_phase:
    phase: validate
    run_id: release-42
  run_once: true
  any_errors_fatal: true

- name: Start every backup
  saasops.backup.snapshot_phase:
    phase: start
    run_id: release-42
  run_once: true
  register: started

- name: Wait for every backup
  saasops.backup.snapshot_phase:
    phase: wait
    run_id: release-42
    entries: "{{ started.entries }}"
  run_once: true
  register: done
'''

RETURN = r'''
entries:
  description:
    - Every environment's manifest entry, by host - C(host), C(platform), C(status) (V(completed), V(triggered),
      V(running), V(pending) (start phase only - not started yet), V(failed), or V(planned) in check mode), C(backup),
      C(target), C(restore), C(reused), C(age_s) (age in seconds of a backup that was reused), C(elapsed_s), and
      C(error) when it failed. No credential.
  returned: in the start and wait phases
  type: dict
  sample: {gis-prod: {host: gis-prod, platform: arcgis, status: completed,
                      backup: {name: saasops-release-42, store: default-store},
                      target: {url: "https://gis.example.com/arcgis", store: default-store},
                      restore: {name: saasops-release-42, store: default-store}, reused: false, age_s: 0, elapsed_s: 312.4}}
lines:
  description: Every entry as one line of the end-of-run summary, by host.
  returned: in the start and wait phases
  type: dict
  sample: {gis-prod: "gis-prod                 arcgis     completed     saasops-release-42  [312.4s]"}
problems:
  description: O(phase=validate) of every host - each host's problems, when any.
  returned: when the validate phase of every host fails
  type: list
  elements: str
'''
