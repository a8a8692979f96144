# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore plan's rules: a manifest identifies a backup, it never names a connection or a target."""

import json
import os

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _restore_plan as plan


def manifest(*entries, run_id='run-1'):
    return {'schema': 1, 'run_id': run_id, 'environments': list(entries)}


ARCGIS = {'host': 'gis', 'platform': 'arcgis', 'status': 'completed',
          'target': {'url': 'https://gis.example.com/arcgis', 'store': 'default-store'},
          'restore': {'name': 'saasops-run-1', 'store': 'default-store'}}


@pytest.mark.parametrize('value, message', [
    ('{not json', 'saasops_manifest is not JSON'),
    ('[]', 'is not a manifest'),
    ({'schema': 2, 'run_id': 'r', 'environments': []}, 'has schema 2'),
    ({'schema': 1, 'run_id': 'r'}, 'has no list of environments'),
    ({'schema': 1, 'run_id': '../../etc', 'environments': []}, "invalid run_id '../../etc'"),
    ({'schema': 1, 'run_id': 'a b', 'environments': []}, 'invalid run_id'),
])
def test_an_unusable_manifest_value_is_refused(value, message):
    with pytest.raises(plan.ManifestError, match=message.replace('(', '\\(').replace('.', '\\.')):
        plan.load_manifest(value)


def test_a_manifest_is_read_from_json_text_or_a_file(tmp_path):
    text = json.dumps(manifest(ARCGIS))
    assert plan.load_manifest(text)['run_id'] == 'run-1'
    path = tmp_path / 'm.json'
    path.write_text(text, encoding='utf-8')
    assert plan.load_manifest(None, str(path))['environments'] == [ARCGIS]


def test_a_missing_manifest_file_says_what_to_do(tmp_path):
    with pytest.raises(plan.ManifestError, match='does not exist: run the pre_deploy_snapshot playbook first'):
        plan.load_manifest(None, str(tmp_path / 'absent.json'))
    with pytest.raises(plan.ManifestError, match='no manifest'):
        plan.load_manifest(None, None)


def test_a_manifest_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / 'm.json'
    path.write_bytes(b'\xff\xfe garbage')
    with pytest.raises(plan.ManifestError, match='cannot be read|is not JSON'):
        plan.load_manifest(None, str(path))


def test_find_entry_refuses_none_and_duplicates():
    assert plan.find_entry(manifest(ARCGIS), 'gis') == ARCGIS
    with pytest.raises(ValueError, match='has no entry for this environment'):
        plan.find_entry(manifest(ARCGIS), 'other')
    with pytest.raises(ValueError, match='has 2 entries for this environment'):
        plan.find_entry(manifest(ARCGIS, dict(ARCGIS)), 'gis')


@pytest.mark.parametrize('platform, restore, expected', [
    ('arcgis', {'name': 'b1', 'store': 'x', 'url': 'https://evil', 'validate_certs': False}, {'name': 'b1'}),
    ('atlassian', {'backup_id': 'bk', 'cloud_id': 'other', 'api_url': 'https://evil'}, {'backup_id': 'bk'}),
    ('mendix', {'snapshot_id': 's1', 'app_id': 'x', 'api_key': 'k', 'stop_environment': False}, {'snapshot_id': 's1'}),
    ('jahia', {'environment': 'e', 'organization': 'evil', 'api_url': 'https://evil',
               'backup': {'backup_name': 'n', 'timestamp': 't', 'backup_type': None, 'cloud_provider': 'aws',
                          'region': 'r', 'env_role': 'dev', 'api_url': 'https://evil'}},
     {'backup': {'backup_name': 'n', 'timestamp': 't', 'cloud_provider': 'aws', 'region': 'r', 'env_role': 'dev'}}),
])
def test_only_the_backup_identity_is_taken_from_an_entry(platform, restore, expected):
    assert plan.identity(platform, {'restore': restore}) == expected


@pytest.mark.parametrize('restore', [
    {}, {'name': ''}, {'name': 7}, {'name': 'a\nb'}, {'name': 'x' * 300}, {'name': ['a']},
])
def test_an_invalid_identity_is_refused(restore):
    with pytest.raises(ValueError, match='manifest entry'):
        plan.identity('arcgis', {'restore': restore})


def test_an_entry_without_restore_arguments_is_refused():
    with pytest.raises(ValueError, match='no restore arguments'):
        plan.identity('mendix', {'restore': 'snapshot'})


