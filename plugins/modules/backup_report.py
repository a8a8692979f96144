#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/backup_report.py; this file documents it.

DOCUMENTATION = r'''
module: backup_report
short_description: Write the estate report - JSON, a self-contained HTML page and JUnit XML - from every environment's row
version_added: 0.1.0
description:
  - The second task of the C(saasops.backup.backup_report) role, run once. It puts together the rows that
    M(saasops.backup.backup_status) returned for every host, adds each environment's last restore drill from the drill
    history beside the manifests (C(<manifest_dir>/drills/history.json), written by the C(restore_drill) role, read as
    untrusted data), and counts the verdicts per platform.
  - "Writes three files to O(report_dir), each atomically (a temporary file renamed over the old one) with mode
    C(0600): C(backup_report.json) (schema C(saasops.backup/backup_report) version 1), C(backup_report.html) (inline
    style and script, no external resource, so it opens offline, prints and reads on a phone) and
    C(backup_report.junit.xml) (one test case per environment: V(stale), V(missing) and V(failing) are failures,
    V(unknown) is skipped)."
  - Sends nothing to any platform and never fails for a verdict; RV(alarms) lists the environments that should.
author:
  - saasops.backup maintainers (@saasops)
options:
  environments:
    description: The rows of M(saasops.backup.backup_status), one per environment.
    type: list
    elements: dict
    required: true
  manifest_dir:
    description: The manifest directory, whose C(drills) folder holds the drill history. Default, that of the roles.
    type: path
  report_dir:
    description:
      - Where the files are written. Default, C($XDG_STATE_HOME/saasops/reports), else C(~/.local/state/saasops/reports).
    type: path
  create:
    description: Create O(report_dir), mode C(0700), when it does not exist; otherwise a missing directory fails.
    type: bool
    default: false
  rpo:
    description: The default RPO, recorded in the report's C(defaults).
    type: str
    default: 24h
  window:
    description: The window of failed and unfinished backups, recorded in the report's C(defaults).
    type: str
    default: 7d
attributes:
  check_mode:
    support: full
    description: Builds and returns the report, writes no file (RV(written=false)).
  diff_mode:
    support: none
    description: Returns the whole report in RV(report).
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: saasops.backup.backup_status
'''

EXAMPLES = r'''
- name: Write the report of every environment of the play to ./report
  saasops.backup.backup_report:
    environments: "{{ ansible_play_hosts | map('extract', hostvars, ['status', 'environment']) | list }}"
    report_dir: ./report
  register: estate
  run_once: true

- name: Fail the job when an environment has no fresh backup
  ansible.builtin.fail:
    msg: "{{ estate.alarms | join(' | ') }}"
  when: estate.alarms | length > 0
  run_once: true
'''

RETURN = r'''
report:
  description:
    - The report, as written to C(backup_report.json) (C(schema), C(schema_version), C(generated_at), C(defaults),
      C(summary) with counts per verdict and per platform, C(environments) sorted by host, each with C(last_drill)).
  returned: success
  type: dict
  sample: {schema: saasops.backup/backup_report, schema_version: 1, generated_at: "2026-11-30T12:00:00Z",
           defaults: {rpo: 24h, window: 7d}, summary: {environments: 1, verdicts: {ok: 1, stale: 0, missing: 0,
           failing: 0, unknown: 0}, platforms: {mendix: {environments: 1, ok: 1, stale: 0, missing: 0, failing: 0,
           unknown: 0}}}, environments: []}
paths:
  description: The three files, by kind (C(json), C(html), C(junit)).
  returned: always
  type: dict
  sample: {json: /srv/report/backup_report.json, html: /srv/report/backup_report.html,
           junit: /srv/report/backup_report.junit.xml}
alarms:
  description: "C(<host>: <verdict>: <reason>) for every V(stale), V(missing) or V(failing) environment."
  returned: success
  type: list
  elements: str
  sample: ["calc-test: stale: the newest usable backup is 3d old, older than the RPO of 1d"]
lines:
  description: The summary, one line per environment, then the totals.
  returned: success
  type: list
  elements: str
  sample: ["calc-test                mendix     stale    the newest usable backup is 3d old, older than the RPO of 1d",
           "1 environments: 1 stale"]
written:
  description: Whether the files were written (V(false) in check mode).
  returned: success
  type: bool
  sample: true
'''
