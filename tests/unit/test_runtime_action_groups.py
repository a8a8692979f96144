# Copyright: saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/runtime.yml action groups stay in step with plugins/modules/.

``module_defaults: {group/saasops.backup.<platform>: {...}}`` only reaches a module listed in
that group, so a module missing from its group silently loses its credentials. Every
``<platform>_*`` module must be in the ``<platform>`` group and (directly or through
``metadata.extend_group``) in ``all``; every group entry must name an existing module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

COLLECTION = 'saasops.backup'
PLATFORMS = ('jahia', 'arcgis', 'atlassian', 'mendix')
# Modules of the roles that take no platform connection options: in no action group, so that no
# group's module_defaults can reach them.
ROLE_MODULES = ('restore_preflight', 'snapshot_phase', 'snapshot_manifest', 'restore_drill', 'backup_status', 'backup_report',
                'backup_prune', 'snapshot_copy', 'offsite_prune')
ROOT = Path(__file__).resolve().parents[2]


def _runtime():
    with open(ROOT / 'meta' / 'runtime.yml', encoding='utf-8') as handle:
        return yaml.safe_load(handle) or {}


def _modules():
    return sorted(p.stem for p in (ROOT / 'plugins' / 'modules').glob('*.py') if p.stem not in ('__init__',) + ROLE_MODULES)


@pytest.mark.parametrize('module', ROLE_MODULES)
def test_role_modules_exist_and_are_in_no_group(module):
    assert (ROOT / 'plugins' / 'modules' / (module + '.py')).is_file()
    assert module not in _resolve('all')


def _short(name):
    prefix = COLLECTION + '.'
    return name[len(prefix):] if name.startswith(prefix) else name


def _entries(group):
    """(module names, extended group names) of one action group."""
    names, extends = [], []
    for entry in _runtime().get('action_groups', {}).get(group) or []:
        if isinstance(entry, dict):
            extend = entry.get('metadata', {}).get('extend_group', [])
            extends.extend([extend] if isinstance(extend, str) else extend)
        else:
            names.append(_short(entry))
    return names, [_short(g) for g in extends]


def _resolve(group, seen=None):
    """Every module a group reaches, following extend_group like ansible-core does."""
    seen = set() if seen is None else seen
    if group in seen:
        return set()
    seen.add(group)
    names, extends = _entries(group)
    resolved = set(names)
    for extended in extends:
        resolved |= _resolve(extended, seen)
    return resolved


def test_runtime_groups_exist():
    groups = _runtime().get('action_groups', {})
    missing = [g for g in PLATFORMS + ('all',) if g not in groups]
    assert not missing, 'meta/runtime.yml action_groups lacks %s' % missing


@pytest.mark.parametrize('module', _modules() or ['(no modules yet)'])
def test_module_in_platform_group_and_all(module):
    if module == '(no modules yet)':
        pytest.skip('plugins/modules/ holds no module yet')
    platform = module.split('_', 1)[0]
    assert platform in PLATFORMS, '%s: module names start with one of %s' % (module, PLATFORMS)
    names, _extends = _entries(platform)
    assert module in names, '%s is missing from action group %r in meta/runtime.yml' % (module, platform)
    assert module in _resolve('all'), '%s is not reachable from action group "all"' % module


@pytest.mark.parametrize('group', PLATFORMS + ('all',))
def test_group_entries_name_existing_modules(group):
    names, extends = _entries(group)
    unknown = sorted(set(names) - set(_modules()))
    assert not unknown, 'action group %r lists modules that do not exist: %s' % (group, unknown)
    groups = _runtime().get('action_groups', {})
    unknown_groups = sorted(set(extends) - set(groups))
    assert not unknown_groups, 'action group %r extends unknown groups: %s' % (group, unknown_groups)
    if group != 'all':
        foreign = sorted(n for n in names if not n.startswith(group + '_'))
        assert not foreign, 'action group %r lists modules of another platform: %s' % (group, foreign)


def test_all_is_exactly_every_module():
    assert sorted(_resolve('all')) == _modules()