@pytest.mark.parametrize('platform, entry, connection, target, mismatches', [
    # The same environment, written a little differently.
    ('arcgis', ARCGIS, {'url': 'https://gis.example.com/arcgis/'}, {'store': 'default-store'}, []),
    ('atlassian', {'target': {'cloud_id': 'c1', 'product': 'jira'}}, {}, {'cloud_id': 'c1', 'product': 'JIRA'}, []),
    # The inventory does not name the store: the restore module resolves the default one.
    ('arcgis', ARCGIS, {'url': 'https://gis.example.com/arcgis'}, {}, []),
    # Another organization, site, environment.
    ('arcgis', ARCGIS, {'url': 'https://gis2.example.com/arcgis'}, {}, ['url']),
    ('atlassian', {'target': {'cloud_id': 'c2', 'product': 'jira'}}, {}, {'cloud_id': 'c1', 'product': 'jira'}, ['cloud_id']),
    ('mendix', {'target': {'app_id': 'calc', 'environment': 'Test'}}, {}, {'app_id': 'calc', 'environment': 'Acceptance'},
     ['environment']),
    # An older manifest without target: its restore arguments name the environment.
    ('jahia', {'restore': {'environment': 'staging', 'organization': 'acme'}}, {'organization': 'other'},
     {'environment': 'staging'}, ['organization']),
])
def test_the_recorded_target_must_be_the_inventory_target(platform, entry, connection, target, mismatches):
    found = plan.target_mismatches(platform, entry, connection, target)
    assert [line.split(' ')[6] for line in found] == mismatches


def test_record_paths_cannot_leave_the_record_directory(tmp_path):
    path = plan.record_path(str(tmp_path), 'run-1', '../../x/y')
    assert os.path.dirname(path) == str(tmp_path / 'run-1')


def test_records_are_read_back_or_reported(tmp_path):
    path = tmp_path / 'r.json'
    assert plan.read_record(str(path)) is None
    path.write_text('{"backup": {"name": "b"}}', encoding='utf-8')
    assert plan.read_record(str(path)) == {'backup': {'name': 'b'}}
    path.write_text('{broken', encoding='utf-8')
    with pytest.raises(ValueError, match='remove it to restore this environment again'):
        plan.read_record(str(path))


def test_writable_dir_follows_the_nearest_existing_parent(tmp_path):
    assert plan.writable_dir(str(tmp_path / 'a' / 'b'))
    blocker = tmp_path / 'file'
    blocker.write_text('x', encoding='utf-8')
    assert not plan.writable_dir(str(blocker / 'sub'))


def test_role_defaults_wait_only_where_the_restore_can_be_waited_for():
    assert plan.role_defaults('jahia', 60) == {}
    assert plan.role_defaults('arcgis', 60) == {'wait_timeout': 60}
    assert plan.role_defaults('mendix', 60) == {'stop_environment': True, 'start_environment': True, 'wait_timeout': 60}


def part(*entries, run_id='run-1'):
    return manifest(*entries, run_id=run_id)


def test_slice_parts_are_put_together_and_win_over_the_last_slices_copy():
    gis_running = dict(ARCGIS, status='running')
    jira = {'host': 'jira', 'platform': 'atlassian', 'status': 'completed', 'restore': {'backup_id': 'b'}}
    found = plan.load_manifest(manifest(gis_running, run_id='run-1'), parts=[part(ARCGIS), part(jira)])
    assert found['run_id'] == 'run-1'
    assert found['environments'] == [ARCGIS, jira]


def test_parts_of_different_runs_or_conflicting_entries_are_refused():
    with pytest.raises(plan.ManifestError, match='name different runs'):
        plan.load_manifest(None, parts=[part(ARCGIS), part(ARCGIS, run_id='run-2')])
    merged = plan.load_manifest(None, parts=[part(ARCGIS), part(dict(ARCGIS, status='failed'))])
    with pytest.raises(ValueError, match='has 2 entries'):
        plan.find_entry(merged, 'gis')


def test_the_manifest_directory_gives_the_latest_complete_run_or_the_one_named(tmp_path):
    with pytest.raises(plan.ManifestError, match='has no complete run'):
        plan.load_manifest(directory=str(tmp_path))
    (tmp_path / 'run-1.json').write_text(json.dumps(manifest(ARCGIS)), encoding='utf-8')
    (tmp_path / 'latest.json').write_text(json.dumps({'run_id': 'run-1'}), encoding='utf-8')
    assert plan.load_manifest(directory=str(tmp_path))['run_id'] == 'run-1'
    with pytest.raises(plan.ManifestError, match='run-2 .* does not exist'):
        plan.load_manifest(directory=str(tmp_path), run_id='run-2')
    with pytest.raises(plan.ManifestError, match='is not a valid run id'):
        plan.load_manifest(directory=str(tmp_path), run_id='../run-1')
    (tmp_path / 'latest.json').write_text(json.dumps({'run_id': '../../etc/passwd'}), encoding='utf-8')
    with pytest.raises(plan.ManifestError, match='not valid'):
        plan.load_manifest(directory=str(tmp_path))


def test_default_record_dirs(tmp_path):
    assert plan.default_record_dir(str(tmp_path / 'm.json'), None) == str(tmp_path / 'saasops-restores')
    assert plan.default_record_dir(None, str(tmp_path)) == str(tmp_path / 'restores')
