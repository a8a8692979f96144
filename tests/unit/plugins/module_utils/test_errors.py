# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_errors: URLs never carry secrets into messages; PlatformError describes itself once for all modules."""

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError, redact_url


@pytest.mark.parametrize('url, expected', [
    ('https://api.example.test/v1/things', 'https://api.example.test/v1/things'),
    ('https://api.example.test/v1/things?token=s3cret&f=json', 'https://api.example.test/v1/things'),
    ('https://api.example.test/v1/things#access_token=s3cret', 'https://api.example.test/v1/things'),
    ('https://user:pa55@api.example.test/v1', 'https://api.example.test/v1'),
    ('https://s3cret@api.example.test/v1', 'https://api.example.test/v1'),
    ('https://user:pa55@api.example.test:8443/v1?x=1#y', 'https://api.example.test:8443/v1'),
    ('http://127.0.0.1:8080/p', 'http://127.0.0.1:8080/p'),
    ('https://[::1]:8443/a?b=c', 'https://[::1]:8443/a'),
    ('https://[2001:db8::1]/a', 'https://[2001:db8::1]/a'),
    ('https://u:p@[::1]/a', 'https://[::1]/a'),
    ('admin/system?token=s3cret', 'admin/system'),
    # A login page's session id travels as a path parameter: dropped, whatever its name or case.
    ('https://h.example/cms/login;jsessionid=ABC123?redirect=%2Fx', 'https://h.example/cms/login'),
    ('https://h.example/a;JSessionID=x/b;other=1', 'https://h.example/a/b'),
    ('https://h.example:99999/cms/login;jsessionid=ABC?x=1', 'https://h.example:99999/cms/login'),
    ('', ''),
    (None, None),
])
def test_redact_url(url, expected):
    assert redact_url(url) == expected


def test_describe_names_everything_known():
    exc = PlatformError('ArcGIS', "create backup 'b1' in store 's1'", 'Backup exists.', method='POST',
                        url='https://gis.example.test/arcgis/admin/x?token=s3cret', status=200, code=409)
    assert exc.describe() == ("ArcGIS: failed to create backup 'b1' in store 's1' "
                              "(POST https://gis.example.test/arcgis/admin/x, HTTP 200, vendor code 409): Backup exists.")
    assert str(exc) == exc.describe()
    assert 's3cret' not in str(exc) and 's3cret' not in repr(exc.args)


@pytest.mark.parametrize('kwargs, expected', [
    (dict(), 'Mendix: failed to list snapshots'),
    (dict(message='boom'), 'Mendix: failed to list snapshots: boom'),
    (dict(status=503), 'Mendix: failed to list snapshots (HTTP 503)'),
    (dict(status=404, code='NOT_FOUND', message='no such app'),
     'Mendix: failed to list snapshots (HTTP 404, vendor code NOT_FOUND): no such app'),
    (dict(method='GET', message='timed out'), 'Mendix: failed to list snapshots: timed out'),  # method without URL
    (dict(method='GET', url='https://d.example.test/x?sig=1', message='timed out'),
     'Mendix: failed to list snapshots (GET https://d.example.test/x): timed out'),
])
def test_describe_leaves_out_what_is_unknown(kwargs, expected):
    assert str(PlatformError('Mendix', 'list snapshots', kwargs.pop('message', None), **kwargs)) == expected


def test_str_follows_a_changed_message():
    exc = PlatformError('ArcGIS', 'read backup', 'Invalid token.', code=498)
    exc.message += " (the token in option 'token' is invalid or expired)"
    assert str(exc).endswith("Invalid token. (the token in option 'token' is invalid or expired)")


def test_as_dict():
    exc = PlatformError('Atlassian', 'start a backup', 'rate limited', method='POST',
                        url='https://u:p@api.example.test/backups?x=1', status=429, code='RATE', retryable=True,
                        maybe_applied=False, details=['try later'])
    assert exc.as_dict() == {
        'platform': 'Atlassian', 'operation': 'start a backup', 'method': 'POST',
        'url': 'https://api.example.test/backups', 'status': 429, 'code': 'RATE', 'message': 'rate limited',
        'details': ['try later'], 'retryable': True,
    }
    exc.as_dict()['details'].append('mutated')
    assert exc.details == ['try later']


def test_defaults():
    exc = PlatformError('Jahia', 'get context', 'x')
    assert (exc.retryable, exc.maybe_applied, exc.details, exc.url, exc.status, exc.code) == (False, False, [], None, None, None)


@pytest.mark.parametrize('url', [
    'https://gis.example.test:port/arcgis?token=s3cret',    # a typo in the url option
    'https://gis.example.test:99999/arcgis?token=s3cret',
    'https://[::1/arcgis?token=s3cret',
])
def test_redact_url_never_raises_on_a_malformed_url(url):
    # PlatformError redacts its URL in __init__: raising there would replace the error with a traceback
    redacted = redact_url(url)
    assert 's3cret' not in redacted and '?' not in redacted
    assert 's3cret' not in str(PlatformError('ArcGIS', 'list stores', 'Invalid URL', url=url))


def test_restated_keeps_everything_but_the_message_and_a_given_hint():
    exc = PlatformError('ArcGIS', 'validate backup store', 'Not ready.', method='POST',
                        url='https://gis.example/arcgis/x?token=s3cret', status=200, code=500, retryable=True,
                        maybe_applied=True, details=['disk'], hint='first hint')
    again = exc.restated('the store is not ready: Not ready.')
    assert again is not exc and exc.message == 'Not ready.'
    assert again.as_dict() == dict(exc.as_dict(), message='the store is not ready: Not ready. (first hint)')
    assert again.maybe_applied is True
    assert exc.restated('m', hint='other').hint == 'other'
