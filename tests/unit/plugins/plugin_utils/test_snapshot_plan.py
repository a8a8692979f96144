# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The snapshot plan: input refused without echoing values, module arguments, manifest entries."""

import datetime

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _snapshot_plan as plan

SECRET = 'Sup3r-Secret-Value'
OPTIONS = {'api_url': {'type': 'str'}, 'api_token': {'type': 'str'}, 'organization': {'type': 'str'},
           'environment': {'type': 'str'}, 'timeout': {'type': 'float'}, 'validate_certs': {'type': 'bool'},
           'retention_days': {'type': 'int'}, 'api_version': {'type': 'int', 'choices': [1, 2]},
           'wait': {'type': 'bool'}, 'name': {'type': 'str', 'aliases': ['backup_name']}}
NOW = datetime.datetime(2026, 11, 30, 12, 0, 0, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize('run_id', ['a b', 'x/y', 'line\nbreak', 'caf\u00e9', '', '.hidden', None, 42, 'x' * 129])
def test_a_bad_run_id_is_refused(run_id):
    with pytest.raises(plan.InputProblem, match='saasops_run_id .* is not valid'):
        plan.check_run_id(run_id)


def test_a_good_run_id_passes():
    plan.check_run_id('20261130t101500z-ab12')
    plan.check_run_id('release_42.1')


@pytest.mark.parametrize('value, message', [(-1, 'positive'), (0, 'positive'), ('soon', 'whole number'), ([1], 'whole number')])
def test_a_bad_wait_timeout_is_refused(value, message):
    with pytest.raises(plan.InputProblem, match=message):
        plan.check_wait_timeout(value)


def test_a_misspelled_secret_key_is_named_with_a_suggestion_and_never_its_value():
    with pytest.raises(plan.InputProblem) as info:
        plan.check_options('jahia', 'saasops_connection', {'api_tokn': SECRET, 'api_url': 'https://x'}, OPTIONS)
    message = str(info.value)
    assert "saasops_connection has an unknown option 'api_tokn' for the jahia_backup module (did you mean 'api_token'?)" in message
    assert SECRET not in message


def test_wrong_types_and_choices_are_named_without_values():
    with pytest.raises(plan.InputProblem) as info:
        plan.check_options('mendix', 'saasops_backup_options', {'retention_days': 'many-' + SECRET, 'api_version': 3,
                                                                'timeout': {'a': SECRET}}, OPTIONS)
    message = str(info.value)
    assert 'saasops_backup_options.retention_days must be of type int' in message
    assert 'saasops_backup_options.api_version must be one of 1, 2' in message
    assert 'saasops_backup_options.timeout must be of type float' in message
    assert SECRET not in message


def test_keys_the_role_sets_are_refused_and_aliases_accepted():
    with pytest.raises(plan.InputProblem, match="saasops_backup_options sets 'wait', which the role sets itself"):
        plan.check_options('arcgis', 'saasops_backup_options', {'wait': True}, OPTIONS, plan.PLATFORMS['arcgis']['owned'])
    plan.check_options('arcgis', 'saasops_target', {'backup_name': 'x', 'validate_certs': 'yes'}, OPTIONS)


def test_a_variable_that_is_not_a_dict_is_refused():
    with pytest.raises(plan.InputProblem, match='saasops_target must be a dictionary'):
        plan.check_options('jahia', 'saasops_target', 'staging', OPTIONS)


def test_the_role_owns_what_names_the_backup_and_the_user_may_set_max_age():
    args = plan.module_arguments({'url': 'u', 'name': 'mine'}, {'store': 's'}, plan.role_defaults('atlassian', '24h'),
                                 {'max_age': '7d'}, plan.role_arguments('atlassian', 'r1', 'start', 60))
    assert args == {'url': 'u', 'name': 'mine', 'store': 's', 'max_age': '7d', 'wait': False, 'wait_timeout': 60}
    arcgis = plan.role_arguments('arcgis', 'r1', 'wait', 60)
    assert arcgis['name'] == 'saasops-r1' and arcgis['wait'] is True
    assert plan.role_arguments('mendix', 'r1', 'start', 60)['comment'] == 'saasops r1'
    assert plan.role_arguments('jahia', 'r1', 'start', 60) == {}


RESULTS = [
    ('arcgis', {'changed': True, 'backup': {'name': 'saasops-r1', 'store': 'default-store', 'status': 'completed'}},
     {'url': 'https://gis/arcgis'}, 'completed',
     {'target': {'url': 'https://gis/arcgis', 'store': 'default-store'}, 'restore': {'name': 'saasops-r1', 'store': 'default-store'}}),
    ('arcgis', {'changed': True, 'backup': {'name': 'saasops-r1', 'store': 'default-store', 'status': 'in_progress'}},
     {}, 'running', {}),
    ('atlassian', {'changed': False, 'backup': {'backup_id': 'b1', 'status': 'COMPLETE', 'cloud_id': 'c1', 'product': 'JIRA',
                                                'created_at': '2026-11-30T10:00:00.000Z'}},
     {}, 'completed', {'restore': {'backup_id': 'b1', 'cloud_id': 'c1', 'product': 'jira'}, 'reused': True, 'age_s': 7200}),
    ('mendix', {'changed': True, 'snapshot': {'snapshot_id': 's1', 'state': 'running', 'comment': 'saasops r1'}},
     {'app_id': 'calc', 'environment': 'Test', 'api_version': 1}, 'running',
     {'restore': {'app_id': 'calc', 'environment': 'Test', 'api_version': 1, 'snapshot_id': 's1',
                  'stop_environment': True, 'start_environment': True}}),
    ('jahia', {'changed': True, 'backup': {'backup_name': 'staging-acme', 'timestamp': 't'}, 'environment': {'name': 'staging'}},
     {'organization': 'acme'}, 'triggered',
     {'target': {'environment': 'staging', 'organization': 'acme'},
      'restore': {'environment': 'staging', 'organization': 'acme', 'backup': {'backup_name': 'staging-acme', 'timestamp': 't'}}}),
]


@pytest.mark.parametrize('platform, result, identity, status, expected', RESULTS)
def test_entries_from_module_results(platform, result, identity, status, expected):
    entry = plan.entry_from_result('h', platform, result, identity, False, NOW)
    assert entry['host'] == 'h' and entry['platform'] == platform and entry['status'] == status
    for key, value in expected.items():
        assert entry[key] == value, key


@pytest.mark.parametrize('platform, result, identity, status, expected', RESULTS)
def test_check_mode_entries_are_planned_and_tolerate_missing_fields(platform, result, identity, status, expected):
    entry = plan.entry_from_result('h', platform, {'changed': True}, identity, True, NOW)
    assert entry['status'] == 'planned' and entry['reused'] is False


def test_ages_from_iso_text_or_epoch_milliseconds():
    assert plan.age_seconds('2026-11-30T11:00:00Z', NOW) == 3600
    assert plan.age_seconds(int(datetime.datetime(2026, 11, 30, 11, 59, tzinfo=datetime.timezone.utc).timestamp() * 1000), NOW) == 60
    assert plan.age_seconds('not a date', NOW) is None
    assert plan.age_seconds(10 ** 30, NOW) is None


def test_summary_lines():
    reused = dict(host='jira', platform='atlassian', status='completed', backup={'backup_id': 'b1'}, reused=True, age_s=7200,
                  elapsed_s=1.5)
    assert 'b1 (reused, 2h old)' in plan.summary_line(reused)
    failed = plan.failed_entry('gis', 'arcgis', 'timed out after 60 s')
    assert 'failed' in plan.summary_line(failed) and 'error: timed out after 60 s' in plan.summary_line(failed)
    assert 'would back up' in plan.summary_line(dict(reused, status='planned'))


@pytest.mark.parametrize('entry, expected', [
    ({'platform': 'mendix', 'status': 'completed',
      'backup': {'snapshot_id': 's1', 'project_id': 'p', 'environment_id': 'e', 'comment': 'x'}},
     {'snapshot_id': 's1', 'project_id': 'p', 'environment_id': 'e'}),
    ({'platform': 'mendix', 'status': 'completed', 'backup': {'snapshot_id': 's1', 'project_id': None}}, {'snapshot_id': 's1'}),
    # Not completed, another platform, no key naming the backup, a value that is not text: nothing to confirm.
    ({'platform': 'mendix', 'status': 'failed', 'backup': {'snapshot_id': 's1'}}, None),
    ({'platform': 'arcgis', 'status': 'completed', 'backup': {'snapshot_id': 's1'}}, None),
    ({'platform': 'mendix', 'status': 'completed', 'backup': {'project_id': 'p'}}, None),
    ({'platform': 'mendix', 'status': 'completed', 'backup': {'snapshot_id': {'$ne': 1}}}, None),
    ({'platform': 'mendix', 'status': 'completed', 'backup': 'garbage'}, None),
    ('garbage', None),
])
def test_confirm_of_takes_only_the_keys_that_name_a_completed_backup(entry, expected):
    assert plan.confirm_of('mendix', entry) == expected


def test_known_ids_and_jahia_has_nothing_to_confirm():
    assert plan.known_ids('mendix', {'backup': {'project_id': 'p', 'environment_id': 'e', 'snapshot_id': 's'}}) == \
        {'project_id': 'p', 'environment_id': 'e'}
    assert plan.known_ids('arcgis', {'backup': {'store': 's'}}) == {} and plan.known_ids('mendix', {}) == {}
    assert plan.confirm_of('jahia', {'platform': 'jahia', 'status': 'completed', 'backup': {'name': 'x'}}) is None
