# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_convert: snake_case keys and ISO 8601 UTC times, read and written."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._convert import (
    epoch_ms_from_iso,
    iso,
    iso_from_epoch_ms,
    parse_time,
    snake,
    snake_keys,
)


@pytest.mark.parametrize('name, expected', [
    ('backupName', 'backup_name'),
    ('jobsUrl', 'jobs_url'),
    ('HTTPCode', 'http_code'),
    ('already_snake', 'already_snake'),
    ('startTime', 'start_time'),
    ('backupStoreID', 'backup_store_id'),
    ('sha256Sum', 'sha256_sum'),
    ('cloud-id', 'cloud_id'),
    ('Display Name', 'display_name'),
    ('id', 'id'),
])
def test_snake(name, expected):
    assert snake(name) == expected


def test_snake_keys_recurses_into_dicts_and_lists_only_keys():
    vendor = {'backupName': 'b', 'jobInfo': {'jobsUrl': 'u', 'steps': [{'stepName': 'camelValue'}, 'plainItem']},
              'tagList': ['someTag'], 'count': 2}
    assert snake_keys(vendor) == {'backup_name': 'b', 'job_info': {'jobs_url': 'u', 'steps': [{'step_name': 'camelValue'}, 'plainItem']},
                                  'tag_list': ['someTag'], 'count': 2}
    assert snake_keys([{'aB': 1}, [{'cD': 2}]]) == [{'a_b': 1}, [{'c_d': 2}]]
    assert snake_keys('camelCase') == 'camelCase'


@pytest.mark.parametrize('value, expected', [
    (1795341600000, '2026-11-22T10:00:00Z'),
    (1795341600000.0, '2026-11-22T10:00:00Z'),
    (1795341600999, '2026-11-22T10:00:00Z'),
    (1000, '1970-01-01T00:00:01Z'),
    (0, None),       # ArcGIS: not yet
    (-1, None),      # ArcGIS: never
    (None, None),
    (True, None),
    (False, None),
    ('1795341600000', None),
])
def test_iso_from_epoch_ms(value, expected):
    assert iso_from_epoch_ms(value) == expected


@pytest.mark.parametrize('text, expected', [
    ('2026-11-22', 1795305600000),
    ('2026-11-22T10:00:00Z', 1795341600000),
    ('2026-11-22T10:00:00z', 1795341600000),
    ('2026-11-22T10:00:00+00:00', 1795341600000),
    ('2026-11-22T12:00:00+02:00', 1795341600000),
    ('2026-11-22T05:00:00-05:00', 1795341600000),
    ('2026-11-22T10:00:00', 1795341600000),   # naive = UTC
    ('  2026-11-22T10:00:00Z  ', 1795341600000),
    ('2026-11-22T10:00:00.250Z', 1795341600250),
])
def test_epoch_ms_from_iso(text, expected):
    assert epoch_ms_from_iso(text) == expected


@pytest.mark.parametrize('text', ['tomorrow', '', '2026-13-01', '22/11/2026', '2026-11-22T25:00:00Z'])
def test_epoch_ms_from_iso_rejects_garbage_with_the_accepted_forms(text):
    with pytest.raises(ValueError) as info:
        epoch_ms_from_iso(text)
    assert "'%s' is not an ISO 8601 date or date-time" % text in str(info.value)
    assert '2026-12-31T23:00:00Z' in str(info.value)


@pytest.mark.parametrize('ms', [1000, 1795341600000, 4102444800000])
def test_round_trip(ms):
    assert epoch_ms_from_iso(iso_from_epoch_ms(ms)) == ms


@pytest.mark.parametrize('value, expected', [
    ('2026-11-22T10:00:00.000Z', 1795341600.0), ('2026-11-22T10:00:00', 1795341600.0),
    ('2026-11-22T11:00:00+01:00', 1795341600.0), (1795341600000, 1795341600.0), (1795341600, 1795341600.0),
    (1795341600.5, 1795341600.5), ('  2026-11-22T10:00:00z ', 1795341600.0), ('2026-11-22', 1795305600.0),
    ('yesterday', None), ('', None), (None, None), (True, None), (float('nan'), None), (float('inf'), None)])
def test_parse_time_reads_vendor_times_and_gives_none_for_no_time(value, expected):
    assert parse_time(value) == expected


@pytest.mark.parametrize('text', ['2026-11-22T10:00:00Z', '2026-11-22T12:00:00+02:00', '2026-11-22'])
def test_parse_time_and_epoch_ms_from_iso_read_iso_texts_alike(text):
    assert parse_time(text) * 1000 == epoch_ms_from_iso(text)


@pytest.mark.parametrize('seconds, expected', [
    (1795341600, '2026-11-22T10:00:00Z'), (1795341600.7, '2026-11-22T10:00:00Z'), (0, '1970-01-01T00:00:00Z'),
    (1e300, '1e+300'),  # no date Python can hold: the number itself, never a traceback
])
def test_iso(seconds, expected):
    assert iso(seconds) == expected
