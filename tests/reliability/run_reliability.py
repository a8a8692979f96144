#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""make reliability: the real modules and roles against the emulator, under faults and bad input.

    python tests/reliability/run_reliability.py [--environments 40] [--cuts 8]

1. A fault storm over 40 environments of the four platforms (reads: 503, 429 without Retry-After,
   connections dropped before sending; creates: 502, 429, connections dropped after the server
   acted) through the snapshot playbook, and at most one re-run with the same run id: every
   environment must end well with exactly one backup.
2. Snapshot downloads cut at seeded random points: each ends sha256-identical or fails cleanly,
   never with a partial or wrong file at dest.
3. A bad-input matrix over every module and both roles: each case a clear error and, over all of
   them, 0 mutating requests.
4. Every password, passcode, API key and issued token searched for in everything the runs printed
   and wrote.

Prints ``reliability: N/N ended well, 0 duplicates, 0 secrets, M bad inputs: 0 mutating`` and exits
non-zero when a figure misses its target. Everything stays on loopback; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / 'tests' / 'roles'))
sys.path.insert(0, str(HERE))

# pylint: disable=wrong-import-position,import-error
import conftest as roles  # noqa: E402  the role scenarios' job runner and inventories
import ctl  # noqa: E402
from bad_inputs import base_checks, module_cases, role_cases  # noqa: E402
from storm import STORM_FAULTS, SNAPSHOT, duplicates, storm_inventory, storm_seed  # noqa: E402

CREDENTIALS = [roles.ARCGIS_PASSWORD, roles.PASSCODE, roles.JAHIA_API_TOKEN, roles.MENDIX_API_KEY, roles.ATLASSIAN_API_TOKEN]


def log(message):
    print('reliability: %s' % message, flush=True)


def storm(emulator, job, count):
    """Back up ``count`` environments under the storm; at most one same-id re-run. Returns (ended well, duplicates)."""
    emulator.reset()
    emulator.configure({'arcgis': {'job_seconds': 1.0}, 'arcgis2': {'job_seconds': 1.0},
                        'atlassian': {'backup_seconds': 1.0}, 'mendix': {'snapshot_seconds': 1.0}})
    hosts = storm_inventory(emulator, count)
    emulator.seed(storm_seed(hosts))
    for fault in STORM_FAULTS:
        emulator.add_fault(**fault)
    started = time.monotonic()
    first = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'storm', 'saasops_wait_timeout': 300}, name='storm-1',
                    env={'ANSIBLE_FORKS': '20'})
    runs = 1
    if first.rc != 0:
        failed = [e for e in job.manifest('storm')['environments'] if e['status'] == 'failed']
        log('storm: first run ended with %d failed environment(s); re-running with the same run id' % len(failed))
        for entry in failed:
            log('  %s: %s' % (entry['host'], str(entry.get('error'))[:300]))
        again = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'storm', 'saasops_wait_timeout': 300}, name='storm-2',
                        env={'ANSIBLE_FORKS': '20'})
        runs = 2
        if again.rc != 0:
            log('storm: the re-run failed too:\n' + again.output[-4000:])
    injected = sum(f['applied'] for f in emulator.faults())
    emulator.clear_faults()
    entries = {e['host']: e for e in job.manifest('storm')['environments']}
    well = [h for h in hosts if entries.get(h, {}).get('status') in ('completed', 'triggered')]
    extra = duplicates(emulator.state(), hosts, 'storm')
    log('storm: %d environments, %d faults injected, %d run(s), %.0f s, %d ended well, duplicates: %s'
        % (len(hosts), injected, runs, time.monotonic() - started, len(well), extra or 'none'))
    return len(well), len(hosts), len(extra)


def cut_downloads(emulator, job, cuts, rng):
    """Mendix downloads cut at random points: sha256-identical or a clean failure with nothing at dest."""
    emulator.reset()
    size = 3 * 1024 * 1024 + 17
    emulator.configure({'mendix': {'snapshot_seconds': 0.2, 'archive_seconds': 0.2, 'database_bytes': size, 'files_bytes': 1024}})
    offsets = sorted({0, size - 1} | {rng.randrange(1, size - 1) for dummy in range(max(0, cuts - 2))})
    problems = []
    for index, offset in enumerate(offsets):
        dest = job.workdir / ('cut-%d.backup' % index)
        emulator.add_fault(path='^/mendix/backups/', method='GET', action='truncate', truncate_at=offset, count=1)
        play = [{'name': 'Download a cut snapshot', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [{
            'name': 'Snapshot and download', 'saasops.backup.mendix_snapshot': dict(
                roles.mendix_host(emulator)['saasops_connection'], app_id='calc', environment='Acceptance',
                comment='cut-%d' % index, download={'dest': str(dest), 'data_type': 'database_only'})}]}]
        playbook = job.workdir / ('cut-%d.yml' % index)
        playbook.write_text(json.dumps(play), encoding='utf-8')
        result = job.run(str(playbook), {'localhost': {}}, name='cut-%d' % index)
        served = {f['sha256'] for f in emulator.state('mendix')['downloads']}
        # Beside dest only its sidecar may stay (it records which snapshot the file is); no partial file.
        leftovers = [p.name for p in job.workdir.glob('*cut-%d.backup*' % index)
                     if p != dest and not p.name.endswith('.mendix-snapshot.json')]
        if result.rc == 0:
            digest = subprocess.run(['sha256sum', str(dest)], capture_output=True, text=True, check=True).stdout.split()[0]
            if digest not in served:
                problems.append('cut at %d: the file at dest is not the snapshot' % offset)
        elif dest.exists():
            problems.append('cut at %d: the download failed and left a file at dest' % offset)
        if leftovers:
            problems.append('cut at %d: left %s' % (offset, leftovers))
        emulator.clear_faults()
    log('downloads: %d cuts (offsets %s of %d bytes), problems: %s' % (len(offsets), offsets, size, problems or 'none'))
    return len(offsets), problems


