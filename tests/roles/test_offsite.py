# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Off-site copies (saasops_offsite): the snapshot playbook copies Mendix archives to a directory and to a real S3
API server on loopback (moto, through amazon.aws.s3_object), exports Atlassian v1 backups, says ArcGIS and Jahia have
no download API; the prune playbook rotates the copies. Assertions are on the emulator's request log and state, the
S3 server's objects and the files on disk."""

import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from pathlib import Path

import pytest

from _s3 import S3Server, amazon_aws_collections  # pylint: disable=import-error
from conftest import (SECRETS, arcgis_host, atlassian_host, jahia_host, mendix_host,  # pylint: disable=import-error
                      published)

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
PRUNE = 'saasops.backup.prune'
BUCKET = 'offsite-copies'
DAY = 86400


@pytest.fixture(scope='session')
def s3_server():
    server = S3Server()
    yield server
    server.close()


@pytest.fixture
def s3(s3_server):  # pylint: disable=redefined-outer-name
    s3_server.reset(BUCKET)
    return s3_server


@pytest.fixture
def aws_job(job):
    """The job, with amazon.aws on ANSIBLE_COLLECTIONS_PATH beside this checkout."""
    path = '%s:%s' % (job.collections_path, amazon_aws_collections())
    run = job.run

    def with_amazon_aws(*args, **kwargs):
        kwargs['env'] = dict({'ANSIBLE_COLLECTIONS_PATH': path}, **(kwargs.get('env') or {}))
        return run(*args, **kwargs)

    job.run = with_amazon_aws
    return job


@pytest.fixture
def controller_tmp():
    """The job's TMPDIR, where an S3 copy waits for its upload: short, since ansible-core 2.21 puts a socket there."""
    path = Path(tempfile.mkdtemp(prefix='offsite-'))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def downloads(emu):
    """Requests for a Mendix archive: the archive jobs created and the files fetched from the download host."""
    return [r['path'] for r in emu.requests() if r['method'] == 'POST' and r['path'].endswith('/archives')
            or r['method'] == 'GET' and r['path'].startswith('/mendix/backups/')]


def entries(job, run_id):
    return {e['host']: e for e in job.manifest(run_id)['environments']}


def tar_members(data):
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as archive:
        return archive.getnames()


def test_mendix_copies_to_a_directory_verified_and_not_again_on_a_rerun(emu, job, tmp_path):
    offsite = tmp_path / 'offsite'
    offsite.mkdir()
    hosts = {'mendix-accp': dict(mendix_host(emu), saasops_offsite=str(offsite)),
             'mendix-test-v1': dict(mendix_host(emu, 'Test', api_version=1), saasops_offsite=str(offsite),
                                    saasops_offsite_archive='database_only')}
    first = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'copy-dir'}, name='first')
    assert first.rc == 0, first.output

    found = entries(job, 'copy-dir')
    whole = offsite / 'mendix-accp' / 'saasops-copy-dir.tar.gz'
    dump = offsite / 'mendix-test-v1' / 'saasops-copy-dir.backup'
    for host, path, archive in (('mendix-accp', whole, 'files_and_database'), ('mendix-test-v1', dump, 'database_only')):
        copy = found[host]['offsite']
        assert copy['kind'] == 'dir' and copy['status'] == 'copied' and copy['verified'] is True
        assert copy['location'] == str(path) and copy['archive'] == archive
        assert copy['size'] == path.stat().st_size and copy['sha256'] == sha256_of(path)
        assert copy['snapshot_id'] == found[host]['backup']['snapshot_id']
    # What the files hold: the whole archive (db/db.backup, .metadata) and a PostgreSQL custom-format dump.
    assert {'db/db.backup', '.metadata'} <= {n[2:] if n.startswith('./') else n for n in tar_members(whole.read_bytes())}
    assert dump.read_bytes().startswith(b'PGDMP')
    # Nothing but the copies and mendix_snapshot's records of them; the manifest published to AWX carries the copy.
    assert sorted(p.name for p in (offsite / 'mendix-accp').iterdir()) == [
        'saasops-copy-dir.tar.gz', 'saasops-copy-dir.tar.gz.mendix-snapshot.json']
    assert published(first)['saasops_manifest']['environments'] == job.manifest('copy-dir')['environments']
    assert 'copy: %s' % whole in first.output
    assert len(downloads(emu)) == 3  # a v2 archive job and its file, and a v1 file

    emu.clear_requests()
    mtime = whole.stat().st_mtime_ns
    again = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'copy-dir'}, name='again')
    assert again.rc == 0, again.output
    assert downloads(emu) == []
    assert whole.stat().st_mtime_ns == mtime
    for host in hosts:
        assert entries(job, 'copy-dir')[host]['offsite'] == dict(found[host]['offsite'], reused=True)
    assert '(already there)' in again.output


