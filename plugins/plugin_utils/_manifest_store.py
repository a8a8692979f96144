# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The manifest directory on the controller: one manifest per run, a pointer to the latest complete run.

    <dir>/<run id>.json     a run's manifest (schema 1), merged by host, replaced atomically
    <dir>/latest.json       {"run_id": ...}: the newest run whose every environment was backed up
    <dir>/.<run id>.lock    serialises the writers of one run (--limit runs, AWX job slices)
    <dir>/.latest.lock      serialises the writers of the pointer (taken after a run's lock, never before)

Every file here is read back as untrusted data: run ids are checked before they name a file.
"Newest" is the manifest's ``created`` (ISO 8601 UTC, so it sorts as text), then the run id.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import os
import re
import tempfile
import time

SCHEMA = 1
LATEST = 'latest.json'
# Run ids name files: a conservative character set, no leading dot (lock and temporary files start with
# one). \Z, not $: $ also matches before a final newline, and "run\n" would name a file. Not "latest"
# in any case: its manifest would be the pointer's file (a case-insensitive file system folds the case).
RUN_ID = re.compile(r'^(?!(?i:latest)\Z)[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z')
# A run is complete when every environment's backup is done (Jahia's is triggered, it cannot be confirmed).
DONE = ('completed', 'triggered')
# The lock is only ever held for a read-merge-write of a small file.
LOCK_TIMEOUT = 60.0


class StoreError(ValueError):
    """The manifest directory or a run id cannot be used."""


def state_dir(name):
    """``$XDG_STATE_HOME/saasops/<name>``, else ``~/.local/state/saasops/<name>``.

    Not the current directory: cron and systemd start jobs in ``/`` or with no ``PWD`` at all.
    """
    base = os.environ.get('XDG_STATE_HOME') or os.path.join(os.path.expanduser('~'), '.local', 'state')
    return os.path.join(base, 'saasops', name)


def default_dir():
    """The manifest directory: ``$XDG_STATE_HOME/saasops/manifests``, else ``~/.local/state/saasops/manifests``."""
    return state_dir('manifests')


def is_run_id(value):
    """Whether ``value`` may name a run (and so a file): the one rule every reader and writer applies."""
    return isinstance(value, str) and RUN_ID.match(value) is not None


def check_run_id(run_id, what='run id'):
    if not is_run_id(run_id):
        raise StoreError('%s %r is not valid: 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit, '
                         'and not "latest"' % (what, run_id))
    return run_id


def run_path(directory, run_id):
    return os.path.join(directory, check_run_id(run_id) + '.json')


def check_dir(directory, create):
    """Refuse a directory that cannot hold manifests; create it (mode 0700) when ``create``.

    Concurrent writers (the forks of one play, AWX job slices) may create it between two checks here:
    "exists but is no directory" is only said of something that is still no directory.
    """
    created = False
    if not os.path.isdir(directory):
        if os.path.exists(directory) and not os.path.isdir(directory):
            raise StoreError('the manifest directory %s is not a directory' % directory)
        if not create and not os.path.isdir(directory):
            raise StoreError('the manifest directory %s does not exist: create it, or leave saasops_manifest_dir unset '
                             'to use the default' % directory)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise StoreError('the manifest directory %s cannot be created: %s' % (directory, exc)) from None
        if not os.path.isdir(directory):
            raise StoreError('the manifest directory %s is not a directory' % directory)
        created = True
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StoreError('the manifest directory %s is not writable' % directory)
    return created


def read_json(path):
    """The JSON object at ``path``, or None when there is no file."""
    try:
        with open(path, encoding='utf-8') as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise StoreError('%s cannot be read: %s' % (path, exc)) from None
    if not isinstance(data, dict):
        raise StoreError('%s is not a JSON object' % path)
    return data


def write_json(path, data):
    """Replace ``path`` atomically with ``data`` as JSON (see write_text), mode 0600."""
    try:
        # Serialised first: a value JSON cannot hold fails before any file is touched.
        text = json.dumps(data, indent=2, sort_keys=False) + '\n'
    except (TypeError, ValueError) as exc:
        raise StoreError('%s cannot be written as JSON: %s' % (path, exc)) from None
    write_text(path, text)


def write_text(path, text):
    """Replace ``path`` with ``text`` (UTF-8) atomically: a temporary file beside it, fsync, rename; mode 0600.

    Readers never see half a file, and a crash leaves the previous one; the directory is fsynced so the rename lasts.
    """
    directory = os.path.dirname(path) or '.'
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', suffix='.tmp', dir=directory)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def locked(directory, run_id, timeout=LOCK_TIMEOUT, sleep=None, clock=None):
    """Hold the run's lock file (flock), waiting at most ``timeout`` seconds for another writer."""
    with _flock(os.path.join(directory, '.%s.lock' % check_run_id(run_id)), timeout, sleep, clock):
        yield


@contextlib.contextmanager
def _flock(path, timeout=LOCK_TIMEOUT, sleep=None, clock=None):
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        deadline = clock() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() >= deadline:
                    raise StoreError('another writer holds %s for more than %g s' % (path, timeout)) from None
                sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def environments_of(manifest, path=None):
    """The manifest's list of environments (a missing list is an empty one)."""
    environments = manifest.get('environments')
    if environments is None:
        return []
    if not isinstance(environments, list):
        raise StoreError('the environments of %s are not a list' % (path or 'the manifest of run %s' % manifest.get('run_id')))
    return environments


def check_manifest(manifest, run_id, path):
    """``manifest`` (read from ``path``) when it is a schema-1 manifest of ``run_id``; else why it cannot be used."""
    if manifest.get('run_id') != run_id or manifest.get('schema') != SCHEMA:
        raise StoreError('the manifest of run %s at %s is not a schema %d manifest of that run (it holds run %r, schema %r): '
                         'move it away' % (run_id, path, SCHEMA, manifest.get('run_id'), manifest.get('schema')))
    environments_of(manifest, path)
    return manifest


def read_run(directory, run_id):
    """The run's manifest, checked with check_manifest, or None when the run has none yet."""
    path = run_path(directory, run_id)
    manifest = read_json(path)
    return None if manifest is None else check_manifest(manifest, run_id, path)


def check_entries(entries):
    """Every entry must be a dict naming its host (a string): what merge replaces by."""
    if not isinstance(entries, list):
        raise StoreError('the manifest entries are %s, not a list' % _kind(entries))
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise StoreError('manifest entry %d is %s, not a dict' % (index, _kind(entry)))
        if not isinstance(entry.get('host'), str) or not entry['host']:
            raise StoreError('manifest entry %d has no host (a non-empty string)' % index)
    return entries


def _kind(value):
    """What a value is, in words: ansible-core's own str/dict subclasses are not worth naming."""
    for types, name in ((bool, 'a boolean'), ((int, float), 'a number'), (str, 'a string'), (dict, 'a dict'),
                        ((list, tuple), 'a list'), (type(None), 'null')):
        if isinstance(value, types):
            return name
    return 'a %s' % type(value).__name__


def merge(existing, run_id, entries, created=None):
    """``existing`` (or a new manifest) with ``entries`` replacing the same hosts' and adding new ones.

    Hosts of another part of the run (a --limit run, another job slice) are kept as they are.
    """
    check_entries(entries)
    manifest = dict(existing) if existing else {'schema': SCHEMA, 'run_id': run_id, 'created': created or now_iso()}
    if manifest.get('run_id') != run_id or manifest.get('schema') != SCHEMA:
        raise StoreError('the manifest of run %s holds run %r, schema %r: refusing to merge into it'
                         % (run_id, manifest.get('run_id'), manifest.get('schema')))
    ours = dict((e['host'], e) for e in entries)
    kept = [e for e in environments_of(manifest) if not (isinstance(e, dict) and e.get('host') in ours)]
    manifest['environments'] = kept + [ours[h] for h in sorted(ours)]
    return manifest


def is_complete(manifest):
    """Every environment's backup is done; a manifest without environments is not a complete run."""
    environments = manifest.get('environments')
    return (isinstance(environments, list) and bool(environments)
            and all(isinstance(e, dict) and e.get('status') in DONE for e in environments))


def _age(manifest):
    """What "newest" compares: created, then the run id."""
    return (str(manifest.get('created') or ''), str(manifest.get('run_id') or ''))


def _latest_manifest(directory):
    """The complete manifest the pointer names, or None (no pointer, or one naming nothing usable)."""
    try:
        run_id = latest_run_id(directory)
        manifest = read_run(directory, run_id) if run_id else None
    except StoreError:
        return None
    return manifest if manifest is not None and is_complete(manifest) else None


def takes_latest(directory, manifest):
    """Whether ``manifest`` would become the latest: complete, and not older than the run the pointer names.

    An older run made complete again (a --limit re-run of last week's run) does not take the pointer.
    """
    if not is_complete(manifest):
        return False
    current = _latest_manifest(directory)
    return current is None or _age(manifest) >= _age(current)


def _point_latest(directory, run_id, manifest, update_latest, timeout, sleep, clock):
    """Update the pointer after ``manifest`` of ``run_id`` was written; whether it now names this run."""
    pointer = os.path.join(directory, LATEST)
    with _flock(os.path.join(directory, '.latest.lock'), timeout, sleep, clock):
        if update_latest and takes_latest(directory, manifest):
            write_json(pointer, {'run_id': run_id, 'updated': manifest.get('updated') or now_iso()})
            return True
        named = None
        with contextlib.suppress(StoreError):
            named = latest_run_id(directory)
        if named == run_id and not is_complete(manifest):
            # Another part of this run (a job slice) made it complete and took the pointer; this part recorded a
            # failure. The pointer never names an incomplete run: it goes back to the newest complete one, as if
            # the run had been written in one piece.
            fallback = next((r for r in list_runs(directory) if r['complete'] and r['run_id'] != run_id), None)
            if fallback:
                write_json(pointer, {'run_id': fallback['run_id'], 'updated': now_iso()})
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(pointer)
        return named == run_id and is_complete(manifest)


def write_run(directory, run_id, entries, update_latest, copy_to=None, timeout=LOCK_TIMEOUT, sleep=None, clock=None):
    """Merge ``entries`` into the run's manifest under its lock; point ``latest`` at it when asked (the run's
    last write), if it is complete and not older than the run the pointer names.

    ``copy_to``: also replace that file with the whole merged manifest, under the same lock (so the last
    writer's copy holds every part of the run). Returns ``(manifest, path, latest)`` where ``latest`` says
    whether the pointer now names this run.
    """
    path = run_path(directory, run_id)
    check_entries(entries)
    with locked(directory, run_id, timeout, sleep, clock):
        manifest = merge(read_run(directory, run_id), run_id, entries)
        manifest['updated'] = now_iso()
        write_json(path, manifest)
        if copy_to:
            write_json(copy_to, manifest)
        latest = _point_latest(directory, run_id, manifest, update_latest, timeout, sleep, clock)
    return manifest, path, latest


def latest_run_id(directory):
    """The run id the latest pointer names (checked), or None."""
    pointer = read_json(os.path.join(directory, LATEST))
    if pointer is None:
        return None
    return check_run_id(pointer.get('run_id'), 'the run id in %s' % os.path.join(directory, LATEST))


def run_files(directory):
    """(run id, path) of every file of ``directory`` whose name says it is a run's manifest (none when it is missing)."""
    if not os.path.isdir(directory):
        return []
    found = []
    for name in os.listdir(directory):
        run_id, ext = os.path.splitext(name)
        if ext == '.json' and name != LATEST and is_run_id(run_id):
            found.append((run_id, os.path.join(directory, name)))
    return found


def list_runs(directory):
    """Every run kept, newest first: run id, created, complete, counts by status, and which one is latest.

    A file that is not a usable manifest of the run its name says is listed with ``error`` (and never complete).
    """
    if not os.path.isdir(directory):
        return []
    latest = None
    with contextlib.suppress(StoreError):
        latest = latest_run_id(directory)
    runs = []
    for run_id, path in run_files(directory):
        run = {'run_id': run_id, 'created': '', 'complete': False, 'environments': 0, 'statuses': {},
               'latest': run_id == latest, 'path': path}
        try:
            manifest = read_json(path)
            if manifest is None:  # removed since listed
                continue
            check_manifest(manifest, run_id, path)
        except StoreError as exc:
            run['error'] = str(exc)
            runs.append(run)
            continue
        statuses = {}
        for entry in environments_of(manifest, path):
            status = str(entry.get('status')) if isinstance(entry, dict) else 'invalid'
            statuses[status] = statuses.get(status, 0) + 1
        run.update(created=str(manifest.get('created') or ''), complete=is_complete(manifest),
                   environments=sum(statuses.values()), statuses=statuses)
        runs.append(run)
    return sorted(runs, key=lambda r: (r['created'], r['run_id']), reverse=True)
