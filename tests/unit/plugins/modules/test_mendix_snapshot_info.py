# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mendix_snapshot_info against the emulator: every page, filters, v1 and v2 shapes."""

from ansible_collections.saasops.backup.plugins.modules import mendix_snapshot_info as mod
from ansible_collections.saasops.backup.tests.unit.plugins.modules.mendix_emu import client


def read(emu, **overrides):
    base = dict(snapshot_id=None, comment=None, state=None)
    base.update(overrides)
    module, api, dummy = client(emu, **base)
    try:
        return mod.read(api, module.params)
    finally:
        api.http.session.close()


def seed(emu, count):
    emu.seed({'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'comment': 'n%d' % (i % 2),
                                        'age_seconds': 100 + i, 'state': 'failed' if i == 0 else 'completed'}
                                       for i in range(count)]}})


def test_reads_every_page(emu):
    emu.configure({'mendix': {'max_page_size': 3}})
    seed(emu, 7)
    result = read(emu)
    assert result['changed'] is False and len(result['snapshots']) == 7
    offsets = [r['query']['offset'][0] for r in emu.requests(path='/snapshots$')]
    assert offsets == ['0', '3', '6']


def test_filters_and_one_by_id(emu):
    seed(emu, 5)
    every = read(emu)['snapshots']
    assert [s['comment'] for s in read(emu, comment='n0')['snapshots']] == ['n0'] * 3
    assert len(read(emu, comment='n0', state='COMPLETED')['snapshots']) == 2
    one = read(emu, snapshot_id=every[2]['snapshot_id'])['snapshots']
    assert one == [every[2]]
    assert read(emu, snapshot_id='missing')['snapshots'] == []


def test_v1_shape_matches_v2_with_epoch_values(emu):
    seed(emu, 2)
    v2 = read(emu)['snapshots']
    v1 = read(emu, api_version=1)
    assert [s['snapshot_id'] for s in v1['snapshots']] == [s['snapshot_id'] for s in v2]
    assert all(isinstance(s['created_on'], int) and s['created_at'].endswith('Z') for s in v1['snapshots'])
    assert v1['environment']['mode'] == 'Acceptance' and v1['environment']['production'] is False
