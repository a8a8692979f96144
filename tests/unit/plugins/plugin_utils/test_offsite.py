# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Off-site copy settings, names and records as tables: what saasops_offsite may be, what a copy is called, when an
earlier run's record stands for the copy, and what S3's answers say."""

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite as offsite
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite_s3 as s3

SHA = 'a' * 64


@pytest.mark.parametrize('value, kind, text', [
    (None, 'none', None), ('', 'none', None), ('none', 'none', None), ('None', 'none', None),
    ('/srv/copies', 'dir', '/srv/copies/h/saasops-r.tar.gz'),
    ('/srv/copies/', 'dir', '/srv/copies/h/saasops-r.tar.gz'),
    ('s3://backups-1', 's3', 's3://backups-1/h/saasops-r.tar.gz'),
    ('s3://backups-1/', 's3', 's3://backups-1/h/saasops-r.tar.gz'),
    ('s3://backups.example/team/saasops/', 's3', 's3://backups.example/team/saasops/h/saasops-r.tar.gz'),
])
def test_usable_locations(value, kind, text):
    location = offsite.parse_location(value)
    assert location.kind == kind
    if text:
        assert location.text('h', 'saasops-r.tar.gz') == text


@pytest.mark.parametrize('value, words', [
    ('relative/dir', 'not an absolute directory path'),
    ('https://example.com/x', 'no other URL scheme'),
    ('s3://AKIA:secret@bucket/p', 'must not hold credentials'),
    ('s3://bucket:9000/p', 'must not hold credentials or a port'),
    ('s3://bucket/p?X-Amz-Signature=abc', 'query or fragment'),
    ('s3://Bucket/p', 'valid S3 bucket'),
    ('s3://ab/p', 'valid S3 bucket'),
    ('s3://bucket/a//b', 'prefix part'),
    ('s3://bucket/a/../b', 'prefix part'),
    ('s3://bucket/a b', 'prefix part'),
    ('/srv/\ncopies', 'control character'),
    (['/srv'], 'must be none'),
])
def test_refused_locations_never_echo_a_credential(value, words):
    with pytest.raises(offsite.InputProblem, match=words) as caught:
        offsite.parse_location(value)
    assert 'AKIA' not in str(caught.value)


def test_s3_options_are_checked_by_name_and_type_never_by_value():
    assert offsite.check_s3_options({'endpoint_url': 'http://127.0.0.1:9000', 'secret_key': 's', 'encrypt': False}) == {
        'endpoint_url': 'http://127.0.0.1:9000', 'secret_key': 's', 'encrypt': False}
    with pytest.raises(offsite.InputProblem) as caught:
        offsite.check_s3_options({'secret_kye': 'TOP-SECRET', 'secret_key': ['TOP-SECRET-2'], 'region': 'x'})
    message = str(caught.value)
    assert "unknown option 'secret_kye'" in message and 'saasops_offsite_s3.secret_key must be of type str' in message
    assert 'TOP-SECRET' not in message
    with pytest.raises(offsite.InputProblem, match='without credentials'):
        offsite.check_s3_options({'endpoint_url': 'https://user:pw@s3.example.com'})
    with pytest.raises(offsite.InputProblem, match='dictionary'):
        offsite.check_s3_options('endpoint_url=x')


def test_only_connection_options_go_to_the_info_module():
    options = {'endpoint_url': 'http://x', 'secret_key': 's', 'encrypt': False, 'permission': []}
    assert offsite.s3_arguments(options) == {'endpoint_url': 'http://x', 'secret_key': 's'}
    assert offsite.s3_arguments(options, put=True) == options


@pytest.mark.parametrize('host, ok', [('mendix-prod', True), ('gis.prod_1', True), ('-x', False), ('a/b', False),
                                      ('..', False), ('', False), (None, False), ('a' * 129, False)])
def test_host_names_that_can_name_a_folder(host, ok):
    if ok:
        assert offsite.check_host(host) == host
    else:
        with pytest.raises(offsite.InputProblem):
            offsite.check_host(host)


@pytest.mark.parametrize('name, run_id', [
    ('saasops-r1.tar.gz', 'r1'), ('saasops-release.42.backup', 'release.42'),
    ('saasops-20260101t000000z-ab12.tar.gz', '20260101t000000z-ab12'),
    ('saasops-r1.tar.gz.mendix-snapshot.json', None), ('saasops-.tar.gz', None), ('saasops-latest.tar.gz', None),
    ('notes.txt', None), ('other-r1.tar.gz', None), ('saasops-r 1.tar.gz', None), (None, None),
])
def test_a_copy_name_carries_its_run_id(name, run_id):
    assert offsite.run_id_of(name) == run_id


def test_names_round_trip():
    for archive in offsite.ARCHIVES:
        assert offsite.run_id_of(offsite.copy_name('run-7', archive)) == 'run-7'


@pytest.mark.parametrize('platform, identity, expected', [
    ('mendix', {}, ('download', None)),
    ('atlassian', {}, ('export', None)),
    ('atlassian', {'api_version': 2}, (None, offsite.ATLASSIAN_V2)),
    ('arcgis', {}, (None, offsite.NO_DOWNLOAD['arcgis'])),
    ('jahia', {}, (None, offsite.NO_DOWNLOAD['jahia'])),
])
def test_what_each_platform_copies(platform, identity, expected):
    assert offsite.what_copies(platform, identity) == expected


def copied(**changes):
    record = dict(kind='s3', location='s3://b/h/saasops-r.tar.gz', status='copied', size=10, sha256=SHA)
    record.update(changes)
    return {'offsite': record}


@pytest.mark.parametrize('previous, usable', [
    (copied(), True),
    (copied(status='failed'), False),
    (copied(location='s3://b/other'), False),
    (copied(kind='dir'), False),
    (copied(size=None), False), (copied(size='10'), False), (copied(size=True), False), (copied(size=-1), False),
    (copied(sha256='A' * 64), False), (copied(sha256=None), False), (copied(sha256='a' * 63), False),
    ({'offsite': 'copied'}, False), ({}, False), (None, False),
])
def test_an_earlier_record_stands_for_the_copy_only_when_whole(previous, usable):
    found = offsite.reusable(previous, 's3', 's3://b/h/saasops-r.tar.gz')
    assert (found is not None) == usable


@pytest.mark.parametrize('record, words', [
    (dict(status='copied', location='/c/x', size=3 << 20, sha256=SHA), 'copy: /c/x (3.0 MB, sha256 aaaaaaaaaaaa)'),
    (dict(status='copied', location='/c/x', size=5, sha256=SHA, reused=True), '(already there)'),
    (dict(status='copied', location='atlassian:policy-storage', export_id='exp-1'), 'export exp-1'),
    (dict(status='failed', error='the upload failed'), 'copy FAILED: the upload failed'),
    (dict(status='planned', location='/c/x'), 'would copy to /c/x'),
    (dict(status='unsupported', note='ArcGIS has no API'), 'no copy: ArcGIS has no API'),
])
def test_summary_words(record, words):
    assert words in offsite.words(record)


# -- S3 answers (amazon.aws.s3_object_info with object details) ------------------------------------------------------
def answer(*objects):
    return {'object_info': [{'object_name': key, 'object_data': data} for key, data in objects]}


def data(size=10, sha256=SHA, meta=None):
    metadata = dict({'sha256': sha256, 'size': str(size), 'snapshot-id': 'snap-1', 'data-type': 'files_and_database'},
                    **(meta or {}))
    return {'content_length': size, 'last_modified': '2026-11-30T08:00:00+00:00', 'metadata': metadata}


def test_the_object_at_a_key_and_nothing_else():
    found = answer(('p/h/saasops-r.tar.gz', data()), ('p/h/saasops-r.tar.gz.old', data(size=3)))
    there = s3.object_of(found, 'p/h/saasops-r.tar.gz')
    assert there['size'] == 10 and there['sha256'] == SHA and there['time'] == '2026-11-30T08:00:00+00:00'
    assert s3.object_of(found, 'p/h/missing') is None
    assert s3.object_of({}, 'p/h/saasops-r.tar.gz') is None


@pytest.mark.parametrize('item', [
    {'object_name': 'k', 'object_data': {'content_length': '10', 'metadata': {'sha256': SHA}}},
    {'object_name': 'k', 'object_data': {'content_length': True, 'metadata': {'sha256': 'not-a-sha'}}},
    {'object_name': 'k', 'object_data': 'weird'},
])
def test_an_answer_of_an_unexpected_shape_reads_as_absent_fields(item):
    there = s3.object_of({'object_info': [item, 'junk', {'object_name': 7}]}, 'k')
    assert there['size'] is None or there['sha256'] is None
    assert not s3.holds(there, 10, SHA)


@pytest.mark.parametrize('there, size, sha256, holds', [
    (s3.objects_of(answer(('k', data())))[0], 10, SHA, True),
    (s3.objects_of(answer(('k', data())))[0], 11, SHA, False),
    (s3.objects_of(answer(('k', data(sha256='b' * 64))))[0], 10, SHA, False),
    (None, 10, SHA, False),
])
def test_a_copy_is_confirmed_by_its_size_and_sha256(there, size, sha256, holds):
    assert s3.holds(there, size, sha256) == holds


@pytest.mark.parametrize('meta, size, adopted', [
    ({}, 10, True),
    ({'snapshot-id': 'snap-2'}, 10, False),
    ({'data-type': 'database_only'}, 10, False),
    ({'size': '11'}, 10, False),  # the object is not the size its metadata says: not whole
    ({'sha256': 'x'}, 10, False),
])
def test_an_object_an_earlier_run_could_not_record_is_adopted_only_when_it_is_this_snapshot_whole(meta, size, adopted):
    there = s3.objects_of(answer(('k', data(size=size, meta=meta))))[0]
    assert (s3.adoptable(there, 'snap-1', 'files_and_database') is not None) == adopted


def test_module_arguments():
    location = offsite.parse_location('s3://bucket-1/team')
    options = {'endpoint_url': 'http://127.0.0.1:9', 'secret_key': 's', 'encrypt': False}
    put = s3.put_arguments(location, options, 'team/h/saasops-r.tar.gz', '/tmp/x', {'sha256': SHA})
    assert put == dict(options, bucket='bucket-1', object='team/h/saasops-r.tar.gz', src='/tmp/x', mode='put',
                       overwrite='always', metadata={'sha256': SHA})
    head = s3.head_arguments(location, options, 'team/h/saasops-r.tar.gz')
    assert head['prefix'] == 'team/h/saasops-r.tar.gz' and 'encrypt' not in head and head['object_details']
    listed = s3.list_arguments(location, options, 'h', max_keys=1)
    assert listed['prefix'] == 'team/h/' and listed['max_keys'] == 1 and 'object_details' not in listed
    assert s3.delete_arguments(location, options, 'team/h/x')['mode'] == 'delobj'
    assert s3.metadata(SHA, 10, 'snap-1', 'database_only', 'r') == {
        'sha256': SHA, 'size': '10', 'snapshot-id': 'snap-1', 'data-type': 'database_only', 'run-id': 'r'}
