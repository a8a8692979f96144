# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backups of one Mendix environment: find, create, wait, download, restore, delete.

A module talks to one ``Backups`` object; Backups API v1 and v2 are strategies behind it, holding
each version's requests. Modules see snapshots in the v2 shape (snake_case, ISO 8601 times) whatever
the API version; v1 snapshots also keep their epoch-millisecond ``created_on`` / ``expires_on``.
"""

from ansible_collections.saasops.backup.plugins.module_utils._convert import epoch_ms_from_iso, iso_from_epoch_ms
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import create_when_free
from ansible_collections.saasops.backup.plugins.module_utils._mendix import BUSY, JOB_STATES, check_backups_served, is_free_app
from ansible_collections.saasops.backup.plugins.module_utils._mendix_download import fetch
from ansible_collections.saasops.backup.plugins.module_utils._path import join
from ansible_collections.saasops.backup.plugins.module_utils._retry_while import retry_while
from ansible_collections.saasops.backup.plugins.module_utils._waiter import FAILURE, SUCCESS

PAGE_SIZE = 100  # the documented default and, we assume, the maximum of a v2 snapshot page
V1_LINK_KEYS = {'files_only': 'FilesOnly', 'database_only': 'DatabaseOnly', 'files_and_database': 'DatabaseAndFiles'}
# An archive URL is valid for 8 hours; what the download host answers after that is not documented,
# and real clients read all three as "expired" (api/mendix.md, "Real clients" item 1).
EXPIRED_LINK_STATUSES = (401, 403, 410)
# Keys a live tenant's v2 snapshots lack at times (failed ones have no model_version, item 3): code
# reads them with .get(); what mendix_snapshot_info returns carries them, None when left out.
V2_OPTIONAL_KEYS = ('status_message', 'model_version')


def with_optional_keys(snapshot):
    """A v2 snapshot to return to the user: the keys of V2_OPTIONAL_KEYS always there."""
    shown = dict(snapshot)
    for key in V2_OPTIONAL_KEYS:
        shown.setdefault(key, None)
    return shown


def _total(page):
    """The page's ``total`` as an int, or None when it has none that reads as one."""
    try:
        return int(page.get('total'))
    except (TypeError, ValueError):
        return None


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
    """True for a snapshot with that comment that is neither failed nor expired (nor older than max_age seconds)."""
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


def is_busy(exc):
    """The environment runs another job: nothing was done, the request may be sent again later."""
    return isinstance(exc, PlatformError) and exc.code == BUSY


class BackupsV1:
    """Backups API v1: synchronous calls; readiness is the download-links call answering 200."""

    version = 1

    def __init__(self, api, env, mode, what):
        self.api = api
        self.env_id = env.get('EnvironmentId')
        self.mode = mode
        self.what = what

    def path(self, *parts):
        return self.api.env_path(self.mode, *parts)

    def list(self):
        raw = self.api.get(self.path('snapshots'), 'list the snapshots of ' + self.what) or []
        return [from_v1(s) for s in raw]

    def get(self, snapshot_id):
        return next((s for s in self.list() if s.get('snapshot_id') == snapshot_id), None)

    def create(self, comment):
        raw = self.api.request('POST', self.path('snapshots'), "create snapshot '%s' of %s" % (comment, self.what),
                               json={'Comment': comment})
        snapshot = from_v1(raw or {})
        # The create answer often says "Completed" at once; it is not to be trusted.
        snapshot['state'] = 'queued'
        return snapshot

    def links(self, snapshot_id):
        """The download links, or None while the snapshot is being made (HTTP 500 INTERNAL_SERVER_ERROR)."""
        try:
            return self.api.get(self.path('snapshots', snapshot_id),
                                "read the download links of snapshot '%s'" % snapshot_id) or {}
        except PlatformError as exc:
            if exc.status == 500:
                return None
            raise

    def poll(self, snapshot_id, known=None):
        """The snapshot with a trustworthy state: completed once the links answer, failed per the list.

        ``known`` is the snapshot as just read (listed or created): the list is not read again for it.
        """
        listed = known or self.get(snapshot_id) or {'snapshot_id': snapshot_id}
        if self.links(snapshot_id) is not None:
            return dict(listed, state='completed')
        if JOB_STATES.outcome(listed.get('state')) == FAILURE:
            return listed
        return dict(listed, state='running' if listed.get('state') in (None, 'completed') else listed['state'])

    def download_url(self, snapshot_id, data_type, budget):  # pylint: disable=unused-argument
        """The link of that data type; v1 hands links out at once, nothing is waited for."""
        url = (self.links(snapshot_id) or {}).get(V1_LINK_KEYS[data_type])
        if not url:
            raise self.api.failure("read the download links of snapshot '%s'" % snapshot_id,
                                   'no %s link in the answer' % V1_LINK_KEYS[data_type])
        return url

    def restore(self, snapshot_id, db_only, operation):  # pylint: disable=unused-argument
        raw = self.api.request('POST', self.path('restore', snapshot_id), operation)
        # v1 restores are synchronous: the answer is the snapshot restored, once done.
        restored = from_v1(raw or {})
        return {'source_snapshot_id': restored.get('snapshot_id') or snapshot_id, 'state': 'completed',
                'target_environment_id': self.env_id, 'snapshot': restored}

    def restore_status(self, restore):
        return restore


