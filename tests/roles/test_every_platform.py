# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The full chain on all four platforms: snapshot, manifest, restore, with faults on the way."""

import json
import re

from conftest import SECRETS, every_platform, jahia_host, mutating, published  # pylint: disable=import-error

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
RESTORE = 'saasops.backup.restore'


def posts(emu, suffix):
    return [r for r in emu.requests(method='POST') if r['path'].endswith(suffix)]


def test_snapshot_then_restore_on_every_platform(emu, job):
    hosts = every_platform(emu)
    # A flaky network on the way: a rate limit and a dropped answer on creates, an outage on reads.
    emu.add_fault(path='/backups/create$', method='POST', action='status', status=429, count=1)
    emu.add_fault(path='/mendix/api/v2/apps/[^/]+/environments/[^/]+/snapshots$', method='POST', action='drop_after', count=1)
    emu.add_fault(path='^/atlassian/', method='GET', action='status', status=503, count=2)
    snapshot = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'all-four'}, name='snapshot')
    assert snapshot.rc == 0, snapshot.output

    manifest = job.manifest('all-four')
    entries = {e['host']: e for e in manifest['environments']}
    assert set(entries) == set(hosts)
    assert {h: e['status'] for h, e in entries.items()} == {
        'gis-prod': 'completed', 'gis-test': 'completed', 'jahia-staging': 'triggered', 'jahia-prod': 'triggered',
        'mendix-accp': 'completed', 'mendix-test-v1': 'completed', 'jira-prod': 'completed', 'confluence-staging': 'completed'}
    assert published(snapshot)['saasops_manifest'] == manifest
    text = json.dumps(manifest)
    for secret in SECRETS:
        assert secret not in text
    # Exactly one backup per environment, whatever the faults did.
    state = emu.state()
    snapshots = state['mendix']['snapshots']
    assert [s['comment'] for s in snapshots] == ['saasops all-four'] * 2
    assert len({s['environment_id'] for s in snapshots}) == 2
    assert len(state['atlassian']['backups']) == 2
    assert len(state['jahia']['backups']) == 2
    for app, store in (('arcgis', 'default-store'), ('arcgis2', 'secondary')):
        assert [b['backupName'] for b in state[app]['backups'][store]] == ['saasops-all-four']

    emu.clear_requests()
    restore = job.run(RESTORE, hosts, {'saasops_restore_confirm': True, 'saasops_manifest': manifest}, name='refused')
    # jahia-prod is a production environment without saasops_allow_production: pre-flight refuses it, and
    # so nothing is restored anywhere - not the seven others either (no half rolled-back release).
    assert restore.rc != 0
    assert 'jahia-prod' in restore.output and 'allow_production' in restore.output
    assert mutating(emu) == []

    hosts['jahia-prod']['saasops_allow_production'] = True
    restore = job.run(RESTORE, hosts, {'saasops_restore_confirm': True, 'saasops_manifest': manifest}, name='restore')
    assert restore.rc == 0, restore.output
    assert len(posts(emu, 'restoreBackup.do')) == 2
    assert len([r for r in posts(emu, '/restore') if r['path'].startswith(('/arcgis/', '/arcgis2/'))]) == 2
    state = emu.state()
    assert sorted(r['cloudId'] for r in state['atlassian']['restores']) == ['cloud-prod', 'cloud-staging']
    assert {r['state'] for r in state['mendix']['restores']} == {'completed'} and len(state['mendix']['restores']) == 2
    for mode in ('Acceptance', 'Test'):
        assert state['mendix']['apps']['calc']['environments'][mode]['Status'] == 'Running'  # started again
    # The summary says what was restored where, one line per environment.
    for host in hosts:
        assert re.search(r'%s \(\w+\): restored ' % re.escape(host), restore.output), host


def test_a_rerun_of_the_same_run_creates_nothing_on_any_platform(emu, job):
    hosts = every_platform(emu)
    assert job.run(SNAPSHOT, hosts, {'saasops_run_id': 'twice'}, name='first').rc == 0
    emu.clear_requests()
    second = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'twice'}, name='second')
    assert second.rc == 0, second.output
    mutating = [r['path'] for r in emu.requests(method='POST') if 'generateToken' not in r['path']
                and 'getContext' not in r['path'] and 'regions' not in r['path']]
    assert mutating == []


def test_allow_production_is_passed_only_where_it_is_set(emu, job):
    hosts = {'jahia-staging': jahia_host(emu), 'jahia-prod': jahia_host(emu, 'production')}
    snapshot = job.run(SNAPSHOT, hosts, name='snapshot')
    assert snapshot.rc == 0, snapshot.output
    manifest = published(snapshot)['saasops_manifest']
    emu.clear_requests()
    hosts['jahia-prod']['saasops_allow_production'] = True
    restore = job.run(RESTORE, hosts, {'saasops_restore_confirm': True, 'saasops_manifest': manifest}, name='restore')
    assert restore.rc == 0, restore.output
    restored = sorted(r['form']['envName'][0] for r in posts(emu, 'restoreBackup.do'))
    assert restored == ['production-acme', 'staging-acme']
