# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-deploy snapshot role against the idiomatic ``uri`` playbook on 40 environments, same emulator, same run.

    python bench/bench_fanout.py [--runs 3] [--scenario slow|limits|instant|rerun] [--seconds 20] [--commit REV]

The 40 environments of bench/estate.py (2 ArcGIS, 6 Jahia, 8 Atlassian, 24 Mendix); the role is
``saasops.backup.pre_deploy_snapshot`` and the peer the playbook bench/uri_peer.py builds, both with
Ansible's default forks. Each run starts from a fresh emulator state (reset + seed); role and peer runs
alternate. Scenarios (issue 17, "Targets"):

  slow     every backup takes D (--seconds, 20) s, rate limits out of the way: role wall / D, role / peer
  limits   the same with Atlassian's documented limits (5 creates per user a minute): the latest start of a
           non-Atlassian backup after the run's start, and wall / (D + the limit's window); the peer runs
           once, and is expected to fail on 429
  instant  backups of 0.05 s: wall and API calls, role / peer
  rerun    a re-run with the run id of a completed run: API calls per environment, mutating requests,
           wall / a playbook of one uri read per environment

Prints min/median/max of each figure and whether its median meets the target. Exits 0 when targets are
missed (this is a measurement); 1 when a run breaks unexpectedly (the role fails, a peer that should pass fails).
"""

import argparse
import collections
import json
import os
import re
import sys
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tests' / 'emulator'))
sys.path.insert(0, str(REPO / 'bench'))

import ctl  # noqa: E402  pylint: disable=wrong-import-position,import-error
import estate  # noqa: E402  pylint: disable=wrong-import-position,import-error
import uri_peer  # noqa: E402  pylint: disable=wrong-import-position,import-error
from _figures import alternate, mutating, spread  # noqa: E402  pylint: disable=wrong-import-position,import-error

# The ansible-playbook of the Python that runs this script (make bench: the project's venv).
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / 'ansible-playbook')
INSTANT = 0.05
# Atlassian's rate limits raised out of the way (the scenarios that do not measure them).
NO_LIMITS = {'user_post_limit': 100000, 'org_create_limit': 100000, 'org_update_limit': 100000, 'read_limit': 1000000}
# The creates that start a backup, by platform (a 2xx answer to one of them is a start).
STARTS = {'arcgis': re.compile(r'/backups/create$'), 'jahia': re.compile(r'/cloudAction/backupEnv\.do$'),
          'atlassian': re.compile(r'^/atlassian/orgs/[^/]+/backups$'), 'mendix': re.compile(r'^/mendix/api/.*/snapshots$')}
SCENARIOS = ('slow', 'limits', 'instant', 'rerun')

Run = collections.namedtuple('Run', 'wall requests started ok log')
# One line of the table: the median decides whether the target is met.
Figure = collections.namedtuple('Figure', 'name values target op')


def by_platform(requests):
    """'arcgis 7, jahia 12, ...': a run's requests by the platform they went to (where the calls go)."""
    # /arcgis2 is the second ArcGIS organization.
    counts = collections.Counter(r['path'].split('/')[1].rstrip('2') for r in requests)
    return ', '.join('%s %d' % (platform, counts[platform]) for platform in STARTS)


class RunBroken(Exception):
    """A run that should have passed failed: the bench cannot measure it."""


def durations(seconds, limits=True):
    """The emulator configuration: every platform's backup takes ``seconds``; Atlassian's limits as documented or not."""
    config = {'arcgis': {'job_seconds': seconds}, 'arcgis2': {'job_seconds': seconds}, 'jahia': {'backup_seconds': seconds},
              'mendix': {'snapshot_seconds': seconds}, 'atlassian': {'backup_seconds': seconds}}
    if not limits:
        config['atlassian'].update(NO_LIMITS)
    return config


def starts(requests, platforms):
    """Emulator-clock times of the accepted backup creates of these platforms."""
    return [r['time'] for r in requests if r['method'] == 'POST' and isinstance(r['status'], int) and r['status'] < 300
            and any(STARTS[p].search(r['path']) for p in platforms)]


# The vendor ids the role's modules take as options (the peer's uri tasks need them all).
ROLE_ID_OPTIONS = {'arcgis': ('store',), 'jahia': ('app_id',), 'atlassian': ('policy_id',), 'mendix': ('project_id', 'environment_id')}


