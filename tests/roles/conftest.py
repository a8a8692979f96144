# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role scenarios: the snapshot and restore playbooks run through ansible-runner (AWX's engine)
against the emulator, with the collection loaded from this checkout."""

import json
import re
import socket
import sys
import threading
from pathlib import Path

import ansible_runner
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'emulator'))

# The one emulator plugin: ``emulator`` (session) and the hooks that start and stop it.
# pylint: disable-next=wrong-import-position,import-error,unused-import
from pytest_emulator import emulator, pytest_collection_modifyitems, pytest_sessionfinish  # noqa: E402,F401
# pylint: disable-next=wrong-import-position,import-error
from credentials import (  # noqa: E402
    ARCGIS_PASSWORD, ARCGIS_USERNAME, ATLASSIAN_API_TOKEN, ATLASSIAN_ORG_ID, ATLASSIAN_USER, JAHIA_API_TOKEN,
    MENDIX_API_KEY, MENDIX_USERNAME)

PASSCODE = 'Role-Scenario-Passcode-1'
SECRETS = (ARCGIS_PASSWORD, PASSCODE, JAHIA_API_TOKEN, MENDIX_API_KEY, ATLASSIAN_API_TOKEN)
# Atlassian backups need a policy per (site, product); policies are configuration, seeded here.
ATLASSIAN_SEED = {'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA'},
                               {'cloudId': 'cloud-staging', 'product': 'CONFLUENCE'}]}


@pytest.fixture
def emu(emulator):  # pylint: disable=redefined-outer-name
    """The emulator, reset, with short jobs."""
    emulator.reset()
    emulator.configure({'arcgis': {'job_seconds': 1.0, 'restore_seconds': 1.0, 'restore_unavailable_seconds': 0.2},
                        'arcgis2': {'job_seconds': 2.0, 'restore_seconds': 1.0, 'restore_unavailable_seconds': 0.2},
                        'atlassian': {'backup_seconds': 1.0, 'validation_seconds': 0.2, 'restore_seconds': 0.5}})
    emulator.seed({'atlassian': ATLASSIAN_SEED})
    return emulator


@pytest.fixture(scope='session')
def collections_path(tmp_path_factory):
    """An ansible_collections tree whose saasops/backup is this checkout."""
    root = tmp_path_factory.mktemp('collections')
    (root / 'ansible_collections' / 'saasops').mkdir(parents=True)
    (root / 'ansible_collections' / 'saasops' / 'backup').symlink_to(REPO)
    return root


def arcgis_host(emulator, app='arcgis', store='default-store'):
    return {
        'saasops_platform': 'arcgis',
        'saasops_connection': {'url': emulator.url('/' + app), 'username': ARCGIS_USERNAME, 'password': ARCGIS_PASSWORD,
                               'passcode': PASSCODE, 'ca_path': emulator.info['ca_path']},
        'saasops_target': {'store': store},
        'saasops_backup_options': {'retention_days': 14},
    }


def ca(emulator):
    return {'ca_path': emulator.info['ca_path']}


def jahia_host(emulator, environment='staging'):
    return {'saasops_platform': 'jahia',
            'saasops_connection': dict(ca(emulator), api_url=emulator.url('/jahia'), api_token=JAHIA_API_TOKEN),
            'saasops_target': {'organization': 'acme', 'environment': environment}}


def mendix_host(emulator, environment='Acceptance', api_version=2):
    return {'saasops_platform': 'mendix',
            'saasops_connection': dict(ca(emulator), api_url=emulator.url('/mendix'), username=MENDIX_USERNAME, api_key=MENDIX_API_KEY),
            'saasops_target': {'app_id': 'calc', 'environment': environment, 'api_version': api_version}}


def atlassian_host(emulator, cloud_id='cloud-prod', product='jira'):
    return {'saasops_platform': 'atlassian',
            'saasops_connection': dict(ca(emulator), api_url=emulator.url('/atlassian'), org_id=ATLASSIAN_ORG_ID,
                                       user=ATLASSIAN_USER, api_token=ATLASSIAN_API_TOKEN),
            'saasops_target': {'cloud_id': cloud_id, 'product': product}}


def every_platform(emulator):
    """Eight environments, two per platform."""
    return {
        'gis-prod': arcgis_host(emulator, 'arcgis'), 'gis-test': arcgis_host(emulator, 'arcgis2', store='secondary'),
        'jahia-staging': jahia_host(emulator), 'jahia-prod': jahia_host(emulator, 'production'),
        'mendix-accp': mendix_host(emulator), 'mendix-test-v1': mendix_host(emulator, 'Test', api_version=1),
        'jira-prod': atlassian_host(emulator), 'confluence-staging': atlassian_host(emulator, 'cloud-staging', 'confluence'),
    }


class Job:
    """One ansible-runner job: a playbook of the collection with an inventory and extra vars."""

    def __init__(self, workdir, collections_path):
        self.workdir = Path(workdir)
        self.collections_path = collections_path

    def run(self, playbook, hosts, extravars=None, name='job', cmdline=None, env=None, **runner_options):
        private = self.workdir / name
        private.mkdir(parents=True, exist_ok=True)
        inventory = {'all': {'hosts': hosts, 'vars': {'ansible_connection': 'local',
                                                      'ansible_python_interpreter': sys.executable}}}
        (private / 'inventory.json').write_text(json.dumps(inventory), encoding='utf-8')
        result = ansible_runner.run(
            private_data_dir=str(private), playbook=playbook, inventory=str(private / 'inventory.json'),
            extravars=dict(extravars or {}), quiet=True, cmdline=cmdline, settings={'suppress_ansible_output': True},
            envvars={'ANSIBLE_COLLECTIONS_PATH': str(self.collections_path), 'ANSIBLE_NOCOLOR': '1',
                     'ANSIBLE_DEPRECATION_WARNINGS': 'False', 'PWD': str(self.workdir),
                     # The roles' default manifest directory is $XDG_STATE_HOME/saasops/manifests.
                     'XDG_STATE_HOME': str(self.workdir / 'state'), **(env or {})}, **runner_options)
        result.output = result.stdout.read()
        return result

    @property
    def manifest_dir(self):
        return self.workdir / 'state' / 'saasops' / 'manifests'

    def manifest(self, run_id=None):
        """The manifest of ``run_id`` in the default manifest directory (default: the latest complete run)."""
        if run_id is None:
            run_id = json.loads((self.manifest_dir / 'latest.json').read_text(encoding='utf-8'))['run_id']
        return json.loads((self.manifest_dir / (run_id + '.json')).read_text(encoding='utf-8'))


# Requests that change something on a platform (reads, tokens and Jahia's getContext are left out).
MUTATING = re.compile(r'(/restore(s|/.*)?|/revalidate|restoreBackup\.do|backupEnv\.do|/backups/create|/delete'
                      r'|/start|/stop|/snapshots)$')


def mutating(emulator):
    """Every mutating request the emulator received, as (method, path)."""
    return [(r['method'], r['path']) for r in emulator.requests() if r['method'] != 'GET' and MUTATING.search(r['path'])]


def restores(emulator):
    """Paths of the restore requests the emulator received, all platforms."""
    return [path for method, path in mutating(emulator) if re.search(r'(/restore(s|/.*)?|restoreBackup\.do)$', path)]


class Trap:
    """A listener on loopback standing for a host the user did not name: it counts connections."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path=''):
        return 'https://127.0.0.1:%d%s' % (self.port, path)

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def trap():
    listener = Trap()
    yield listener
    listener.close()


def published(result):
    """What the job published with set_stats, as AWX reads it from the final stats event."""
    stats = [e for e in result.events if e.get('event') == 'playbook_on_stats']
    return stats[-1]['event_data'].get('artifact_data', {}) if stats else {}


@pytest.fixture
def job(tmp_path, collections_path):
    return Job(tmp_path, collections_path)