class BackupsV2:
    """Backups API v2: asynchronous jobs, paged lists, archives for downloads, under the app's ProjectId."""

    version = 2

    def __init__(self, api, env, project_id, what):
        self.api = api
        self.project_id = project_id
        self.env_id = env.get('EnvironmentId')
        self.what = what

    def path(self, *parts):
        return join('api', 'v2', 'apps', self.project_id, 'environments', self.env_id, *parts)

    def list(self):
        """Every snapshot, page by page, counted against ``total``.

        The documented answer is ``{snapshots, total, offset, limit}``; a live tenant answered only
        ``{total, snapshots}`` with every snapshot in one page (api/mendix.md, "Real clients" item 2).
        Only ``snapshots`` and ``total`` are read. Paging stops when the snapshots collected reach
        ``total``, on an empty page, or on a page that adds no new ``snapshot_id`` (a server that
        ignores ``offset`` would otherwise be read forever).
        """
        snapshots, seen, offset = [], set(), 0
        while True:
            page = self.api.get(self.path('snapshots'), 'list the snapshots of ' + self.what,
                                params={'offset': offset, 'limit': PAGE_SIZE}) or {}
            items = [item for item in (page.get('snapshots') or []) if isinstance(item, dict)]
            new = [item for item in items if item.get('snapshot_id') not in seen]
            seen.update(item.get('snapshot_id') for item in new)
            snapshots.extend(new)
            offset += len(items)
            total = _total(page)
            if not new or total is None or len(snapshots) >= total:
                return snapshots

    def get(self, snapshot_id):
        return self.api.get(self.path('snapshots', snapshot_id), "read snapshot '%s' of %s" % (snapshot_id, self.what),
                            missing=None)

    def create(self, comment):
        return self.api.request('POST', self.path('snapshots'), "create snapshot '%s' of %s" % (comment, self.what),
                                json={'comment': comment}) or {}

    def poll(self, snapshot_id, known=None):
        """The snapshot as it is now; ``known`` (as just listed) when that already says completed."""
        if known is not None and JOB_STATES.outcome(known.get('state')) == SUCCESS:
            return known
        found = self.get(snapshot_id)
        if found is None:
            raise self.api.failure("read snapshot '%s'" % snapshot_id, 'the snapshot disappeared while it was made')
        return found

    def delete(self, snapshot_id):
        """Delete; False when it was already gone."""
        return self.api.remove('DELETE', self.path('snapshots', snapshot_id),
                               "delete snapshot '%s' of %s" % (snapshot_id, self.what))

    def download_url(self, snapshot_id, data_type, budget):
        """Create an archive of the snapshot and wait (within ``budget``) for its URL."""
        operation = "create a %s archive of snapshot '%s'" % (data_type, snapshot_id)
        archive = self.api.request('POST', self.path('snapshots', snapshot_id, 'archives'), operation,
                                   params={'data_type': data_type}) or {}
        archive_id = archive.get('archive_id')
        if not archive_id:
            raise self.api.failure(operation, 'the answer has no archive_id')
        archive, dummy = budget.wait_for(
            "archive '%s' of snapshot '%s'" % (archive_id, snapshot_id),
            lambda: self.api.get(self.path('snapshots', snapshot_id, 'archives', archive_id),
                                 "read archive '%s' of snapshot '%s'" % (archive_id, snapshot_id)), JOB_STATES, 'state')
        if JOB_STATES.outcome(archive.get('state')) == FAILURE or not archive.get('url'):
            raise self.api.failure(operation, "the archive ended '%s': %s"
                                   % (archive.get('state'), archive.get('status_message') or 'no URL'))
        return archive['url']

    def restore(self, snapshot_id, db_only, operation):
        params = {'source_snapshot_id': snapshot_id, 'db_only': 'true' if db_only else 'false'}
        return self.api.request('POST', self.path('restores'), operation, params=params) or {}

    def restore_status(self, restore):
        rid = restore.get('restore_id')
        return self.api.get(self.path('restores', rid), "read restore '%s' of %s" % (rid, self.what)) or {}


