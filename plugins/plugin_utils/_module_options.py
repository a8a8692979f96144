# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module's documented options, read once per process (the docs are kept equal to the argument spec by sanity tests)."""

from __future__ import annotations

from ansible.plugins.loader import fragment_loader, module_loader
from ansible.utils.plugin_docs import get_docstring

_OPTIONS = {}


def documented_options(module):
    """``{name: spec}`` of ``saasops.backup.<module>``'s options, doc fragments included."""
    if module not in _OPTIONS:
        found = module_loader.find_plugin_with_context('saasops.backup.' + module)
        doc = get_docstring(found.plugin_resolved_path, fragment_loader, collection_name='saasops.backup', is_module=True)[0]
        _OPTIONS[module] = doc.get('options') or {}
    return _OPTIONS[module]


def accepted(module, values):
    """The keys of ``values`` the module takes (by name or alias): an inventory's connection is shared by modules
    that take different options (the ArcGIS restore passcode is no option of its info module)."""
    options = documented_options(module)
    names = set(options)
    for spec in options.values():
        names.update(spec.get('aliases') or [])
    return dict((key, value) for key, value in values.items() if key in names)
