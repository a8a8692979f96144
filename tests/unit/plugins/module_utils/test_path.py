# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_path: one segment per id or name, whatever it holds; API base URLs with the wrong path."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.plugins.module_utils._path import (
    check_base_url, check_options, join, segment, segment_problem)


@pytest.mark.parametrize('value, plain, problem', [
    ('pre-release-1', False, None),
    ('pre-release-1', True, None),
    ('a.b', True, None),
    ('...', True, None),
    (42, False, None),
    ('..', False, "'.' and '..'"),
    ('.', False, "'.' and '..'"),
    ('/', False, "'/'"),
    ('a/b', False, "'/'"),
    ('a\\b', False, "'/'"),
    ('', False, 'empty'),
    ('  ', False, 'empty'),
    (None, False, 'empty'),
    ('a\nb', False, 'control character'),
    ('a\x7fb', False, 'control character'),
    ('?', False, None),
    ('#', False, None),
    ('%2F', False, None),
    ('?', True, "'?'"),
    ('#', True, "'#'"),
    ('%2F', True, "'%'"),
    ('a b', True, 'white space'),
])
def test_segment_problem(value, plain, problem):
    found = segment_problem(value, plain)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize('value, encoded', [
    ('pre-release-1', 'pre-release-1'),
    ('?', '%3F'),
    ('#', '%23'),
    ('%2F', '%252F'),
    ('a b', 'a%20b'),
    ('a?b#c', 'a%3Fb%23c'),
    ('é', '%C3%A9'),
])
def test_segment_encodes_everything_that_is_not_refused(value, encoded):
    assert segment(value) == encoded


@pytest.mark.parametrize('value', ['..', '.', '/', 'a/b'])
def test_segment_refuses_what_would_change_the_path(value):
    with pytest.raises(InputError, match="job id %r cannot be used: it goes into the URL path as one segment" % value):
        segment(value, 'job id')


@pytest.mark.parametrize('value', ['', ' ', None])
def test_an_empty_segment_is_refused(value):
    with pytest.raises(InputError, match='^job id must not be empty$'):
        segment(value, 'job id')


@pytest.mark.parametrize('value', ['?', '#', '%2F', 'a?b#c%2Fd', 'x y'])
def test_a_joined_path_keeps_its_shape_through_the_client(value):
    client = HttpClient('Test', 'https://api.example.test/base')
    url = client.url(join('stores', 'default', 'backups', value, 'delete'))
    assert url.startswith('https://api.example.test/base/stores/default/backups/')
    assert url.endswith('/delete')
    assert url.count('/') == len('https://api.example.test/base/stores/default/backups/x/delete'.split('/')) - 1
    assert '?' not in url and '#' not in url


def test_check_options_names_the_option_and_skips_unset_ones():
    check_options({'a': None, 'b': 'fine'}, ('a', 'b', 'c'))
    with pytest.raises(InputError, match="^store '..' cannot be used"):
        check_options({'store': '..'}, ('store',))
    with pytest.raises(InputError, match="^environment 'a b' cannot be used.*white space"):
        check_options({'environment': 'a b'}, ('environment',), plain=True)


@pytest.mark.parametrize('url, bad', [
    ('https://gis.example.test/arcgis/admin', '/admin'),
    ('https://gis.example.test/arcgis/admin/', '/admin'),
    ('https://gis.example.test/arcgis/sharing/rest', '/sharing/rest'),
    ('https://gis.example.test/arcgis', None),
    ('https://gis.example.test/administration', None),
    ('https://gis.example.test:bad/x', None),
])
def test_check_base_url(url, bad):
    wrong = r'/(admin|sharing(/rest)?)$'
    if bad is None:
        check_base_url(url, 'url', wrong, 'https://gis.example.com/arcgis')
    else:
        with pytest.raises(InputError) as caught:
            check_base_url(url, 'url', wrong, 'https://gis.example.com/arcgis')
        assert str(caught.value) == ('url must be the API base URL, without %s at the end (e.g. '
                                     'https://gis.example.com/arcgis), got %r' % (bad, url))
