#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/backup_status.py; this file documents it.

DOCUMENTATION = r'''
module: backup_status
short_description: Judge environments' backups against their RPO, on any of the four platforms
version_added: 0.1.0
description:
  - The first task of the C(saasops.backup.backup_report) role, which runs it once (C(run_once)) without O(platform) -
    it then reads every host of the play (O(hosts)), each host's C(saasops_platform), C(saasops_connection),
    C(saasops_target), C(saasops_rpo) and C(saasops_report_window) from its variables, all at once, each platform's
    info module running in a thread of its own inside C(ansible-playbook)'s Python, and returns RV(environments).
    Given O(platform), it reads the one host it runs on and returns RV(environment).
  - It runs the platform's info module (M(saasops.backup.arcgis_dr_backup_info),
    M(saasops.backup.atlassian_backup_info), M(saasops.backup.mendix_snapshot_info),
    M(saasops.backup.jahia_environment_info)) and sends nothing that changes anything.
  - Returns the environment's row of the report - the newest usable backup, how many there are, their expiry, the
    failed and unfinished ones in O(window), and a verdict against O(rpo) - V(ok), V(stale), V(missing), V(failing)
    or V(unknown).
  - A usable backup is a completed one (for Atlassian also C(INCOMPLETE), which restores with some content
    missing). The newest finished attempt having failed is V(failing), whatever the age of the newest usable backup.
  - "Jahia's API cannot list backups: the environment's context is read (proving it answers), and its backups are
    those this collection's manifests in O(manifest_dir) recorded for this host and environment, the time of each
    being its run's. A Jahia environment no manifest records is V(unknown)."
  - A platform that cannot be read makes the verdict V(unknown) with the platform's message as the reason; the task
    fails only for bad input (an unknown platform, O(connection) or O(target) not a dictionary, a wrong duration).
author:
  - saasops.backup maintainers (@saasops)
options:
  platform:
    description:
      - The environment's platform, V(arcgis), V(atlassian), V(jahia) or V(mendix).
      - Without it, every host of O(hosts) is read from its own variables (see the description).
    type: raw
  hosts:
    description: Without O(platform), the hosts to read; default, the play's current batch (C(ansible_play_batch)).
    type: list
    elements: str
  connection:
    description: Connection and credential options of the platform's modules. Never returned.
    type: raw
  target:
    description: Options naming the environment (for example C(app_id) and C(environment) for Mendix).
    type: raw
    default: {}
  rpo:
    description: The recovery point objective, seconds or a duration such as V(24h) or V(7d).
    type: raw
    default: 24h
  window:
    description: How far back failed and unfinished backups are counted, seconds or a duration.
    type: raw
    default: 7d
  manifest_dir:
    description: The manifest directory (Jahia only). Default, that of the C(pre_deploy_snapshot) role.
    type: path
attributes:
  check_mode:
    support: full
    description: Only reads, in check mode as otherwise.
  diff_mode:
    support: none
    description: Changes nothing.
  platform:
    support: full
    platforms: all
    description: Runs on the controller, which calls the platform's API.
seealso:
  - module: saasops.backup.backup_report
'''

EXAMPLES = r'''
- name: Judge a Mendix environment against a 12-hour RPO
  saasops.backup.backup_status:
    platform: mendix
    connection:
      username: release-bot@example.com
      api_key: "{{ mendix_api_key }}"
    target:
      app_id: calc
      environment: Acceptance
    rpo: 12h
  register: calc_status

- name: Show the verdict
  ansible.builtin.debug:
    msg: "{{ calc_status.environment.verdict }}: {{ calc_status.environment.reason }}"

- name: Judge every environment of the play, each from its own saasops_* variables, in one task
  saasops.backup.backup_status:
  run_once: true
  register: estate_status
'''

RETURN = r'''
environments:
  description: Without O(platform), the row of every host of O(hosts), in their order (each as RV(environment)).
  returned: success, without O(platform)
  type: list
  elements: dict
environment:
  description:
    - The environment's row of the report (see C(docs/schemas/backup_report.schema.json)); C(last_drill) is filled in
      by M(saasops.backup.backup_report).
  returned: success, with O(platform)
  type: dict
  contains:
    host:
      description: The inventory host.
      type: str
      sample: calc-acceptance
    platform:
      description: The platform.
      type: str
      sample: mendix
    label:
      description: A few words naming the environment.
      type: str
      sample: calc / Acceptance
    identity:
      description: The names of the environment (never a credential; a URL without user, query or fragment).
      type: dict
      sample: {url: "https://deploy.mendix.com", app_id: calc, environment: Acceptance}
    verdict:
      description: V(ok), V(stale), V(missing), V(failing) or V(unknown).
      type: str
      sample: ok
    reason:
      description: Why, in a sentence.
      type: str
      sample: the newest usable backup is 2h old (RPO 12h)
    source:
      description: V(platform), or V(manifest) for Jahia.
      type: str
      sample: platform
    rpo:
      description: The RPO as given.
      type: str
      sample: 12h
    rpo_seconds:
      description: The RPO in seconds.
      type: int
      sample: 43200
    newest:
      description: The newest usable backup (C(id), C(name), C(time), C(age_seconds)), or V(null).
      type: dict
      sample: {id: 51dc7872-0c0f-4a4c-9d5e-0b5f2c0a7e11, name: saasops 20261130t101500z-ab12, time: "2026-11-30T10:15:00Z", age_seconds: 7200}
    count:
      description: How many usable backups exist (V(null) when unknown).
      type: int
      sample: 14
    expiry:
      description: The oldest and newest expiry of the usable backups (C(oldest), C(newest)), when the platform gives one.
      type: dict
      sample: {oldest: "2026-12-14T03:00:00Z", newest: "2027-02-28T10:15:00Z"}
    window:
      description: Failed (C(failed)) and unfinished or C(INCOMPLETE) (C(incomplete)) backups in the window.
      type: dict
      sample: {failed: 0, incomplete: 1}
'''
