#!/usr/bin/env python
"""Seed ansible-test's get-pip cache with an offline-friendly stand-in.

``ansible-test --venv`` (and every sanity test's private venv) creates virtual environments
without pip and bootstraps pip by running ``get-pip-<ver>.py``, downloaded from a host that
may be unreachable. It looks in its cache first:
``~/.ansible/test/cache/get_pip_<ver with _ for .>.py``. This script writes a stand-in there
that runs ``python -m ensurepip`` and then ``python -m pip install pip==<ver>`` (from the
ordinary package index), honouring ``--no-setuptools`` / ``--no-wheel`` by uninstalling them.

The wanted pip version(s) are read out of the installed ansible-test
(``ansible_test/_internal/python_requirements.py``), so an ansible-core upgrade keeps working.
Run it with the Python that has ansible-core installed (the project's ``.venv``).

A real get-pip script already in the cache is left alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
from pathlib import Path

MARKER = '# saasops.backup get-pip stand-in'

# How ansible-test calls it (ansible_test/_util/target/setup/requirements.py, bootstrap()):
#   GET_PIP=<this file> python quiet_pip.py --disable-pip-version-check pip==<ver> [--no-setuptools] [--no-wheel]
# quiet_pip.py runs this file with runpy as __main__, so sys.argv[1:] holds the pip options.
STAND_IN = MARKER + '''
"""Stand-in for get-pip.py: ensurepip, then the wanted pip from the package index."""
import subprocess
import sys

WANTED_PIP = %(version)r


def main():
    args = sys.argv[1:]
    no_setuptools = '--no-setuptools' in args
    no_wheel = '--no-wheel' in args
    options = [a for a in args if a.startswith('-') and a not in ('--no-setuptools', '--no-wheel')]
    packages = [a for a in args if not a.startswith('-')] or ['pip==' + WANTED_PIP]
    python = sys.executable
    subprocess.check_call([python, '-m', 'ensurepip', '--default-pip'])
    subprocess.check_call([python, '-m', 'pip', 'install', '--disable-pip-version-check', '--quiet']
                          + options + packages)
    remove = []
    if no_setuptools:
        remove.append('setuptools')
    if no_wheel:
        remove.append('wheel')
    for name in remove:
        # ignore "not installed" (ensurepip installs no wheel)
        subprocess.call([python, '-m', 'pip', 'uninstall', '--disable-pip-version-check', '--quiet', '--yes', name],
                        stderr=subprocess.DEVNULL)
    return 0


if __name__ == '__main__':
    sys.exit(main())
'''


def wanted_versions() -> list[str]:
    spec = importlib.util.find_spec('ansible_test')
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit('seed_get_pip: ansible_test is not importable by %s (install ansible-core)' % sys.executable)
    source = Path(list(spec.submodule_search_locations)[0]) / '_internal' / 'python_requirements.py'
    text = source.read_text(encoding='utf-8')
    # default_packages = dict(pip='24.2'), overrides per Python version use the same form
    versions = sorted(set(re.findall(r'''\bpip\s*=\s*['"]([0-9][0-9A-Za-z.]*)['"]''', text)))
    versions += sorted(set(re.findall(r'''['"]pip['"]\s*:\s*['"]([0-9][0-9A-Za-z.]*)['"]''', text)) - set(versions))
    if not versions:
        raise SystemExit('seed_get_pip: no pip version found in %s' % source)
    return versions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--cache-dir', default=os.path.expanduser('~/.ansible/test/cache'))
    args = parser.parse_args()

    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    for version in wanted_versions():
        path = cache / ('get_pip_%s.py' % version.replace('.', '_'))
        content = STAND_IN % {'version': version}
        if path.exists():
            current = path.read_text(encoding='utf-8', errors='replace')
            if not current.startswith(MARKER):
                print('seed_get_pip: %s is a real get-pip script, left alone' % path)
                continue
            if current == content:
                print('seed_get_pip: %s up to date (pip %s)' % (path, version))
                continue
        path.write_text(content, encoding='utf-8')
        print('seed_get_pip: wrote %s (pip %s)' % (path, version))
    return 0


if __name__ == '__main__':
    sys.exit(main())
