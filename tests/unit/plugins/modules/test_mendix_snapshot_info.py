# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mendix_snapshot_info through main() against the emulator: every page, filters, v1 and v2 shapes."""

import pytest

from ansible_collections.saasops.backup.plugins.modules import mendix_snapshot_info as mod
from ansible_collections.saasops.backup.tests.unit.helpers.emulated import Emulated


@pytest.fixture
def em(emu, monkeypatch):
    return Emulated(emu, monkeypatch)


def run(em, **args):
    base = dict(app_id='calc', environment='Acceptance')
    base.update(args)
    return em.run(mod, {k: v for k, v in base.items() if v is not None})


def read(em, **args):
    result = run(em, **args)
    assert result['failed'] is False, result
    return result


def seed(emu, count):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'n%d' % (i % 2),
                                        'age_seconds': 100 + i, 'state': 'failed' if i == 0 else 'completed'}
                                       for i in range(count)]}})


def test_reads_every_page(em, emu):
    emu.configure({'mendix': {'max_page_size': 3}})
    seed(emu, 7)
    result = read(em)
    assert result['changed'] is False and len(result['snapshots']) == 7
    offsets = [r['query']['offset'][0] for r in emu.requests(path='/snapshots$')]
    assert offsets == ['0', '3', '6']
    assert em.mutations() == []


def test_filters_and_one_by_id(em, emu):
    seed(emu, 5)
    every = read(em)['snapshots']
    assert [s['comment'] for s in read(em, comment='n0')['snapshots']] == ['n0'] * 3
    assert len(read(em, comment='n0', state='COMPLETED')['snapshots']) == 2
    one = read(em, snapshot_id=every[2]['snapshot_id'])['snapshots']
    assert one == [every[2]]
    assert read(em, snapshot_id='missing')['snapshots'] == []


def test_v1_shape_matches_v2_with_epoch_values(em, emu):
    seed(emu, 2)
    v2 = read(em)['snapshots']
    v1 = read(em, api_version=1)
    assert [s['snapshot_id'] for s in v1['snapshots']] == [s['snapshot_id'] for s in v2]
    assert all(isinstance(s['created_on'], int) and s['created_at'].endswith('Z') for s in v1['snapshots'])
    assert v1['environment']['mode'] == 'Acceptance' and v1['environment']['production'] is False


def test_check_mode_reads_the_same(em, emu):
    seed(emu, 3)
    result = em.run(mod, dict(app_id='calc', environment='Acceptance'), check_mode=True)
    assert result['failed'] is False and len(result['snapshots']) == 3


@pytest.mark.parametrize('args, message', [
    # The argument spec's rules: refused by AnsibleModule before the client is even built.
    (dict(app_id=None), 'missing required arguments: app_id'),
    (dict(api_version=3), 'value of api_version must be one of: 1, 2'),
    (dict(wait=True), 'Unsupported parameters'),
])
def test_argument_spec_rules_fail_before_any_request(em, emu, args, message):
    result = run(em, **args)
    assert result['failed'] is True and message in result['msg'], result
    assert emu.requests() == []


@pytest.mark.parametrize('args, message', [
    (dict(api_url='https://deploy.example.test/api/v2'), 'without /api/v2 at the end'),
    (dict(api_key=''), 'Mendix credentials missing'),
    (dict(snapshot_id='a/b'), "snapshot_id 'a/b' cannot be used"),
])
def test_bad_connection_input_fails_before_any_request(em, emu, args, message):
    result = run(em, **args)
    assert result['failed'] is True and message in result['msg'], result
    assert emu.requests() == []


def test_the_one_page_envelope_of_a_live_tenant_and_failed_snapshots_with_their_message(em, emu):
    emu.configure({'mendix': {'snapshot_list_envelope': 'total_only', 'max_page_size': 2}})
    emu.seed({'mendix': {'snapshots': [
        {'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'n%d' % i, 'age_seconds': 100 + i,
         'state': 'failed' if i % 3 == 0 else 'completed', 'status_message': 'Database dump failed'}
        for i in range(7)]}})
    result = read(em)
    assert len(result['snapshots']) == 7
    lists = emu.requests(path='/api/v2/.*/snapshots$')
    assert len(lists) == 1  # everything came in one page: no second request
    failed = [s for s in result['snapshots'] if s['state'] == 'failed']
    assert len(failed) == 3
    assert all(s['model_version'] is None and s['status_message'] == 'Database dump failed' for s in failed)
    assert all(s['model_version'] == '1.1.0.253' for s in result['snapshots'] if s['state'] == 'completed')
    assert read(em, state='failed')['snapshots'] == failed
    v1 = read(em, api_version=1, state='failed')['snapshots']
    assert len(v1) == 3 and all(s['model_version'] is None for s in v1)


def test_a_free_app_and_a_mendix_7_app_fail_clearly(em, emu):
    free = run(em, app_id='free-app', environment='Sandbox')
    assert free['failed'] is True and 'free apps and sandboxes have no Backups API' in free['msg']
    mx7 = run(em, app_id='mx7-app', environment='Test')
    assert mx7['failed'] is True and 'api_version: 1' in mx7['msg']
    assert read(em, app_id='mx7-app', environment='Test', api_version=1)['environment']['mendix_version'].startswith('7.')
