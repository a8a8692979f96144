#!/usr/bin/env python
"""Check a built collection tarball ships what it should and nothing it must not.

    check_tarball.py saasops-backup-X.Y.Z.tar.gz
"""

from __future__ import annotations

import json
import sys
import tarfile

# Never shipped: local tooling, test output, generated files, caches, nested artefacts.
FORBIDDEN_PREFIXES = (
    '.venv/', '.build/', '.benchmarks/', '.git/', '.ansible/', '.ci/', '.cache/', '.pytest_cache/', '.tox/',
    'collections/', 'context/', 'hacking/', 'tests/output/', 'bench/output/', 'bench/results/',
)
FORBIDDEN_FILES = (
    'tests/integration/inventory', 'tests/integration/integration_config.yml', 'Makefile', '.gitignore',
)
FORBIDDEN_PARTS = ('__pycache__',)
FORBIDDEN_SUFFIXES = ('.pyc', '.tar.gz', '.swp')
REQUIRED = ('MANIFEST.json', 'FILES.json', 'README.md', 'meta/runtime.yml', 'requirements.txt',
            'meta/execution-environment.yml')


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    problems = []
    with tarfile.open(sys.argv[1]) as tar:
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
    for problem in problems:
        print('FAILED: ' + problem)
    print('tarball %s: %s.%s %s, %d member(s), %d problem(s)'
          % (sys.argv[1], info.get('namespace'), info.get('name'), info.get('version'), len(names), len(problems)))
    print('build: %d passed, %d failed' % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
