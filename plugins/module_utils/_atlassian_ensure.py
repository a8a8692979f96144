# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ensuring an Atlassian object (storage, policy): compare the user-set fields, create or update, diff.

A module declares its fields (option name -> API field) and hands over the object it found;
``ensure`` decides, so ``changed`` and ``diff`` are the same with and without check mode.
"""

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import create_once


class Fields:
    """The compared fields of one object type, as (option name, API field) pairs."""

    def __init__(self, *pairs):
        self.pairs = pairs

    def view(self, obj):
        """The object as option names (what ``diff`` shows); {} for no object."""
        if not obj:
            return {}
        return dict((option, obj.get(api)) for option, api in self.pairs)

    def wanted(self, values):
        """The values the user set (None means "not set": left as the platform has it)."""
        return dict((option, values[option]) for option, dummy in self.pairs if values.get(option) is not None)

    def body(self, values):
        return dict((api, values[option]) for option, api in self.pairs if option in values)

    def differing(self, obj, wanted):
        current = self.view(obj)
        return dict((option, value) for option, value in wanted.items() if current.get(option) != value)


def ensure(module, fields, what, existing, wanted, create, find, update=None):
    """Create ``what`` when ``existing`` is None, else update the fields that differ.

    ``create(body)`` and ``update(body)`` send the request and return the object; ``find()``
    re-reads by the natural key after a lost create answer. Without ``update`` the object
    cannot be changed: a difference fails, naming the fields. Returns ``(changed, after, diff)``.
    """
    if existing is None:
        predicted = fields.body(wanted)
        if module.check_mode:
            return True, predicted, dict(before={}, after=fields.view(predicted))
        dummy, after = create_once(lambda: create(fields.body(wanted)), find)
        return True, after, dict(before={}, after=fields.view(after))
    changes = fields.differing(existing, wanted)
    if not changes:
        return False, existing, dict(before=fields.view(existing), after=fields.view(existing))
    if update is None:
        shown = ', '.join('%s (is %r, wanted %r)' % (option, fields.view(existing).get(option), value)
                          for option, value in sorted(changes.items()))
        raise InputError('%s exists with other settings that the API cannot change: %s' % (what, shown))
    after = dict(existing, **fields.body(changes))
    if not module.check_mode:
        after = update(fields.body(changes)) or after
    return True, after, dict(before=fields.view(existing), after=fields.view(after))