class Backups:
    """What a module does with the backups of one environment, whatever the Backups API version.

    Built by ``open`` once per environment: the ProjectId that v2 paths take is read there, up
    front, and shared with the environments ``of`` opens. Every wait and every "busy, send again"
    draws on the run's one WaitBudget.
    """

    def __init__(self, api, env, budget, project_id=None):
        self.api = api
        self.env = env
        self.budget = budget
        self.project_id = project_id
        self.target = None  # a _mendix_target.Target when built by ``of_target``
        self.mode = env.get('Mode') or api.mode
        self.what = "environment '%s' of app '%s'" % (self.mode, api.app_id)
        if api.version == 1:
            self.strategy = BackupsV1(api, env, self.mode, self.what)
        else:
            self.strategy = BackupsV2(api, env, project_id, self.what)
        self.version = self.strategy.version

    @classmethod
    def open(cls, api, env, budget):
        """The backups of ``env`` (an environment object, see Mendix.environment).

        A sandbox or free app, which has no Backups API, is refused here, before any Backups call.
        """
        check_backups_served(env, api.app_id)
        if api.version != 2:
            return cls(api, env, budget)
        app = api.app()
        check_backups_served(env, api.app_id, app)
        return cls(api, env, budget, api.project_id(app))

    @classmethod
    def of_target(cls, target, budget):
        """The backups of the environment a _mendix_target.Target names, with the lookups its ids do not answer.

        Without ids this is ``open`` (environment, then app, each checked as read). A sandbox is refused
        with what was read; what the ids skipped is read and checked before a change (``check_before_change``).
        """
        api = target.api
        if api.version != 2:
            return cls.open(api, target.environment(), budget)
        env = target.looked_up() if target.given_env else target.environment()
        target.check_served()
        project = target.project_id()
        target.check_served()
        backups = cls(api, env, budget, project)
        backups.target = target
        return backups

    def check_before_change(self):
        """Before a create or delete: the lookups the ids skipped (see _mendix_target.Target.check_before_change)."""
        if self.target is not None:
            self.target.check_before_change()

    def located(self, snapshot):
        """``snapshot`` with the v2 ids of the environment that holds it (None with v1), for a later ``confirm``."""
        v2 = self.version == 2
        return dict(snapshot, project_id=self.project_id if v2 else None, environment_id=self.strategy.env_id if v2 else None)

    def of(self, env):
        """The backups of another environment of the same app, on the same budget (a sandbox is refused)."""
        check_backups_served(env, self.api.app_id)
        return Backups(self.api, env, self.budget, self.project_id)

    def snapshot_what(self, comment):
        return "snapshot '%s' of %s" % (comment, self.what)

    # --- reading ------------------------------------------------------------------------

    def list(self):
        return self.strategy.list()

    def get(self, snapshot_id):
        """The snapshot, or None when the environment has none with that id."""
        return self.strategy.get(snapshot_id)

    def find(self, comment, max_age=None):
        """The newest snapshot with ``comment`` that may be reused (see ``usable``), or None."""
        try:
            listed = self.strategy.list()
        except PlatformError as exc:
            if exc.code == 'ENVIRONMENT_NOT_FOUND':
                # Ids from the options that are not this environment's read as "not found": say which one is wrong.
                self.check_before_change()
            raise
        now_ms = int(self.api.clock.time() * 1000)
        return newest_usable(listed, comment, now_ms, max_age)

    # --- snapshots ----------------------------------------------------------------------

    def create(self, comment, max_age=None):
        """``(how, snapshot)`` (see _idempotent): created once, or found after a lost answer, or adopted.

        While the environment answers ENVIRONMENT_BUSY the create is sent again within the budget;
        before each re-send the comment is looked up again, as a concurrent run's snapshot of the
        same comment may be what keeps the environment busy.
        """
        return create_when_free(lambda: self.strategy.create(comment), lambda: self.find(comment, max_age), is_busy,
                                self.budget, '%s to be free to create a snapshot (it answers %s)' % (self.what, BUSY))

    def wait(self, snapshot, comment):
        """The snapshot once completed (within the budget); PlatformError when it failed."""
        sid = snapshot['snapshot_id']
        # The first poll starts from the snapshot as just read: one found completed is not read again.
        known = [snapshot]
        snapshot, dummy = self.budget.wait_for("snapshot '%s' (%s)" % (sid, self.snapshot_what(comment)),
                                               lambda: self.strategy.poll(sid, known.pop() if known else None),
                                               JOB_STATES, 'state')
        if JOB_STATES.outcome(snapshot.get('state')) == FAILURE:
            raise self.api.failure('create ' + self.snapshot_what(comment), "snapshot '%s' failed: %s"
                                   % (sid, snapshot.get('status_message') or 'no message'))
        return snapshot

    def delete(self, snapshot_id):
        """Delete (Backups API v2 only); False when it was already gone."""
        return self.strategy.delete(snapshot_id)

    def download(self, snapshot, comment, dest, data_type):
        """Download the completed ``snapshot`` to ``dest`` and record it there; the fetch result.

        A link the download host refuses with 401, 403 or 410 (first request or a resume) has
        expired: a new archive (v1: the download links) is asked for once, and the file is
        downloaded again from byte 0, as a re-prepared archive is not known to be byte-identical
        (api/mendix.md, "Real clients" item 1). ``link_renewed`` in the result says so. A second
        refusal fails naming both statuses. The download host never gets a Mendix header.
        """
        sid = snapshot.get('snapshot_id')
        if JOB_STATES.outcome(snapshot.get('state')) != SUCCESS:
            raise self.api.failure('download ' + self.snapshot_what(comment),
                                   "the snapshot is '%s', not completed" % snapshot.get('state'))
        operation = "download snapshot '%s' (%s)" % (sid, data_type)
        # Asked for outside the try: an API error (e.g. 403 NO_ACCESS on the archive) is no expired link.
        url = self._link(sid, data_type)
        try:
            return dict(fetch(self.api.http, url, dest, sid, data_type, operation), link_renewed=False)
        except PlatformError as exc:
            if exc.status not in EXPIRED_LINK_STATUSES:
                raise
            expired = exc.status
        url = self._link(sid, data_type)
        try:
            return dict(fetch(self.api.http, url, dest, sid, data_type, operation), link_renewed=True)
        except PlatformError as exc:
            if exc.status not in EXPIRED_LINK_STATUSES:
                raise
            raise exc.restated('the download host refused the link of a new %s too (HTTP %d; the first link got HTTP %d, '
                               'read as expired): %s' % ('archive' if self.version == 2 else 'download link', exc.status,
                                                         expired, exc.message))

    def _link(self, sid, data_type):
        """A new download link (v2: a new archive, waited for within the budget)."""
        url = self.strategy.download_url(sid, data_type, self.budget)
        # The URL grants access by itself (a signed link): keep it out of every output.
        self.api.module.no_log_values.add(url)
        return url

    def find_elsewhere(self, snapshot_id):
        """``(snapshot, environment, searched)``: the snapshot in another environment of the app, by reads only.

        The seed lets a restore take a snapshot of another environment of the same app. Sandboxes are
        skipped (they have no Backups API); an environment whose backups cannot be read (e.g. 400
        NOT_SUPPORTED off Mendix Cloud) is named in ``searched`` with its error code. ``(None, None,
        searched)`` when no other environment has it.
        """
        searched = []
        for env in self.api.environments():
            mode = env.get('Mode')
            if env.get('EnvironmentId') == self.env.get('EnvironmentId') or str(mode).lower() == str(self.mode).lower():
                continue
            if is_free_app(env):
                continue
            try:
                found = self.of(env).get(snapshot_id)
            except PlatformError as exc:
                searched.append('%s (not readable: %s)' % (mode, exc.code or 'HTTP %s' % exc.status))
                continue
            searched.append(str(mode))
            if found is not None:
                return found, env, searched
        return None, None, searched

    # --- restores -----------------------------------------------------------------------

    def restore(self, snapshot_id, db_only):
        """Start the restore (v1: do it), sent again while the environment is busy; the restore job.

        A restore has no idempotency key: an answer lost after sending is not re-sent (it may
        have started), and the error says what to check.
        """
        operation = "restore snapshot '%s' into %s" % (snapshot_id, self.what)
        try:
            restore = retry_while(lambda number: self.strategy.restore(snapshot_id, db_only, operation), is_busy,
                                  self.budget, '%s to be free to restore (it answers %s)' % (self.what, BUSY))
        except PlatformError as exc:
            if exc.maybe_applied:
                exc.hint = _joined(exc.hint, 'the restore may have started: check %s in the Mendix Portal before '
                                             'running again' % self.what)
            raise
        return restore

    def wait_restore(self, restore, snapshot_id):
        """The restore once ended (v1 restores are done when answered); PlatformError when it failed."""
        if self.version == 1:
            return restore
        restore, dummy = self.budget.wait_for("restore '%s' into %s" % (restore.get('restore_id'), self.what),
                                              lambda: self.strategy.restore_status(restore), JOB_STATES, 'state')
        if JOB_STATES.outcome(restore.get('state')) == FAILURE:
            raise self.api.failure("restore snapshot '%s' into %s" % (snapshot_id, self.what),
                                   'the restore failed: %s' % (restore.get('status_message') or 'no message'))
        return restore


