# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: ansible-builder makes a build context and finds our Python requirements."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(*command, cwd):
    return subprocess.run([str(c) for c in command], cwd=str(cwd), check=True, capture_output=True, text=True)


def built_collection(tmp_path):
    run(BIN / 'ansible-galaxy', 'collection', 'build', '--force', '--output-path', tmp_path, REPO, cwd=tmp_path)
    version = yaml.safe_load((REPO / 'galaxy.yml').read_text(encoding='utf-8'))['version']
    tarball = tmp_path / ('saasops-backup-%s.tar.gz' % version)
    assert tarball.is_file()
    return tarball


def test_ansible_builder_creates_a_context_with_the_collection(tmp_path):
    tarball = built_collection(tmp_path)
    for name in ('execution-environment.yml', 'requirements.yml'):
        shutil.copy(REPO / 'docs' / 'ee' / name, tmp_path / name)
    run(BIN / 'ansible-builder', 'create', '--file', 'execution-environment.yml', '--context', 'context',
        '--output-filename', 'Containerfile', cwd=tmp_path)
    context = tmp_path / 'context'
    containerfile = (context / 'Containerfile').read_text(encoding='utf-8')
    assert 'ADD _build/collections /build/collections' in containerfile
    assert 'ansible-galaxy' in containerfile
    assert (context / '_build' / 'collections' / tarball.name).is_file()
    assert 'saasops-backup' in (context / '_build' / 'requirements.yml').read_text(encoding='utf-8')


def test_introspection_finds_the_collection_python_requirements(tmp_path):
    tarball = built_collection(tmp_path)
    run(BIN / 'ansible-galaxy', 'collection', 'install', '--force', '--offline', '-p', tmp_path / 'collections', tarball,
        cwd=tmp_path)
    found = run(BIN / 'ansible-builder', 'introspect', tmp_path / 'collections', cwd=tmp_path).stdout
    assert 'requests' in found and 'saasops.backup' in found
