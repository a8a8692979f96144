# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_atlassian_objects, _atlassian_consent and _atlassian_ensure: the platform's rules as data.

Times are _convert.parse_time's (tests/unit/plugins/module_utils/test_convert.py), durations
_duration.parse_duration's (test_duration.py)."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._atlassian_consent import (
    accepting, check_consent, describe, uncovered)
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_ensure import Fields, ensure
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import (
    normalise_product, normalise_status, object_result)
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError


@pytest.mark.parametrize('value, expected', [('jira', 'JIRA'), ('Confluence', 'CONFLUENCE'), (' JIRA ', 'JIRA')])
def test_products_in_any_case(value, expected):
    assert normalise_product(value) == expected


@pytest.mark.parametrize('value', ['bitbucket', '', None, 'jira software'])
def test_unknown_products_name_the_choices(value):
    with pytest.raises(InputError, match='product must be one of confluence, jira'):
        normalise_product(value)


@pytest.mark.parametrize('value, expected', [('IN PROGRESS', 'IN_PROGRESS'), ('in-progress', 'IN_PROGRESS'),
                                             ('COMPLETE', 'COMPLETE'), ('awaiting consent', 'AWAITING_CONSENT'), (None, None)])
def test_statuses_are_normalised(value, expected):
    assert normalise_status(value) == expected


def test_object_result_is_snake_case_with_normalised_status():
    assert object_result({'backupId': 'b', 'status': 'IN PROGRESS', 'createdAt': 'x'}) == \
        {'backup_id': 'b', 'status': 'IN_PROGRESS', 'created_at': 'x'}
    assert object_result(None) == {}


# --- consents ---------------------------------------------------------------------------------

def test_consent_spelling_is_forgiven_in_case_only():
    assert check_consent(['consent_conflicting_space_check', 'Consent_Conflicting_Space_Check']) == ['Consent_Conflicting_Space_Check']


def test_a_misspelt_consent_suggests_the_nearest_value():
    with pytest.raises(InputError, match="'Consent_Conflicting_Spaces_Check' is not one of .*did you mean 'Consent_Conflicting_Space_Check'"):
        check_consent(['Consent_Conflicting_Spaces_Check'])


def test_accept_and_deny_custom_groups_together_is_refused():
    with pytest.raises(InputError, match='not both'):
        check_consent(['Accept_Custom_Group_Check', 'deny_custom_group_check'])


@pytest.mark.parametrize('check, values', [
    ('Consent_TDP_Shard_Check', ('Consent_TDP_Shard_Check',)),
    ('Accept_Custom_Group_Check', ('Accept_Custom_Group_Check', 'Deny_Custom_Group_Check')),
    ('Custom_Group_Check', ('Accept_Custom_Group_Check', 'Deny_Custom_Group_Check')),
    ('Some_New_Check', ()),
])
def test_which_consent_accepts_which_check(check, values):
    assert accepting(check) == values


def test_uncovered_checks_are_listed_with_the_values_that_would_accept_them():
    errors = [{'check': 'Consent_Conflicting_Space_Check', 'message': 'DOCS exists'},
              {'check': 'Accept_Custom_Group_Check', 'message': 'groups grant access'},
              {'check': 'Consent_Site_License_Check', 'message': 'licence differs'},
              {'check': 'Mystery_Check', 'message': 'new'}]
    missing = uncovered(errors, ['Deny_Custom_Group_Check', 'Consent_Site_License_Check'])
    assert [m[0] for m in missing] == ['Consent_Conflicting_Space_Check', 'Mystery_Check']
    text = describe(missing)
    assert 'Consent_Conflicting_Space_Check: DOCS exists (add Consent_Conflicting_Space_Check to consent)' in text
    assert 'Mystery_Check: new (no consent value is known to accept it' in text


# --- ensure -----------------------------------------------------------------------------------

FIELDS = Fields(('name', 'storageName'), ('size', 'sizeGb'))


class Module:
    def __init__(self, check_mode=False):
        self.check_mode = check_mode


@pytest.mark.parametrize('check_mode', [False, True])
def test_ensure_creates_a_missing_object_with_the_set_fields(check_mode):
    sent = []
    changed, after, diff = ensure(Module(check_mode), FIELDS, 'thing', None, FIELDS.wanted({'name': 'a', 'size': None}),
                                  lambda body: sent.append(body) or dict(body, id=1), lambda: None)
    assert changed is True
    assert diff == {'before': {}, 'after': {'name': 'a', 'size': None}}
    assert sent == ([] if check_mode else [{'storageName': 'a'}])


@pytest.mark.parametrize('check_mode', [False, True])
def test_ensure_updates_only_the_differing_set_fields(check_mode):
    sent = []
    existing = {'storageName': 'a', 'sizeGb': 1, 'id': 1}
    changed, after, diff = ensure(Module(check_mode), FIELDS, 'thing', existing, {'name': 'a', 'size': 2}, None, None,
                                  lambda body: sent.append(body) or dict(existing, **body))
    assert changed is True
    assert diff == {'before': {'name': 'a', 'size': 1}, 'after': {'name': 'a', 'size': 2}}
    assert after['sizeGb'] == 2
    assert sent == ([] if check_mode else [{'sizeGb': 2}])


def test_ensure_leaves_an_equal_object_alone_and_ignores_unset_fields():
    changed, after, diff = ensure(Module(), FIELDS, 'thing', {'storageName': 'a', 'sizeGb': 5}, {'name': 'a'}, None, None,
                                  lambda body: pytest.fail('no update expected'))
    assert changed is False and diff['before'] == diff['after']


def test_ensure_without_update_fails_naming_the_differences():
    with pytest.raises(InputError, match=r"thing exists with other settings that the API cannot change: size \(is 1, wanted 2\)"):
        ensure(Module(), FIELDS, 'thing', {'storageName': 'a', 'sizeGb': 1}, {'name': 'a', 'size': 2}, None, None)