def test_a_missing_directory_stops_the_play_before_any_backup(emu, job, tmp_path):
    hosts = {'mendix-accp': dict(mendix_host(emu), saasops_offsite=str(tmp_path / 'no-such-folder'))}
    result = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'no-folder'}, name='refused')
    assert result.rc != 0
    assert 'is not an existing directory' in result.output
    assert emu.requests(method='POST') == []
    assert not (tmp_path / 'no-such-folder').exists()


# pylint: disable-next=redefined-outer-name
def test_mendix_copy_to_s3_streamed_confirmed_and_nothing_secret_recorded(emu, aws_job, s3, controller_tmp):
    hosts = {'mendix-accp': dict(mendix_host(emu), saasops_offsite='s3://%s/team/backups' % BUCKET,
                                 saasops_offsite_s3=s3.options())}
    env = {'TMPDIR': str(controller_tmp)}
    first = aws_job.run(SNAPSHOT, hosts, {'saasops_run_id': 'copy-s3'}, name='first', env=env)
    assert first.rc == 0, first.output

    key = 'team/backups/mendix-accp/saasops-copy-s3.tar.gz'
    objects = s3.objects(BUCKET)
    assert list(objects) == [key]
    copy = entries(aws_job, 'copy-s3')['mendix-accp']['offsite']
    assert copy['kind'] == 's3' and copy['status'] == 'copied' and copy['verified'] is True
    assert copy['location'] == 's3://%s/%s' % (BUCKET, key)
    assert objects[key]['size'] == copy['size'] and objects[key]['sha256'] == copy['sha256']
    body = s3.client().get_object(Bucket=BUCKET, Key=key)['Body'].read()
    assert hashlib.sha256(body).hexdigest() == copy['sha256'] and len(body) == copy['size']
    assert objects[key]['metadata']['snapshot-id'] == entries(aws_job, 'copy-s3')['mendix-accp']['backup']['snapshot_id']
    # No temporary copy left on the controller; no credential and no endpoint in the manifest or the output.
    assert [p for p in controller_tmp.rglob('*') if 'saasops-offsite' in str(p) and p.is_file()] == []
    text = json.dumps(aws_job.manifest('copy-s3'))
    for secret in SECRETS + (s3.SECRET_KEY, s3.ACCESS_KEY, s3.endpoint):
        assert secret not in text
    for secret in SECRETS + (s3.SECRET_KEY,):
        assert secret not in first.output

    emu.clear_requests()
    again = aws_job.run(SNAPSHOT, hosts, {'saasops_run_id': 'copy-s3'}, name='again', env=env)
    assert again.rc == 0, again.output
    assert downloads(emu) == []
    assert s3.objects(BUCKET)[key]['last_modified'] == objects[key]['last_modified']  # not uploaded again
    assert entries(aws_job, 'copy-s3')['mendix-accp']['offsite'] == dict(copy, reused=True)


# pylint: disable-next=redefined-outer-name
def test_a_dropped_upload_records_no_copy_and_a_rerun_uploads_without_downloading_again(emu, aws_job, s3, controller_tmp):
    # Over 8 MiB: boto3 uploads it in parts (multipart), and every part's PUT is cut.
    emu.configure({'mendix': {'database_bytes': 9 * 1024 * 1024}})
    hosts = {'mendix-accp': dict(mendix_host(emu), saasops_offsite='s3://%s' % BUCKET, saasops_offsite_s3=s3.options())}
    env = {'TMPDIR': str(controller_tmp)}
    s3.proxy.drop_puts = True
    cut = aws_job.run(SNAPSHOT, hosts, {'saasops_run_id': 'dropped'}, name='cut', env=env)
    assert cut.rc != 0
    assert s3.proxy.dropped > 0
    entry = entries(aws_job, 'dropped')['mendix-accp']
    assert entry['status'] == 'completed'  # the vendor's backup is good: only its copy failed
    assert entry['offsite']['status'] == 'failed' and 'upload' in entry['offsite']['error']
    assert entry['offsite'].get('sha256') is None and entry['offsite'].get('size') is None
    assert s3.objects(BUCKET) == {}
    assert s3.client().list_multipart_uploads(Bucket=BUCKET).get('Uploads', []) == []
    assert 'the off-site copy failed' in cut.output
    # The verified archive waits on the controller for the next run.
    assert [p.name for p in controller_tmp.rglob('saasops-dropped.tar.gz')] == ['saasops-dropped.tar.gz']
    assert len(downloads(emu)) == 2

    s3.proxy.drop_puts = False
    emu.clear_requests()
    healed = aws_job.run(SNAPSHOT, hosts, {'saasops_run_id': 'dropped'}, name='healed', env=env)
    assert healed.rc == 0, healed.output
    assert downloads(emu) == []  # the verified archive the first run kept is uploaded
    copy = entries(aws_job, 'dropped')['mendix-accp']['offsite']
    objects = s3.objects(BUCKET)
    assert copy['status'] == 'copied' and objects['mendix-accp/saasops-dropped.tar.gz']['sha256'] == copy['sha256']
    assert objects['mendix-accp/saasops-dropped.tar.gz']['size'] == copy['size'] > 8 * 1024 * 1024
    assert [p for p in controller_tmp.rglob('*') if 'saasops-offsite' in str(p) and p.is_file()] == []


