#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/snapshot_manifest.py; this file documents it.

DOCUMENTATION = r'''
module: snapshot_manifest
short_description: Keep the snapshot manifests of the pre-deploy snapshot runs in a directory on the controller
version_added: 0.1.0
description:
  - The manifest store of the C(saasops.backup.pre_deploy_snapshot) role, usable on its own. It runs on the
    controller and opens no connection to the host.
  - "The directory holds one manifest per snapshot run, C(<dir>/<run id>.json): C(schema) (1), C(run_id),
    C(created) and C(updated) (ISO 8601 UTC), and C(environments), one entry per environment with at least
    C(host), C(platform) and C(status)."
  - "C(<dir>/latest.json) is a pointer, C({\"run_id\": ...}), to the newest complete run: a run is complete when it has
    environments and every one's status is V(completed) or V(triggered) (a Jahia backup is triggered, the platform
    cannot confirm it). Newest compares C(created), then the run id. Only a write with O(final=true) moves the
    pointer to its run, and not when the pointer names a newer complete run (a C(--limit) re-run of an older run
    does not take it). When a later part of a run (another AWX job slice) records a failure in a run the
    pointer names, the pointer goes back to the newest other complete run, or is removed when there is none:
    it never names an incomplete run."
  - "Writes merge by host: the entries of a write replace the entries of the same hosts and are added for new
    hosts; the other hosts' entries are kept. So a C(--limit) run, or each slice of an AWX job, adds only its
    own hosts to the run's manifest."
  - "The writers of one run are serialised by a lock file, C(<dir>/.<run id>.lock) (C(flock), waiting at most
    60 seconds); the pointer has its own, C(<dir>/.latest.lock). Every file is replaced atomically (written to a
    temporary file beside it, synced, renamed) with mode C(0600), so a reader never sees half a manifest."
  - Run ids name files, so they are 1 to 128 letters, digits, C(.), C(_) or C(-), starting with a letter or a
    digit, and not C(latest). A file is read back as data; one that is not a schema 1 manifest of the run its
    name says is refused, with its path.
author:
  - saasops.backup maintainers (@saasops)
options:
  state:
    description:
      - V(check) checks the directory (and creates it when O(create=true)), checks O(run_id) and returns the
        manifest already written for that run, if any, in RV(previous).
      - V(write) merges O(entries) into the run's manifest, and points C(latest.json) at the run when O(final=true)
        and the merged manifest is complete.
      - V(list) returns every run kept in RV(runs), newest first. A missing directory holds no run.
    type: str
    choices: [check, write, list]
    default: write
  dir:
    description:
      - The manifest directory on the controller.
      - Default, C($XDG_STATE_HOME/saasops/manifests), or C(~/.local/state/saasops/manifests) when
        E(XDG_STATE_HOME) is not set (not the current directory, which is C(/) for cron and systemd jobs).
    type: path
  create:
    description:
      - Create the directory, with mode C(0700), when it does not exist. Otherwise a missing directory fails.
      - The C(pre_deploy_snapshot) role sets it only when the user did not set C(saasops_manifest_dir).
    type: bool
    default: false
  run_id:
    description: The snapshot run. Required with O(state=check) and O(state=write).
    type: str
  entries:
    description:
      - With O(state=write), the entries of the environments this write records, each a dict with at least a
        C(host) (a string).
    type: list
    elements: raw
    default: []
  final:
    description: With O(state=write), this is the run's last write; point C(latest.json) at it if it is complete.
    type: bool
    default: false
  copy_to:
    description:
      - With O(state=write), also replace this file with the whole merged manifest (atomically, mode C(0600),
        under the run's lock). For users of the former single manifest file, C(saasops_manifest_path).
      - Its directory must exist. Not inside O(dir), where it would be listed as a run.
    type: path
attributes:
  check_mode:
    support: full
    description:
      - Writes and creates nothing. V(write) returns the manifest it would write (a missing directory is then
        not an error); V(check) returns RV(would_create=true) instead of creating a missing directory.
  diff_mode:
    support: none
    description: Compares nothing; V(write) returns the would-be manifest in RV(manifest).
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: saasops.backup.restore_preflight
'''

EXAMPLES = r'''
- name: Check the manifest directory and find what run 20261130t101500z-ab12 already recorded
  saasops.backup.snapshot_manifest:
    state: check
    run_id: 20261130t101500z-ab12
    create: true
  register: manifest_store
  run_once: true

- name: Record every environment of the play, and make the run the latest when all were backed up
  saasops.backup.snapshot_manifest:
    state: write
    run_id: 20261130t101500z-ab12
    entries: "{{ ansible_play_hosts_all | map('extract', hostvars, 'snapshot_entry') | list }}"
    final: true
  run_once: true

- name: List the runs kept in /var/lib/saasops/manifests
  saasops.backup.snapshot_manifest:
    state: list
    dir: /var/lib/saasops/manifests
  register: manifests
'''

RETURN = r'''
dir:
  description: The manifest directory.
  returned: always
  type: str
  sample: /home/deploy/.local/state/saasops/manifests
path:
  description: The run's manifest file.
  returned: when O(state=check) or O(state=write) succeeded
  type: str
  sample: /home/deploy/.local/state/saasops/manifests/20261130t101500z-ab12.json
previous:
  description: The manifest already written for this run, or an empty dict.
  returned: when O(state=check) succeeded
  type: dict
  sample: {schema: 1, run_id: 20261130t101500z-ab12, created: "2026-11-30T10:15:00Z", environments: []}
would_create:
  description: In check mode, the directory does not exist and would be created.
  returned: when O(state=check) in check mode would create the directory
  type: bool
  sample: true
manifest:
  description: The run's manifest after the merge (in check mode, the manifest that would be written).
  returned: when O(state=write) succeeded
  type: dict
  sample:
    schema: 1
    run_id: 20261130t101500z-ab12
    created: "2026-11-30T10:15:00Z"
    updated: "2026-11-30T10:31:12Z"
    environments:
      - {host: gis-prod, platform: arcgis, status: completed}
latest:
  description:
    - With O(state=write), whether C(latest.json) names this run (in check mode, would name it).
    - With O(state=list), the run id C(latest.json) names, or null.
  returned: when O(state=write) or O(state=list) succeeded
  type: raw
  sample: true
runs:
  description: Every run kept in the directory, newest first.
  returned: when O(state=list) succeeded
  type: list
  elements: dict
  contains:
    run_id:
      description: The run id.
      type: str
    created:
      description: When the run's manifest was first written (ISO 8601 UTC); empty for a file with an RV(runs[].error).
      type: str
    complete:
      description: Whether every environment of the run was backed up.
      type: bool
    environments:
      description: How many environments the manifest records.
      type: int
    statuses:
      description: How many environments have each status.
      type: dict
    latest:
      description: Whether C(latest.json) names this run.
      type: bool
    path:
      description: The manifest file.
      type: str
    error:
      description: Why the file is not a usable manifest of this run.
      type: str
      returned: when the file cannot be used
  sample:
    - run_id: 20261130t101500z-ab12
      created: "2026-11-30T10:15:00Z"
      complete: true
      environments: 2
      statuses: {completed: 1, triggered: 1}
      latest: true
      path: /home/deploy/.local/state/saasops/manifests/20261130t101500z-ab12.json
'''
