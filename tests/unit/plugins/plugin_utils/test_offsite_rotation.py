# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rotation of off-site copies as tables (the vendors' backups' rules over listed copies), and its history read
back as untrusted data."""

import json

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite as offsite
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite_record as record
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite_rotation as rotation
from ansible_collections.saasops.backup.plugins.plugin_utils._prune_plan import DELETE, KEEP

NOW = 1800000000.0
DAY = 86400
LOCATION = offsite.parse_location('s3://copies-1/team')


def listed(*items):
    """(name, age in days) -> what the action lists."""
    return [dict(name=name, time=None if days is None else rotation.iso(NOW - days * DAY), size=100) for name, days in items]


def decide(items, keep_last=2, keep_days=30, protected=()):
    copies = rotation.copies(listed(*items), LOCATION, 'h')
    return dict((d['name'], d['action']) for d in rotation.plan(copies, NOW, keep_last, keep_days, list(protected)))


@pytest.mark.parametrize('items, expected', [
    # keep_last 2, keep_days 30: the ones beyond the newest two and older than 30 days go.
    ((('saasops-r4.tar.gz', 1), ('saasops-r3.tar.gz', 31), ('saasops-r2.tar.gz', 40), ('saasops-r1.tar.gz', 50)),
     {'saasops-r4.tar.gz': KEEP, 'saasops-r3.tar.gz': KEEP, 'saasops-r2.tar.gz': DELETE, 'saasops-r1.tar.gz': DELETE}),
    # Young ones stay however many there are.
    ((('saasops-a.backup', 1), ('saasops-b.backup', 2), ('saasops-c.backup', 3), ('saasops-d.backup', 29)),
     {'saasops-a.backup': KEEP, 'saasops-b.backup': KEEP, 'saasops-c.backup': KEEP, 'saasops-d.backup': KEEP}),
    # Not ours (no run id in its name), hidden (a partial download), or no time: never deleted.
    ((('saasops-r4.tar.gz', 1), ('saasops-r3.tar.gz', 2), ('notes.txt', 90), ('saasops-x y.tar.gz', 90),
      ('.saasops-r0.tar.gz.part', 90), ('saasops-r9.tar.gz', None)),
     {'saasops-r4.tar.gz': KEEP, 'saasops-r3.tar.gz': KEEP, 'notes.txt': KEEP, 'saasops-x y.tar.gz': KEEP,
      'saasops-r9.tar.gz': KEEP}),
])
def test_what_goes_and_what_stays(items, expected):
    assert decide(items) == expected


def test_the_newest_copy_stays_however_old_and_sidecars_are_not_copies():
    items = (('saasops-r2.tar.gz', 80), ('saasops-r2.tar.gz.mendix-snapshot.json', 80), ('saasops-r1.tar.gz', 90))
    assert decide(items, keep_last=1, keep_days=1) == {'saasops-r2.tar.gz': KEEP, 'saasops-r1.tar.gz': DELETE}


def test_protected_runs_keep_what_they_made_or_recorded():
    manifest = {'environments': [
        {'host': 'h', 'offsite': {'location': 's3://copies-1/team/h/saasops-renamed.tar.gz'}},
        {'host': 'other', 'offsite': {'location': 's3://copies-1/team/h/saasops-r1.tar.gz'}},  # another host's entry
        'junk', {'host': 'h', 'offsite': 'junk'}]}
    runs = [dict(run_id='r2', why='latest', manifest=manifest), dict(run_id='r3', why='pinned', manifest=None)]
    protected = rotation.protections(runs, 'h')
    assert protected == [dict(run_id='r2', why='latest', ids={'s3://copies-1/team/h/saasops-renamed.tar.gz'}),
                         dict(run_id='r3', why='pinned', ids=set())]
    items = (('saasops-r9.tar.gz', 1), ('saasops-r8.tar.gz', 2), ('saasops-r3.tar.gz', 60), ('saasops-r2.tar.gz', 61),
             ('saasops-renamed.tar.gz', 62), ('saasops-r1.tar.gz', 63))
    assert decide(items, protected=protected) == {
        'saasops-r9.tar.gz': KEEP, 'saasops-r8.tar.gz': KEEP, 'saasops-r3.tar.gz': KEEP, 'saasops-r2.tar.gz': KEEP,
        'saasops-renamed.tar.gz': KEEP, 'saasops-r1.tar.gz': DELETE}


def test_summary_lines():
    copies = rotation.plan(rotation.copies(listed(('saasops-r2.tar.gz', 1), ('saasops-r1.tar.gz', 90)), LOCATION, 'h'),
                           NOW, 1, 30, [])
    found = dict(host='h', platform='mendix', folder='s3://copies-1/team/h/', copies=copies,
                 deleted=[dict(copies[1], at='2026-01-01T00:00:00Z')], failed=[])
    lines = rotation.host_lines(found, False)
    assert lines[0].startswith('h (mendix, off-site copies in s3://copies-1/team/h/): deleted 1 of 2 copies')
    assert lines[1].startswith('  - deleted s3://copies-1/team/h/saasops-r1.tar.gz (90d old, 100 B)')
    assert rotation.host_lines(found, True)[0].endswith('would delete 1 of 2 copies, keep 1 (1 newest completed)')
    assert 'NOT ROTATED - boom' in rotation.host_lines(dict(found, error='boom'), False)[0]


def history_record(**changes):
    base = dict(kind='copy', host='h', platform='mendix', location='/c/h/saasops-r1.tar.gz', run_id='r1',
                time='2026-01-01T00:00:00Z', size=3, result='deleted', reason='old', at='2026-02-01T00:00:00Z', error=None)
    base.update(changes)
    return base


@pytest.mark.parametrize('changes', [dict(kind='backup'), dict(host=''), dict(platform='gitlab'), dict(run_id='../x'),
                                     dict(time='soon'), dict(size=-1), dict(size='3'), dict(result='maybe'),
                                     dict(location='a\nb'), dict(at=None), dict(error=5)])
def test_history_records_of_a_wrong_form_are_refused(changes):
    assert record.clean_record(history_record(**changes)) is None


def test_history_appends_and_reads_back_only_well_formed_records(tmp_path):
    path, notes = record.append(str(tmp_path), [history_record(), history_record(time=None, size=None)])
    assert notes == [] and path == str(tmp_path / 'prune' / 'copies' / 'history.json')
    data = json.loads((tmp_path / 'prune' / 'copies' / 'history.json').read_text(encoding='utf-8'))
    data['deletions'].append(dict(history_record(), location={'url': 'https://evil'}))
    (tmp_path / 'prune' / 'copies' / 'history.json').write_text(json.dumps(data), encoding='utf-8')
    kept, dropped = record.HISTORY.read(str(tmp_path))
    assert len(kept) == 2 and dropped == 1
    with pytest.raises(record.HistoryError):
        record.append(str(tmp_path), [history_record(kind='copy', host=None)])


def test_records_of_a_rotation():
    found = dict(host='h', platform='mendix', deleted=[dict(id='/c/x', run_id='r1', time='2026-01-01T00:00:00Z', size=3,
                                                            reason='old', at='2026-02-01T00:00:00Z')],
                 failed=[dict(id='/c/y', run_id='r0', time=None, size=None, reason='old', error='EACCES')])
    records = record.records_of(found)
    assert [(r['location'], r['result'], r['error']) for r in records] == [('/c/x', 'deleted', None), ('/c/y', 'failed', 'EACCES')]
    assert all(record.clean_record(r) for r in records)