class Bench:
    """One emulator, one work directory, the estate's inventory; runs the role and the peer against them."""

    def __init__(self, work, info):
        self.work = work
        self.emu = ctl.EmulatorClient(info)
        self.inventory = estate.inventory(info)
        self.environments = len(self.inventory['all']['hosts'])
        (work / 'inventory.json').write_text(json.dumps(self.inventory), encoding='utf-8')
        (work / 'manifests').mkdir()
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(work / 'collections'), ANSIBLE_NOCOLOR='1')
        self.env.pop('ANSIBLE_FORKS', None)  # Ansible's default forks (5), for the role and the peer alike
        self.runs = 0
        self.ids = {}

    def fresh(self, config):
        """A fresh emulator state: reset, configure, seed the estate; the peer's vendor ids of it.

        The role's inventory gets the same ids, under the options of its modules that take them (ArcGIS store, Jahia app_id,
        Atlassian policy_id, Mendix project_id and environment_id): both sides know what a user copied from the
        vendors' consoles.
        """
        self.emu.reset()
        self.emu.configure(config)
        estate.seed(self.emu)
        self.ids = uri_peer.vendor_ids(self.emu.state(), self.inventory)
        inventory = json.loads(json.dumps(self.inventory))
        for host, values in inventory['all']['hosts'].items():
            known = dict((key, value) for key, value in self.ids.get(host, {}).items()
                         if key in ROLE_ID_OPTIONS.get(values['saasops_platform'], ()))
            if known:
                values['saasops_target'] = dict(values.get('saasops_target') or {}, **known)
        (self.work / 'inventory.json').write_text(json.dumps(inventory), encoding='utf-8')

    def _playbook(self, label, args, must_pass):
        self.runs += 1
        log = self.work / ('%02d-%s.log' % (self.runs, label))
        # The emulator's clock is the wall clock after a reset (no offset): a request's 'time' compares with this.
        started = time.time()
        begin = time.perf_counter()
        with open(log, 'wb') as output:
            done = subprocess.run([ANSIBLE_PLAYBOOK, '-i', str(self.work / 'inventory.json')] + args, check=False,
                                  cwd=str(self.work), stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  env=self.env)
        wall = time.perf_counter() - begin
        sys.stderr.write('  %-14s %6.1f s%s\n' % (label, wall, '' if done.returncode == 0 else '  (exit %d)' % done.returncode))
        if must_pass and done.returncode != 0:
            tail = log.read_text(encoding='utf-8', errors='replace')[-3000:]
            raise RunBroken('%s failed (exit %d, %s):\n%s' % (label, done.returncode, log, tail))
        return Run(wall, self.emu.requests(), started, done.returncode == 0, log)

    def role(self, run_id=None, must_pass=True):
        """The role; without ``run_id`` it makes its own, as a deployment's snapshot does (a re-run passes one)."""
        run = ['-e', 'saasops_run_id=' + run_id] if run_id else []
        return self._playbook('role', ['saasops.backup.pre_deploy_snapshot', '-e', 'saasops_manifest_dir=' + str(self.work / 'manifests')]
                              + run, must_pass)

    def peer(self, plays, label='peer', must_pass=True):
        path = uri_peer.write(self.work / ('%s-%d.yml' % (label, self.runs + 1)), plays)
        return self._playbook(label, [str(path)], must_pass)

    def backup_peer(self, must_pass=True):
        return self.peer(uri_peer.backup_playbook(self.ids, new_run_id('peer')), must_pass=must_pass)


def new_run_id(kind):
    return 'bench-%s-%s' % (kind, uuid.uuid4().hex[:8])


def slow(bench, runs, seconds):
    def role():
        bench.fresh(durations(seconds, limits=False))
        return bench.role()

    def peer():
        bench.fresh(durations(seconds, limits=False))
        return bench.backup_peer()
    roles, peers = alternate(runs, role, peer)
    return [Figure('role wall / D (D = %g s)' % seconds, [r.wall / seconds for r in roles], 1.3, '<='),
            Figure('role wall / peer wall', [r.wall / p.wall for r, p in zip(roles, peers)], 0.8, '<='),
            Figure('  role wall, s', [r.wall for r in roles], None, None),
            Figure('  peer wall, s', [p.wall for p in peers], None, None)]


def limits(bench, runs, seconds):
    config = durations(seconds, limits=True)
    bench.fresh(config)
    window = bench.emu.state('atlassian')['config']['rate_window_seconds']
    peer = bench.backup_peer(must_pass=False)
    refused = [r for r in peer.requests if STARTS['atlassian'].search(r['path']) and r['status'] == 429]
    print('limits: the uri peer %s (%d Atlassian creates answered 429; %.1f s)' % (
        'passed' if peer.ok else 'FAILED as expected', len(refused), peer.wall))
    roles = []
    for dummy in range(runs):
        bench.fresh(config)
        roles.append(bench.role())
    others = [max(starts(r.requests, ('arcgis', 'jahia', 'mendix')) or [float('inf')]) - r.started for r in roles]
    delays = [max(starts(r.requests, ('atlassian',)) or [float('nan')]) - r.started for r in roles]
    # The limit's delay is the window (60 s): the sixth create of one user can be accepted no sooner.
    return [Figure('latest non-Atlassian start, s', others, 10.0, '<='),
            Figure('role wall / (D + %g s window)' % window, [r.wall / (seconds + window) for r in roles], 1.3, '<='),
            Figure('  last Atlassian create accepted, s', delays, None, None),
            Figure('  role wall, s', [r.wall for r in roles], None, None)]


