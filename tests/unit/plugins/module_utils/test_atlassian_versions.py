# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_atlassian_versions: the v1/v2 strategies - base URL by version, the account-id header only on v2,
v2 policies read with both detail flags and seen in v1's keys, bodies in the assumed v2 shape, statuses."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._atlassian import Atlassian
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_objects import normalise_status
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_versions import ApiV1, ApiV2
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import FakeClock, ScriptedSession, reply

V2 = r'https://api\.atlassian\.com/public/backup-management/v2/orgs/org-1/'
POLICY = {'policyId': 'pol-1', 'policyName': 'Jira', 'productType': 'JIRA', 'status': 'ACTIVE',
          'cloudInfo': {'cloudId': 'c-1'},
          'details': {'storageId': None, 'backupDetails': {'lastBackupTime': '2026-11-22T10:00:00.000Z'},
                      'scheduleDetails': {'interval': 'WEEKLY'}}}


def client(monkeypatch, script=(), **params):
    monkeypatch.setattr(PlatformApi, 'clock', FakeClock())
    module = FakeModule(params, defaults=dict(api_url=None, api_version=1, account_id=None, org_id='org-1',
                                              user='admin@example.com', api_token='tok', validate_certs=True,
                                              ca_path=None, timeout=30.0, retries=3))
    api = Atlassian(module)
    api.http.session = ScriptedSession(script)
    return api


@pytest.mark.parametrize('version, url, strategy', [
    (1, 'https://api.atlassian.com/public/backup-management/v1', ApiV1),
    (2, 'https://api.atlassian.com/public/backup-management/v2', ApiV2),
])
def test_the_default_base_and_strategy_follow_api_version(monkeypatch, version, url, strategy):
    api = client(monkeypatch, api_version=version)
    assert api.url == url and type(api.strategy) is strategy  # pylint: disable=unidiomatic-typecheck


def test_an_explicit_api_url_is_used_as_given(monkeypatch):
    assert client(monkeypatch, api_version=2, api_url='https://proxy.example.test/bm/v1').url == \
        'https://proxy.example.test/bm/v1'


@pytest.mark.parametrize('version, expected', [(1, None), (2, 'acc-1')])
def test_the_account_id_header_is_sent_on_v2_only(monkeypatch, version, expected):
    assert client(monkeypatch, api_version=version, account_id='acc-1').http.auth_headers.get('X-Atl-Account-Id') == expected


@pytest.mark.parametrize('value', ['acc\r\nX-Evil: 1', '   '])
def test_an_account_id_that_could_break_a_header_is_refused(monkeypatch, value):
    with pytest.raises(InputError, match='account_id must be an Atlassian account id'):
        client(monkeypatch, api_version=2, account_id=value)


def test_a_v2_policy_is_read_with_both_flags_and_seen_in_v1_keys(monkeypatch):
    api = client(monkeypatch, [('GET', V2 + 'policies/pol-1$', reply(json=POLICY))], api_version=2)
    policy = api.strategy.policy('pol-1')
    assert api.http.session.calls[0].params == {'storageDetails': 'true', 'backupDetails': 'true'}
    assert (policy['cloudId'], policy['product'], policy['schedule'], policy['lastBackupTime']) == (
        'c-1', 'JIRA', 'weekly', '2026-11-22T10:00:00.000Z')
    assert policy['details'] == POLICY['details']


@pytest.mark.parametrize('body, expected', [
    ({'product': 'JIRA', 'schedule': 'once'}, {'productType': 'JIRA', 'scheduleDetails': {'interval': 'ONCE'}}),
    ({'schedule': None}, {'scheduleDetails': None}),
    ({'includeAttachments': True}, {'includeAttachments': True}),
])
def test_v2_policy_bodies_in_the_assumed_shape(body, expected):
    assert ApiV2.policy_body(body) == expected


@pytest.mark.parametrize('raw, expected', [
    ('COMPLETED', 'COMPLETE'), ('completed', 'COMPLETE'), ('CREATED', 'CREATED'), ('IN PROGRESS', 'IN_PROGRESS'),
    ('SOMETHING NEW', 'SOMETHING_NEW'),
])
def test_statuses(raw, expected):
    assert normalise_status(raw) == expected


def test_expiry_from_expiry_time_else_creation_plus_retention(monkeypatch):
    v1, v2 = client(monkeypatch).strategy, client(monkeypatch, api_version=2).strategy
    created = {'backupId': 'b', 'createdAt': '2026-11-01T00:00:00Z'}
    assert v1.backup_view(created)['expiryTime'] == '2026-11-15T00:00:00Z'
    assert v2.backup_view(created)['expiryTime'] == '2026-12-01T00:00:00Z'
    assert v2.backup_view(dict(created, expiryTime='2026-11-20T00:00:00Z'))['expiryTime'] == '2026-11-20T00:00:00Z'


def test_v1_refuses_nothing_and_needs_no_account_id(monkeypatch):
    strategy = client(monkeypatch).strategy
    strategy.refuse('export')
    strategy.need_account_id('run a backup')
