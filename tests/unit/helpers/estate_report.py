# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Estate reports for the renderer tests (unit and browser) and the README screenshot.

``sample_report()`` covers the four platforms and every verdict, with and without a last drill, from
the platform and from our manifests, and one backup whose name and reason try to break out of the
page (``HOSTILE_NAME``, ``HOSTILE_REASON``): a page that runs them sets ``window.__pwned``.
"""

import copy
import datetime

GENERATED_AT = '2026-03-02T09:00:00Z'
HOUR = 3600
DAY = 86400
HOSTILE_NAME = '<script>window.__pwned = "script";</script><img src="data:," onerror="window.__pwned = \'img\'">'
HOSTILE_REASON = '" onmouseover="window.__pwned = \'attr\'" data-x="</td></tr><tr><td>injected row'
VERDICTS = ('ok', 'stale', 'missing', 'failing', 'unknown')
PLATFORMS = ('arcgis', 'jahia', 'mendix', 'atlassian')


def environment(host, platform, verdict, reason, label=None, age=None, name=None, count=5, rpo='24h',
                rpo_seconds=DAY, source='platform', drill=None, failed=0, incomplete=0, expiry=True):
    """One report entry; ``age`` in seconds (None: no good backup), ``drill`` (result, rto seconds, target) or None."""
    newest = None
    if age is not None:
        newest = {'id': 'bk-%s' % host, 'name': name, 'time': _before(age), 'age_seconds': age}
    return {
        'host': host, 'platform': platform, 'label': label if label is not None else host, 'identity': {'name': host},
        'rpo': rpo, 'rpo_seconds': rpo_seconds, 'verdict': verdict, 'reason': reason, 'source': source,
        'newest': newest, 'count': count,
        'expiry': {'oldest': '2026-03-05T00:00:00Z', 'newest': '2026-04-01T00:00:00Z'} if expiry and newest
        else {'oldest': None, 'newest': None},
        'window': {'failed': failed, 'incomplete': incomplete},
        'last_drill': None if drill is None else {'at': _before(2 * DAY + 3 * HOUR), 'result': drill[0],
                                                  'rto_seconds': drill[1], 'target': drill[2]},
    }


def _before(seconds):
    """The timestamp ``seconds`` before GENERATED_AT."""
    generated = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.timezone.utc)
    return (generated - datetime.timedelta(seconds=seconds)).strftime('%Y-%m-%dT%H:%M:%SZ')


def report_of(environments, generated_at=GENERATED_AT):
    """A report around ``environments`` with the summary they give."""
    verdicts = dict((v, 0) for v in VERDICTS)
    platforms = {}
    for env in environments:
        verdicts[env['verdict']] += 1
        counts = platforms.setdefault(env['platform'], dict([('environments', 0)] + [(v, 0) for v in VERDICTS]))
        counts['environments'] += 1
        counts[env['verdict']] += 1
    return {
        'schema': 'saasops.backup/backup_report', 'schema_version': 1, 'generated_at': generated_at,
        'defaults': {'rpo': '24h', 'window': '7d'},
        'summary': {'environments': len(environments), 'verdicts': verdicts, 'platforms': platforms},
        'environments': copy.deepcopy(list(environments)),
    }


def sample_environments():
    return [
        environment('gis-prod', 'arcgis', 'ok', 'newest good backup is 3 h old (RPO 24h)', label='GIS / Production',
                    age=3 * HOUR, name='nightly-20260302', count=14, drill=('passed', 1520.4, 'gis-drill')),
        environment('gis-acc', 'arcgis', 'stale', 'newest good backup is 30 h old, older than the RPO of 24h',
                    label='GIS / Acceptance', age=30 * HOUR, name='nightly-20260301', count=9,
                    drill=('failed', 3605.0, 'gis-drill'), incomplete=1),
        environment('calc-acc', 'mendix', 'ok', 'newest good backup is 45 min old (RPO 24h)', label='calc / Acceptance',
                    age=45 * 60, name='pre-deploy 2026-03-02', count=31),
        environment('calc-test', 'mendix', 'failing', HOSTILE_REASON, label='calc / Test & <QA>', age=50 * HOUR,
                    name=HOSTILE_NAME, count=8, failed=3),
        environment('calc-sbx', 'mendix', 'missing', 'no good backup: the environment has none', label='calc / Sandbox',
                    count=0, expiry=False),
        environment('jira-prod', 'atlassian', 'ok', 'newest good backup is 20 h old (RPO 24h)',
                    label='acme.atlassian.net / Jira', age=20 * HOUR, count=3, drill=('passed', 842.0, 'jira-sandbox')),
        environment('wiki-staging', 'atlassian', 'unknown', 'the backup API answered 503 three times: try again later',
                    label='acme-staging / Confluence', count=None, expiry=False),
        environment('shop-prod', 'jahia', 'ok', 'from our manifests: run 20260302-0400 backed it up 5 h ago',
                    label='shop / prod', age=5 * HOUR, name='shop-prod-20260302', count=None, source='manifest',
                    expiry=False, drill=('passed', 95.5, 'shop-drill')),
        environment('shop-acc', 'jahia', 'stale', 'from our manifests: the newest backup is 9 d old, older than the '
                    'RPO of 7d', label='shop / acc', age=9 * DAY + 2 * HOUR, name='shop-acc-20260221', count=None,
                    rpo='7d', rpo_seconds=7 * DAY, source='manifest', expiry=False),
        environment('shop-dev', 'jahia', 'unknown', 'Jahia cannot list backups and no manifest of ours names this '
                    'environment', label='shop / dev', count=None, source='manifest', expiry=False),
    ]


def sample_report():
    return report_of(sample_environments())


def _set(path, value):
    """A change to a report: set the value at ``path`` (keys and list indexes)."""
    def change(report):
        target = report
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(path):
    def change(report):
        target = report
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


def _verdict(index, verdict):
    """Change one environment's verdict, and the summary with it (a consistent report)."""
    def change(report):
        env = report['environments'][index]
        old, env['verdict'] = env['verdict'], verdict
        for counts in (report['summary']['verdicts'], report['summary']['platforms'][env['platform']]):
            counts[old] -= 1
            counts[verdict] += 1
    return change


