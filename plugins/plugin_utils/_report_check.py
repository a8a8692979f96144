# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape of an estate report (schema_version 1), checked before anything renders or writes it.

``docs/schemas/backup_report.schema.json`` is the documented contract, and the tests validate reports
against it with ``jsonschema``; the controller does not depend on that package, so this checks the same
required keys, types and enums with the standard library. A malformed report then fails with a message
naming the field, instead of rendering half a page. Keys it does not know are left alone here (the
schema, used by the tests, is the strict one). On top of the schema it checks what JSON Schema cannot:
the summary counts are those of the environments listed.
"""

from __future__ import annotations

import datetime
import math
import re

SCHEMA = 'saasops.backup/backup_report'
SCHEMA_VERSION = 1
PLATFORMS = ('arcgis', 'jahia', 'mendix', 'atlassian')
# Worst first: the order a reader should look at them (and the page's default order).
VERDICTS = ('failing', 'missing', 'stale', 'unknown', 'ok')
# The verdicts that fail the play (and the JUnit test case); ``unknown`` is reported, not failed.
ALERTS = ('failing', 'missing', 'stale')
SOURCES = ('platform', 'manifest')
DRILL_RESULTS = ('passed', 'failed')

# The schema's timestamp pattern: ISO 8601 with seconds and an explicit offset (or Z).
_TIMESTAMP = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})\Z', re.ASCII)
# parse_duration's syntax: seconds, or a number with a unit.
_DURATION = re.compile(r'^\s*\d+(\.\d+)?\s*[smhdwSMHDW]?\s*\Z', re.ASCII)


class ReportError(ValueError):
    """The report is not a schema_version 1 estate report (or cannot be written)."""


def parse_time(text):
    """The aware UTC datetime of a schema timestamp, or None when ``text`` is not one."""
    if not isinstance(text, str) or not _TIMESTAMP.match(text):
        return None
    # fromisoformat takes at most 6 fraction digits before Python 3.11 and no Z before 3.11: normalise both.
    text = re.sub(r'(\.\d{6})\d+', r'\1', text)
    text = text[:-1] + '+00:00' if text.endswith('Z') else text
    try:
        return datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc)
    except ValueError:  # 2026-02-30T25:00:00Z has the shape but is no time
        return None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _rule(test, what):
    return (test, what)


STRING = _rule(lambda v: isinstance(v, str), 'a string')
HOST = _rule(lambda v: isinstance(v, str) and v != '', 'a non-empty string')
COUNT = _rule(lambda v: _is_int(v) and v >= 0, 'an integer >= 0')
INTEGER = _rule(_is_int, 'an integer')
SECONDS = _rule(lambda v: _is_number(v) and v >= 0, 'a number >= 0')
TIMESTAMP = _rule(lambda v: parse_time(v) is not None, 'an ISO 8601 date-time with an offset (2026-01-31T12:00:00Z)')
DURATION = _rule(lambda v: (isinstance(v, str) and len(v) <= 32 and _DURATION.match(v) is not None)
                 or (_is_number(v) and v > 0), "a duration ('24h', '7d' or seconds)")
IDENTITY = _rule(lambda v: isinstance(v, dict) and all(
    isinstance(k, str) and (v[k] is None or isinstance(v[k], (str, bool)) or _is_number(v[k])) for k in v),
    'a dict of names')


def one_of(*choices):
    return _rule(lambda v: isinstance(v, str) and v in choices, 'one of %s' % ', '.join(choices))


class Nullable:
    """A field that may also be null."""

    def __init__(self, rule):
        self.rule = rule


# A dict is an object with (at least) these keys; a rule is (test, what); Nullable allows null.
VERDICT_COUNTS = dict((v, COUNT) for v in VERDICTS)
PLATFORM_COUNTS = dict(VERDICT_COUNTS, environments=COUNT)
ENVIRONMENT = {
    'host': HOST, 'platform': one_of(*PLATFORMS), 'label': STRING, 'identity': IDENTITY, 'rpo': DURATION,
    'rpo_seconds': COUNT, 'verdict': one_of(*VERDICTS), 'reason': STRING, 'source': one_of(*SOURCES),
    'newest': Nullable({'id': STRING, 'name': Nullable(STRING), 'time': TIMESTAMP, 'age_seconds': INTEGER}),
    'count': Nullable(COUNT),
    'expiry': {'oldest': Nullable(TIMESTAMP), 'newest': Nullable(TIMESTAMP)},
    'window': {'failed': COUNT, 'incomplete': COUNT},
    'last_drill': Nullable({'at': TIMESTAMP, 'result': one_of(*DRILL_RESULTS), 'rto_seconds': SECONDS,
                            'target': STRING}),
}
REPORT = {
    'schema': one_of(SCHEMA), 'schema_version': _rule(lambda v: _is_int(v) and v == SCHEMA_VERSION, str(SCHEMA_VERSION)),
    'generated_at': TIMESTAMP, 'defaults': {'rpo': DURATION, 'window': DURATION},
    'summary': {'environments': COUNT, 'verdicts': VERDICT_COUNTS, 'platforms': _rule(lambda v: isinstance(v, dict), 'a dict')},
    'environments': _rule(lambda v: isinstance(v, list), 'a list'),
}


def _shown(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + '...'


def _check(value, rule, where):
    if isinstance(rule, Nullable):
        if value is not None:
            _check(value, rule.rule, where)
        return
    if isinstance(rule, dict):
        if not isinstance(value, dict):
            raise ReportError('%s is %s, not an object' % (where, _shown(value)))
        for key, inner in rule.items():
            if key not in value:
                raise ReportError('%s has no %r' % (where, key))
            _check(value[key], inner, '%s.%s' % (where, key))
        return
    test, what = rule
    if not test(value):
        raise ReportError('%s is %s, not %s' % (where, _shown(value), what))


def _counts(environments):
    """Verdict counts of these environments: overall, and per platform with its number of environments."""
    overall = dict((v, 0) for v in VERDICTS)
    platforms = {}
    for env in environments:
        overall[env['verdict']] += 1
        counts = platforms.setdefault(env['platform'], dict([('environments', 0)] + [(v, 0) for v in VERDICTS]))
        counts['environments'] += 1
        counts[env['verdict']] += 1
    return overall, platforms


def check_report(report):
    """``report`` when it is a schema_version 1 estate report whose summary matches its environments; else ReportError."""
    try:
        _check(report, REPORT, 'report')
        for index, env in enumerate(report['environments']):
            _check(env, ENVIRONMENT, 'report.environments[%d]' % index)
        for platform, counts in report['summary']['platforms'].items():
            _check(counts, PLATFORM_COUNTS, 'report.summary.platforms[%s]' % _shown(platform))
    except ReportError as exc:
        raise ReportError('not a schema_version %d backup report: %s' % (SCHEMA_VERSION, exc)) from None
    summary = report['summary']
    overall, platforms = _counts(report['environments'])
    problems = []
    if summary['environments'] != len(report['environments']):
        problems.append('summary.environments is %r for %d environments' % (summary['environments'],
                                                                            len(report['environments'])))
    if dict((v, summary['verdicts'][v]) for v in VERDICTS) != overall:
        problems.append('summary.verdicts is %s, the environments give %s' % (_shown(summary['verdicts']), overall))
    zero = dict([('environments', 0)] + [(v, 0) for v in VERDICTS])
    for platform in sorted(set(summary['platforms']) | set(platforms)):
        given = summary['platforms'].get(platform)
        if platform not in PLATFORMS:
            problems.append('summary.platforms has %s, not a platform' % _shown(platform))
        elif given is None or any(given[k] != n for k, n in platforms.get(platform, zero).items()):
            problems.append('summary.platforms.%s is %s, the environments give %s'
                            % (platform, _shown(given), platforms.get(platform, zero)))
    if problems:
        raise ReportError('not a consistent backup report: %s' % '; '.join(problems))
    return report
