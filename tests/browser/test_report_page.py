# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report's outputs as their readers get them: the JSON against its published schema, the
JUnit file as a CI system parses it, and the HTML page rendered by headless Chromium (rows, verdicts,
the per-platform summary, sorting by mouse and keyboard, hostile values shown as text, no request but
the file itself, a phone's width, print). Screenshots and a PDF are left in tests/output/browser/;
``test_readme_screenshot`` makes the picture copied to docs/images/backup_report.png."""

import base64
import json
import os
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ansible_collections.saasops.backup.plugins.plugin_utils import _report_render as render
from ansible_collections.saasops.backup.tests.unit.helpers.estate_report import (
    HOSTILE_NAME, HOSTILE_REASON, sample_environments, report_of, sample_report)

from conftest import OUTPUT, REPO, DESKTOP  # pylint: disable=import-error

SCHEMA = json.loads((REPO / 'docs' / 'schemas' / 'backup_report.schema.json').read_text(encoding='utf-8'))
ALERTS = ('stale', 'missing', 'failing')
PHONE = (390, 844)
README_WIDTH = 1440
A4_LANDSCAPE_PX = 1123  # 297 mm at 96 px per inch: the width a printed page lays out in


@pytest.fixture(scope='module')
def report():
    return sample_report()


@pytest.fixture(scope='module')
def outputs(report, tmp_path_factory):
    directory = tmp_path_factory.mktemp('report')
    paths = {kind: str(directory / name) for kind, name in
             (('json', 'report.json'), ('html', 'report.html'), ('junit', 'report.xml'))}
    written = render.write_outputs(report, json_path=paths['json'], html_path=paths['html'], junit_path=paths['junit'])
    assert written == paths
    return paths


@pytest.fixture
def page(browser, outputs):
    """The browser showing the report page at desktop size, screen media, with empty logs."""
    browser.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})
    browser.execute_cdp_cmd('Emulation.setEmulatedMedia', {'media': '', 'features': []})
    browser.set_window_size(*DESKTOP)
    browser.get('file://' + outputs['html'])
    return browser


def hosts_in_order(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#environments tbody tr')).map(r => r.dataset.host);")


def header(driver, label):
    return driver.find_element(By.XPATH, '//table[@id="environments"]/thead//th[normalize-space(button)="%s"]' % label)


def full_page_png(driver, name):
    """A screenshot of the whole page (not only the viewport) into tests/output/browser/<name>."""
    size = driver.execute_cdp_cmd('Page.getLayoutMetrics', {})['cssContentSize']
    shot = driver.execute_cdp_cmd('Page.captureScreenshot', {
        'format': 'png', 'captureBeyondViewport': True,
        'clip': {'x': 0, 'y': 0, 'width': size['width'], 'height': size['height'], 'scale': 1}})
    path = OUTPUT / name
    path.write_bytes(base64.b64decode(shot['data']))
    return path


def is_png(path):
    return path.stat().st_size > 10000 and path.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


# --- the files --------------------------------------------------------------------------------

def test_the_json_file_is_the_report_and_valid_against_the_published_schema(report, outputs):
    with open(outputs['json'], encoding='utf-8') as handle:
        written = json.load(handle)
    assert written == report
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(written)
    for path in outputs.values():
        assert oct(os.stat(path).st_mode & 0o777) == '0o600'
    assert sorted(os.listdir(os.path.dirname(outputs['json']))) == ['report.html', 'report.json', 'report.xml']


def test_the_junit_file_has_one_case_per_environment_failing_the_alerts_and_skipping_the_unknown(report, outputs):
    root = ET.parse(outputs['junit']).getroot()
    envs = report['environments']
    alerts = [e for e in envs if e['verdict'] in ALERTS]
    unknown = [e for e in envs if e['verdict'] == 'unknown']
    assert root.tag == 'testsuites'
    suites = root.findall('testsuite')
    assert [s.get('name') for s in suites] == ['saasops.backup estate']
    suite = suites[0]
    for element in (root, suite):
        assert (element.get('tests'), element.get('failures'), element.get('skipped'), element.get('errors')) == (
            str(len(envs)), str(len(alerts)), str(len(unknown)), '0')
    assert suite.get('timestamp') == report['generated_at'].rstrip('Z')
    cases = suite.findall('testcase')
    assert sorted((c.get('classname'), c.get('name')) for c in cases) == sorted(
        ('saasops.backup.%s' % e['platform'], e['host']) for e in envs)
    by_host = {c.get('name'): c for c in cases}
    for env in envs:
        case = by_host[env['host']]
        failures, skipped = case.findall('failure'), case.findall('skipped')
        if env['verdict'] in ALERTS:
            assert [(f.get('type'), f.get('message'), f.text) for f in failures] == [
                (env['verdict'], '%s: %s' % (env['verdict'], env['reason']), env['reason'])]
            assert not skipped
        elif env['verdict'] == 'unknown':
            assert [s.get('message') for s in skipped] == ['unknown: %s' % env['reason']] and not failures
        else:
            assert not failures and not skipped
        assert 'verdict: %s' % env['verdict'] in case.find('system-out').text
    # The hostile name went through as text: parsed back, it is the same string.
    assert 'newest backup: %s (id bk-calc-test)' % HOSTILE_NAME in by_host['calc-test'].find('system-out').text


# --- the page ---------------------------------------------------------------------------------

def test_one_row_per_environment_with_its_verdict_and_the_per_platform_summary(page, report):
    envs = {e['host']: e for e in report['environments']}
    rows = page.find_elements(By.CSS_SELECTOR, '#environments tbody tr')
    assert sorted(r.get_attribute('data-host') for r in rows) == sorted(envs)
    for row in rows:
        env = envs[row.get_attribute('data-host')]
        cells = {c.get_attribute('data-label'): c.text for c in row.find_elements(By.TAG_NAME, 'td')}
        assert cells['Environment'].splitlines() == [env['host'], env['label']]
        assert env['verdict'].upper() in cells['Verdict']
        assert cells['Platform'] == render.PLATFORM_NAMES[env['platform']]
        assert cells['Source'] == ('from our manifests' if env['source'] == 'manifest' else 'platform')
        if env['last_drill']:
            assert env['last_drill']['result'] in cells['Last drill'] and cells['RTO'] != '\u2014'
        else:
            assert cells['Last drill'] == 'never' and cells['RTO'] == '\u2014'
        if env['newest'] is None:
            assert cells['Newest backup'] == 'none'
    # Worst verdict first, as the Verdict heading's aria-sort says.
    order = [envs[h]['verdict'] for h in hosts_in_order(page)]
    assert order == sorted(order, key=('failing', 'missing', 'stale', 'unknown', 'ok').index)
    assert header(page, 'Verdict').get_attribute('aria-sort') == 'ascending'

    summary = page.execute_script("""
        const counts = {};
        for (const row of document.querySelectorAll('#summary tr[data-platform]')) {
          counts[row.dataset.platform || 'all'] = Object.fromEntries(
            Array.from(row.querySelectorAll('td[data-count]')).map(td => [td.dataset.count, Number(td.textContent)]));
        }
        return counts;""")
    expected = {p: dict(c) for p, c in report['summary']['platforms'].items()}
    expected['all'] = dict(report['summary']['verdicts'], environments=len(envs))
    assert summary == expected
    banner = page.find_element(By.ID, 'status')
    assert banner.get_attribute('data-status') == 'fail'
    assert '4 of 10 environments need attention' in banner.text


def test_stale_missing_and_failing_rows_stand_out_and_unknown_looks_different(page, report):
    styles = page.execute_script("""
        const out = {};
        for (const row of document.querySelectorAll('#environments tbody tr')) {
          const style = getComputedStyle(row);
          out[row.dataset.host] = {classes: Array.from(row.classList), background: style.backgroundColor,
                                   image: style.backgroundImage,
                                   edge: getComputedStyle(row.cells[0]).borderLeftColor};
        }
        return out;""")
    verdicts = {e['host']: e['verdict'] for e in report['environments']}
    ok_backgrounds = {(styles[h]['background'], styles[h]['image']) for h, v in verdicts.items() if v == 'ok'}
    assert len(ok_backgrounds) == 1
    ok_background = ok_backgrounds.pop()
    for host, verdict in verdicts.items():
        look = (styles[host]['background'], styles[host]['image'])
        if verdict in ALERTS:
            assert 'alert' in styles[host]['classes'], host
            assert look != ok_background, host
        elif verdict == 'unknown':
            assert 'alert' not in styles[host]['classes'] and look != ok_background
            assert 'gradient' in styles[host]['image']
        else:
            assert 'alert' not in styles[host]['classes']
    alert_looks = {(styles[h]['background'], styles[h]['image']) for h, v in verdicts.items() if v in ALERTS}
    unknown_looks = {(styles[h]['background'], styles[h]['image']) for h, v in verdicts.items() if v == 'unknown'}
    assert not alert_looks & unknown_looks
    # Not colour alone: the badge says the verdict in words, with a symbol.
    badge = page.find_element(By.CSS_SELECTOR, 'tr[data-host="calc-sbx"] .badge')
    assert badge.text.endswith('MISSING') and badge.find_element(By.CLASS_NAME, 'icon').text


def test_a_header_sorts_by_its_column_numerically_and_from_the_keyboard(page, report):
    envs = report['environments']
    by_host = sorted(e['host'] for e in envs)
    header(page, 'Environment').find_element(By.TAG_NAME, 'button').click()
    assert hosts_in_order(page) == by_host
    assert header(page, 'Environment').get_attribute('aria-sort') == 'ascending'
    assert header(page, 'Verdict').get_attribute('aria-sort') is None
    header(page, 'Environment').find_element(By.TAG_NAME, 'button').click()
    assert hosts_in_order(page) == by_host[::-1]
    assert header(page, 'Environment').get_attribute('aria-sort') == 'descending'

    # Ages as numbers (2700 s before 10800 s), environments without a backup last in both directions.
    aged = [e['host'] for e in sorted((e for e in envs if e['newest']), key=lambda e: e['newest']['age_seconds'])]
    without = [h for h in hosts_in_order(page) if h not in aged]
    age = header(page, 'Age').find_element(By.TAG_NAME, 'button')
    age.click()
    order = hosts_in_order(page)
    assert order[:len(aged)] == aged and sorted(order[len(aged):]) == sorted(without)
    # From the keyboard: the heading's button takes focus and Enter reverses the order.
    age.send_keys(Keys.ENTER)
    order = hosts_in_order(page)
    assert order[:len(aged)] == aged[::-1]
    assert page.switch_to.active_element == age
    assert header(page, 'Age').get_attribute('aria-sort') == 'descending'

    # Restore times: 95.5 s < 842 s < 1520.4 s < 3605 s (as text, '1520.4' < '3605.0' < '842.0' < '95.5').
    header(page, 'RTO').find_element(By.TAG_NAME, 'button').send_keys(Keys.SPACE)
    drilled = [e['host'] for e in sorted((e for e in envs if e['last_drill']), key=lambda e: e['last_drill']['rto_seconds'])]
    assert hosts_in_order(page)[:len(drilled)] == drilled
    assert 'Sorted by RTO, ascending' in page.find_element(By.ID, 'sort-status').get_attribute('textContent')


def test_hostile_names_and_reasons_are_shown_as_text_and_never_run(page):
    row = page.find_element(By.CSS_SELECTOR, 'tr[data-host="calc-test"]')
    backup = row.find_element(By.CSS_SELECTOR, 'td[data-label="Newest backup"] .backup')
    reason = row.find_element(By.CSS_SELECTOR, 'td[data-label="Reason"] .reason')
    assert backup.get_attribute('textContent') == HOSTILE_NAME
    assert reason.get_attribute('textContent') == HOSTILE_REASON
    ActionChains(page).move_to_element(reason).move_to_element(backup).perform()
    assert page.execute_script('return window.__pwned === undefined;')
    found = page.execute_script("""return {
        scripts: document.scripts.length, images: document.images.length,
        handlers: document.querySelectorAll('[onmouseover], [onerror], [data-x]').length,
        rows: document.querySelectorAll('#environments tbody tr').length,
        cells: Array.from(document.querySelectorAll('#environments tbody tr')).map(r => r.cells.length)};""")
    assert found['scripts'] == 1 and found['images'] == 0 and found['handlers'] == 0
    assert found['rows'] == 10 and set(found['cells']) == {len(render.COLUMNS)}


def test_the_page_requests_nothing_but_itself_and_its_policy_lets_only_its_own_code_run(
        browser, outputs, requested_urls):
    requested_urls(browser)  # drain what earlier tests left
    browser.get('file://' + outputs['html'])
    urls = requested_urls(browser)
    assert 'file://' + outputs['html'] in urls
    assert [u for u in urls if not u.startswith(('file:', 'data:'))] == []
    # The inline style and script ran under the page's CSP (their hashes match): styled, and sortable.
    assert browser.execute_script("return getComputedStyle(document.getElementById('status')).borderLeftWidth;") != '0px'
    header(browser, 'Environment').find_element(By.TAG_NAME, 'button').click()
    assert header(browser, 'Environment').get_attribute('aria-sort') == 'ascending'
    console = [e['message'] for e in browser.get_log('browser') if e['level'] in ('SEVERE', 'WARNING')]
    assert console == []
    csp = browser.find_element(By.CSS_SELECTOR, 'meta[http-equiv="Content-Security-Policy"]').get_attribute('content')
    assert "default-src 'none'" in csp and 'unsafe' not in csp


def test_on_a_phone_the_table_becomes_cards_and_the_page_never_scrolls_sideways(page):
    page.execute_cdp_cmd('Emulation.setDeviceMetricsOverride',
                         {'width': PHONE[0], 'height': PHONE[1], 'deviceScaleFactor': 1, 'mobile': True})
    page.refresh()
    layout = page.execute_script("""
        const row = document.querySelector('#environments tbody tr');
        return {inner: window.innerWidth, scroll: document.scrollingElement.scrollWidth,
                display: getComputedStyle(row).display, label: getComputedStyle(row.cells[0], '::before').content,
                widest: Math.max(...Array.from(document.querySelectorAll('#environments tbody tr'))
                                 .map(r => r.getBoundingClientRect().right))};""")
    assert layout['inner'] == PHONE[0]
    assert layout['scroll'] <= layout['inner']
    assert layout['display'] == 'block' and layout['label'] == '"Environment"'
    assert layout['widest'] <= layout['inner']
    # Sorting still works on a phone: the headings are buttons above the cards.
    header(page, 'Age').find_element(By.TAG_NAME, 'button').click()
    assert header(page, 'Age').get_attribute('aria-sort') == 'ascending'
    assert is_png(full_page_png(page, 'report-phone.png'))


def test_printed_it_is_black_on_white_with_every_column_and_no_sort_buttons(page):
    page.set_window_size(A4_LANDSCAPE_PX, 800)
    page.execute_cdp_cmd('Emulation.setEmulatedMedia', {'media': 'print'})
    printed = page.execute_script("""
        const table = document.getElementById('environments');
        const button = table.querySelector('thead button');
        const alert = table.querySelector('tr.alert');
        const badge = table.querySelector('.badge-failing');
        return {after: getComputedStyle(button, '::after').content, hint: getComputedStyle(document.querySelector('.hint')).display,
                badgeColor: getComputedStyle(badge).color, badgeBackground: getComputedStyle(badge).backgroundColor,
                rowBackground: getComputedStyle(alert).backgroundColor, alertEdge: getComputedStyle(alert.cells[0]).borderLeftStyle,
                tableRight: table.getBoundingClientRect().right, width: document.documentElement.clientWidth,
                lastHeader: table.tHead.rows[0].lastElementChild.getBoundingClientRect().right};""")
    assert printed['after'] in ('none', 'normal')
    assert printed['hint'] == 'none'
    assert printed['badgeColor'] == 'rgb(0, 0, 0)'
    assert printed['badgeBackground'] == printed['rowBackground'] == 'rgba(0, 0, 0, 0)'
    assert printed['alertEdge'] == 'solid'
    assert printed['tableRight'] <= printed['width'] and printed['lastHeader'] <= printed['width']
    assert is_png(full_page_png(page, 'report-print.png'))
    pdf = page.execute_cdp_cmd('Page.printToPDF', {'landscape': True, 'printBackground': False, 'preferCSSPageSize': True})
    path = OUTPUT / 'report-print.pdf'
    path.write_bytes(base64.b64decode(pdf['data']))
    assert path.read_bytes()[:5] == b'%PDF-'


def test_desktop_screenshot(page):
    assert is_png(full_page_png(page, 'report-desktop.png'))


def test_readme_screenshot(browser, page_url):
    """docs/images/backup_report.png is a copy of tests/output/browser/backup_report.png made here."""
    environments = sample_environments()
    for env in environments:
        if env['host'] == 'calc-test':
            env['newest']['name'] = 'nightly-20260228'
            env['reason'] = 'the last 3 backups failed; the newest good one is 50 h old'
            env['label'] = 'calc / Test'
    browser.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})
    browser.execute_cdp_cmd('Emulation.setEmulatedMedia', {'media': '', 'features': []})
    browser.set_window_size(README_WIDTH, 1000)
    browser.get(page_url(render.render_html(report_of(environments))))
    height = browser.execute_script('return document.scrollingElement.scrollHeight;')
    shot = browser.execute_cdp_cmd('Page.captureScreenshot', {
        'format': 'png', 'captureBeyondViewport': True,
        'clip': {'x': 0, 'y': 0, 'width': README_WIDTH, 'height': min(height, 1100), 'scale': 1}})
    path = OUTPUT / 'backup_report.png'
    path.write_bytes(base64.b64decode(shot['data']))
    assert is_png(path)
