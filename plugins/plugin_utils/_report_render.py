# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report's outputs: the JSON file, a self-contained HTML page and a JUnit XML file.

Every string in a report may come from a platform or a file (backup names, reasons, labels), so it is
untrusted text: the page escapes every value (attributes always double-quoted), carries no data in its
script (the sort reads ``data-*`` attributes), and its Content-Security-Policy only runs the script and
style whose hashes it names, so even an escaping mistake could not run an injected script. The JUnit
file is built with ElementTree (escaping) after removing what XML 1.0 cannot hold.

The page needs no network: inline CSS and script, no fonts, images or links to load.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import xml.etree.ElementTree as ET

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils._report_check import (
    ALERTS, PLATFORMS, VERDICTS, ReportError, check_report, parse_time)
from ansible_collections.saasops.backup.plugins.plugin_utils._report_assets import PAGE_CSS, SORT_JS

PLATFORM_NAMES = {'arcgis': 'ArcGIS', 'jahia': 'Jahia', 'mendix': 'Mendix', 'atlassian': 'Atlassian'}
# A word and a symbol per verdict, so a verdict never depends on colour alone (print, colour blindness).
VERDICT_ICONS = {'ok': '\u2714', 'stale': '\u26a0', 'missing': '\u2205', 'failing': '\u2716', 'unknown': '?'}
VERDICT_TITLES = {'ok': 'OK', 'stale': 'Stale', 'missing': 'Missing', 'failing': 'Failing', 'unknown': 'Unknown'}
SOURCE_TEXT = {'platform': 'platform', 'manifest': 'from our manifests'}
# A backup name of a megabyte would make the page unreadable; the JSON keeps the whole value.
MAX_TEXT = 500
# What XML 1.0 (and a sane HTML page) cannot hold: control characters, lone surrogates, U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile('[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


# --- text ---------------------------------------------------------------------------------------

def clean(value, limit=MAX_TEXT):
    """``value`` as text a page or an XML file can hold: unprintable characters replaced, long text cut."""
    text = _UNPRINTABLE.sub('\ufffd', '' if value is None else str(value))
    return text if len(text) <= limit else text[:limit - 1] + '\u2026'


def esc(value):
    """HTML-escaped text, safe in element content and in a double-quoted attribute."""
    return html.escape(clean(value), quote=True)


