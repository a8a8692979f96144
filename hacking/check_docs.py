#!/usr/bin/env python
"""Every module in plugins/modules renders with ansible-doc, with EXAMPLES and RETURN.

    check_docs.py --collection .build/ansible_collections/saasops/backup

Runs ``ansible-doc -t module saasops.backup.<module>`` (text, as a user sees it) and
``ansible-doc --json`` for each module, with ANSIBLE_COLLECTIONS_PATH set to the tree that holds
the collection copy. Fails when a module does not render or has no EXAMPLES.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

FQCN_PREFIX = 'saasops.backup.'


def check(module: str, env: dict[str, str]) -> list[str]:
    fqcn = FQCN_PREFIX + module
    problems = []
    text = subprocess.run(['ansible-doc', '-t', 'module', fqcn], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, check=False)
    if text.returncode != 0 or not text.stdout.strip():
        return ['ansible-doc %s failed (exit status %d): %s' % (fqcn, text.returncode, (text.stderr or text.stdout).strip()[-2000:])]
    if 'EXAMPLES:' not in text.stdout:
        problems.append('%s: no EXAMPLES section in the rendered documentation' % fqcn)
    if 'WARNING' in text.stderr.upper() or '[ERROR]' in text.stderr:
        problems.append('%s: ansible-doc warned: %s' % (fqcn, text.stderr.strip()[-2000:]))
    data = subprocess.run(['ansible-doc', '-t', 'module', '--json', fqcn], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, check=False)
    try:
        doc = json.loads(data.stdout)[fqcn]
    except (ValueError, KeyError) as exc:
        return problems + ['%s: ansible-doc --json unusable: %s' % (fqcn, exc)]
    if not (doc.get('examples') or '').strip():
        problems.append('%s: EXAMPLES is empty' % fqcn)
    if not doc.get('return'):
        problems.append('%s: RETURN is empty' % fqcn)
    if not (doc.get('doc') or {}).get('short_description'):
        problems.append('%s: no short_description' % fqcn)
    return problems


def main() -> int:
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--collection', default=str(repo / '.build' / 'ansible_collections' / 'saasops' / 'backup'))
    args = parser.parse_args()

    collection = Path(args.collection).resolve()
    tree = collection.parents[2]  # the directory holding ansible_collections/
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tree), ANSIBLE_NOCOLOR='1', PAGER='cat')
    modules = sorted(p.stem for p in (collection / 'plugins' / 'modules').glob('*.py') if p.stem != '__init__')
    passed, failed = 0, 0
    for module in modules:
        problems = check(module, env)
        if problems:
            failed += 1
            for problem in problems:
                print('FAILED: ' + problem)
        else:
            passed += 1
            print('ok: ansible-doc %s%s renders with EXAMPLES and RETURN' % (FQCN_PREFIX, module))
    if not modules:
        print('ansible-doc: no module in plugins/modules yet')
    print('ansible-doc: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