def _without_environments_of(report, platform):
    """The report without ``platform``'s environments, its summary still listing the platform with zeros."""
    report.update(report_of([e for e in report['environments'] if e['platform'] != platform]))
    report['summary']['platforms'][platform] = dict(environments=0, ok=0, stale=0, missing=0, failing=0, unknown=0)


# (id, change, whether the JSON schema also refuses it): what a report may not be. The last ones are
# inconsistencies JSON Schema cannot express; only the run-time check refuses them.
MALFORMED = [
    ('an empty object', lambda r: r.clear(), True),
    ('other schema', _set(['schema'], 'saasops.backup/manifest'), True),
    ('schema version 2', _set(['schema_version'], 2), True),
    ('schema version as text', _set(['schema_version'], '1'), True),
    ('no generated_at', _delete(['generated_at']), True),
    ('generated_at without zone', _set(['generated_at'], '2026-03-02T09:00:00'), True),
    ('generated_at as a date', _set(['generated_at'], '2026-03-02'), True),
    ('generated_at epoch', _set(['generated_at'], 1772442000), True),
    ('default rpo nonsense', _set(['defaults', 'rpo'], 'a day'), True),
    ('default rpo zero', _set(['defaults', 'rpo'], 0), True),
    ('no window', _delete(['defaults', 'window']), True),
    ('environments not a list', _set(['environments'], {}), True),
    ('environment not a dict', _set(['environments', 0], 'gis-prod'), True),
    ('no host', _delete(['environments', 0, 'host']), True),
    ('empty host', _set(['environments', 0, 'host'], ''), True),
    ('unknown platform', _set(['environments', 0, 'platform'], 'aws'), True),
    ('unknown verdict', _set(['environments', 0, 'verdict'], 'fine'), True),
    ('verdict in capitals', _set(['environments', 0, 'verdict'], 'OK'), True),
    ('no reason', _delete(['environments', 0, 'reason']), True),
    ('reason null', _set(['environments', 0, 'reason'], None), True),
    ('unknown source', _set(['environments', 0, 'source'], 'guess'), True),
    ('rpo_seconds negative', _set(['environments', 0, 'rpo_seconds'], -1), True),
    ('rpo_seconds boolean', _set(['environments', 0, 'rpo_seconds'], True), True),
    ('identity a list', _set(['environments', 0, 'identity'], ['gis']), True),
    ('identity nested', _set(['environments', 0, 'identity'], {'name': {'x': 1}}), True),
    ('newest without time', _delete(['environments', 0, 'newest', 'time']), True),
    ('newest time null', _set(['environments', 0, 'newest', 'time'], None), True),
    ('newest id a number', _set(['environments', 0, 'newest', 'id'], 7), True),
    ('newest age as text', _set(['environments', 0, 'newest', 'age_seconds'], '3 h'), True),
    ('newest a list', _set(['environments', 0, 'newest'], []), True),
    ('count negative', _set(['environments', 0, 'count'], -2), True),
    ('count as text', _set(['environments', 0, 'count'], '5'), True),
    ('expiry null', _set(['environments', 0, 'expiry'], None), True),
    ('expiry oldest not a time', _set(['environments', 0, 'expiry', 'oldest'], 'soon'), True),
    ('window failed null', _set(['environments', 0, 'window', 'failed'], None), True),
    ('no last_drill', _delete(['environments', 0, 'last_drill']), True),
    ('drill planned', _set(['environments', 0, 'last_drill', 'result'], 'planned'), True),
    ('drill rto negative', _set(['environments', 0, 'last_drill', 'rto_seconds'], -5), True),
    ('drill rto as text', _set(['environments', 0, 'last_drill', 'rto_seconds'], '25 min'), True),
    ('drill without target', _delete(['environments', 0, 'last_drill', 'target']), True),
    ('summary verdict missing', _delete(['summary', 'verdicts', 'unknown']), True),
    ('summary platform unknown', _set(['summary', 'platforms', 'aws'], dict(
        environments=0, ok=0, stale=0, missing=0, failing=0, unknown=0)), True),
    ('summary platform without environments', _delete(['summary', 'platforms', 'arcgis', 'environments']), True),
    ('summary counts not those of the environments', _set(['summary', 'verdicts', 'ok'], 9), False),
    ('summary total not the number of environments', _set(['summary', 'environments'], 11), False),
    ('summary platform counts wrong', _set(['summary', 'platforms', 'mendix', 'failing'], 0), False),
    ('summary without a listed platform', _delete(['summary', 'platforms', 'jahia']), False),
]

# Reports that must be accepted: what the shape allows beyond the sample.
WELL_FORMED = [
    ('the sample', lambda r: None),
    ('rpo in seconds', _set(['environments', 0, 'rpo'], 86400)),
    ('default rpo in seconds', _set(['defaults', 'rpo'], 3600)),
    ('fractional seconds and an offset', _set(['environments', 0, 'newest', 'time'], '2026-03-02T08:00:00.123456789+01:00')),
    ('no backup name', _set(['environments', 0, 'newest', 'name'], None)),
    ('an empty label and reason', lambda r: r['environments'][0].update(label='', reason='')),
    ('a future backup', _set(['environments', 0, 'newest', 'age_seconds'], -60)),
    ('an integer RTO', _set(['environments', 0, 'last_drill', 'rto_seconds'], 0)),
    ('a platform summary with no environment', lambda r: _without_environments_of(r, 'jahia')),
    ('no environment at all', lambda r: r.update(report_of([]))),
    ('an ok environment turned failing', _verdict(0, 'failing')),
]
