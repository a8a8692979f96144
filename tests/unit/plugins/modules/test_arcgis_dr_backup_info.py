# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""arcgis_dr_backup_info reads stores, backups and status, and never writes."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.modules import arcgis_dr_backup_info as mod
from ansible_collections.saasops.backup.tests.unit.plugins.modules.arcgis_fake import FakeArcGIS

BACKUPS = [
    {'backupName': 'a', 'backupStore': 'secondary', 'status': 'completed', 'startTime': 1795860000000, 'retentionDate': -1},
    {'backupName': 'b', 'backupStore': 'secondary', 'status': 'in_progress', 'startTime': 1795860000000, 'retentionDate': -1},
]


def read(api, store=None, name=None):
    return mod.read(api, dict(store=store, name=name))


def test_defaults_to_the_default_store():
    result = read(FakeArcGIS(backups=BACKUPS))
    assert result['store'] == 'default-store'
    assert result['backups'] == []
    assert [s['name'] for s in result['stores']] == ['default-store', 'secondary']
    assert result['status'] == {'state': 'no_op'}


def test_lists_a_store_with_snake_case_and_iso_times():
    result = read(FakeArcGIS(backups=BACKUPS), store='secondary')
    assert [b['name'] for b in result['backups']] == ['a', 'b']
    first = result['backups'][0]
    assert first['backup_name'] == 'a' and first['store'] == 'secondary'
    assert first['start_time_iso'] == '2026-11-28T10:00:00Z'
    assert first['retention_date_iso'] is None  # -1: never expires


@pytest.mark.parametrize('name, expected', [('b', ['b']), ('missing', [])])
def test_one_backup_by_name(name, expected):
    result = read(FakeArcGIS(backups=BACKUPS), store='secondary', name=name)
    assert [b['name'] for b in result['backups']] == expected


def test_reads_only():
    api = FakeArcGIS(backups=BACKUPS)
    read(api, store='secondary')
    assert {c[0] for c in api.calls} == {'GET'}


def test_unknown_store_lists_the_known_ones():
    with pytest.raises(InputError, match=r"'nope' does not exist \(stores: default-store, secondary\)"):
        read(FakeArcGIS(), store='nope')