def confirm(target, record, comment, max_age=None):
    """The snapshot ``record`` names when it is the answer; None otherwise. One read (see below).

    ``record`` is what an earlier run recorded of this task's snapshot (``snapshot_id``, v2
    ``project_id`` / ``environment_id``). It comes from a file, so it is untrusted: it serves this one
    read only. It is the answer when that read finds the snapshot in the environment the options name,
    with ``comment``, completed, not expired and within ``max_age``; any other answer, a 404 or any
    error is "not confirmed" and the caller goes on with its lookups as without a record.

    v2 reads ``GET .../snapshots/<id>``. The record's environment_id must be the environment's: every
    environment of a run has the same comment (``saasops <run id>``), so a record pointing at a
    sibling environment's snapshot would otherwise be taken for this one's. The environment's id is the
    option ``environment_id``, or the one lookup that answers it (then 2 requests; the lookup is kept for
    the fallback). An EnvironmentId is a UUID, so it pins the environment whatever project the record
    says (a given ``project_id`` must match too). v1 reads its snapshot list (its only read that says
    the comment; the download-links call does not), under app_id and environment.

    UNCONFIRMED: v1 documents only ``Completed`` among list States, and its create answer says
    ``Completed`` too early; a v1 record is taken on the list's word (a wait would read the download
    links) - the record is of a snapshot an earlier run saw completed, in this environment, of this comment.
    """
    api = target.api
    sid = record.get('snapshot_id')
    what = "environment '%s' of app '%s'" % (api.mode, api.app_id)
    try:
        if api.version == 2:
            env_id = target.environment_id()
            project = record.get('project_id')
            if not project or record.get('environment_id') != env_id or target.given_project not in (None, project):
                return None
            found = BackupsV2(api, {'EnvironmentId': env_id}, project, what).get(sid)
        else:
            project = env_id = None
            found = BackupsV1(api, {}, api.mode, what).get(sid)
    except (PlatformError, InputError):
        return None
    now_ms = int(api.clock.time() * 1000)
    if not isinstance(found, dict) or found.get('snapshot_id') != sid or \
            JOB_STATES.outcome(found.get('state')) != SUCCESS or not usable(found, comment, now_ms, max_age):
        return None
    return dict(found, project_id=project, environment_id=env_id)


def _joined(*hints):
    return '; '.join(hint for hint in hints if hint) or None
