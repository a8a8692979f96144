#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The work is done on the controller by plugins/action/restore_preflight.py; this file documents it.

DOCUMENTATION = r'''
module: restore_preflight
short_description: Check that one environment can be restored from a snapshot manifest, restoring nothing
version_added: 0.1.0
description:
  - The pre-flight step of the C(saasops.backup.restore) role, usable on its own. For the current host it reads the
    manifest written by the C(saasops.backup.pre_deploy_snapshot) role, finds the host's entry and decides whether it
    can be restored. It returns every problem it found in RV(problems) instead of failing, so a play can collect the
    problems of all its hosts and restore nothing unless every host passed.
  - The manifest is treated as untrusted data. From the entry only the backup's identity is taken (ArcGIS C(name),
    Jahia C(backup), Atlassian C(backup_id), Mendix C(snapshot_id)); every other key is ignored. Connection and
    target come from O(connection) and O(target) only. The target the entry records (for example the Atlassian
    C(cloud_id), the Mendix C(app_id) and C(environment), the ArcGIS C(url) and C(store)) must equal the
    inventory's, else the environment is refused.
  - The entry must be of the same platform and its status V(completed), or V(triggered) for Jahia.
  - An environment declared production (O(production=true)) is refused unless O(allow_production=true).
  - When everything above holds, the platform's restore module runs in check mode with exactly the arguments the
    restore will use. That proves the credentials and the target, finds the backup restorable, and applies the
    module's own production guard (Jahia C(prod) role, Mendix C(Production) flag, the declared flag on ArcGIS and
    Atlassian). It sends nothing that changes anything.
  - A restore run records each environment it restored in O(record_dir)/<restore run id>/<host>.json. When that
    record names the same backup, the environment is reported as RV(skip=true) and is not checked again, unless
    O(restore_again=true).
author:
  - saasops.backup maintainers (@saasops)
options:
  platform:
    description: The environment's platform.
    type: str
    required: true
    choices: [arcgis, atlassian, jahia, mendix]
  connection:
    description: Connection and credential options of the platform's modules. Only passed to the restore module.
    type: dict
    required: true
  target:
    description: Options naming the environment (for example C(store), C(cloud_id) and C(product), C(app_id) and C(environment)).
    type: dict
    default: {}
  options:
    description: Extra options of the platform's restore module (for example C(consent) for Atlassian).
    type: dict
    default: {}
  manifest:
    description:
      - The manifest itself, a dict or its JSON text, as an AWX workflow passes it on from the snapshot job.
      - Taken together with O(manifest_parts); both take precedence over O(manifest_path) and O(manifest_dir).
    type: raw
  manifest_parts:
    description:
      - The parts of one run's manifest that the slices of a sliced AWX job published (C(saasops_manifest_part_*)),
        put together by host with O(manifest). Parts of different runs are refused.
    type: list
    elements: raw
    default: []
  manifest_path:
    description: A manifest file on the controller. Takes precedence over O(manifest_dir).
    type: path
  manifest_dir:
    description:
      - The manifest directory the snapshot role writes (one manifest per run and a pointer to the latest complete run).
      - Default, C($XDG_STATE_HOME/saasops/manifests), else C(~/.local/state/saasops/manifests).
    type: path
  run_id:
    description: The run of O(manifest_dir) to restore. Default, the latest complete run.
    type: str
  record_dir:
    description:
      - Directory of the restore records. It must be writable, or creatable, by the controller's user.
      - Default, C(saasops-restores) beside O(manifest_path) when it is given, else C(restores) in O(manifest_dir).
    type: path
  restore_run_id:
    description:
      - Names the restore run whose records are read. Letters, digits, C(.), C(_) and C(-).
      - Default, the manifest's C(run_id), so that running the same restore again resumes it.
    type: str
  restore_again:
    description: Check and restore an environment even when this restore run already restored it.
    type: bool
    default: false
  confirm:
    description: The user's confirmation that restoring may overwrite the environment. Not needed in check mode.
    type: bool
    default: false
  production:
    description: Declare the environment production.
    type: bool
    default: false
  allow_production:
    description: Allow restoring an environment that is production, declared or by the platform's own flag.
    type: bool
    default: false
  wait_timeout:
    description: Seconds the restore module waits for the restore (four hours, as for saasops.backup.arcgis_dr_restore).
    type: int
    default: 14400
attributes:
  check_mode:
    support: full
    description: Runs the same way in check mode, where O(confirm) is not needed.
  diff_mode:
    support: none
    description: Compares nothing; see RV(summary) for what would be restored.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: saasops.backup.arcgis_dr_restore
  - module: saasops.backup.jahia_restore
  - module: saasops.backup.atlassian_restore
  - module: saasops.backup.mendix_restore
'''

