# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report page in a real browser: Debian's headless Chromium driven by its chromedriver (selenium).

``make report-page`` installs both (hacking/install_browser.sh) and runs these tests with the .venv's
pytest. The browser is fenced off the network: every host name resolves to nothing, and Chromium's own
background traffic (updates, sync, field trials) is switched off, so a page that tried to load anything
would fail to, and the performance log (every request the page made) shows it.

``browser`` (session): a selenium Chrome driver, 1400 px wide, with the performance and console logs on.
``page_url(html)``: writes a page into the test's directory and returns its file: URL.
``requested_urls(driver)``: the URL of every request made since the last call (from the performance log).
``OUTPUT``: tests/output/browser/, where the tests leave their screenshots (ignored by git).
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1].parent
OUTPUT = REPO / 'tests' / 'output' / 'browser'
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
DESKTOP = (1400, 1000)


def _collection_root():
    """The directory holding ``ansible_collections``: the checkout's copy has one; a plain checkout gets a link."""
    if REPO.parent.parent.name == 'ansible_collections':
        return str(REPO.parents[2])
    root = Path(tempfile.mkdtemp(prefix='saasops-browser-'))
    (root / 'ansible_collections' / 'saasops').mkdir(parents=True)
    (root / 'ansible_collections' / 'saasops' / 'backup').symlink_to(REPO)
    return str(root)


if 'ansible_collections' not in sys.modules:
    sys.path.insert(0, _collection_root())

# pylint: disable-next=wrong-import-position
from selenium import webdriver  # noqa: E402
# pylint: disable-next=wrong-import-position
from selenium.webdriver.chrome.service import Service  # noqa: E402

# Chromium on a machine without a display, run as root in a container, with nothing going out.
CHROMIUM_ARGS = (
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars',
    '--force-device-scale-factor=1', '--no-first-run', '--no-default-browser-check', '--disable-extensions',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
    '--disable-default-apps', '--disable-domain-reliability', '--metrics-recording-only', '--mute-audio',
    '--disable-features=OptimizationHints,MediaRouter,Translate',
    # Any host name resolves to nothing: a request the page makes fails instead of leaving the machine.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost',
)


@pytest.fixture(scope='session')
def browser(tmp_path_factory):
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail('%s missing: run `make browser` (hacking/install_browser.sh) first' % ' and '.join(missing))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument('--user-data-dir=%s' % tmp_path_factory.mktemp('chromium-profile'))
    options.add_argument('--window-size=%d,%d' % DESKTOP)
    # performance: the DevTools Network events of the page (every request it made); browser: its console.
    options.set_capability('goog:loggingPrefs', {'performance': 'ALL', 'browser': 'ALL'})
    # The driver is given: selenium must not look for (or download) one.
    os.environ.setdefault('SE_OFFLINE', 'true')
    service = Service(executable_path=CHROMEDRIVER, log_output=str(OUTPUT / 'chromedriver.log'),
                      service_args=['--log-level=WARNING'])
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page_url(tmp_path):
    def write(html, name='report.html'):
        path = tmp_path / name
        path.write_text(html, encoding='utf-8')
        return path.as_uri()
    return write


@pytest.fixture
def requested_urls():
    """``requested_urls(driver)``: the URL of every request the browser's pages made since the last call."""
    def drain(driver):
        urls = []
        for entry in driver.get_log('performance'):
            message = json.loads(entry['message'])['message']
            if message.get('method') == 'Network.requestWillBeSent':
                urls.append(message['params']['request']['url'])
        return urls
    return drain
