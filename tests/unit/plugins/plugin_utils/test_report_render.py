# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report's renderers: a malformed report is refused before anything is written; every value
from a platform or a file reaches the page and the JUnit file as text; counts are those of the
environments; files are replaced atomically. (The page in a real browser: tests/browser.)"""

import base64
import copy
import hashlib
import os
import re
import stat
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _report_render as render
from ansible_collections.saasops.backup.plugins.plugin_utils._report_check import ReportError, check_report, parse_time
from ansible_collections.saasops.backup.tests.unit.helpers.estate_report import (
    HOSTILE_NAME, HOSTILE_REASON, MALFORMED, WELL_FORMED, environment, report_of, sample_report)

ALERTS = ('stale', 'missing', 'failing')


class Page(HTMLParser):
    """What a browser would build from the page: its tags, their attributes, and the text of each cell."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.cells = []  # (row's data-host, cell's data-label, text)
        self.scripts = []
        self.styles = []
        self._row = self._cell = None
        self._raw = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == 'tr':
            self._row = attrs.get('data-host')
        elif tag == 'td' and self._row is not None:
            self._cell = [self._row, attrs.get('data-label'), '']
            self.cells.append(self._cell)
        elif tag in ('script', 'style'):
            self._raw = (self.scripts if tag == 'script' else self.styles)
            self._raw.append('')

    def handle_endtag(self, tag):
        if tag == 'td':
            self._cell = None
        elif tag in ('script', 'style'):
            self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self._raw[-1] += data
        elif self._cell is not None:
            self._cell[2] += data

    def cell(self, host, label):
        return [text for row, name, text in self.cells if row == host and name == label][0]

    def attributes(self):
        return [name for dummy, attrs in self.tags for name in attrs]


def names(elements):
    return [element.get('name') for element in elements]


# --- refusing a malformed report ----------------------------------------------------------------

