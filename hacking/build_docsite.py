#!/usr/bin/env python
"""Build the collection's documentation site with antsibull-docs, offline, warnings as errors.

1. ``antsibull-docs sphinx-init`` lays out a Sphinx project for saasops.backup in ``--dest``
   (module and role pages from their own documentation, the guides of docs/docsite/ through
   extra-docs.yml and links.yml);
2. its ``conf.py`` asks intersphinx for four inventories on the internet (Python 2 and 3, Jinja2,
   the Ansible docsite). This build needs none: the generated pages link to three labels of the
   Ansible docsite only, so a small local inventory names them, with their pages on
   docs.ansible.com, and replaces the downloads;
3. its ``build.sh`` writes the RST (``antsibull-docs collection --fail-on-error``) and runs
   ``sphinx-build -W --keep-going``: any warning fails the build.

Run it with antsibull-docs, Sphinx and sphinx-ansible-theme on PATH (make docsite uses its own
venv) and ANSIBLE_COLLECTIONS_PATH naming a directory with ansible_collections/saasops/backup.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

COLLECTION = 'saasops.backup'
ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'
# The Ansible docsite labels antsibull-docs' templates link to: (label, page#anchor, title).
ANSIBLE_LABELS = (
    ('common_return_values', 'reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
    ('action_plugins', 'plugins/action.html#action-plugins', 'Action plugins'),
    ('ansible_configuration_settings', 'reference_appendices/config.html#ansible-configuration-settings',
     'Ansible Configuration Settings'),
)
CONF_OVERRIDE = '''

# Added by hacking/build_docsite.py: an offline build. The Ansible docsite labels the pages link to
# come from a local inventory (pointing at %(url)s); nothing is downloaded.
intersphinx_mapping = {'ansible_devel': (%(url)r, %(inventory)r)}
'''


def write_inventory(path: Path) -> None:
    """A Sphinx objects.inv (version 2) holding ANSIBLE_LABELS as std:label entries."""
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    lines = ''.join('%s std:label -1 %s %s\n' % (label, uri, title) for label, uri, title in ANSIBLE_LABELS)
    path.write_bytes(header.encode('utf-8') + zlib.compress(lines.encode('utf-8')))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--dest', required=True, help='the site directory (re-created); HTML in <dest>/build/html')
    args = parser.parse_args()

    dest = Path(args.dest).resolve()
    shutil.rmtree(dest, ignore_errors=True)
    # antsibull-docs wants a destination only its owner can write to.
    dest.mkdir(mode=0o700, parents=True)
    subprocess.run(['antsibull-docs', 'sphinx-init', '--use-current', '--squash-hierarchy', '--fail-on-error',
                    '--project', COLLECTION, '--title', 'saasops.backup: backups and restores of SaaS platforms',
                    '--dest-dir', str(dest), COLLECTION], check=True, stdout=subprocess.DEVNULL)
    inventory = dest / 'ansible_devel.inv'
    write_inventory(inventory)
    with open(dest / 'conf.py', 'a', encoding='utf-8') as conf:
        conf.write(CONF_OVERRIDE % {'url': ANSIBLE_DOCS, 'inventory': str(inventory)})
    result = subprocess.run(['bash', str(dest / 'build.sh')], check=False)
    if result.returncode:
        print('docsite: the build failed (sphinx-build -W: a warning is an error)', file=sys.stderr)
        return result.returncode
    html = dest / 'build' / 'html'
    plugins = sorted(html.glob('*_module.html')) + sorted(html.glob('*_role.html'))
    guides = sorted((html / 'docsite').glob('*.html'))
    print('docsite: %d module and role pages, %d guides: %s' % (len(plugins), len(guides), html / 'index.html'))
    # extra-docs.yml lists the guides: every one must have become a page.
    return 0 if (html / 'index.html').exists() and plugins and guides else 1


if __name__ == '__main__':
    os.environ.setdefault('ANSIBLE_NOCOLOR', '1')
    sys.exit(main())
