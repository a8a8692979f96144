#!/usr/bin/env python
"""make demo: back up eight environments on the four platforms, show the manifest, roll them back.

1. builds the collection tarball and installs it (``ansible-galaxy collection install --force -p``)
   into a temporary collections path, exactly as a user would;
2. starts the emulator (``tests/emulator/ctl.py``), seeds the Atlassian backup policies (configuration
   the demo does not manage) and writes a vars file with its URL, CA and a random passcode (mode 0600);
3. runs ``ansible-playbook saasops.backup.pre_deploy_snapshot -i tests/demo/inventory.yml``;
4. prints the manifest as a table;
5. runs ``ansible-playbook saasops.backup.backup_report`` (the page is kept in ``<build dir>/demo-report/``);
6. runs ``ansible-playbook saasops.backup.restore`` with ``saasops_restore_confirm=true``;
7. always stops the emulator and removes the temporary files.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tests' / 'emulator'))

import ctl  # noqa: E402  pylint: disable=wrong-import-position,import-error

# Atlassian backups belong to a policy per (site, product); a real organization has them already.
ATLASSIAN_POLICIES = [{'cloudId': 'cloud-prod', 'product': 'JIRA'}, {'cloudId': 'cloud-staging', 'product': 'CONFLUENCE'}]
# Emulated durations: long enough to show the two phases, short enough for a demo.
TIMINGS = {'arcgis': {'job_seconds': 3.0, 'restore_seconds': 3.0}, 'arcgis2': {'job_seconds': 5.0, 'restore_seconds': 3.0},
           'mendix': {'snapshot_seconds': 4.0}, 'atlassian': {'backup_seconds': 6.0}}


def run(command: list[str], **kwargs) -> None:
    print('+ ' + ' '.join(command), flush=True)
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, **kwargs)


def identity(entry: dict) -> str:
    """The few words that name an entry's backup."""
    backup = entry.get('backup') or {}
    for key in ('name', 'snapshot_id', 'backup_id', 'backup_name'):
        if backup.get(key):
            suffix = ' @ %s' % backup['timestamp'] if backup.get('timestamp') else ''
            return '%s %s%s' % (key, backup[key], suffix)
    return entry.get('error', '')


def table(manifest: dict) -> str:
    rows = [('environment', 'platform', 'status', 'backup')]
    rows += [(e['host'], e['platform'], e['status'], identity(e)) for e in manifest['environments']]
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    lines = ['  '.join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, '  '.join('-' * w for w in widths))
    return 'manifest %s (run %s, created %s)\n%s' % ('schema %s' % manifest['schema'], manifest['run_id'],
                                                     manifest['created'], '\n'.join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--build-dir', default=str(REPO / '.build'))
    parser.add_argument('--inventory', default=str(REPO / 'tests' / 'demo' / 'inventory.yml'))
    args = parser.parse_args()
    start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix='saasops-demo-'))
    state_dir = work / 'emulator'
    collections = work / 'collections'
    started = False
    try:
        dist = work / 'dist'
        run(['ansible-galaxy', 'collection', 'build', '--force', '--output-path', str(dist), str(REPO)],
            stdout=subprocess.DEVNULL)
        tarball = glob.glob(str(dist / 'saasops-backup-*.tar.gz'))[0]
        run(['ansible-galaxy', 'collection', 'install', '--force', '--offline', '-p', str(collections), tarball],
            stdout=subprocess.DEVNULL)
        info = ctl.start(str(state_dir), watch_pid=os.getpid())
        started = True
        emulator = ctl.EmulatorClient(info)
        emulator.configure(TIMINGS)
        emulator.seed({'atlassian': {'policies': ATLASSIAN_POLICIES}})
        emulator.close()
        print('demo: emulator up at %s' % info['api_base'])
        demo_vars = work / 'demo_vars.json'
        manifests = work / 'manifests'
        manifests.mkdir(mode=0o700)
        demo_vars.write_text(json.dumps({'demo_api': info['api_base'], 'demo_ca_path': info['ca_path'],
                                         'demo_passcode': 'Demo-' + secrets.token_urlsafe(16),
                                         'saasops_manifest_dir': str(manifests)}), encoding='utf-8')
        demo_vars.chmod(0o600)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_NOCOLOR='1',
                   ANSIBLE_STDOUT_CALLBACK='default', ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_FORKS='8',
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        env.pop('ANSIBLE_COLLECTIONS_PATHS', None)
        common = ['-i', args.inventory, '-e', '@' + str(demo_vars)]
        run(['ansible-playbook', 'saasops.backup.pre_deploy_snapshot'] + common, env=env, cwd=str(work))
        latest = json.loads((manifests / 'latest.json').read_text(encoding='utf-8'))['run_id']
        manifest = json.loads((manifests / (latest + '.json')).read_text(encoding='utf-8'))
        print('\n' + table(manifest) + '\n', flush=True)
        run(['ansible-playbook', 'saasops.backup.manifests', '-e', '@' + str(demo_vars)], env=env, cwd=str(work))
        # The estate report outlives the demo's temporary files, so the page can be opened afterwards.
        report_dir = Path(args.build_dir).resolve() / 'demo-report'
        report_dir.mkdir(parents=True, exist_ok=True)
        run(['ansible-playbook', 'saasops.backup.backup_report', '-e', 'saasops_report_dir=' + str(report_dir)] + common,
            env=env, cwd=str(work))
        print('demo: estate report in %s' % (report_dir / 'backup_report.html'), flush=True)
        run(['ansible-playbook', 'saasops.backup.restore', '-e', 'saasops_restore_confirm=true'] + common,
            env=env, cwd=str(work))
        elapsed = time.monotonic() - start
        print('demo: done in %.0f s: %d environments backed up and restored' % (elapsed, len(manifest['environments'])))
        return 0
    except subprocess.CalledProcessError as exc:
        print('demo: FAILED: %s exited with %d' % (exc.cmd[0], exc.returncode))
        return 1
    except ctl.EmulatorError as exc:
        print('demo: FAILED: emulator: %s' % exc)
        return 1
    finally:
        if started:
            ctl.stop(str(state_dir))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
