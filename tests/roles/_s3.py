# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the off-site copy scenarios need for S3: the amazon.aws collection, a real S3 API server on loopback, and a
fault between the two.

amazon.aws: Galaxy cannot be reached, and the `ansible` package on PyPI pins ansible-core to one minor version (it
would replace the venv's). So the one wheel below is downloaded once with pip (no dependencies, its sha256 checked),
and only ``ansible_collections/amazon/aws`` is extracted from it into a cache folder that is put on
ANSIBLE_COLLECTIONS_PATH beside this checkout (~1 s from the package index, 4 MB on disk, then reused). The cache is
``$SAASOPS_TEST_CACHE`` or ``~/.cache/saasops-backup-tests``. amazon.aws 10 supports ansible-core >= 2.17, so the same
copy serves both controllers; boto3 comes from test-requirements.txt.

The S3 server is moto in server mode (moto[s3], flask, flask-cors), started in this process on 127.0.0.1 with a free
port; the scenarios read and change its state through boto3 and, for the age of an object, moto's own backend.
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

ANSIBLE = 'ansible==12.3.0'
WHEEL = 'ansible-12.3.0-py3-none-any.whl'
WHEEL_SHA256 = 'cd156f82fa87f7a899212b0efa9f7ca3a24d609212de9f78428a572eb01e5414'
MEMBER = 'ansible_collections/amazon/aws/'


def cache_dir():
    return Path(os.environ.get('SAASOPS_TEST_CACHE') or Path.home() / '.cache' / 'saasops-backup-tests')


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def amazon_aws_collections():
    """A folder holding ``ansible_collections/amazon/aws`` (made once; safe with parallel test workers)."""
    cache = cache_dir()
    root = cache / ('collections-' + WHEEL[:-len('-py3-none-any.whl')])
    done = root / 'ansible_collections' / 'amazon' / 'aws' / 'MANIFEST.json'
    if done.is_file():
        return root
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / '.lock', 'w', encoding='utf-8') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.is_file():
            return root
        wheel = cache / WHEEL
        if not wheel.is_file() or _sha256(wheel) != WHEEL_SHA256:
            subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps',
                            '--only-binary=:all:', '--dest', str(cache), ANSIBLE], check=True)
        if _sha256(wheel) != WHEEL_SHA256:
            raise RuntimeError('%s does not have the sha256 pinned in %s' % (wheel, __file__))
        staging = Path(tempfile.mkdtemp(prefix='.collections-', dir=str(cache)))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(staging, members=[n for n in archive.namelist() if n.startswith(MEMBER)])
        shutil.rmtree(root, ignore_errors=True)
        os.replace(staging, root)
    return root


class S3Server:
    """moto's S3 API server on loopback, with a proxy in front of it that can drop uploads (``drop_puts``)."""

    ACCESS_KEY = 'AKIAOFFSITETESTKEY01'
    SECRET_KEY = 'offsite-S3-secret-key-not-for-output'
    REGION = 'us-east-1'

    def __init__(self):
        from moto.server import ThreadedMotoServer  # pylint: disable=import-outside-toplevel
        self.server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
        self.server.start()
        self.moto_port = self.server.get_host_and_port()[1]
        self.proxy = DropProxy(self.moto_port)

    @property
    def endpoint(self):
        return 'http://127.0.0.1:%d' % self.proxy.port

    def client(self):
        import boto3  # pylint: disable=import-outside-toplevel
        return boto3.client('s3', endpoint_url='http://127.0.0.1:%d' % self.moto_port, aws_access_key_id=self.ACCESS_KEY,
                            aws_secret_access_key=self.SECRET_KEY, region_name=self.REGION)

    def options(self):
        """saasops_offsite_s3 for this server."""
        return {'endpoint_url': self.endpoint, 'access_key': self.ACCESS_KEY, 'secret_key': self.SECRET_KEY,
                'region': self.REGION}

    def reset(self, bucket):
        client = self.client()
        with contextlib.suppress(client.exceptions.NoSuchBucket):
            for item in client.list_objects_v2(Bucket=bucket).get('Contents') or []:
                client.delete_object(Bucket=bucket, Key=item['Key'])
            client.delete_bucket(Bucket=bucket)
        client.create_bucket(Bucket=bucket)
        self.proxy.drop_puts = False
        self.proxy.dropped = 0

    def objects(self, bucket, prefix=''):
        """{key: {size, sha256 (metadata), last_modified}} of the bucket."""
        client = self.client()
        found = {}
        for item in client.list_objects_v2(Bucket=bucket, Prefix=prefix).get('Contents') or []:
            head = client.head_object(Bucket=bucket, Key=item['Key'])
            found[item['Key']] = {'size': head['ContentLength'], 'sha256': head['Metadata'].get('sha256'),
                                  'metadata': head['Metadata'], 'last_modified': head['LastModified']}
        return found

    def age(self, bucket, key, when):
        """Give an object another LastModified (S3 has no API for it; moto's backend in this process holds it)."""
        from moto.backends import get_backend  # pylint: disable=import-outside-toplevel
        for account in get_backend('s3').values():
            for backend in account.values():
                if bucket in backend.buckets:
                    backend.buckets[bucket].keys[key].last_modified = when.replace(tzinfo=None)
                    return
        raise KeyError(key)

    def close(self):
        self.proxy.close()
        self.server.stop()


class DropProxy:
    """A TCP proxy to the S3 server that, while ``drop_puts`` is set, cuts every connection that sends a PUT
    (a single upload or a multipart part): the upload never completes, as when a network drops it."""

    def __init__(self, port):
        self.target = port
        self.drop_puts = False
        self.dropped = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(32)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                client, dummy = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client):
        upstream = socket.create_connection(('127.0.0.1', self.target))
        back = threading.Thread(target=self._pump, args=(upstream, client), daemon=True)
        back.start()
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                if self.drop_puts and data.startswith(b'PUT '):
                    self.dropped += 1
                    break
                upstream.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    @staticmethod
    def _pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()
