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
