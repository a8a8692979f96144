# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Download throughput of the shared client against a bare requests loop, same file, same run.

    python bench/bench_download.py [--size-mb 200] [--rounds 3] [--curl-size-mb 1024] [--curl-rounds 3]

Prints MB/s for both and the ratio client/baseline (1.0 = no overhead from the resumable,
hashing, atomic download; the hash is included on both sides). A second ratio measures a
download that loses its connection mid-file and resumes, a third the download of a Mendix
files_and_database archive of the same size verified as it is written (mendix_snapshot's
check: the gzip stream inflated to its end, the tar read).

Then the figure of issue 17: the client against curl as it is (``curl --cacert CA -o FILE``:
no hash, no fsync, no atomic rename) on a --curl-size-mb file, alternated (curl, client, curl,
client ...), as the throughput ratio client/curl (>= 0.9 is the target) with min/median/max, and
the peak RSS of the process doing the download (<= 80 MiB whatever the size): the client runs in
a child process that reports its download time and its VmHWM. Needs the .venv (ansible-core,
requests, cryptography) and starts its own emulator.
"""

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tests' / 'emulator'))

import ctl  # noqa: E402  pylint: disable=wrong-import-position,import-error


def collection_on_path():
    """Make ``ansible_collections.saasops.backup`` importable from this checkout."""
    root = Path(tempfile.mkdtemp(prefix='saasops-bench-'))
    (root / 'ansible_collections' / 'saasops').mkdir(parents=True)
    (root / 'ansible_collections' / 'saasops' / 'backup').symlink_to(REPO)
    sys.path.insert(0, str(root))


def baseline(session, url, dest):
    """The simplest correct streaming download: what the client must not be much slower than."""
    digest = hashlib.sha256()
    with session.get(url, stream=True, timeout=60) as response, open(dest, 'wb') as handle:
        response.raise_for_status()
        for chunk in response.iter_content(1024 * 1024):
            handle.write(chunk)
            digest.update(chunk)
        handle.flush()
        os.fsync(handle.fileno())  # the client makes its file durable before renaming it: so does the baseline
    return digest.hexdigest()


def timed(func, *args):
    start = time.perf_counter()
    value = func(*args)
    return time.perf_counter() - start, value


CURL = '/usr/bin/curl'
TARGET_RATIO = 0.9
TARGET_RSS_MIB = 80


def child_download(spec):
    """In a child process: one client download; prints its time, sha256 and peak RSS as JSON."""
    collection_on_path()
    # pylint: disable-next=import-outside-toplevel,import-error
    from ansible_collections.saasops.backup.plugins.module_utils._download import download
    # pylint: disable-next=import-outside-toplevel,import-error
    from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
    spec = json.loads(spec)
    client = HttpClient('Bench', spec['api_base'], ca_path=spec['ca_path'], timeout=60)
    seconds, out = timed(download, client, spec['url'], spec['dest'], 'bench')
    with open('/proc/self/status', encoding='ascii') as status:
        hwm = [line.split()[1] for line in status if line.startswith('VmHWM:')][0]
    print(json.dumps({'seconds': seconds, 'sha256': out['sha256'], 'vm_hwm_kib': int(hwm)}))


def against_curl(emu, info, size_mb, rounds, work):
    """``(ratios client/curl, peak RSS in MiB of each client run)``, curl and the client alternated."""
    registered = emu.add_file('bench-curl.bin', size_mb * 1024 * 1024, seed=11)
    url = emu.url(registered['url_path'], download=True)
    spec = json.dumps({'url': url, 'dest': str(work / 'client.bin'), 'ca_path': info['ca_path'],
                       'api_base': info['api_base']})
    ratios, peaks = [], []
    for dummy in range(rounds):
        start = time.perf_counter()
        subprocess.run([CURL, '--silent', '--show-error', '--fail', '--cacert', info['ca_path'],
                        '-o', str(work / 'curl.bin'), url], check=True)
        curl_seconds = time.perf_counter() - start
        assert os.path.getsize(work / 'curl.bin') == registered['size']
        child = subprocess.run([sys.executable, __file__, '--child', spec], check=True, capture_output=True, text=True)
        out = json.loads(child.stdout.strip().splitlines()[-1])
        assert out['sha256'] == registered['sha256']
        ratios.append(curl_seconds / out['seconds'])
        peaks.append(out['vm_hwm_kib'] / 1024)
    # The same peak seen from here: the largest RSS any child of this process reached.
    peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return ratios, peaks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--size-mb', type=int, default=200)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--curl-size-mb', type=int, default=1024)
    parser.add_argument('--curl-rounds', type=int, default=3)
    parser.add_argument('--child', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_download(args.child)
        return
    collection_on_path()
    # pylint: disable-next=import-outside-toplevel,import-error
    from ansible_collections.saasops.backup.plugins.module_utils._archive_check import ArchiveCheck
    # pylint: disable-next=import-outside-toplevel,import-error
    from ansible_collections.saasops.backup.plugins.module_utils._download import download
    # pylint: disable-next=import-outside-toplevel,import-error
    from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient

    state = tempfile.mkdtemp(prefix='saasops-bench-emulator-')
    info = ctl.start(state, watch_pid=os.getpid())
    emu = ctl.EmulatorClient(info)
    try:
        size = args.size_mb * 1024 * 1024
        registered = emu.add_file('bench.bin', size, seed=7)
        url = emu.url(registered['url_path'], download=True)
        # The emulator's archives are gzip streams of stored blocks: what a tar.gz of already compressed
        # data (a pg_dump custom dump, documents) is close to.
        emu.seed({'files': [{'name': 'bench.tar.gz', 'size': size, 'seed': 7, 'mendix_archive': 'files_and_database'}]})
        archive = [f for f in emu.state('files')['files'] if f['name'] == 'bench.tar.gz'][0]
        archive_url = emu.url(archive['url_path'], download=True)
        work = Path(tempfile.mkdtemp(prefix='saasops-bench-out-'))
        client = HttpClient('Bench', info['api_base'], ca_path=info['ca_path'], timeout=60)
        session = emu.new_session()
        results = {'baseline': [], 'client': [], 'client, one drop': [], 'client, verified': []}
        for dummy in range(args.rounds):
            seconds, digest = timed(baseline, session, url, str(work / 'a.bin'))
            assert digest == registered['sha256']
            results['baseline'].append(seconds)
            seconds, out = timed(download, client, url, str(work / 'b.bin'), 'bench')
            assert out['sha256'] == registered['sha256']
            results['client'].append(seconds)
            emu.add_fault(path='^/files/bench.bin$', action='truncate', truncate_at=size // 2, count=1)
            seconds, out = timed(download, client, url, str(work / 'c.bin'), 'bench')
            assert out['sha256'] == registered['sha256'] and out['resumed'] == 1
            results['client, one drop'].append(seconds)
            seconds, out = timed(lambda: download(client, archive_url, str(work / 'd.tar.gz'), 'bench',
                                                  check=ArchiveCheck('files_and_database')))
            assert out['sha256'] == archive['sha256'] and out['checked']['members_checked'] == ['.metadata', 'db/db.backup']
            results['client, verified'].append(seconds)
        best = {name: min(times) for name, times in results.items()}
        print('download of %d MB over HTTPS on loopback, best of %d rounds' % (args.size_mb, args.rounds))
        for name, seconds in best.items():
            print('  %-18s %6.2f s  %7.1f MB/s  ratio to baseline %.2f'
                  % (name, seconds, args.size_mb / seconds, seconds / best['baseline']))
        for name in ('a.bin', 'b.bin', 'c.bin', 'd.tar.gz'):
            os.unlink(work / name)
        ratios, peaks = against_curl(emu, info, args.curl_size_mb, args.curl_rounds, work)
        met = statistics.median(ratios) >= TARGET_RATIO and max(peaks) <= TARGET_RSS_MIB
        print('download of %d MB, client / curl throughput over %d alternated runs: min %.2f median %.2f max %.2f'
              ' (target >= %.1f); peak RSS of the client process %.1f MiB (target <= %d): target %s'
              % (args.curl_size_mb, args.curl_rounds, min(ratios), statistics.median(ratios), max(ratios),
                 TARGET_RATIO, max(peaks), TARGET_RSS_MIB, 'met' if met else 'NOT met'))
        for name in ('curl.bin', 'client.bin'):
            os.unlink(work / name)
    finally:
        emu.close()
        ctl.stop(state)


if __name__ == '__main__':
    main()
