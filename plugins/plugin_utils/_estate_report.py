# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report (schema_version 1, docs/schemas/backup_report.schema.json) from every environment's row."""

from __future__ import annotations

from ansible_collections.saasops.backup.plugins.plugin_utils._estate import ALARMS, VERDICTS
from ansible_collections.saasops.backup.plugins.plugin_utils._manifest_store import now_iso, state_dir

SCHEMA, SCHEMA_VERSION = 'saasops.backup/backup_report', 1
NAMES = {'json': 'backup_report.json', 'html': 'backup_report.html', 'junit': 'backup_report.junit.xml'}


def default_dir():
    """Beside the default manifest directory: ``$XDG_STATE_HOME/saasops/reports`` (or ~/.local/state/...)."""
    return state_dir('reports')


def _counts(rows):
    counts = dict((verdict, 0) for verdict in VERDICTS)
    for row in rows:
        counts[row['verdict']] += 1
    return counts


def drill_of(record):
    """What the report shows of a drill record (already checked by _drill_history)."""
    return dict(at=record.get('finished_at') or record.get('started_at'), result=record.get('result'),
                rto_seconds=record.get('rto_seconds'), target=record.get('drill_target'))


def build(rows, drills, rpo, window, generated_at=None):
    """The report: the rows sorted by host, each with its last drill, and the counts per verdict and platform."""
    rows = sorted((dict(row) for row in rows), key=lambda row: str(row['host']))
    for row in rows:
        record = drills.get(row['host'])
        row['last_drill'] = drill_of(record) if record else None
    platforms = {}
    for row in rows:
        platforms.setdefault(row['platform'], []).append(row)
    summary = dict(environments=len(rows), verdicts=_counts(rows),
                   platforms=dict((name, dict(_counts(found), environments=len(found))) for name, found in sorted(platforms.items())))
    return dict(schema=SCHEMA, schema_version=SCHEMA_VERSION, generated_at=generated_at or now_iso(),
                defaults=dict(rpo=str(rpo), window=str(window)), summary=summary, environments=rows)


def alarms(report):
    """``<host>: <verdict>: <reason>`` for every environment whose verdict fails the report."""
    return ['%s: %s: %s' % (row['host'], row['verdict'], row['reason']) for row in report['environments'] if row['verdict'] in ALARMS]


def lines(report):
    """The end-of-run table, one line per environment, then the totals."""
    found = ['%-24s %-10s %-8s %s' % (row['host'], row['platform'], row['verdict'], row['reason']) for row in report['environments']]
    counts = report['summary']['verdicts']
    found.append('%d environments: %s' % (report['summary']['environments'],
                                          ', '.join('%d %s' % (counts[v], v) for v in VERDICTS if counts[v])))
    return found