@pytest.mark.parametrize('case', MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_report_is_refused_by_every_renderer_and_writes_nothing(tmp_path, case):
    report = sample_report()
    case[1](report)
    with pytest.raises(ReportError, match='not a (schema_version 1|consistent) backup report'):
        check_report(report)
    for renderer in (render.render_html, render.render_junit):
        with pytest.raises(ReportError):
            renderer(report)
    with pytest.raises(ReportError):
        render.write_outputs(report, json_path=str(tmp_path / 'r.json'), html_path=str(tmp_path / 'r.html'),
                             junit_path=str(tmp_path / 'r.xml'))
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize('case', WELL_FORMED, ids=[case[0] for case in WELL_FORMED])
def test_what_the_shape_allows_renders(case):
    report = sample_report()
    case[1](report)
    assert check_report(report) is report
    ET.fromstring(render.render_junit(report))
    Page(render.render_html(report))


@pytest.mark.parametrize('value', [None, [], 'report', 7])
def test_a_report_that_is_no_object_is_refused(value):
    with pytest.raises(ReportError, match='report is .* not an object'):
        check_report(value)


def test_the_message_names_the_field_and_what_it_should_be():
    report = sample_report()
    report['environments'][3]['newest']['age_seconds'] = '3 h'
    with pytest.raises(ReportError, match=r"report\.environments\[3\]\.newest\.age_seconds is '3 h', not an integer"):
        check_report(report)
    report = sample_report()
    report['summary']['platforms']['mendix']['failing'] = 0
    with pytest.raises(ReportError, match='summary.platforms.mendix is .* the environments give'):
        check_report(report)


@pytest.mark.parametrize('text, expected', [
    ('2026-03-02T09:00:00Z', '2026-03-02T09:00:00+00:00'),
    ('2026-03-02T10:00:00+01:00', '2026-03-02T09:00:00+00:00'),
    ('2026-03-02T09:00:00.123456789Z', '2026-03-02T09:00:00.123456+00:00'),
    ('2026-03-02T09:00:00', None), ('2026-02-30T09:00:00Z', None), ('2026-03-02 09:00:00Z', None),
    ('2026-03-02T09:00:00Z\n', None), (None, None), (1772442000, None),
])
def test_timestamps_are_iso_8601_with_a_zone(text, expected):
    moment = parse_time(text)
    assert (moment.isoformat() if moment else None) == expected


# --- the page -----------------------------------------------------------------------------------

def test_every_environment_is_one_row_with_its_verdict_worst_first():
    report = sample_report()
    page = Page(render.render_html(report))
    rows = [attrs for tag, attrs in page.tags if tag == 'tr' and 'data-host' in attrs]
    assert sorted(r['data-host'] for r in rows) == sorted(e['host'] for e in report['environments'])
    verdicts = dict((e['host'], e['verdict']) for e in report['environments'])
    for row in rows:
        assert row['data-verdict'] == verdicts[row['data-host']]
        assert ('alert' in row['class'].split()) == (row['data-verdict'] in ALERTS)
        assert row['data-verdict'].upper() in page.cell(row['data-host'], 'Verdict')
    order = [r['data-verdict'] for r in rows]
    assert order == sorted(order, key=('failing', 'missing', 'stale', 'unknown', 'ok').index)


def test_the_summary_and_the_banner_count_the_environments():
    report = sample_report()
    text = render.render_html(report)
    counts = {}
    for platform, row in re.findall(r'<tr data-platform="(\w*)">(.*?)</tr>', text):
        counts[platform or 'all'] = dict((key, int(value)) for key, value in
                                         re.findall(r'<td data-count="(\w+)"[^>]*>(\d+)</td>', row))
    expected = dict((p, dict(c)) for p, c in report['summary']['platforms'].items())
    expected['all'] = dict(report['summary']['verdicts'], environments=len(report['environments']))
    assert counts == expected
    banner = [attrs for tag, attrs in Page(text).tags if attrs.get('id') == 'status'][0]
    assert banner['data-status'] == 'fail'


@pytest.mark.parametrize('verdicts, status, words', [
    (('ok', 'ok'), 'ok', 'All 2 environments have a good backup'),
    (('ok', 'unknown'), 'warn', '1 of 2 could not be checked'),
    (('ok', 'stale', 'missing', 'unknown'), 'fail', '2 of 4 environments need attention: 1 missing, 1 stale, 1 unknown'),
    ((), 'empty', 'no environment'),
])
def test_the_overall_status(verdicts, status, words):
    report = report_of([environment('h%d' % i, 'mendix', v, 'because', age=60) for i, v in enumerate(verdicts)])
    found, sentence = render.overall_status(report)
    assert found == status and words in sentence
    assert 'data-status="%s"' % status in render.render_html(report)


FIELDS = [
    ('host', lambda e, v: e.update(host=v), 'Environment'),
    ('label', lambda e, v: e.update(label=v), 'Environment'),
    ('reason', lambda e, v: e.update(reason=v), 'Reason'),
    ('backup name', lambda e, v: e['newest'].update(name=v), 'Newest backup'),
    ('backup id', lambda e, v: e['newest'].update(id=v, name=None), 'Newest backup'),
    ('drill target', lambda e, v: e['last_drill'].update(target=v), 'Last drill'),
    ('rpo', lambda e, v: e.update(rpo=v), 'Age'),
]
HOSTILE = ['<script>alert(1)</script>', '" onmouseover="alert(1)', "' onfocus='alert(1)' autofocus x='",
           '</td></tr></tbody></table><img src=x onerror=alert(1)>', '&lt;b&gt; &amp; &#x3c;', '<!-- --><style>*{}</style>']


@pytest.mark.parametrize('field', FIELDS, ids=[f[0] for f in FIELDS])
@pytest.mark.parametrize('value', HOSTILE)
def test_every_value_from_a_platform_or_a_file_is_text_on_the_page(field, value):
    name, put, column = field
    if name == 'rpo':
        value = '24h'  # an rpo is checked against the duration syntax; see the hostile-rpo test below
    base = sample_report()
    hostile = copy.deepcopy(base)
    env = hostile['environments'][0]
    put(env, value)
    clean, page = Page(render.render_html(base)), Page(render.render_html(hostile))
    # The same elements and attributes as a page of harmless values (a host may sort its row elsewhere): nothing
    # was injected.
    assert sorted(tag for tag, dummy in page.tags) == sorted(tag for tag, dummy in clean.tags)
    assert sorted(page.attributes()) == sorted(clean.attributes())
    assert not [a for a in page.attributes() if a.startswith('on') or a in ('autofocus', 'src')]
    assert page.scripts == clean.scripts and page.styles == clean.styles
    assert value in page.cell(env['host'], column)


def test_the_hostile_sample_reads_back_exactly():
    page = Page(render.render_html(sample_report()))
    assert page.cell('calc-test', 'Newest backup').startswith(HOSTILE_NAME)
    assert page.cell('calc-test', 'Reason') == HOSTILE_REASON
    assert 'calc / Test & <QA>' in page.cell('calc-test', 'Environment')


def test_control_characters_and_lone_surrogates_never_reach_a_file():
    report = sample_report()
    report['environments'][0]['reason'] = 'bad\x00byte \x1b[31m red \ud800 half \ufffe'
    for text in (render.render_html(report), render.render_junit(report)):
        assert not re.search('[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]', text)
        text.encode('utf-8')
    case = [c for c in ET.fromstring(render.render_junit(report)).iter('testcase') if c.get('name') == 'gis-prod'][0]
    assert 'bad\ufffdbyte \ufffd[31m red \ufffd half \ufffd' in case.find('system-out').text


def test_a_very_long_value_is_cut_on_the_page_but_kept_in_the_report(tmp_path):
    report = sample_report()
    report['environments'][0]['reason'] = 'x' * 100000
    page = Page(render.render_html(report))
    assert len(page.cell('gis-prod', 'Reason')) == render.MAX_TEXT
    render.write_outputs(report, json_path=str(tmp_path / 'r.json'))
    assert store.read_json(str(tmp_path / 'r.json'))['environments'][0]['reason'] == 'x' * 100000


def test_the_content_security_policy_names_exactly_the_inline_style_and_script():
    text = render.render_html(sample_report())
    page = Page(text)
    assert len(page.scripts) == 1 and len(page.styles) == 1
    policy = [attrs['content'] for tag, attrs in page.tags if attrs.get('http-equiv') == 'Content-Security-Policy'][0]
    directives = dict(d.strip().split(' ', 1) for d in policy.split(';'))
    assert directives['default-src'] == "'none'" and directives['img-src'] == 'data:'

    def digest(code):
        return "'sha256-%s'" % base64.b64encode(hashlib.sha256(code.encode('utf-8')).digest()).decode('ascii')
    assert directives['script-src'] == digest(page.scripts[0])
    assert directives['style-src'] == digest(page.styles[0])
    # Nothing to fetch: no element refers to anything, nor does the style or the script.
    assert not [name for name in page.attributes() if name in ('src', 'href', 'srcset', 'action', 'data', 'poster')]
    for code in page.styles + page.scripts:
        assert not re.search(r'@import|url\(|https?:|fetch\(|XMLHttpRequest|import\(', code)


def test_the_page_carries_no_report_data_in_its_script():
    report = sample_report()
    page = Page(render.render_html(report))
    for env in report['environments']:
        assert env['host'] not in page.scripts[0]
    assert page.scripts[0] == render.SORT_JS


def test_sort_keys_are_numbers_for_numeric_columns_and_empty_when_there_is_nothing():
    text = render.render_html(sample_report())
    page = Page(text)
    kinds = dict((label, kind) for label, kind in render.COLUMNS)
    keys = {}
    for tag, attrs in page.tags:
        if tag == 'td' and attrs.get('data-label') in kinds:
            keys.setdefault(attrs['data-label'], []).append(attrs['data-sort'])
    for label, values in keys.items():
        if kinds[label] == 'number':
            assert all(v == '' or float(v) == float(v) for v in values), label
    assert sorted(keys['Age'], key=lambda v: (v == '', float(v or 0)))[:3] == ['2700', '10800', '18000']
    assert keys['Last drill'].count('') == 6 and keys['RTO'].count('') == 6


@pytest.mark.parametrize('seconds, text', [
    (0, '0 s'), (59, '59 s'), (119, '119 s'), (120, '2 min'), (2700, '45 min'), (7199, '119 min'), (7200, '2 h'),
    (30 * 3600, '30 h'), (48 * 3600 - 1, '47 h'), (48 * 3600, '2 d'), (9 * 86400 + 7200, '9 d'), (-60, 'in the future'),
])
def test_ages_read_at_a_glance(seconds, text):
    assert render.human_age(seconds) == text


@pytest.mark.parametrize('seconds, text', [
    (0, '0 s'), (95.5, '96 s'), (119.4, '119 s'), (120, '2 min 00 s'), (842, '14 min 02 s'), (3599, '59 min 59 s'),
    (3600, '1 h 00 min'), (3605, '1 h 00 min'), (7500, '2 h 05 min'),
])
def test_restore_times_to_the_second_while_short(seconds, text):
    assert render.human_rto(seconds) == text


# --- the JUnit file -----------------------------------------------------------------------------

def test_junit_has_one_case_per_environment_failures_for_alerts_and_skips_for_unknown():
    report = sample_report()
    root = ET.fromstring(render.render_junit(report))
    suite = root.find('testsuite')
    envs = report['environments']
    expected = dict(tests=len(envs), failures=sum(e['verdict'] in ALERTS for e in envs),
                    skipped=sum(e['verdict'] == 'unknown' for e in envs), errors=0)
    for element in (root, suite):
        assert dict((k, int(element.get(k))) for k in expected) == expected
    assert suite.get('name') == 'saasops.backup estate' and suite.get('timestamp') == '2026-03-02T09:00:00'
    assert names(suite.find('properties')) == ['schema', 'schema_version', 'generated_at', 'default_rpo', 'window']
    cases = dict((c.get('name'), c) for c in suite.iter('testcase'))
    assert set(cases) == set(e['host'] for e in envs)
    for env in envs:
        case = cases[env['host']]
        assert case.get('classname') == 'saasops.backup.' + env['platform']
        failure, skipped = case.find('failure'), case.find('skipped')
        assert (failure is not None) == (env['verdict'] in ALERTS)
        assert (skipped is not None) == (env['verdict'] == 'unknown')
        if failure is not None:
            assert failure.get('type') == env['verdict'] and failure.text == env['reason']
            assert failure.get('message') == '%s: %s' % (env['verdict'], env['reason'])
    assert cases['calc-test'].find('failure').text == HOSTILE_REASON


def test_junit_of_no_environment():
    root = ET.fromstring(render.render_junit(report_of([])))
    assert (root.get('tests'), root.get('failures'), root.get('skipped')) == ('0', '0', '0')
    assert root.find('testsuite').findall('testcase') == []


# --- the files ----------------------------------------------------------------------------------

def paths(directory):
    return dict(json_path=str(directory / 'report.json'), html_path=str(directory / 'report.html'),
                junit_path=str(directory / 'report.xml'))


def test_write_outputs_writes_each_file_whole_private_and_leaves_no_temporary_file(tmp_path):
    report = sample_report()
    written = render.write_outputs(report, **paths(tmp_path))
    assert written == {'json': str(tmp_path / 'report.json'), 'html': str(tmp_path / 'report.html'),
                       'junit': str(tmp_path / 'report.xml')}
    assert sorted(os.listdir(str(tmp_path))) == ['report.html', 'report.json', 'report.xml']
    for path in written.values():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert store.read_json(written['json']) == report
    with open(written['html'], encoding='utf-8') as handle:
        assert handle.read() == render.render_html(report)
    with open(written['junit'], encoding='utf-8') as handle:
        assert handle.read() == render.render_junit(report)


def test_write_outputs_writes_only_what_is_asked(tmp_path):
    assert render.write_outputs(sample_report(), junit_path=str(tmp_path / 'j.xml')) == {'junit': str(tmp_path / 'j.xml')}
    assert os.listdir(str(tmp_path)) == ['j.xml']


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    (tmp_path / 'report.html').write_text('previous', encoding='utf-8')

    def broken_replace(src, dst):
        raise OSError(28, 'No space left on device')
    monkeypatch.setattr(os, 'replace', broken_replace)
    with pytest.raises(ReportError, match='the json report cannot be written to .*report.json: .*No space left'):
        render.write_outputs(sample_report(), **paths(tmp_path))
    assert os.listdir(str(tmp_path)) == ['report.html']
    assert (tmp_path / 'report.html').read_text(encoding='utf-8') == 'previous'


def test_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ReportError, match='the html report cannot be written to .*nowhere.*report.html'):
        render.write_outputs(sample_report(), html_path=str(tmp_path / 'nowhere' / 'report.html'))


def test_write_text_replaces_a_file_atomically(tmp_path):
    path = str(tmp_path / 'page.html')
    store.write_text(path, 'first \u2714\n')
    store.write_text(path, 'second\n')
    with open(path, encoding='utf-8') as handle:
        assert handle.read() == 'second\n'
    assert os.listdir(str(tmp_path)) == ['page.html']
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
