# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Names and ids that go into URL paths, on every platform, through each module's main().

Each of '..', '.', '/', '?', '#' and '%2F' either fails clearly before any request or is encoded so
that the server sees exactly one path segment (asserted on the emulator's request log).
"""

import pytest

from ansible_collections.saasops.backup.plugins.modules import (
    arcgis_dr_backup, arcgis_dr_backup_info, arcgis_dr_restore, atlassian_backup, atlassian_backup_export,
    atlassian_backup_info, atlassian_backup_policy, atlassian_restore, atlassian_storage, jahia_backup,
    jahia_environment_info, jahia_restore, mendix_restore, mendix_snapshot, mendix_snapshot_info)
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated
from ansible_collections.saasops.backup.tests.unit.helpers.module_main import no_http, run_main

HOSTILE = ('..', '.', '/', 'a/b', '?', '#', '%2F', 'a%2Fb')
# What only changes the path's shape: refused on every platform. The rest is refused by the
# platforms whose names are plain (ArcGIS, Mendix, Jahia) and percent-encoded by Atlassian.
SHAPE_CHANGING = ('..', '.', '/', 'a/b')
ENCODED = ('?', '#', '%2F', 'a%2Fb', 'a?b#c')

ARCGIS = dict(url='https://gis.example.test/arcgis', username='admin', password='Adm1n-password', name='pre-release-1')
PASSCODE = dict(passcode='a-long-passcode')
MENDIX = dict(api_url='https://deploy.example.test', username='bot@example.test', api_key='k3y-k3y-k3y',
              app_id='calc', environment='Acceptance')
JAHIA = dict(api_url='https://jahia.example.test', api_token='t0ken-t0ken', organization='acme', environment='staging')
ATLASSIAN = dict(api_url='https://api.example.test/backup/v1', org_id='org-1', user='bot@example.test',
                 api_token='t0ken-t0ken')
JAHIA_POINT = dict(backup_name='staging-acme', timestamp='2026-11-22T10:05:00', cloud_provider='aws', region='eu-west-1',
                   env_role='dev')

# (module, arguments, the option under test): every option of every module that reaches a URL path.
CASES = [
    (arcgis_dr_backup, dict(ARCGIS, **PASSCODE), 'name'),
    (arcgis_dr_backup, dict(ARCGIS, state='absent'), 'name'),
    (arcgis_dr_backup, dict(ARCGIS, **PASSCODE), 'store'),
    (arcgis_dr_backup_info, ARCGIS, 'name'),
    (arcgis_dr_backup_info, ARCGIS, 'store'),
    (arcgis_dr_restore, dict(ARCGIS, **PASSCODE), 'name'),
    (arcgis_dr_restore, dict(ARCGIS, **PASSCODE), 'store'),
    (mendix_snapshot, dict(MENDIX, comment='pre-release'), 'app_id'),
    (mendix_snapshot, dict(MENDIX, comment='pre-release'), 'environment'),
    (mendix_snapshot, dict(MENDIX, state='absent'), 'snapshot_id'),
    (mendix_snapshot_info, MENDIX, 'snapshot_id'),
    (mendix_restore, dict(MENDIX, snapshot_id='s-1'), 'snapshot_id'),
    (mendix_restore, dict(MENDIX, snapshot_id='s-1'), 'source_environment'),
    (jahia_backup, JAHIA, 'environment'),
    (jahia_backup, JAHIA, 'organization'),
    (jahia_environment_info, JAHIA, 'environment'),
    (jahia_restore, dict(JAHIA, **JAHIA_POINT), 'environment'),
]
ATLASSIAN_CASES = [
    (atlassian_backup_info, ATLASSIAN, 'backup_id'),
    (atlassian_backup_info, ATLASSIAN, 'policy_id'),
    (atlassian_backup_info, ATLASSIAN, 'cloud_id'),
    (atlassian_backup, ATLASSIAN, 'policy_id'),
    (atlassian_backup, dict(ATLASSIAN, product='jira'), 'cloud_id'),
    (atlassian_backup, dict(ATLASSIAN, policy_id='p-1'), 'org_id'),
    (atlassian_restore, dict(ATLASSIAN, backup_id='b-1', cloud_id='c-1', product='jira'), 'backup_id'),
    (atlassian_restore, dict(ATLASSIAN, backup_id='b-1', cloud_id='c-1', product='jira'), 'cloud_id'),
    (atlassian_storage, dict(ATLASSIAN, cloud_id='c-1', name='s', region='us-east-1', prefix='p', role_identifier='r',
                             principal_tag='t'), 'cloud_id'),
    (atlassian_backup_policy, dict(ATLASSIAN, cloud_id='c-1', product='jira'), 'cloud_id'),
]


def refused_before_any_request(monkeypatch, module, args, option, value):
    attempted = no_http(monkeypatch)
    result = run_main(monkeypatch, module.main, dict(args, **{option: value}))
    assert result['failed'] is True, result
    assert repr(value) in result['msg'] and option in result['msg'], result['msg']
    assert attempted == []
    return result


@pytest.mark.parametrize('value', HOSTILE)
@pytest.mark.parametrize('module, args, option', CASES, ids=lambda c: getattr(c, '__name__', str(c)).rsplit('.', 1)[-1])
def test_plain_names_are_refused_before_any_request(monkeypatch, module, args, option, value):
    result = refused_before_any_request(monkeypatch, module, args, option, value)
    assert result.get('changed') in (None, False)


@pytest.mark.parametrize('value', SHAPE_CHANGING)
@pytest.mark.parametrize('module, args, option', ATLASSIAN_CASES,
                         ids=lambda c: getattr(c, '__name__', str(c)).rsplit('.', 1)[-1])
def test_atlassian_ids_that_would_change_the_path_are_refused_before_any_request(monkeypatch, module, args, option, value):
    refused_before_any_request(monkeypatch, module, args, option, value)


@pytest.mark.parametrize('value', SHAPE_CHANGING)
def test_atlassian_transfer_items_are_checked_before_any_request(monkeypatch, value):
    backups = [{'product': 'jira', 'cloud_id': value, 'backup_id': 'b-1'}]
    attempted = no_http(monkeypatch)
    result = run_main(monkeypatch, atlassian_backup_export.main, dict(ATLASSIAN, backups=backups))
    assert result['failed'] is True and 'backups[1].cloud_id' in result['msg']
    assert attempted == []


@pytest.fixture
def env(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


@pytest.mark.parametrize('value', ENCODED)
def test_atlassian_ids_are_encoded_as_one_segment(env, value):
    env.emu.clear_requests()
    args = dict(backup_id=value, gather=['backups'])
    result = env.run(atlassian_backup_info, args)
    assert result['failed'] is False and result['backups'] == []
    # The emulator decodes the path once: the id arrives whole, as the last segment.
    org = env.connection('atlassian')['org_id']
    assert [r['path'] for r in env.emu.requests()] == ['/atlassian/orgs/%s/backups/%s' % (org, value)]
