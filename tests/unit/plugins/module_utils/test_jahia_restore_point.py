# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_jahia_restore_point: the predicted point, its validation, the fields restoreBackup.do gets (_jahia.restore_form)."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils import _jahia_restore_point as rp
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._jahia import restore_form

GOOD = {'backup_name': 'staging-acme', 'timestamp': '2026-11-22T10:05:00', 'backup_type': 'manual',
        'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'dev', 'environment': 'staging'}
SUMMARY = {'name': 'staging', 'short_domain': 'staging-acme', 'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'dev'}


@pytest.mark.parametrize('epoch, stamp', [
    (1795341930.0, '2026-11-22T10:05:00'),
    (1795341900.0, '2026-11-22T10:05:00'),
    (1795341959.999, '2026-11-22T10:05:00'),
    (1795341960.0, '2026-11-22T10:06:00'),
])
def test_trigger_minute_is_utc_with_zero_seconds(epoch, stamp):
    assert rp.trigger_minute(epoch) == stamp


def test_predict_names_the_backup_after_the_short_domain():
    assert rp.predict(SUMMARY, 1795341930.0) == GOOD


def test_a_prediction_without_placement_keeps_the_gaps_visible():
    point = rp.predict(dict(SUMMARY, cloud_provider=None, region=None, env_role=None), 1795341930.0)
    assert (point['cloud_provider'], point['region'], point['env_role']) == (None, None, None)
    with pytest.raises(InputError) as info:
        rp.validate(point, 'backup.')
    assert 'backup.cloud_provider is required' in str(info.value)
    assert 'backup.region is required' in str(info.value) and 'backup.env_role is required' in str(info.value)


def test_the_prediction_is_exactly_the_shape_restore_takes():
    suboptions = rp.backup_option_spec()['options']
    assert sorted(suboptions) == sorted(rp.predict(SUMMARY, 0.0)) == sorted(rp.FIELDS)
    assert rp.validate(rp.predict(SUMMARY, 1795341930.0), 'backup.') == GOOD


@pytest.mark.parametrize('field, value, message', [
    ('backup_name', None, 'backup_name is required'),
    ('backup_name', '', 'backup_name is required'),
    ('backup_name', 'staging_acme', "backup_name 'staging_acme' must be 1-128 letters"),
    ('backup_name', 'a/b', 'must be 1-128 letters'),
    ('backup_name', 'x' * 129, 'must be 1-128 letters'),
    ('timestamp', None, 'timestamp is required'),
    ('timestamp', '2026-11-22 10:05:00', 'YYYY-MM-DDTHH:MM:SS'),
    ('timestamp', '2026-11-22T10:05', 'YYYY-MM-DDTHH:MM:SS'),
    ('timestamp', '2026-11-22T10:05:00Z', 'YYYY-MM-DDTHH:MM:SS'),
    ('timestamp', '2026-13-01T00:00:00', 'YYYY-MM-DDTHH:MM:SS'),
    ('timestamp', '2026-02-30T00:00:00', 'YYYY-MM-DDTHH:MM:SS'),
    ('timestamp', '2026-11-22T24:00:00', 'YYYY-MM-DDTHH:MM:SS'),
    ('backup_type', 'weekly', "backup_type 'weekly' must be one of manual, scheduled, auto"),
    ('cloud_provider', 'gcp', "cloud_provider 'gcp' must be one of aws, ovh"),
    ('cloud_provider', 'AWS', 'must be one of aws, ovh'),
    ('cloud_provider', None, 'cloud_provider is required'),
    ('region', None, 'region is required'),
    ('region', 'EU West', 'must be a region name'),
    ('env_role', 'qa', "env_role 'qa' must be one of dev, prod, preprod"),
    ('env_role', None, 'env_role is required'),
    ('environment', 'Staging', 'must be an environment name'),
])
def test_every_field_is_checked(field, value, message):
    with pytest.raises(InputError, match=message):
        rp.validate(dict(GOOD, **{field: value}))


def test_every_problem_is_reported_at_once_with_the_option_prefix():
    with pytest.raises(InputError) as info:
        rp.validate({'backup_name': 'a b', 'timestamp': 'yesterday', 'cloud_provider': 'gcp'}, 'backup.')
    text = str(info.value)
    for fragment in ('backup.backup_name', 'backup.timestamp', 'backup.cloud_provider', 'backup.region', 'backup.env_role'):
        assert fragment in text


@pytest.mark.parametrize('given, sent', [(None, 'manual'), ('manual', 'manual'), ('scheduled', 'scheduled'), ('auto', 'scheduled')])
def test_backup_type_defaults_to_manual_and_auto_is_sent_as_scheduled(given, sent):
    point = rp.validate(dict(GOOD, backup_type=given))
    assert point['backup_type'] == sent
    assert restore_form(point)['backupType'] == sent


def test_the_source_environment_is_optional_and_never_sent():
    point = rp.validate(dict(GOOD, environment=None))
    assert point['environment'] is None
    assert restore_form(point) == {'backupName': 'staging-acme', 'timestamp': '2026-11-22T10:05:00', 'backupType': 'manual',
                                   'cloudProvider': 'aws', 'region': 'eu-west-1', 'envRole': 'dev'}


def test_from_params_prefers_the_dict_and_names_options_accordingly():
    params = dict((key, None) for key in rp.SINGLE_FIELDS)
    assert rp.from_params(dict(params, backup=dict(GOOD))) == (GOOD, 'backup.')
    single = dict(params, backup=None, backup_name='x', timestamp='2026-01-01T00:00:00')
    point, prefix = rp.from_params(single)
    assert prefix == '' and point['backup_name'] == 'x' and 'environment' not in point


def test_preprod_and_ovh_are_accepted():
    point = rp.validate(dict(GOOD, cloud_provider='ovh', region='gra', env_role='preprod'))
    assert (point['cloud_provider'], point['region'], point['env_role']) == ('ovh', 'gra', 'preprod')
