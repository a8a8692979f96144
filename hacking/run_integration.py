#!/usr/bin/env python
"""ansible-test integration against the emulator, then a secret scan of everything it wrote.

1. starts the emulator (``tests/emulator/ctl.py start --state-dir DIR`` -> ``DIR/server.json``);
2. writes ``tests/integration/integration_config.yml`` into the collection copy: ansible-test
   scrubs the environment of what it runs, and passes this file's keys to every target as
   variables (emulator URL and CA, ArcGIS URL and credentials, random passcodes for this run);
3. runs ``ansible-test integration --venv -vvvv``, output teed to ``tests/output/logs/``;
4. searches that log and every file under the copy's ``tests/output`` for the password, the
   passcodes and every token the emulator issued (``hacking/scan_secrets.py``);
5. always stops the emulator.

Fails when either step 3 or step 4 fails. With no integration target yet it still starts and
stops the emulator (when there is one) and succeeds, saying so.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets as random_secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'tests' / 'emulator'))

import ansible_test_summary  # noqa: E402  pylint: disable=wrong-import-position
import scan_secrets  # noqa: E402  pylint: disable=wrong-import-position
# pylint: disable-next=wrong-import-position,import-error
from credentials import (  # noqa: E402
    ARCGIS_PASSWORD, ARCGIS_USERNAME, ATLASSIAN_ACCOUNT_ID, ATLASSIAN_API_TOKEN, ATLASSIAN_ORG_ID, ATLASSIAN_USER, ATLASSIAN_VIEWER_TOKEN,
    ATLASSIAN_VIEWER_USER, JAHIA_API_TOKEN, JAHIA_ORGANIZATION, MENDIX_API_KEY, MENDIX_USERNAME)


def targets(collection: Path) -> list[str]:
    root = collection / 'tests' / 'integration' / 'targets'
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith('.'))


def passcode() -> str:
    # >= 16 characters, letters, digits and a punctuation mark (ArcGIS wants a strong passcode)
    return 'Pc-' + random_secrets.token_urlsafe(18)


def emulator(python: str, collection: Path, action: str, state_dir: Path) -> dict | None:
    ctl = collection / 'tests' / 'emulator' / 'ctl.py'
    proc = subprocess.run([python, str(ctl), action, '--state-dir', str(state_dir)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=False, cwd=str(collection))
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        raise RuntimeError('emulator %s failed (exit status %d)' % (action, proc.returncode))
    if action == 'start':
        with open(state_dir / 'server.json', encoding='utf-8') as handle:
            return json.load(handle)
    return None


def platform_variables(info: dict) -> tuple[dict[str, str], dict[str, str]]:
    """The targets' variables for each platform: (plain, secret).

    Secrets are searched for in everything the run wrote (hacking/scan_secrets.py). A platform
    adds its URL and credentials here; credentials the emulator generates itself (tokens) are
    found through its state instead.
    """
    api = info['api_base']
    plain = {
        'arcgis_url': api + '/arcgis',
        'arcgis_username': ARCGIS_USERNAME,
        'jahia_url': api + '/jahia',
        'jahia_organization': JAHIA_ORGANIZATION,
        'mendix_url': api + '/mendix',
        'mendix_username': MENDIX_USERNAME,
        'atlassian_url': api + '/atlassian',
        'atlassian_org_id': ATLASSIAN_ORG_ID,
        'atlassian_user': ATLASSIAN_USER,
        'atlassian_viewer_user': ATLASSIAN_VIEWER_USER,
        'atlassian_v2_url': api + '/atlassian_v2',
        'atlassian_account_id': ATLASSIAN_ACCOUNT_ID,
    }
    secret = {
        'arcgis_password': ARCGIS_PASSWORD,
        'arcgis_passcode': passcode(),
        'arcgis_wrong_passcode': passcode(),
        'jahia_api_token': JAHIA_API_TOKEN,
        'jahia_wrong_api_token': passcode(),
        'jahia_other_org_api_token': passcode(),
        'mendix_api_key': MENDIX_API_KEY,
        'mendix_wrong_api_key': passcode(),
        'atlassian_api_token': ATLASSIAN_API_TOKEN,
        'atlassian_viewer_token': ATLASSIAN_VIEWER_TOKEN,
        'atlassian_wrong_api_token': passcode(),
    }
    return plain, secret


def write_config(collection: Path, info: dict, plain: dict[str, str], values: dict[str, str]) -> Path:
    path = collection / 'tests' / 'integration' / 'integration_config.yml'
    config = {
        'emulator_url': info['api_base'],
        'emulator_ca_path': info['ca_path'],
        'emulator_download_url': info.get('download_base', ''),
        'emulator_state_dir': info.get('state_dir', ''),
        **plain,
        **values,
    }
    # JSON is YAML: no YAML library needed, and every value is quoted.
    path.write_text('---\n' + '\n'.join('%s: %s' % (k, json.dumps(v)) for k, v in config.items()) + '\n',
                    encoding='utf-8')
    path.chmod(0o600)
    return path


def clean_output(collection: Path) -> None:
    """Drop results of earlier runs (keep .tmp: ansible-test's venvs live there)."""
    output = collection / 'tests' / 'output'
    if output.is_dir():
        for child in output.iterdir():
            if child.name == '.tmp':
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()


def main() -> int:
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--collection', default=str(repo / '.build' / 'ansible_collections' / 'saasops' / 'backup'),
                        help='the collection copy (see hacking/sync_collection.py)')
    parser.add_argument('--python-version', default='%d.%d' % sys.version_info[:2])
    parser.add_argument('--python', default=sys.executable, help='Python that runs the emulator (needs requests, cryptography)')
    parser.add_argument('ansible_test_args', nargs='*', help='extra arguments for ansible-test integration (targets, ...)')
    args = parser.parse_args()

    collection = Path(args.collection).resolve()
    found = targets(collection)
    has_emulator = (collection / 'tests' / 'emulator' / 'ctl.py').is_file()
    clean_output(collection)
    logs = collection / 'tests' / 'output' / 'logs'
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / 'integration-vvvv.log'

    if not found and not has_emulator:
        print('integration: no integration targets and no tests/emulator/ctl.py yet: nothing to run')
        print('integration: 0 passed, 0 failed')
        return 0
    if found and not has_emulator:
        print('integration: FAILED: %d target(s) but tests/emulator/ctl.py is missing' % len(found))
        print('integration: 0 passed, 1 failed')
        return 1

    state_dir = Path(tempfile.mkdtemp(prefix='saasops-emulator-'))
    rc_test, rc_scan = 0, 0
    summary: list[str] = []
    try:
        info = emulator(args.python, collection, 'start', state_dir)
        assert info is not None
        print('integration: emulator up at %s (CA %s)' % (info['api_base'], info['ca_path']))
        plain, values = platform_variables(info)
        config_path = write_config(collection, info, plain, values)
        print('integration: wrote %s' % config_path)

        if found:
            command = ['ansible-test', 'integration', '--venv', '--python', args.python_version,
                       '--requirements', '--color', 'no', '--continue-on-error', '-vvvv'] + args.ansible_test_args
            print('integration: %d target(s): %s' % (len(found), ' '.join(found)))
            print('integration: running %s (log: %s)' % (' '.join(command), log_path))
            sys.stdout.flush()
            old_cwd = os.getcwd()
            os.chdir(collection)
            try:
                rc_test, ran, failed = ansible_test_summary.run('integration', command, str(log_path))
            finally:
                os.chdir(old_cwd)
            summary = ansible_test_summary.summary('integration', rc_test, ran, failed)
        else:
            log_path.write_text('no integration targets yet\n', encoding='utf-8')
            summary = ['integration: no integration targets yet (tests/integration/targets/ is empty)',
                       'integration: 0 passed, 0 failed']

        for line in summary:
            print(line)
        # The secret scan: the -vvvv log and everything ansible-test wrote.
        print('integration: scanning the -vvvv log and tests/output for secrets')
        secrets = dict(values)
        secrets.update(scan_secrets.emulator_tokens(str(state_dir / 'server.json')))
        rc_scan = scan_secrets.report([str(log_path), str(collection / 'tests' / 'output')], secrets)
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        print('integration: ERROR: %s' % exc)
        if (state_dir / 'emulator.log').is_file():
            print('--- emulator.log (tail) ---')
            print(''.join((state_dir / 'emulator.log').read_text(encoding='utf-8', errors='replace').splitlines(True)[-30:]))
        print('integration: 0 passed, 1 failed')
        return 1
    finally:
        try:
            emulator(args.python, collection, 'stop', state_dir)
        except (RuntimeError, OSError) as exc:
            print('integration: WARNING: emulator stop: %s' % exc)
        shutil.rmtree(state_dir, ignore_errors=True)

    if rc_scan:
        print('integration: FAILED: secrets found in the output (see SECRET LEAK lines above)')
    return 1 if rc_test or rc_scan else 0


if __name__ == '__main__':
    sys.exit(main())