EXAMPLES = r'''
- name: Check this environment against the manifest of run 20261130t101500z-ab12
  saasops.backup.restore_preflight:
    platform: "{{ saasops_platform }}"
    connection: "{{ saasops_connection }}"
    target: "{{ saasops_target }}"
    manifest_dir: /var/lib/saasops/manifests
    run_id: 20261130t101500z-ab12
    confirm: true
  register: preflight

- name: Stop when any environment of the play cannot be restored
  ansible.builtin.fail:
    msg: "{{ ansible_play_hosts_all | map('extract', hostvars, ['preflight', 'problems']) | flatten | join('; ') }}"
  when: ansible_play_hosts_all | map('extract', hostvars, ['preflight', 'problems']) | flatten | length > 0
  run_once: true
'''

RETURN = r'''
ok:
  description: Whether the environment passed pre-flight (no problem found).
  returned: always
  type: bool
  sample: true
problems:
  description: Every reason not to restore this environment, one sentence each.
  returned: always
  type: list
  elements: str
  sample: ["the manifest entry was taken from cloud_id 'cloud-staging', the inventory names 'cloud-prod'"]
skip:
  description: Whether this restore run already restored this backup into this environment.
  returned: always
  type: bool
  sample: false
restored_at:
  description: When this restore run restored it, if RV(skip).
  returned: when RV(skip) is true
  type: str
  sample: "2026-11-30T10:20:00Z"
module:
  description: The restore module the role calls for this environment.
  returned: always
  type: str
  sample: saasops.backup.arcgis_dr_restore
backup:
  description: The backup's identity, as taken from the manifest.
  returned: when the manifest entry was usable
  type: dict
  sample: {name: saasops-20261130t101500z-ab12}
target:
  description: The target environment, as the inventory names it.
  returned: when the manifest entry was usable
  type: dict
  sample: {url: "https://gis.example.com/arcgis", store: default-store}
summary:
  description: What would be restored where, in words.
  returned: when the manifest entry was usable
  type: str
  sample: "backup 'saasops-20261130t101500z-ab12' into store default-store, url https://gis.example.com/arcgis"
manifest_run_id:
  description: The run id of the manifest.
  returned: when the manifest entry was usable
  type: str
  sample: 20261130t101500z-ab12
restore_run_id:
  description: The restore run the records belong to.
  returned: when the manifest entry was usable
  type: str
  sample: 20261130t101500z-ab12
record_path:
  description: The file recording that this environment was restored by this restore run.
  returned: when the manifest entry was usable
  type: str
  sample: /var/lib/saasops/saasops-restores/20261130t101500z-ab12/gis-prod.json
record:
  description: What to write at RV(record_path) once the restore succeeded (add C(restored_at)).
  returned: when the manifest entry was usable
  type: dict
defaults:
  description: Restore module options the role chooses, which O(options) may override.
  returned: when the manifest entry was usable
  type: dict
  sample: {wait_timeout: 14400}
arguments:
  description: The restore module options taken from the manifest and the guard, applied last.
  returned: when the manifest entry was usable
  type: dict
  sample: {name: saasops-20261130t101500z-ab12, production: false, allow_production: false}
'''
