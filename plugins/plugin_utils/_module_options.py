# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What action plugins need of the modules they run: names, documented options (read once per process; the docs are
kept equal to the argument spec by sanity tests), and their messages on one line."""

from __future__ import annotations

import threading

from ansible.plugins.loader import fragment_loader, module_loader
from ansible.utils.plugin_docs import get_docstring

_OPTIONS = {}
# The plugin and doc-fragment loaders are not safe to enter from several threads at once (a fan-out's threads ask).
_LOCK = threading.Lock()


def fqcn(module):
    """The fully qualified name of one of the collection's modules."""
    return 'saasops.backup.' + module


def printable(text, limit=2048):
    """A module's message as one line of at most ``limit`` characters (module messages may span lines)."""
    flat = ' '.join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 3] + '...'


def documented_options(module):
    """``{name: spec}`` of ``saasops.backup.<module>``'s options, doc fragments included."""
    with _LOCK:
        if module not in _OPTIONS:
            found = module_loader.find_plugin_with_context(fqcn(module))
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