def human_age(seconds):
    """'45 s', '12 min', '30 h', '9 d': the unit a person reads at a glance (rounded down)."""
    seconds = int(seconds)
    if seconds < 0:
        # The platform's clock is ahead of ours: say so rather than show a negative age.
        return 'in the future'
    for limit, unit, size in ((120, 's', 1), (7200, 'min', 60), (48 * 3600, 'h', 3600)):
        if seconds < limit:
            return '%d %s' % (seconds // size, unit)
    return '%d d' % (seconds // 86400)


def human_rto(seconds):
    """A restore time to the second while it is short, to the minute once it is long: '42 s', '4 min 10 s', '2 h 05 min'."""
    seconds = int(round(seconds))
    if seconds < 120:
        return '%d s' % seconds
    if seconds < 3600:
        return '%d min %02d s' % (seconds // 60, seconds % 60)
    return '%d h %02d min' % (seconds // 3600, seconds % 3600 // 60)


def human_time(text):
    """'2026-01-31 12:00 UTC' from a report timestamp."""
    moment = parse_time(text)
    # The time of day and its zone stay together (a no-break space).
    return moment.strftime('%Y-%m-%d %H:%M\u00a0UTC') if moment else clean(text)


def _epoch(text):
    moment = parse_time(text)
    return '' if moment is None else '%d' % moment.timestamp()


def _count_text(counts):
    return ', '.join('%d %s' % (counts[v], v) for v in VERDICTS if counts[v] and v != 'ok')


def overall_status(report):
    """('fail' | 'warn' | 'ok' | 'empty', one sentence) for the banner and the JUnit file."""
    verdicts = report['summary']['verdicts']
    total = len(report['environments'])
    alerts = sum(verdicts[v] for v in ALERTS)
    if not total:
        return 'empty', 'The report lists no environment.'
    if alerts:
        return 'fail', '%d of %d environments need attention: %s.' % (alerts, total, _count_text(verdicts))
    if verdicts['unknown']:
        return 'warn', ('No environment is stale, missing or failing, but %d of %d could not be checked.'
                        % (verdicts['unknown'], total))
    return 'ok', 'All %d environments have a good backup within their RPO.' % total


# --- HTML ---------------------------------------------------------------------------------------

def _csp_hash(text):
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode('ascii')


# Nothing may load: the page is one file. Only our own style and script run (by hash), so an injected
# <script> or on* attribute would not run even if a value escaped its escaping.
CSP = ("default-src 'none'; style-src %s; script-src %s; img-src data:; base-uri 'none'; form-action 'none'"
       % (_csp_hash(PAGE_CSS), _csp_hash(SORT_JS)))

# (label, sort type) of the environments table, in column order.
COLUMNS = (('Environment', 'text'), ('Platform', 'text'), ('Verdict', 'number'), ('Reason', 'text'),
           ('Newest backup', 'number'), ('Age', 'number'), ('Backups', 'number'), ('Expiry', 'number'),
           ('In window', 'number'), ('Last drill', 'number'), ('RTO', 'number'), ('Source', 'text'))


def _badge(verdict):
    return ('<span class="badge badge-%s"><span class="icon" aria-hidden="true">%s</span> %s</span>'
            % (verdict, VERDICT_ICONS[verdict], verdict.upper()))


def _sub(text):
    return '<span class="sub">%s</span>' % text if text else ''


def _time_html(stamp, day=False, shown=None):
    """A <time> element: shown as a date (``day``), a date and time, or ``shown``; the full time is its title.

    The date never breaks at its hyphens; the time of day may go below it in a narrow column.
    """
    full = human_time(stamp)
    if shown:
        text = esc(shown)
    else:
        date, _sep, clock = full.partition(' ')
        text = '<span class="nowrap">%s</span>%s' % (esc(date), '' if day or not clock else ' ' + esc(clock))
    return '<time datetime="%s" title="%s">%s</time>' % (esc(stamp), esc(full), text)


def _cell(label, sort_value, content):
    """A cell: its column name (the phone layout shows it), its sort key, and one wrapper for its content."""
    return '<td data-label="%s" data-sort="%s"><div class="v">%s</div></td>' % (esc(label), esc(sort_value), content)


def _none(text='\u2014'):
    return '<span class="none">%s</span>' % esc(text)


def _environment_cells(env, generated):
    newest, drill, window, expiry = env['newest'], env['last_drill'], env['window'], env['expiry']
    cells = [
        _cell('Environment', env['host'], '<strong class="host">%s</strong>%s' % (
            esc(env['host']), _sub('<span class="label">%s</span>' % esc(env['label'])) if env['label'] else '')),
        _cell('Platform', PLATFORM_NAMES[env['platform']], esc(PLATFORM_NAMES[env['platform']])),
        _cell('Verdict', VERDICTS.index(env['verdict']), _badge(env['verdict'])),
        _cell('Reason', env['reason'], '<span class="reason">%s</span>' % esc(env['reason']) if env['reason'] else _none()),
    ]
    if newest:
        title = newest['name'] or newest['id']
        detail = ('id %s \u00b7 ' % esc(newest['id']) if newest['name'] else '') + _time_html(newest['time'])
        cells.append(_cell('Newest backup', _epoch(newest['time']),
                           '<span class="backup">%s</span>%s' % (esc(title), _sub(detail))))
        over = newest['age_seconds'] > env['rpo_seconds']
        cells.append(_cell('Age', newest['age_seconds'], '<span class="age%s">%s</span>%s' % (
            ' over-rpo' if over else '', esc(human_age(newest['age_seconds'])), _sub('RPO %s' % esc(env['rpo'])))))
    else:
        cells.append(_cell('Newest backup', '', _none('none')))
        cells.append(_cell('Age', '', _none() + _sub('RPO %s' % esc(env['rpo']))))
    cells.append(_cell('Backups', '' if env['count'] is None else env['count'],
                       _none('unknown') if env['count'] is None else esc(env['count'])))
    if expiry['oldest'] or expiry['newest']:
        parts = ['<span class="line">%s %s</span>' % (what, _time_html(expiry[what], day=True))
                 for what in ('oldest', 'newest') if expiry[what]]
        cells.append(_cell('Expiry', _epoch(expiry['newest'] or expiry['oldest']), ''.join(parts)))
    else:
        cells.append(_cell('Expiry', '', _none()))
    troubles = window['failed'] + window['incomplete']
    cells.append(_cell('In window', troubles, '%s failed \u00b7 %s incomplete' % (
        esc(window['failed']), esc(window['incomplete'])) if troubles else _none('none')))
    if drill:
        ago = (generated - parse_time(drill['at'])).total_seconds()
        when = _time_html(drill['at'], shown='%s ago' % human_age(ago) if ago >= 0 else None)
        cells.append(_cell('Last drill', _epoch(drill['at']), '<span class="drill drill-%s">%s %s</span>%s' % (
            drill['result'], VERDICT_ICONS['ok' if drill['result'] == 'passed' else 'failing'], esc(drill['result']),
            _sub('into %s \u00b7 %s' % (esc(drill['target']), when)))))
        cells.append(_cell('RTO', '%r' % float(drill['rto_seconds']),
                           '<span class="rto">%s</span>' % esc(human_rto(drill['rto_seconds']))))
    else:
        cells.append(_cell('Last drill', '', _none('never')))
        cells.append(_cell('RTO', '', _none()))
    cells.append(_cell('Source', SOURCE_TEXT[env['source']], esc(SOURCE_TEXT[env['source']])))
    return cells


def _environment_rows(report):
    generated = parse_time(report['generated_at'])
    # Worst first, then by host: what needs attention is at the top (the Verdict column's ascending order).
    order = sorted(range(len(report['environments'])), key=lambda i: (
        VERDICTS.index(report['environments'][i]['verdict']), report['environments'][i]['host']))
    rows = []
    for position, index in enumerate(order):
        env = report['environments'][index]
        kind = 'alert' if env['verdict'] in ALERTS else env['verdict']
        rows.append('<tr class="env %s verdict-%s" data-order="%d" data-host="%s" data-platform="%s" data-verdict="%s">%s</tr>'
                    % (kind, env['verdict'], position, esc(env['host']), env['platform'], env['verdict'],
                       ''.join(_environment_cells(env, generated))))
    return rows


def _header(index, label, kind):
    # The initial order is by verdict (worst first): the header says so.
    sort = ' aria-sort="ascending"' if label == 'Verdict' else ''
    return ('<th scope="col" data-type="%s" data-col="%d"%s><button type="button" class="sort">%s</button></th>'
            % (kind, index, sort, esc(label)))


def _summary_table(report):
    heads = ''.join('<th scope="col" class="v-%s">%s</th>' % (v, VERDICT_TITLES[v]) for v in VERDICTS)
    rows = []
    platforms = report['summary']['platforms']
    # check_report allows the known platforms only.
    for platform in [p for p in PLATFORMS if p in platforms]:
        counts = platforms[platform]
        cells = ''.join('<td data-count="%s"%s>%d</td>' % (
            v, ' class="hit hit-%s"' % v if counts[v] and v != 'ok' else '', counts[v]) for v in VERDICTS)
        rows.append('<tr data-platform="%s"><th scope="row">%s</th><td data-count="environments">%d</td>%s</tr>'
                    % (platform, PLATFORM_NAMES[platform], counts['environments'], cells))
    verdicts = report['summary']['verdicts']
    total = ''.join('<td data-count="%s">%d</td>' % (v, verdicts[v]) for v in VERDICTS)
    return ('<div class="scroll"><table id="summary" class="summary"><caption>Environments per platform and verdict</caption>'
            '<thead><tr><th scope="col">Platform</th><th scope="col">Total</th>%s</tr></thead>'
            '<tbody>%s</tbody><tfoot><tr data-platform=""><th scope="row">All</th><td data-count="environments">%d</td>%s</tr>'
            '</tfoot></table></div>' % (heads, ''.join(rows), len(report['environments']), total))


def render_html(report):
    """The report as one self-contained HTML page (checked first: a malformed report raises ReportError)."""
    check_report(report)
    status, sentence = overall_status(report)
    icon = {'fail': VERDICT_ICONS['failing'], 'warn': VERDICT_ICONS['stale'], 'ok': VERDICT_ICONS['ok'], 'empty': '?'}[status]
    generated = human_time(report['generated_at'])
    headers = ''.join(_header(i, label, kind) for i, (label, kind) in enumerate(COLUMNS))
    rows = _environment_rows(report)
    return '\n'.join([
        '<!DOCTYPE html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="%s">' % esc(CSP),
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="saasops.backup backup_report">',
        '<title>Backup estate report \u2014 %s</title>' % esc(generated),
        '<style>%s</style>' % PAGE_CSS,
        '</head>',
        '<body>',
        '<header><h1>Backup estate report</h1>',
        '<p class="meta">Generated %s \u00b7 %d environments \u00b7 default RPO %s \u00b7 failures counted over %s</p>'
        % (_time_html(report['generated_at']), len(report['environments']), esc(report['defaults']['rpo']),
           esc(report['defaults']['window'])),
        '</header>',
        '<main>',
        '<section id="status" class="banner banner-%s" role="status" data-status="%s">'
        '<span class="icon" aria-hidden="true">%s</span> <strong>%s</strong> %s</section>'
        % (status, status, icon, status.upper() if status != 'empty' else 'EMPTY', esc(sentence)),
        '<section aria-labelledby="platforms-title"><h2 id="platforms-title">Per platform</h2>',
        _summary_table(report),
        '</section>',
        '<section aria-labelledby="environments-title"><h2 id="environments-title">Environments</h2>',
        '<p class="hint">Select a column heading to sort by it; select it again to reverse the order.</p>',
        '<p id="sort-status" class="visually-hidden" aria-live="polite"></p>',
        '<div class="scroll"><table id="environments" class="environments">',
        '<caption class="visually-hidden">One row per environment, worst verdict first</caption>',
        '<thead><tr>%s</tr></thead>' % headers,
        '<tbody>',
        '\n'.join(rows),
        '</tbody></table></div>',
        '</section>',
        '</main>',
        '<footer><p>saasops.backup estate report, schema %s version %d.</p></footer>'
        % (esc(report['schema']), report['schema_version']),
        '<script>%s</script>' % SORT_JS,
        '</body>',
        '</html>',
        '',
    ])


# --- JUnit XML ----------------------------------------------------------------------------------

def _details(env):
    """The environment in plain lines: what a CI system shows beside the test case."""
    lines = ['verdict: %s' % env['verdict'], 'reason: %s' % env['reason'], 'label: %s' % env['label'],
             'rpo: %s' % env['rpo'], 'source: %s' % SOURCE_TEXT[env['source']]]
    newest = env['newest']
    if newest:
        lines.append('newest backup: %s (id %s) at %s, age %s'
                     % (newest['name'] or newest['id'], newest['id'], newest['time'], human_age(newest['age_seconds'])))
    else:
        lines.append('newest backup: none')
    lines.append('backups: %s' % ('unknown' if env['count'] is None else env['count']))
    lines.append('expiry: oldest %s, newest %s' % (env['expiry']['oldest'] or '-', env['expiry']['newest'] or '-'))
    lines.append('in window: %d failed, %d incomplete' % (env['window']['failed'], env['window']['incomplete']))
    drill = env['last_drill']
    lines.append('last drill: %s' % ('never' if not drill else '%s at %s into %s, RTO %s' % (
        drill['result'], drill['at'], drill['target'], human_rto(drill['rto_seconds']))))
    return '\n'.join(clean(line, MAX_TEXT * 2) for line in lines) + '\n'


def _junit_timestamp(text):
    # JUnit's timestamp is an xs:dateTime without a zone (what its schema and most readers expect): UTC.
    moment = parse_time(text)
    return moment.strftime('%Y-%m-%dT%H:%M:%S') if moment else ''


def render_junit(report):
    """The report as JUnit XML: one test case per environment; stale/missing/failing fail, unknown is skipped."""
    check_report(report)
    environments = report['environments']
    failures = sum(1 for env in environments if env['verdict'] in ALERTS)
    skipped = sum(1 for env in environments if env['verdict'] == 'unknown')
    counts = {'tests': str(len(environments)), 'failures': str(failures), 'errors': '0', 'skipped': str(skipped),
              'time': '0'}
    timestamp = _junit_timestamp(report['generated_at'])
    root = ET.Element('testsuites', dict(name='saasops.backup', **counts))
    suite = ET.SubElement(root, 'testsuite', dict(name='saasops.backup estate', timestamp=timestamp, **counts))
    properties = ET.SubElement(suite, 'properties')
    for name, value in (('schema', report['schema']), ('schema_version', report['schema_version']),
                        ('generated_at', report['generated_at']), ('default_rpo', report['defaults']['rpo']),
                        ('window', report['defaults']['window'])):
        ET.SubElement(properties, 'property', name=name, value=clean(value))
    for env in environments:
        case = ET.SubElement(suite, 'testcase', classname='saasops.backup.%s' % env['platform'], name=clean(env['host']),
                             time='0')
        reason = clean(env['reason'] or env['verdict'])
        if env['verdict'] in ALERTS:
            failure = ET.SubElement(case, 'failure', message='%s: %s' % (env['verdict'], reason), type=env['verdict'])
            failure.text = reason
        elif env['verdict'] == 'unknown':
            ET.SubElement(case, 'skipped', message='unknown: %s' % reason)
        ET.SubElement(case, 'system-out').text = _details(env)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='unicode') + '\n'


# --- files --------------------------------------------------------------------------------------

def write_outputs(report, json_path=None, html_path=None, junit_path=None):
    """Write the report's files that are asked for, each atomically (mode 0600); returns {kind: path} written.

    Everything is rendered before the first file is touched, so a malformed report writes nothing;
    ReportError for a malformed report or a file that cannot be written.
    """
    check_report(report)
    outputs = []
    if json_path:
        outputs.append(('json', json_path, None))
    if html_path:
        outputs.append(('html', html_path, render_html(report)))
    if junit_path:
        outputs.append(('junit', junit_path, render_junit(report)))
    written = {}
    for kind, path, text in outputs:
        try:
            if text is None:
                store.write_json(path, report)
            else:
                store.write_text(path, text)
        except (OSError, store.StoreError) as exc:
            raise ReportError('the %s report cannot be written to %s: %s' % (kind, path, exc)) from None
        written[kind] = path
    return written
