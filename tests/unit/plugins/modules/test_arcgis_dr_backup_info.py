# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""arcgis_dr_backup_info through main(), against the emulator: it reads stores, backups and status, and never writes."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup_info as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated
from ansible_collections.saasops.backup.tests.unit.helpers.module_main import run_main

BACKUPS = [
    {'backupName': 'a', 'store': 'secondary', 'status': 'completed', 'startTime': 1795860000000, 'retentionDate': -1},
    {'backupName': 'b', 'store': 'secondary', 'status': 'in_progress', 'startTime': 1795860000000, 'retentionDate': -1},
]


@pytest.fixture
def env(emu, monkeypatch):
    emu.seed({'arcgis': {'backups': BACKUPS}})
    return Emulated(emu, monkeypatch)


def read(env, **args):
    result = env.run(mod, args)
    assert result['failed'] is False, result['msg']
    return result


def test_an_unsupported_option_fails_before_any_request(env):
    result = env.run(mod, dict(state='present'))
    assert result['failed'] is True
    assert 'Unsupported parameters' in result['msg'] and 'state' in result['msg']
    assert env.emu.requests() == []


def test_without_url_it_fails_before_any_request(env, monkeypatch):
    monkeypatch.delenv('ARCGIS_URL', raising=False)
    args = env.connection('arcgis')
    del args['url']
    result = run_main(monkeypatch, mod.main, args)
    assert result['failed'] is True
    assert 'missing required arguments: url' in result['msg']
    assert env.emu.requests() == []


def test_defaults_to_the_default_store(env):
    result = read(env)
    assert result['changed'] is False
    assert result['store'] == 'default-store'
    assert result['backups'] == []
    assert [s['name'] for s in result['stores']] == ['default-store', 'secondary']
    assert result['status']['state'] == 'no_op'


def test_lists_a_store_with_snake_case_and_iso_times(env):
    result = read(env, store='secondary')
    assert [b['name'] for b in result['backups']] == ['a', 'b']
    first = result['backups'][0]
    assert first['backup_name'] == 'a' and first['store'] == 'secondary'
    assert first['start_time_iso'] == '2026-11-28T10:00:00Z'
    assert first['retention_date_iso'] is None  # -1: never expires


@pytest.mark.parametrize('name, expected', [('b', ['b']), ('missing', [])])
def test_one_backup_by_name(env, name, expected):
    result = read(env, store='secondary', name=name)
    assert [b['name'] for b in result['backups']] == expected


@pytest.mark.parametrize('check_mode', [False, True])
def test_reads_only(env, check_mode):
    result = env.run(mod, dict(store='secondary'), check_mode=check_mode)
    assert result['failed'] is False and result['changed'] is False
    assert env.mutations() == []
    assert {r['method'] for r in env.emu.requests() if not r['path'].endswith('/generateToken')} == {'GET'}


def test_unknown_store_lists_the_known_ones(env):
    result = env.run(mod, dict(store='nope'))
    assert result['failed'] is True
    assert "'nope' does not exist (stores: default-store, secondary)" in result['msg']