def instant(bench, runs, dummy_seconds):
    def role():
        bench.fresh(durations(INSTANT, limits=False))
        return bench.role()

    def peer():
        bench.fresh(durations(INSTANT, limits=False))
        return bench.backup_peer()
    roles, peers = alternate(runs, role, peer)
    print('instant: API calls of the last run: role %s; peer %s' % (by_platform(roles[-1].requests), by_platform(peers[-1].requests)))
    return [Figure('instant: role wall / peer wall', [r.wall / p.wall for r, p in zip(roles, peers)], 1.0, '<='),
            Figure('instant: API calls role / peer', [len(r.requests) / float(len(p.requests)) for r, p in zip(roles, peers)],
                   1.5, '<='),
            Figure('  role API calls', [len(r.requests) for r in roles], None, None),
            Figure('  peer API calls', [len(p.requests) for p in peers], None, None)]


def rerun(bench, runs, dummy_seconds):
    # One completed run, then re-runs of it: a re-run changes nothing (0 mutating requests is one of the
    # figures), so the state each re-run finds is the same fresh one.
    bench.fresh(durations(INSTANT, limits=False))
    run_id = new_run_id('rerun')
    bench.role(run_id)

    def role():
        bench.emu.clear_requests()
        return bench.role(run_id)

    def check():
        bench.emu.clear_requests()
        return bench.peer(uri_peer.check_playbook(bench.ids), label='check')
    roles, checks = alternate(runs, role, check)
    print('rerun: API calls of the last re-run: %s; check %s' % (by_platform(roles[-1].requests), by_platform(checks[-1].requests)))
    return [Figure('re-run: API calls per environment', [len(r.requests) / float(bench.environments) for r in roles], 2.0, '<='),
            Figure('re-run: mutating requests', [len(mutating(r.requests)) for r in roles], 0, '=='),
            Figure('re-run: wall / one-read uri check', [r.wall / c.wall for r, c in zip(roles, checks)], 1.5, '<='),
            Figure('  re-run wall, s', [r.wall for r in roles], None, None),
            Figure('  check wall, s', [c.wall for c in checks], None, None)]


def met(figure):
    median = spread(figure.values)[1]
    return median <= figure.target if figure.op == '<=' else median == figure.target


def table(figures):
    lines = ['%-40s %9s %9s %9s  %-8s %s' % ('figure', 'min', 'median', 'max', 'target', 'median')]
    for figure in figures:
        low, median, high = spread(figure.values)
        if figure.target is None:
            lines.append('%-40s %9.2f %9.2f %9.2f' % (figure.name, low, median, high))
            continue
        lines.append('%-40s %9.2f %9.2f %9.2f  %-8s %s' % (figure.name, low, median, high, '%s %g' % (figure.op, figure.target),
                                                           'met' if met(figure) else 'NOT met'))
    return '\n'.join(lines)


def collection(path, commit):
    """The collection the runs use: a link to the working tree, or a copy of ``commit`` (stable while others edit)."""
    path.parent.mkdir(parents=True)
    if not commit:
        path.symlink_to(REPO)
        return
    path.mkdir()
    archive = subprocess.run(['git', '-C', str(REPO), 'archive', '--format=tar', commit], check=True, stdout=subprocess.PIPE).stdout
    subprocess.run(['tar', '-x', '-C', str(path)], input=archive, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--runs', type=int, default=3, help='alternated runs of each side (default 3)')
    parser.add_argument('--scenario', choices=SCENARIOS, action='append', help='run only this scenario (repeatable)')
    parser.add_argument('--seconds', type=float, default=20.0, help='D, the backups of slow and limits (default 20)')
    parser.add_argument('--commit', help='measure the collection as of this commit (git archive), not the working tree')
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='saasops-bench-fanout-'))
    collection(work / 'collections' / 'ansible_collections' / 'saasops' / 'backup', args.commit)
    info = ctl.start(str(work / 'emulator'), watch_pid=os.getpid())
    bench = Bench(work, info)
    figures, broken = [], []
    print('pre_deploy_snapshot vs the uri peer: %d environments, %d alternated runs, default forks (work: %s)'
          % (bench.environments, args.runs, work))
    try:
        for name in args.scenario or SCENARIOS:
            sys.stderr.write('%s:\n' % name)
            try:
                figures.extend(globals()[name](bench, args.runs, args.seconds))
            except RunBroken as exc:
                broken.append(name)
                print('%s: a run broke, no figures: %s' % (name, exc))
    finally:
        bench.emu.close()
        ctl.stop(str(work / 'emulator'))
    if figures:
        print(table(figures))
    if broken:
        sys.exit('broken scenarios: %s' % ', '.join(broken))


if __name__ == '__main__':
    main()
