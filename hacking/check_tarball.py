#!/usr/bin/env python
"""Check a built collection tarball ships what it should and nothing it must not.

    check_tarball.py saasops-backup-X.Y.Z.tar.gz [--galaxy galaxy.yml]

With --galaxy, also check what the next build would pick up from a user's checkout: the README's
``ansible-galaxy collection build --output-path dist .`` leaves dist/, ``make venv-newest`` leaves
.venv-py3.12/; build_ignore must cover both (the tarball built here never sees them).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import tarfile

import yaml

# Never shipped: local tooling, test output, generated files, caches, nested artefacts.
FORBIDDEN_PREFIXES = (
    '.venv/', '.build/', '.benchmarks/', '.git/', '.ansible/', '.ci/', '.cache/', '.pytest_cache/', '.tox/',
    'collections/', 'context/', 'hacking/', 'tests/output/', 'bench/output/', 'bench/results/', 'dist/',
    '.venv-py',
)
# Directories a user's checkout may hold when it builds the collection, which build_ignore must cover.
LEFT_IN_CHECKOUT = ('dist', '.venv-py3.12')
# Placeholder hosts must never reach a user: a link is real or absent.
PLACEHOLDER_HOSTS = ('example.invalid', 'example.com', 'example.org')
FORBIDDEN_FILES = (
    'tests/integration/inventory', 'tests/integration/integration_config.yml', 'Makefile', '.gitignore',
)
FORBIDDEN_PARTS = ('__pycache__',)
FORBIDDEN_SUFFIXES = ('.pyc', '.tar.gz', '.swp')
REQUIRED = ('MANIFEST.json', 'FILES.json', 'README.md', 'meta/runtime.yml', 'requirements.txt',
            'meta/execution-environment.yml')


def galaxy_problems(path):
    with open(path, encoding='utf-8') as handle:
        galaxy = yaml.safe_load(handle)
    ignore = galaxy.get('build_ignore') or []
    problems = ['build_ignore does not cover %s/' % name for name in LEFT_IN_CHECKOUT
                if not any(fnmatch.fnmatch(name, pattern) for pattern in ignore)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('tarball')
    parser.add_argument('--galaxy', help='galaxy.yml of the checkout the tarball was built from')
    args = parser.parse_args()
    problems = galaxy_problems(args.galaxy) if args.galaxy else []
    with tarfile.open(args.tarball) as tar:
        members = tar.getmembers()
        names = [m.name[2:] if m.name.startswith('./') else m.name for m in members]
        for member, name in zip(members, names):
            if (any((name + '/').startswith(p) for p in FORBIDDEN_PREFIXES) or name in FORBIDDEN_FILES
                    or any(part in FORBIDDEN_PARTS for part in name.split('/'))
                    or name.endswith(FORBIDDEN_SUFFIXES)):
                problems.append('must not be shipped: %s' % name)
            if member.issym() or member.islnk():
                problems.append('link in the tarball: %s' % name)
        for required in REQUIRED:
            if required not in names:
                problems.append('missing: %s' % required)
        manifest = json.load(tar.extractfile('MANIFEST.json')) if 'MANIFEST.json' in names else {}
    info = manifest.get('collection_info', {})
    for key in ('repository', 'documentation', 'homepage', 'issues'):
        if info.get(key) and any(host in str(info[key]) for host in PLACEHOLDER_HOSTS):
            problems.append('placeholder link in %s: %s' % (key, info[key]))
    for author in info.get('authors') or []:
        if any(host in author for host in PLACEHOLDER_HOSTS):
            problems.append('placeholder address in authors: %s' % author)
    for problem in problems:
        print('FAILED: ' + problem)
    print('tarball %s: %s.%s %s, %d member(s), %d problem(s)'
          % (args.tarball, info.get('namespace'), info.get('name'), info.get('version'), len(names), len(problems)))
    print('build: %d passed, %d failed' % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