def test_atlassian_is_exported_and_arcgis_and_jahia_have_no_download_api(emu, job, tmp_path):
    emu.seed({'atlassian': {'storages': [{'storageId': 'stg-offsite', 'storageName': 'offsite', 'storageRegion': 'us-east-1',
                                          'storagePrefix': 'jira', 'roleIdentifier': 'arn:aws:iam::1:role/x',
                                          'principalTag': 'tag', 'cloudId': 'cloud-prod'}],
                            'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA', 'storageId': 'stg-offsite'}],
                            'replace': True}})
    offsite = tmp_path / 'offsite'
    offsite.mkdir()
    hosts = {'jira-prod': atlassian_host(emu), 'gis-prod': arcgis_host(emu), 'jahia-staging': jahia_host(emu)}
    for host in hosts.values():
        host['saasops_offsite'] = str(offsite)
    first = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'vendors'}, name='first')
    assert first.rc == 0, first.output

    found = entries(job, 'vendors')
    exports = emu.state('atlassian')['exports']
    assert len(exports) == 1
    copy = found['jira-prod']['offsite']
    assert copy['kind'] == 'atlassian_export' and copy['status'] == 'copied'
    assert copy['export_id'] == exports[0]['exportId'] and copy['backup_id'] == found['jira-prod']['backup']['backup_id']
    assert copy['size'] is None and copy['sha256'] is None and 'no size or checksum' in copy['note']
    for host, words in (('gis-prod', 'ArcGIS has no API to download a backup'),
                        ('jahia-staging', 'Jahia has no API to download a backup')):
        assert found[host]['status'] in ('completed', 'triggered')
        assert found[host]['offsite']['status'] == 'unsupported' and words in found[host]['offsite']['note']
        assert words in first.output
    assert list(offsite.iterdir()) == []

    emu.clear_requests()
    again = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'vendors'}, name='again')
    assert again.rc == 0, again.output
    assert [r['path'] for r in emu.requests(method='POST') if r['path'].endswith('/exports')] == []
    assert len(emu.state('atlassian')['exports']) == 1


# -- rotation in the prune playbook ---------------------------------------------------------------------------------
RUNS = (('r1', 60), ('r2', 50), ('r3', 40), ('r4', 35), ('r5', 20), ('r6', 1))


def write_manifests(job, hosts_offsite):
    """Manifests of runs r1 (pinned by the test) and r2 (the latest and newest): they recorded these copies."""
    directory = job.manifest_dir
    directory.mkdir(parents=True, exist_ok=True)
    for run_id, created in (('r1', '2026-01-01T00:00:00Z'), ('r2', '2026-02-01T00:00:00Z')):
        environments = [{'host': host, 'platform': 'mendix', 'status': 'completed',
                         'offsite': {'kind': kind, 'location': location % run_id, 'status': 'copied'}}
                        for host, (kind, location) in hosts_offsite.items()]
        (directory / (run_id + '.json')).write_text(json.dumps(
            {'schema': 1, 'run_id': run_id, 'created': created, 'environments': environments}), encoding='utf-8')
    (directory / 'latest.json').write_text(json.dumps({'run_id': 'r2'}), encoding='utf-8')


