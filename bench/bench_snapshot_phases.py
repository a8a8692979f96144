# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wall time of the two-phase pre-deploy snapshot against one environment at a time, same run.

    python bench/bench_snapshot_phases.py [--seconds 4]

Four environments (two ArcGIS organizations, two Mendix environments) whose backups each take
--seconds in the emulator. The baseline runs the same role with ``serial: 1`` (back up, wait,
next), so it lasts about the sum; the two phases should last about the slowest one. Prints both
times and the ratio phases/baseline (1/4 would be perfect overlap).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tests' / 'emulator'))

import ctl  # noqa: E402  pylint: disable=wrong-import-position,import-error
# pylint: disable-next=wrong-import-position,import-error
from credentials import ARCGIS_PASSWORD, ARCGIS_USERNAME, MENDIX_API_KEY, MENDIX_USERNAME  # noqa: E402

PLAY = '''- name: Back up {serial_name}
  hosts: all
  gather_facts: false
  serial: {serial}
  roles:
    - role: saasops.backup.pre_deploy_snapshot
'''


def inventory(info, passcode):
    ca_path = info['ca_path']
    arcgis = {'username': ARCGIS_USERNAME, 'password': ARCGIS_PASSWORD, 'passcode': passcode, 'ca_path': ca_path}
    mendix = {'api_url': info['api_base'] + '/mendix', 'username': MENDIX_USERNAME, 'api_key': MENDIX_API_KEY,
              'ca_path': ca_path}
    hosts = {
        'gis-1': {'saasops_platform': 'arcgis', 'saasops_connection': dict(arcgis, url=info['api_base'] + '/arcgis')},
        'gis-2': {'saasops_platform': 'arcgis', 'saasops_connection': dict(arcgis, url=info['api_base'] + '/arcgis2')},
        'calc-accp': {'saasops_platform': 'mendix', 'saasops_connection': mendix,
                      'saasops_target': {'app_id': 'calc', 'environment': 'Acceptance'}},
        'calc-test': {'saasops_platform': 'mendix', 'saasops_connection': mendix,
                      'saasops_target': {'app_id': 'calc', 'environment': 'Test'}},
    }
    return {'all': {'hosts': hosts, 'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}


def timed_run(work, serial, run_id):
    playbook = work / ('serial-%s.yml' % serial)
    playbook.write_text(PLAY.format(serial=serial, serial_name='one at a time' if serial == 1 else 'all at once'),
                        encoding='utf-8')
    start = time.perf_counter()
    subprocess.run(['ansible-playbook', '-i', str(work / 'inventory.json'), str(playbook), '-e', 'saasops_run_id=' + run_id,
                    '-e', 'saasops_manifest_dir=' + str(work)],
                   check=True, cwd=str(work), stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                   env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(work / 'collections'), ANSIBLE_FORKS='8'))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--seconds', type=float, default=4.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='saasops-bench-phases-'))
    (work / 'collections' / 'ansible_collections' / 'saasops').mkdir(parents=True)
    (work / 'collections' / 'ansible_collections' / 'saasops' / 'backup').symlink_to(REPO)
    info = ctl.start(str(work / 'emulator'), watch_pid=os.getpid())
    emu = ctl.EmulatorClient(info)
    try:
        emu.configure({'arcgis': {'job_seconds': args.seconds}, 'arcgis2': {'job_seconds': args.seconds},
                       'mendix': {'snapshot_seconds': args.seconds}})
        (work / 'inventory.json').write_text(json.dumps(inventory(info, 'Bench-Passcode-123')), encoding='utf-8')
        baseline = timed_run(work, 1, 'bench-serial')
        phases = timed_run(work, 4, 'bench-phases')
        print('4 environments, backups of %.1f s each (emulated), pre_deploy_snapshot role' % args.seconds)
        print('  one at a time (serial: 1)  %6.1f s  ratio 1.00' % baseline)
        print('  two phases (all at once)   %6.1f s  ratio %.2f' % (phases, phases / baseline))
    finally:
        emu.close()
        ctl.stop(str(work / 'emulator'))


if __name__ == '__main__':
    main()
