# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mendix Backups API v1 and v2 behind one interface: snapshots, download URLs, restores.

Modules see snapshots in the v2 shape (snake_case, ISO 8601 times) whatever the API version;
v1 snapshots also keep their epoch-millisecond ``created_on`` / ``expires_on``.
"""

from ansible_collections.saasops.backup.plugins.module_utils._convert import epoch_ms_from_iso, iso_from_epoch_ms
from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import create_when_free
from ansible_collections.saasops.backup.plugins.module_utils._mendix import BUSY, JOB_STATES, PLATFORM
from ansible_collections.saasops.backup.plugins.module_utils._path import join
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE

PAGE_SIZE = 100  # the documented default and, we assume, the maximum of a v2 snapshot page
V1_LINK_KEYS = {'files_only': 'FilesOnly', 'database_only': 'DatabaseOnly', 'files_and_database': 'DatabaseAndFiles'}
V2_DATA_TYPES = ('database_only', 'files_and_database')


def from_v1(raw):
    """A v1 snapshot (``SnapshotID``, ``State``, epoch ms) in the v2 shape."""
    return {'snapshot_id': raw.get('SnapshotID'), 'comment': raw.get('Comment'),
            'state': str(raw.get('State') or '').lower() or None, 'model_version': raw.get('ModelVersion'),
            'created_at': iso_from_epoch_ms(raw.get('CreatedOn')), 'expires_at': iso_from_epoch_ms(raw.get('ExpiresOn')),
            'created_on': raw.get('CreatedOn'), 'expires_on': raw.get('ExpiresOn')}


def _ms(snapshot, epoch_key, iso_key):
    if isinstance(snapshot.get(epoch_key), int):
        return snapshot[epoch_key]
    try:
        return epoch_ms_from_iso(snapshot[iso_key]) if snapshot.get(iso_key) else None
    except ValueError:
        return None


def usable(snapshot, comment, now_ms, max_age=None):
    """True for a snapshot with that comment that is neither failed nor expired (nor older than max_age)."""
    if snapshot.get('comment') != comment or JOB_STATES.outcome(snapshot.get('state')) == FAILURE:
        return False
    expires = _ms(snapshot, 'expires_on', 'expires_at')
    if expires is not None and expires <= now_ms:
        return False
    created = _ms(snapshot, 'created_on', 'created_at')
    return max_age is None or (created is not None and created >= now_ms - max_age * 1000)


def newest_usable(snapshots, comment, now_ms, max_age=None):
    found = [s for s in snapshots if usable(s, comment, now_ms, max_age)]
    return max(found, key=lambda s: _ms(s, 'created_on', 'created_at') or 0) if found else None


class _Backups:
    """What both versions share: the environment, waits and sending through ENVIRONMENT_BUSY."""

    version = None

    def __init__(self, api, env):
        self.api = api
        self.env = env
        self.mode = env.get('Mode') or api.mode

    def what(self):
        return "environment '%s' of app '%s'" % (self.mode, self.api.app_id)

    def get(self, snapshot_id):
        return next((s for s in self.list() if s.get('snapshot_id') == snapshot_id), None)

    def send_when_free(self, send, timeout, operation, find=None):
        """``(how, answer)`` of ``send()``, re-sent while the environment answers ENVIRONMENT_BUSY, until ``timeout``.

        Before each re-send ``find()``, when given, re-reads by the idempotency key (a concurrent run's
        job may be what keeps the environment busy); a lost answer is re-read the same way, never
        re-sent blindly (``create_when_free``). Any other error ends the wait at once.
        """
        return create_when_free(send, find, lambda exc: exc.code == BUSY, self.api.waiter(timeout),
                                '%s to be free to %s (it answers %s)' % (self.what(), operation, BUSY))


class BackupsV1(_Backups):
    """Backups API v1: synchronous calls; readiness is the download-links call answering 200."""

    version = 1

    def path(self, *parts):
        return '%s/%s' % (self.api.env_path(self.mode), join(*parts))

    def list(self):
        raw = self.api.call('GET', self.path('snapshots'), 'list the snapshots of ' + self.what()) or []
        return [from_v1(s) for s in raw]

    def create(self, comment):
        raw = self.api.call('POST', self.path('snapshots'), "create snapshot '%s' of %s" % (comment, self.what()),
                            json={'Comment': comment})
        snapshot = from_v1(raw or {})
        # The create answer often says "Completed" at once; it is not to be trusted.
        snapshot['state'] = 'queued'
        return snapshot

    def links(self, snapshot_id):
        """The download links, or None while the snapshot is being made (HTTP 500 INTERNAL_SERVER_ERROR)."""
        try:
            return self.api.call('GET', self.path('snapshots', snapshot_id),
                                 "read the download links of snapshot '%s'" % snapshot_id) or {}
        except PlatformError as exc:
            if exc.status == 500:
                return None
            raise

    def poll(self, snapshot_id):
        """The snapshot with a trustworthy state: completed once the links answer, failed per the list."""
        listed = self.get(snapshot_id) or {'snapshot_id': snapshot_id}
        if self.links(snapshot_id) is not None:
            return dict(listed, state='completed')
        if JOB_STATES.outcome(listed.get('state')) == FAILURE:
            return listed
        return dict(listed, state='running' if listed.get('state') in (None, 'completed') else listed['state'])

    def download_url(self, snapshot, data_type, timeout):
        links = self.links(snapshot['snapshot_id'])
        url = (links or {}).get(V1_LINK_KEYS[data_type])
        if not url:
            raise PlatformError(PLATFORM, "read the download links of snapshot '%s'" % snapshot['snapshot_id'],
                                'no %s link in the answer' % V1_LINK_KEYS[data_type])
        return url, 0.0

    def restore(self, snapshot_id, db_only, timeout):
        operation = "restore snapshot '%s' into %s" % (snapshot_id, self.what())
        dummy, raw = self.send_when_free(lambda: self.api.call('POST', self.path('restore', snapshot_id), operation),
                                         timeout, 'restore')
        # v1 restores are synchronous: the answer is the snapshot restored, once done.
        restored = from_v1(raw or {})
        return {'source_snapshot_id': restored.get('snapshot_id') or snapshot_id, 'state': 'completed',
                'target_environment_id': self.env.get('EnvironmentId'), 'snapshot': restored}

    def restore_status(self, restore):
        return restore


class BackupsV2(_Backups):
    """Backups API v2: asynchronous jobs, paged lists, archives for downloads."""

    version = 2

    def path(self, *parts):
        return '%s/%s' % (self.api.v2_path(self.env), join(*parts))

    def list(self):
        snapshots, offset = [], 0
        while True:
            page = self.api.call('GET', self.path('snapshots'), 'list the snapshots of ' + self.what(),
                                 params={'offset': offset, 'limit': PAGE_SIZE}) or {}
            items = page.get('snapshots') or []
            snapshots.extend(items)
            offset += len(items)
            if not items or offset >= int(page.get('total') or 0):
                return snapshots

    def get(self, snapshot_id):
        try:
            return self.api.call('GET', self.path('snapshots', snapshot_id),
                                 "read snapshot '%s' of %s" % (snapshot_id, self.what()))
        except PlatformError as exc:
            if exc.status == 404:
                return None
            raise

    def create(self, comment):
        return self.api.call('POST', self.path('snapshots'), "create snapshot '%s' of %s" % (comment, self.what()),
                             json={'comment': comment}) or {}

    def poll(self, snapshot_id):
        found = self.get(snapshot_id)
        if found is None:
            raise PlatformError(PLATFORM, "read snapshot '%s'" % snapshot_id, 'the snapshot disappeared while it was made')
        return found

    def delete(self, snapshot_id):
        """Delete; False when it was already gone."""
        try:
            # Deleting twice converges, so a lost answer may be re-sent.
            self.api.call('DELETE', self.path('snapshots', snapshot_id),
                          "delete snapshot '%s' of %s" % (snapshot_id, self.what()), idempotent=True)
        except PlatformError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def download_url(self, snapshot, data_type, timeout):
        """Create an archive of the snapshot and wait for its URL; ``(url, elapsed)``."""
        sid = snapshot['snapshot_id']
        operation = "create a %s archive of snapshot '%s'" % (data_type, sid)
        archive = self.api.call('POST', self.path('snapshots', sid, 'archives'), operation,
                                params={'data_type': data_type}) or {}
        archive_id = archive.get('archive_id')
        if not archive_id:
            raise PlatformError(PLATFORM, operation, 'the answer has no archive_id')
        archive, elapsed = self.api.wait_until(
            timeout, "archive '%s' of snapshot '%s'" % (archive_id, sid),
            lambda: self.api.call('GET', self.path('snapshots', sid, 'archives', archive_id),
                                  "read archive '%s' of snapshot '%s'" % (archive_id, sid)), JOB_STATES, 'state')
        if JOB_STATES.outcome(archive.get('state')) == FAILURE or not archive.get('url'):
            raise PlatformError(PLATFORM, operation, "the archive ended '%s': %s"
                                % (archive.get('state'), archive.get('status_message') or 'no URL'))
        return archive['url'], elapsed

    def restore(self, snapshot_id, db_only, timeout):
        operation = "restore snapshot '%s' into %s" % (snapshot_id, self.what())
        params = {'source_snapshot_id': snapshot_id, 'db_only': 'true' if db_only else 'false'}
        return self.send_when_free(lambda: self.api.call('POST', self.path('restores'), operation, params=params) or {},
                                   timeout, 'restore')[1]

    def restore_status(self, restore):
        rid = restore.get('restore_id')
        return self.api.call('GET', self.path('restores', rid), "read restore '%s' of %s" % (rid, self.what())) or {}


def backups_for(api, env):
    return BackupsV1(api, env) if api.version == 1 else BackupsV2(api, env)
