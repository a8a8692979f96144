# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report against a pre_deploy_snapshot re-run of the same 40 environments, same emulator, same run.

    python bench/bench_backup_report.py [--runs 3]

The 40 environments of bench/estate.py are backed up once; then, alternately, the snapshot role is
re-run with the same run id (it only confirms what exists) and the backup_report playbook is run.
Prints min/median/max wall time of each, the report/re-run ratio of each pair, and what the report
sent: requests per environment and how many of them change anything (must be 0).
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
sys.path.insert(0, str(REPO / 'bench'))

import ctl  # noqa: E402  pylint: disable=wrong-import-position,import-error
import estate  # noqa: E402  pylint: disable=wrong-import-position,import-error
from _figures import figures, mutating  # noqa: E402  pylint: disable=wrong-import-position,import-error

RUN_ID = 'bench-report'
# The ansible-playbook of the Python that runs this script (make bench: the project's venv).
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / 'ansible-playbook')


def playbook(work, name, *extra):
    start = time.perf_counter()
    done = subprocess.run([ANSIBLE_PLAYBOOK, '-i', str(work / 'inventory.json'), 'saasops.backup.' + name,
                           '-e', 'saasops_manifest_dir=' + str(work / 'manifests'), *extra],
                          check=False, cwd=str(work), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                          env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(work / 'collections')))
    if done.returncode != 0:
        sys.exit('%s failed:\n%s' % (name, done.stdout.decode(errors='replace')[-4000:]))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='saasops-bench-report-'))
    (work / 'collections' / 'ansible_collections' / 'saasops').mkdir(parents=True)
    (work / 'collections' / 'ansible_collections' / 'saasops' / 'backup').symlink_to(REPO)
    (work / 'manifests').mkdir()
    (work / 'report').mkdir()
    info = ctl.start(str(work / 'emulator'), watch_pid=os.getpid())
    emu = ctl.EmulatorClient(info)
    try:
        # Short backups, and Atlassian's rate limits out of the way: this measures our reads, not the vendor's limits.
        emu.configure({'arcgis': {'job_seconds': 0.5}, 'arcgis2': {'job_seconds': 0.5}, 'mendix': {'snapshot_seconds': 0.5},
                       'jahia': {'backup_seconds': 0.5},
                       'atlassian': {'backup_seconds': 0.5, 'user_post_limit': 1000, 'read_limit': 100000}})
        estate.seed(emu)
        hosts = estate.inventory(info)
        (work / 'inventory.json').write_text(json.dumps(hosts), encoding='utf-8')
        environments = len(hosts['all']['hosts'])
        playbook(work, 'pre_deploy_snapshot', '-e', 'saasops_run_id=' + RUN_ID)
        reruns, reports, ratios, sent = [], [], [], []
        for dummy in range(args.runs):
            reruns.append(playbook(work, 'pre_deploy_snapshot', '-e', 'saasops_run_id=' + RUN_ID))
            emu.clear_requests()
            reports.append(playbook(work, 'backup_report', '-e', 'saasops_report_dir=' + str(work / 'report')))
            sent.append(emu.requests())
            ratios.append(reports[-1] / reruns[-1])
        verdicts = json.loads((work / 'report' / 'backup_report.json').read_text(encoding='utf-8'))['summary']['verdicts']
        changing = [r for requests in sent for r in mutating(requests)]
        print('%d environments (%s), %d alternated runs' % (environments, ', '.join(
            '%d %s' % (len([h for h in hosts['all']['hosts'].values() if h['saasops_platform'] == p]), p)
            for p in ('arcgis', 'jahia', 'atlassian', 'mendix')), args.runs))
        print('  pre_deploy_snapshot re-run (same run id)  %s s' % figures(reruns))
        print('  backup_report                             %s s' % figures(reports))
        print('  report / re-run                           %s  (target <= 1.00)' % figures(ratios))
        print('  report requests per environment           %s  (%d changing anything)' % (
            figures([len(requests) / float(environments) for requests in sent]), len(changing)))
        print('  verdicts: %s' % ', '.join('%d %s' % (n, v) for v, n in verdicts.items() if n))
    finally:
        emu.close()
        ctl.stop(str(work / 'emulator'))


if __name__ == '__main__':
    main()
