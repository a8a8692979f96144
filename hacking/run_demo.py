#!/usr/bin/env python
"""make demo: the ArcGIS demo playbook against the emulator, with the collection installed from its tarball.

1. builds the collection tarball and installs it (``ansible-galaxy collection install --force -p``)
   into a temporary collections path, exactly as a user would;
2. starts the emulator (``tests/emulator/ctl.py``) and writes a vars file with its URL, CA and the
   demo credentials (mode 0600, in a temporary directory);
3. runs ``ansible-playbook tests/demo/arcgis_demo.yml -e @vars`` with ANSIBLE_COLLECTIONS_PATH set
   to the temporary path only;
4. always stops the emulator and removes the temporary files.
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
from pathlib import Path

ARCGIS_USERNAME = 'dr-admin'
ARCGIS_PASSWORD = 'Emul4tor-Pa55word!'  # the emulator's built-in user (tests/emulator/apps/arcgis_model.py)

PLACEHOLDER = '''---
# Placeholder demo (replaced by the real ArcGIS demo): checks that the emulator answers.
- name: The emulator is up
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Ask the emulator for its health
      ansible.builtin.uri:
        url: "{{ arcgis_url | regex_replace('/arcgis$', '') }}/_emulator/health"
        ca_path: "{{ arcgis_ca_path }}"
        return_content: true
      register: health

    - name: Show it
      ansible.builtin.debug:
        var: health.json
'''


def run(command: list[str], **kwargs) -> None:
    print('+ ' + ' '.join(command), flush=True)
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, **kwargs)


def main() -> int:
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--build-dir', default=str(repo / '.build'))
    parser.add_argument('--playbook', default=str(repo / 'tests' / 'demo' / 'arcgis_demo.yml'))
    parser.add_argument('--python', default=sys.executable, help='Python that runs the emulator')
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix='saasops-demo-'))
    state_dir = work / 'emulator'
    collections = work / 'collections'
    ctl = repo / 'tests' / 'emulator' / 'ctl.py'
    started = False
    try:
        dist = work / 'dist'
        run(['ansible-galaxy', 'collection', 'build', '--force', '--output-path', str(dist), str(repo)])
        tarball = glob.glob(str(dist / 'saasops-backup-*.tar.gz'))[0]
        run(['ansible-galaxy', 'collection', 'install', '--force', '--offline', '-p', str(collections), tarball])

        playbook = Path(args.playbook)
        if not playbook.is_file():
            print('demo: %s does not exist yet; running a placeholder that only checks the emulator' % playbook)
            playbook = work / 'placeholder_demo.yml'
            playbook.write_text(PLACEHOLDER, encoding='utf-8')

        if not ctl.is_file():
            print('demo: FAILED: tests/emulator/ctl.py does not exist yet')
            return 1
        run([args.python, str(ctl), 'start', '--state-dir', str(state_dir)], stdout=subprocess.DEVNULL)
        started = True
        with open(state_dir / 'server.json', encoding='utf-8') as handle:
            info = json.load(handle)
        print('demo: emulator up at %s' % info['api_base'])

        demo_vars = work / 'demo_vars.json'
        demo_vars.write_text(json.dumps({
            'emulator_url': info['api_base'],
            'arcgis_url': info['api_base'] + '/arcgis',
            'arcgis_ca_path': info['ca_path'],
            'arcgis_username': ARCGIS_USERNAME,
            'arcgis_password': ARCGIS_PASSWORD,
            'arcgis_passcode': 'Demo-' + secrets.token_urlsafe(16),
        }), encoding='utf-8')
        demo_vars.chmod(0o600)

        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_NOCOLOR='1',
                   ANSIBLE_STDOUT_CALLBACK='default', ANSIBLE_RETRY_FILES_ENABLED='0')
        env.pop('ANSIBLE_COLLECTIONS_PATHS', None)
        run(['ansible-playbook', str(playbook), '-e', '@' + str(demo_vars)], env=env, cwd=str(work))
        print('demo: done')
        return 0
    except subprocess.CalledProcessError as exc:
        print('demo: FAILED: %s exited with %d' % (exc.cmd[0], exc.returncode))
        return 1
    finally:
        if started:
            subprocess.run([args.python, str(ctl), 'stop', '--state-dir', str(state_dir)], check=False,
                           stdin=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
