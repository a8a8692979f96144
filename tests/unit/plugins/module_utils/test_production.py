# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_production: the declared-production guard and its options."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._production import (
    production_argument_spec, refuse_declared_production)

MESSAGE = ("refusing to restore into site 'abc': it is declared production (production: true); "
           "set allow_production: true to do it anyway")


def test_the_options_default_to_not_production_and_not_allowed():
    assert production_argument_spec() == dict(production=dict(type='bool', default=False),
                                              allow_production=dict(type='bool', default=False))


def test_each_call_returns_a_new_spec():
    spec = production_argument_spec()
    spec['production']['default'] = True
    assert production_argument_spec()['production']['default'] is False


@pytest.mark.parametrize('production, allow_production, refused', [
    (True, False, True),
    (True, None, True),
    (True, True, False),
    (False, False, False),
    (False, True, False),
    (None, None, False),
])
def test_guard(production, allow_production, refused):
    params = dict(production=production, allow_production=allow_production)
    if refused:
        with pytest.raises(InputError) as caught:
            refuse_declared_production(params, "site 'abc'")
        assert str(caught.value) == MESSAGE
    else:
        assert refuse_declared_production(params, "site 'abc'") is None


def test_a_module_without_the_options_is_never_refused():
    assert refuse_declared_production({}, "site 'abc'") is None
