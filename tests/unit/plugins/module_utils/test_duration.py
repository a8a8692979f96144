# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_duration.parse_duration: one duration type for every option, integer seconds or a unit."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._duration import parse_duration
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError


@pytest.mark.parametrize('value, seconds', [
    (86400, 86400.0), ('86400', 86400.0), (1.5, 1.5), ('45s', 45.0), ('90m', 5400.0), ('12h', 43200.0),
    ('7d', 604800.0), ('2w', 1209600.0), (' 7 D ', 604800.0), ('0.5h', 1800.0)])
def test_accepted_forms(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize('value', [0, -5, '0', '-1d', '7 days', 'd', '', None, True, float('inf'), float('nan'), [1]])
def test_refused_forms_name_the_option(value):
    with pytest.raises(InputError) as info:
        parse_duration(value, option='max_age')
    assert str(info.value).startswith('max_age must be a positive duration such as 3600 (seconds), 90m, 12h, 7d or 2w')
