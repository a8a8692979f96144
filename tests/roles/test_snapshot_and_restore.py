# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-deploy snapshot -> manifest -> restore chain, as an AWX workflow would run it."""

import json

from conftest import ARCGIS_PASSWORD, PASSCODE, arcgis_host, published  # pylint: disable=import-error

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
RESTORE = 'saasops.backup.restore'


def inventory(emu):
    return {'gis-prod': arcgis_host(emu, 'arcgis'), 'gis-test': arcgis_host(emu, 'arcgis2', store='secondary')}


def creates(emu):
    return [r for r in emu.requests(method='POST') if r['path'].endswith('/backups/create')]


def test_snapshot_writes_a_manifest_and_publishes_it(emu, job):
    result = job.run(SNAPSHOT, inventory(emu), {'saasops_run_id': 'chain-1'})
    assert result.rc == 0, result.output
    manifest = job.manifest('chain-1')
    assert manifest['schema'] == 1 and manifest['run_id'] == 'chain-1'
    assert job.manifest() == manifest  # the latest complete run
    entries = {e['host']: e for e in manifest['environments']}
    assert set(entries) == {'gis-prod', 'gis-test'}
    assert entries['gis-prod']['status'] == 'completed' and entries['gis-prod']['platform'] == 'arcgis'
    assert entries['gis-prod']['restore'] == {'name': 'saasops-chain-1', 'store': 'default-store'}
    assert entries['gis-test']['restore'] == {'name': 'saasops-chain-1', 'store': 'secondary'}
    # AWX reads set_stats from the job's final stats event.
    assert published(result)['saasops_manifest'] == manifest
    assert len(creates(emu)) == 2


def test_every_backup_starts_before_any_is_waited_for(emu, job):
    """Both backups run at the same time: the second starts before the first completes."""
    result = job.run(SNAPSHOT, inventory(emu))
    assert result.rc == 0, result.output
    backups = [emu.state(app)['backups'][store][0] for app, store in (('arcgis', 'default-store'), ('arcgis2', 'secondary'))]
    first, second = sorted(backups, key=lambda b: b['startTime'])
    assert first['status'] == second['status'] == 'completed'
    assert second['startTime'] < first['completeTime']


def test_a_rerun_with_the_same_run_id_creates_nothing(emu, job):
    assert job.run(SNAPSHOT, inventory(emu), {'saasops_run_id': 'again'}, name='first').rc == 0
    emu.clear_requests()
    result = job.run(SNAPSHOT, inventory(emu), {'saasops_run_id': 'again'}, name='second')
    assert result.rc == 0, result.output
    assert creates(emu) == []
    states = emu.state()
    assert [b['backupName'] for b in states['arcgis']['backups']['default-store']] == ['saasops-again']


def test_the_manifest_holds_no_secret(emu, job):
    assert job.run(SNAPSHOT, inventory(emu), {'saasops_run_id': 'secret-check'}).rc == 0
    text = (job.manifest_dir / 'secret-check.json').read_text(encoding='utf-8')
    tokens = [t for app in ('arcgis', 'arcgis2') for t in emu.state(app)['issued_tokens']]
    for secret in [ARCGIS_PASSWORD, PASSCODE] + tokens:
        assert secret not in text


def test_a_failed_backup_stops_the_play_before_anything_else_runs(emu, job):
    emu.configure({'arcgis2': {'backup_result': 'failed'}})
    playbook = job.workdir / 'deploy.yml'
    marker = job.workdir / 'deployed'
    playbook.write_text(json.dumps([
        {'import_playbook': SNAPSHOT},
        {'name': 'Deploy', 'hosts': 'all', 'gather_facts': False,
         'tasks': [{'name': 'Deploy', 'ansible.builtin.file': {'path': str(marker), 'state': 'touch'}}]},
    ]), encoding='utf-8')
    result = job.run(str(playbook), inventory(emu), {'saasops_run_id': 'broken'})
    assert result.rc != 0
    assert not marker.exists()
    manifest = job.manifest('broken')
    statuses = {e['host']: e['status'] for e in manifest['environments']}
    assert statuses == {'gis-prod': 'completed', 'gis-test': 'failed'}


def test_restore_without_confirmation_refuses_and_restores_nothing(emu, job):
    assert job.run(SNAPSHOT, inventory(emu), name='snap').rc == 0
    emu.clear_requests()
    result = job.run(RESTORE, inventory(emu), name='restore')
    assert result.rc != 0
    assert 'saasops_restore_confirm' in result.output
    assert [r for r in emu.requests(method='POST') if r['path'].endswith('/restore')] == []


def test_restore_from_the_published_manifest_alone(emu, job):
    """The AWX workflow: job 1's set_stats artifact is job 2's only input."""
    snapshot = job.run(SNAPSHOT, inventory(emu), {'saasops_run_id': 'awx-1'}, name='snapshot')
    assert snapshot.rc == 0, snapshot.output
    manifest = published(snapshot)['saasops_manifest']
    (job.manifest_dir / 'awx-1.json').unlink()
    restore = job.run(RESTORE, inventory(emu), {'saasops_manifest': manifest, 'saasops_restore_confirm': True},
                      name='restore')
    assert restore.rc == 0, restore.output
    restored = [(r['path'].split('/')[1], r['path'].split('/backups/')[1]) for r in emu.requests(method='POST')
                if r['path'].endswith('/restore')]
    assert sorted(restored) == [('arcgis', 'saasops-awx-1/restore'), ('arcgis2', 'saasops-awx-1/restore')]
    for app in ('arcgis', 'arcgis2'):
        assert emu.state(app)['dr_status']['operation'] == 'Restore'


def test_role_arguments_are_validated_before_anything_is_sent(emu, job):
    hosts = inventory(emu)
    hosts['gis-test']['saasops_platform'] = 'sharepoint'
    emu.clear_requests()
    result = job.run(SNAPSHOT, hosts, name='bad-platform')
    assert result.rc != 0
    assert 'saasops_platform' in result.output and 'sharepoint' in result.output
    assert emu.requests(method='POST') == []
