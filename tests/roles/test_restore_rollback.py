# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rollback you can trust: pre-flight before any restore, the production guard on every platform,
the manifest as data, restore runs that resume, and check mode - through ansible-runner."""

import json

import pytest

# pylint: disable-next=import-error
from conftest import (arcgis_host, atlassian_host, every_platform, jahia_host, mendix_host, mutating, published,
                      restores)

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
RESTORE = 'saasops.backup.restore'
CONFIRM = {'saasops_restore_confirm': True}


def snapshot(job, hosts, run_id):
    result = job.run(SNAPSHOT, hosts, {'saasops_run_id': run_id}, name='snapshot-' + run_id)
    assert result.rc == 0, result.output
    return published(result)['saasops_manifest']


def one_of_each(emu):
    return {'gis-prod': arcgis_host(emu), 'jahia-staging': jahia_host(emu), 'mendix-accp': mendix_host(emu),
            'jira-prod': atlassian_host(emu)}


def test_a_host_missing_from_the_manifest_means_no_restore_anywhere(emu, job):
    hosts = one_of_each(emu)
    manifest = snapshot(job, {h: v for h, v in hosts.items() if h != 'jira-prod'}, 'partial')
    emu.clear_requests()
    result = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest), name='restore')
    assert result.rc != 0
    assert 'jira-prod: the manifest of run partial has no entry for this environment' in result.output
    assert 'Pre-flight refused 1 of 4 environments, so nothing was restored' in result.output
    assert mutating(emu) == []


def test_a_missing_manifest_file_is_a_clear_error_and_nothing_is_sent(emu, job):
    result = job.run(RESTORE, one_of_each(emu), dict(CONFIRM, saasops_manifest_path=str(job.workdir / 'nowhere.json')))
    assert result.rc != 0
    assert 'nowhere.json does not exist: run the pre_deploy_snapshot playbook first' in result.output
    assert emu.requests() == []


def test_every_problem_is_listed_at_once(emu, job):
    hosts = one_of_each(emu)
    manifest = snapshot(job, hosts, 'many')
    hosts['gis-prod']['saasops_production'] = True
    for entry in manifest['environments']:
        if entry['host'] == 'mendix-accp':
            entry['status'] = 'failed'
    emu.clear_requests()
    result = job.run(RESTORE, hosts, {'saasops_manifest': manifest}, name='restore')
    assert result.rc != 0
    assert 'Pre-flight refused 4 of 4 environments' in result.output  # none confirmed
    assert 'gis-prod: it is declared production' in result.output
    assert "mendix-accp: the manifest entry's backup is 'failed'" in result.output
    assert 'jira-prod: saasops_restore_confirm is not true' in result.output
    assert mutating(emu) == []


# Production: declared in the inventory where the platform has no flag (ArcGIS, Atlassian), the
# vendor's own flag elsewhere (Jahia role prod, Mendix Production).
PRODUCTION = {
    'arcgis': lambda emu: dict(arcgis_host(emu), saasops_production=True),
    'atlassian': lambda emu: dict(atlassian_host(emu), saasops_production=True),
    'jahia': lambda emu: jahia_host(emu, 'production'),
    'mendix': lambda emu: mendix_host(emu, 'Production'),
}


@pytest.mark.parametrize('platform', sorted(PRODUCTION))
def test_a_production_environment_is_restored_only_when_allowed(emu, job, platform):
    hosts = {'prod-env': PRODUCTION[platform](emu), 'gis-test': arcgis_host(emu, 'arcgis2', store='secondary')}
    manifest = snapshot(job, hosts, 'prod-' + platform)
    emu.clear_requests()
    refused = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest), name='refused')
    assert refused.rc != 0
    assert 'prod-env: ' in refused.output and 'allow_production' in refused.output
    assert mutating(emu) == []

    hosts['prod-env']['saasops_allow_production'] = True
    allowed = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest), name='allowed')
    assert allowed.rc == 0, allowed.output
    assert len(restores(emu)) == 2


# A hand-edited entry: connection keys pointing at another host, certificate checks off, and the
# recorded target changed to another environment.
TAMPER = {
    'arcgis': lambda trap: {'target': {'url': trap.url('/arcgis'), 'store': 'default-store'},
                            'restore': {'url': trap.url('/arcgis'), 'validate_certs': False}},
    'jahia': lambda trap: {'target': {'organization': 'other-org', 'environment': 'staging'},
                           'restore': {'api_url': trap.url('/jahia'), 'validate_certs': False, 'organization': 'other-org'}},
    'atlassian': lambda trap: {'target': {'cloud_id': 'cloud-staging', 'product': 'jira'},
                               'restore': {'api_url': trap.url('/atlassian'), 'validate_certs': False, 'cloud_id': 'cloud-staging'}},
    'mendix': lambda trap: {'target': {'app_id': 'calc', 'environment': 'Test'},
                            'restore': {'api_url': trap.url('/mendix'), 'validate_certs': False, 'environment': 'Test'}},
}
HOST = {'arcgis': arcgis_host, 'jahia': jahia_host, 'atlassian': atlassian_host, 'mendix': mendix_host}


def tampered(manifest, host, change):
    for entry in manifest['environments']:
        if entry['host'] == host:
            for key, values in change.items():
                entry[key] = dict(entry.get(key) or {}, **values)
    return manifest


@pytest.mark.parametrize('platform', sorted(TAMPER))
def test_a_tampered_manifest_is_refused_and_sends_nothing_elsewhere(emu, job, trap, platform):
    hosts = {'env': HOST[platform](emu)}
    manifest = tampered(snapshot(job, hosts, 'tamper-' + platform), 'env', TAMPER[platform](trap))
    emu.clear_requests()
    result = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest), name='restore')
    assert result.rc != 0
    assert 'env: the manifest entry was taken from' in result.output
    assert trap.connections == 0
    assert restores(emu) == []


@pytest.mark.parametrize('platform', sorted(TAMPER))
def test_connection_keys_in_a_manifest_are_ignored(emu, job, trap, platform):
    """The entry's target still matches: the restore runs, against the inventory's host only."""
    hosts = {'env': HOST[platform](emu)}
    change = TAMPER[platform](trap)
    injected = {'restore': {k: v for k, v in change['restore'].items() if k in ('url', 'api_url', 'validate_certs')}}
    manifest = tampered(snapshot(job, hosts, 'inject-' + platform), 'env', injected)
    emu.clear_requests()
    result = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest), name='restore')
    assert result.rc == 0, result.output
    assert trap.connections == 0
    assert len(restores(emu)) == 1


def test_a_rerun_after_a_partial_failure_restores_only_what_failed(emu, job):
    hosts = one_of_each(emu)
    manifest = snapshot(job, hosts, 'resume')
    emu.clear_requests()
    # The Jahia restore is refused once; the three others restore.
    emu.add_fault(path='restoreBackup\\.do$', method='POST', action='status', status=400, count=1)
    first = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest), name='first')
    assert first.rc != 0
    assert 'jahia-staging (jahia): FAILED' in first.output
    records = sorted(p.name for p in (job.manifest_dir / 'restores' / 'resume').iterdir())
    assert records == ['gis-prod.json', 'jira-prod.json', 'mendix-accp.json']
    assert json.loads((job.manifest_dir / 'restores' / 'resume' / 'gis-prod.json').read_text())['backup'] == {
        'name': 'saasops-resume'}
    first_paths = restores(emu)
    for platform in ('/arcgis/', '/atlassian/', '/mendix/'):
        assert len([p for p in first_paths if p.startswith(platform)]) == 1, first_paths

    emu.clear_requests()
    second = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest), name='second')
    assert second.rc == 0, second.output
    paths = restores(emu)
    assert len(paths) == 1 and paths[0].endswith('restoreBackup.do'), paths
    for host in ('gis-prod', 'jira-prod', 'mendix-accp'):
        assert '%s (' % host in second.output and 'already restored by restore run resume' in second.output

    emu.clear_requests()
    again = job.run(RESTORE, hosts, dict(CONFIRM, saasops_manifest=manifest, saasops_restore_again=True), name='again')
    assert again.rc == 0, again.output
    paths = restores(emu)
    assert any(p.endswith('/saasops-resume/restore') for p in paths)  # ArcGIS restored again, on purpose
    assert any(p.endswith('restoreBackup.do') for p in paths)


def test_check_mode_restores_nothing_and_says_what_it_would_do(emu, job):
    hosts = every_platform(emu)
    hosts['jahia-prod']['saasops_allow_production'] = True
    manifest = snapshot(job, hosts, 'dry')
    emu.clear_requests()
    result = job.run(RESTORE, hosts, {'saasops_manifest': manifest}, name='check', cmdline='--check')
    assert result.rc == 0, result.output
    assert mutating(emu) == []
    for host in hosts:
        assert '%s (' % host in result.output
    assert result.output.count('): would restore ') == len(hosts)
    assert job.manifest_dir.is_dir()
    assert not (job.manifest_dir / 'restores').exists()