def test_prune_rotates_copies_in_a_directory_and_in_s3(emu, aws_job, s3, tmp_path):
    offsite = tmp_path / 'offsite'
    folder = offsite / 'mendix-accp'
    folder.mkdir(parents=True)
    now = time.time()
    for run_id, days in RUNS:
        path = folder / ('saasops-%s.tar.gz' % run_id)
        path.write_bytes(run_id.encode() * 100)
        (folder / (path.name + '.mendix-snapshot.json')).write_text('{}', encoding='utf-8')
        os.utime(path, (now - days * DAY, now - days * DAY))
        key = 'copies/mendix-test/saasops-%s.tar.gz' % run_id
        s3.client().put_object(Bucket=BUCKET, Key=key, Body=run_id.encode() * 100)
        s3.age(BUCKET, key, datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days))
    # Not ours: never deleted, whatever their age.
    (folder / 'notes.txt').write_text('kept', encoding='utf-8')
    os.utime(folder / 'notes.txt', (now - 90 * DAY, now - 90 * DAY))
    s3.client().put_object(Bucket=BUCKET, Key='copies/mendix-test/manual-export.tar.gz', Body=b'kept')
    s3.age(BUCKET, 'copies/mendix-test/manual-export.tar.gz',
           datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=90))
    write_manifests(aws_job, {'mendix-accp': ('dir', str(folder / 'saasops-%s.tar.gz')),
                              'mendix-test': ('s3', 's3://%s/copies/mendix-test/saasops-%%s.tar.gz' % BUCKET)})
    hosts = {'mendix-accp': dict(mendix_host(emu), saasops_offsite=str(offsite)),
             'mendix-test': dict(mendix_host(emu, 'Test'), saasops_offsite='s3://%s/copies' % BUCKET,
                                 saasops_offsite_s3=s3.options())}
    extravars = {'saasops_keep_last': 2, 'saasops_keep_days': 30, 'saasops_protect_runs': ['r1']}
    files = sorted(p.name for p in folder.iterdir())
    objects = sorted(s3.objects(BUCKET))

    check = aws_job.run(PRUNE, hosts, extravars, name='check', cmdline='--check')
    assert check.rc == 0, check.output
    assert sorted(p.name for p in folder.iterdir()) == files and sorted(s3.objects(BUCKET)) == objects
    would = published(check)['saasops_prune_copies']['would_delete']
    assert sorted((w['host'], w['run_id']) for w in would) == [
        ('mendix-accp', 'r3'), ('mendix-accp', 'r4'), ('mendix-test', 'r3'), ('mendix-test', 'r4')]
    assert 'would delete 2 of 7 copies' in check.output

    real = aws_job.run(PRUNE, hosts, extravars, name='real')
    assert real.rc == 0, real.output
    # r3 and r4 are older than 30 days and beyond the newest 2; r1 is pinned, r2 the latest run, r5 and r6 the newest.
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ['notes.txt'] + ['saasops-%s.tar.gz%s' % (r, s) for r in ('r1', 'r2', 'r5', 'r6') for s in ('', '.mendix-snapshot.json')])
    assert sorted(s3.objects(BUCKET)) == sorted(['copies/mendix-test/manual-export.tar.gz'] + [
        'copies/mendix-test/saasops-%s.tar.gz' % r for r in ('r1', 'r2', 'r5', 'r6')])
    history = json.loads((aws_job.manifest_dir / 'prune' / 'copies' / 'history.json').read_text(encoding='utf-8'))
    assert sorted((r['host'], r['run_id'], r['result']) for r in history['deletions']) == [
        ('mendix-accp', 'r3', 'deleted'), ('mendix-accp', 'r4', 'deleted'),
        ('mendix-test', 'r3', 'deleted'), ('mendix-test', 'r4', 'deleted')]
    assert s3.SECRET_KEY not in json.dumps(history) and s3.endpoint not in json.dumps(history)

    second = aws_job.run(PRUNE, hosts, extravars, name='second')
    assert second.rc == 0, second.output
    assert len(json.loads((aws_job.manifest_dir / 'prune' / 'copies' / 'history.json').read_text(
        encoding='utf-8'))['deletions']) == 4
    assert 'deleted 0 of 5 copies' in second.output


def test_the_newest_copy_is_kept_however_old(emu, job, tmp_path):
    offsite = tmp_path / 'offsite'
    folder = offsite / 'mendix-accp'
    folder.mkdir(parents=True)
    now = time.time()
    for run_id, days in (('old1', 90), ('old2', 80)):
        path = folder / ('saasops-%s.backup' % run_id)
        path.write_bytes(b'PGDMP')
        os.utime(path, (now - days * DAY, now - days * DAY))
    hosts = {'mendix-accp': dict(mendix_host(emu), saasops_offsite=str(offsite))}
    result = job.run(PRUNE, hosts, {'saasops_keep_last': 1, 'saasops_keep_days': 1}, name='prune')
    assert result.rc == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ['saasops-old2.backup']