def bad_inputs(emulator, job):
    """Every case fails with a clear message; over all of them the platforms receive 0 mutating requests."""
    emulator.reset()
    cases = module_cases(emulator, job.workdir)
    controls = base_checks(emulator, job.workdir)
    emulator.clear_requests()
    tasks = [dict({'name': name, module: args, 'check_mode': True, 'ignore_errors': True, 'register': 'base_%d' % i})
             for i, (name, module, args) in enumerate(controls)]
    tasks += [dict({'name': name, module: args, 'ignore_errors': True, 'register': 'case_%d' % i})
              for i, (name, module, args) in enumerate(cases)]
    tasks.append({'name': 'Report every case', 'ansible.builtin.copy': {
        'dest': str(job.workdir / 'cases.json'), 'mode': '0600',
        'content': '{{ {"bases": [%s], "cases": [%s]} | to_json }}' % (', '.join('base_%d' % i for i in range(len(controls))),
                                                                       ', '.join('case_%d' % i for i in range(len(cases))))}})
    playbook = job.workdir / 'bad-inputs.yml'
    playbook.write_text(json.dumps([{'name': 'Bad input', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]),
                        encoding='utf-8')
    result = job.run(str(playbook), {'localhost': {}}, name='bad-modules', verbosity=4)
    problems = []
    if not (job.workdir / 'cases.json').exists():
        problems.append('the bad-input playbook did not finish: ' + result.output[-2000:])
        outcomes = []
    else:
        report = json.loads((job.workdir / 'cases.json').read_text(encoding='utf-8'))
        outcomes = report['cases']
        problems.extend('%s: failed (%s)' % (name, str(outcome.get('msg'))[:300])
                        for (name, dummy, dummy), outcome in zip(controls, report['bases']) if outcome.get('failed'))
    for (name, dummy, dummy), outcome in zip(cases, outcomes):
        message = str(outcome.get('msg') or '')
        if not outcome.get('failed'):
            problems.append('%s: accepted' % name)
        elif not message or any(text in message for text in ('Traceback', 'MODULE FAILURE', 'Unexpected', 'unexpected')):
            problems.append('%s: no clear error (%s)' % (name, message[:200]))
    count = len(cases)
    for name, playbook_name, hosts, extravars, expected in role_cases(emulator, job):
        run = job.run(playbook_name, hosts, extravars, name='bad-role-%d' % count)
        count += 1
        if run.rc == 0 or expected not in run.output:
            problems.append('%s: rc %d, %r not in the output' % (name, run.rc, expected))
    mutating = roles.mutating(emulator)
    problems.extend('a mutating request was sent: %s %s' % request for request in mutating)
    log('bad input: %d cases, %d mutating requests, problems: %d' % (count, len(mutating), len(problems)))
    for problem in problems:
        log('  bad input: ' + problem)
    return count, len(mutating), problems


def scan(emulator_state_dir, workdir):
    """Secrets (credentials, the storm's passcode, every issued token) in anything the runs printed or wrote."""
    secrets_file = Path(workdir) / 'secrets.json'
    secrets_file.write_text(json.dumps(dict(('credential-%d' % i, s) for i, s in enumerate(CREDENTIALS))), encoding='utf-8')
    secrets_file.chmod(0o600)
    outputs = [str(p) for p in Path(workdir).iterdir() if p.name != 'secrets.json']
    found = subprocess.run([sys.executable, str(REPO / 'hacking' / 'scan_secrets.py'), '--server-json',
                            os.path.join(emulator_state_dir, 'server.json'), '--secrets-file', str(secrets_file)] + outputs,
                           capture_output=True, text=True, check=False)
    secrets_file.unlink()
    hits = [line for line in found.stdout.splitlines() if line.startswith('FOUND')]
    if found.returncode not in (0, 1):
        hits.append('scan_secrets failed: ' + found.stderr[-500:])
    log('secrets: scanned %d paths, %d finding(s)' % (len(outputs), len(hits)))
    for hit in hits:
        log('  ' + hit)
    return len(hits)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--environments', type=int, default=40)
    parser.add_argument('--cuts', type=int, default=8)
    parser.add_argument('--seed', type=int, default=20261130)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix='saasops-reliability-'))
    collections = work / 'collections'
    (collections / 'ansible_collections' / 'saasops').mkdir(parents=True)
    (collections / 'ansible_collections' / 'saasops' / 'backup').symlink_to(REPO)
    state_dir = work / 'emulator'
    state_dir.mkdir()
    info = ctl.start(str(state_dir), watch_pid=os.getpid())
    emulator = ctl.EmulatorClient(info)
    job = roles.Job(work / 'jobs', collections)
    job.workdir.mkdir()
    started = time.monotonic()
    try:
        well, total, dups = storm(emulator, job, args.environments)
        cuts, cut_problems = cut_downloads(emulator, job, args.cuts, rng)
        bad, mutating, bad_problems = bad_inputs(emulator, job)
        secrets = scan(str(state_dir), job.workdir)
    finally:
        emulator.close()
        ctl.stop(str(state_dir))
    ok = well == total and dups == 0 and not cut_problems and not bad_problems and mutating == 0 and secrets == 0
    print('reliability: %d/%d ended well, %d duplicates, %d secrets, %d/%d downloads cut: %d bad, %d bad inputs: %d mutating'
          ' (%s, %.0f s)' % (well, total, dups, secrets, cuts - len(cut_problems), cuts, len(cut_problems), bad, mutating,
                             'PASSED' if ok else 'FAILED', time.monotonic() - started), flush=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
