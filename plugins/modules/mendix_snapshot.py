#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: mendix_snapshot
short_description: Create, download or delete a Mendix Cloud backup snapshot
version_added: 0.1.0
description:
  - Ensures a snapshot (database dump and files) of a Mendix Cloud environment exists (O(state=present)),
    optionally downloads it, or deletes snapshots (O(state=absent), Backups API v2 only).
  - The O(comment) is the idempotency key. A snapshot is created only when the environment has none with
    that comment that is neither failed nor expired (and, with O(max_age), younger than that). The platform
    has no idempotency key of its own, so a comment should name one purpose, e.g. a release.
  - If the answer to a create is lost, the module lists the snapshots again before deciding to send the
    create once more, so a run never makes two snapshots.
  - When another job runs on the environment (C(ENVIRONMENT_BUSY)), the create is sent again after a
    delay until O(wait_timeout).
  - With O(wait=true) the module waits until the snapshot is complete. With Backups API v1 the state in the
    create answer is not trusted; the snapshot is complete when its download-links call stops answering
    HTTP 500, as the vendor documents. A v2 snapshot found completed is not read again.
  - Requests of a run (Backups API v2) - the environment and the app are looked up unless O(environment_id) and
    O(project_id) say their ids; then the snapshot list. A re-run finding its snapshot completed sends 3 requests, or
    1 with both ids; with O(confirm) of that snapshot, 1 (2 without O(environment_id)). Backups API v1 - the
    environment, the list and the snapshot's download links (3), or the list alone with O(confirm) (1).
    A first run with O(assume_new) and both ids sends the environments list, the app and the create (v2).
  - The environment is looked up in the app's environments list (C(GET /api/1/apps/<app_id>/environments), one request
    answering every environment's id), the ProjectId in the app (C(GET /api/1/apps/<app_id>)). Runs of the same
    credentials (O(api_url), O(username), O(api_key)) in progress at the same time in one process - the pre-deploy
    snapshot role runs every environment in a thread of one process - share these two answers, so the environments of
    an app read them once between them. Nothing else is shared (never a snapshot list, a snapshot's state or an
    environment's status), nothing outlives the last run of those credentials, and an answer is read again after 60
    seconds. A module run by Ansible in a process of its own shares nothing.
author:
  - saasops.backup maintainers (@saasops)
options:
  state:
    description:
      - V(present) creates the snapshot if needed (and downloads it with O(download)).
      - V(absent) deletes the snapshot O(snapshot_id), or every snapshot with the comment O(comment). Backups API v2 only;
        v1 cannot delete snapshots.
    type: str
    choices: [present, absent]
    default: present
  comment:
    description:
      - Comment of the snapshot, the idempotency key. Required with O(state=present).
    type: str
  snapshot_id:
    description:
      - With O(state=absent), the snapshot to delete. Mutually exclusive with O(comment).
    type: str
  project_id:
    description:
      - The app's ProjectId (Backups API v2), when the inventory knows it; saves the app lookup (C(GET /api/1/apps/<app_id>))
        on every run.
      - Before a create or a delete the module still reads the app (and the environment), to refuse a sandbox and
        a O(project_id) that is not the ProjectId of O(app_id) - only then, as a re-run that finds its snapshot changes
        nothing.
      - Ignored with O(api_version=1), whose paths take O(app_id) and O(environment).
    type: str
  environment_id:
    description:
      - The environment's EnvironmentId (Backups API v2), when the inventory knows it; saves the environment lookup
        (C(GET /api/1/apps/<app_id>/environments/<environment>)) on every run.
      - Before a create or a delete the module still reads the environment (and the app), to refuse a sandbox and an
        O(environment_id) that is not the EnvironmentId of O(environment) - only then.
      - Ignored with O(api_version=1).
    type: str
  assume_new:
    description:
      - Say that the caller has just made O(comment) up (the pre-deploy snapshot role's generated run id), so no snapshot
        with it can exist yet - the list read that looks for one before the create is skipped. O(state=present) only.
      - A create refused because the environment is busy (C(ENVIRONMENT_BUSY)) or whose answer was lost still reads the
        list before it is sent again, so a run never makes two snapshots.
      - The environment and app lookups (or, with O(project_id) and O(environment_id), the reads that check them before
        the create) are still made. In check mode a create is predicted without reading the list.
      - Only for a comment no earlier run can have used. A task run again with the same comment (a re-run, or the
        role's wait phase) must leave it V(false), or it would make a second snapshot; with O(confirm) it is refused.
    type: bool
    default: false
  confirm:
    description:
      - What an earlier run recorded of the snapshot this task asks for (C(snapshot.snapshot_id), C(snapshot.project_id)
        and C(snapshot.environment_id) of its result); the pre-deploy snapshot role passes its manifest's record on
        a re-run with the same run id. O(state=present) only.
      - The module reads that one snapshot (v2 - C(GET .../snapshots/<snapshot_id>) under the recorded ids; v1 - the
        snapshot list, the only v1 read that says a comment). If it is there, has the comment O(comment), is completed,
        not expired and within O(max_age), it is the answer - C(changed=false), C(confirmed=true), and nothing else
        is sent (no lookup, no list, no poll).
      - Otherwise (not found, another comment, failed, still running, expired, any error reading it) the module goes
        on as without O(confirm), with its lookups; C(confirmed=false).
      - The values come from a file and are not trusted - they serve that one read only, never a create, a wait, a
        download or a delete. The recorded C(environment_id) must be the environment's (O(environment_id), or the
        environment lookup that answers it, which then makes 2 requests), as every environment of a run has the same
        comment; a given O(project_id) must match too.
      - Not consulted with O(download).
      - UNCONFIRMED - Backups API v1 documents only C(Completed) among the States of its list; with v1 the record is taken
        on the list's word (a wait would read the download links), as it is of a snapshot an earlier run saw complete.
    type: dict
    suboptions:
      snapshot_id:
        description: The recorded snapshot.
        type: str
        required: true
      project_id:
        description: The recorded ProjectId (v2; ignored with v1).
        type: str
      environment_id:
        description: The recorded EnvironmentId (v2; ignored with v1).
        type: str
  max_age:
    description:
      - With O(state=present), reuse a snapshot with the same comment only if it was created at most this long ago;
        otherwise create a new one.
      - An integer number of seconds (V(86400)) or a number with a unit C(s), C(m), C(h), C(d) or C(w) (V(12h), V(1d)).
    type: raw
  download:
    description:
      - Download the (complete) snapshot to a local file. Needs O(wait=true).
      - v1 uses the snapshot's download links; v2 creates a download archive and waits for its URL.
      - The file is streamed to a partial file C(.<name>.part) beside O(download.dest), resumed with HTTP Range after a
        dropped connection, checked and renamed into place, so O(download.dest) never holds a partial file. Memory
        use is constant whatever the size.
      - Only a file answer is saved. The download host must answer HTTP 200 (or 206 with the C(Content-Range) asked
        for, when resuming), announce the size (C(Content-Length)) and send exactly that many bytes; the Backups API
        reports no size of its own. A redirect is never followed and an HTML page (an expired link, a login or proxy
        page) is never taken for the snapshot. Anything else fails with a message saying what the host answered,
        and leaves O(download.dest) and its sidecar as they were.
      - The content is verified before the file is put at O(download.dest), while it is written (no second read of the
        file). V(database_only) must be a PostgreSQL custom-format dump (it starts with C(PGDMP) and says format
        custom). V(files_and_database) must be a gzip-compressed tar holding C(db/db.backup) (a custom-format dump)
        and C(.metadata) (JSON with C(modelVersion)); the whole gzip stream is inflated to its end, so its CRC-32 and
        length prove it complete, and the tar must not stop inside a member. Other members (C(tree/...)) and names
        starting with C(./) are fine. V(files_only) must be a complete gzip-compressed tar (what else it holds is not
        documented). A dump has no trailer, so a cut V(database_only) file is caught by its size only.
      - A download that fails the check fails the task with a message saying what was expected and what was found;
        nothing is put at O(download.dest) (a copy already there stays as it was) and its partial file is removed,
        so no later run resumes it.
      - A partial file left by an interrupted run (for example a job killed with SIGTERM) is continued by the next run
        when a record beside it (C(.<name>.part.json)) shows it is the same snapshot, data type, size and ETag, its bytes
        pass the content check so far, and the download host confirms it (HTTP C(If-Range)); otherwise it is deleted
        and the download starts again. Two runs never write the same O(download.dest) at once (the partial file is
        locked).
      - A sidecar file C(<dest>.mendix-snapshot.json) records which snapshot and data type O(download.dest) holds, with
        its size, sha256 and what the content check found. When it still matches the file (same size and modification
        time), nothing is downloaded and the file is not read again. A file whose sidecar has no check result (saved by
        an earlier version of this collection) is verified once, by reading it; one that fails is downloaded again,
        with a warning. An empty file or one that starts like a web page is never taken for a snapshot, whatever its
        sidecar says. Use O(download.force) to download again anyway.
      - The download host gets no Mendix credential; its URL, which grants access by itself, is never returned or logged.
      - A v2 archive URL is valid for 8 hours. The platform does not document what the download host answers after
        that; this module reads HTTP 401, 403 and 410 from the download host (first request or a resume) as an
        expired link, like other clients of the API. It then creates one new archive of the same snapshot and
        O(download.data_type) (v1 - reads the download links again), waits for its URL and downloads from byte 0, as
        a new archive is not known to be byte-identical to the old one; the result is verified like any download
        (size announced and received, sha256 recorded) and C(download.link_renewed) is true. A second refusal fails
        naming both statuses.
    type: dict
    suboptions:
      dest:
        description: The file to write.
        type: path
        required: true
      data_type:
        description:
          - What to download. V(files_only) exists only in Backups API v1.
        type: str
        choices: [database_only, files_and_database, files_only]
        default: files_and_database
      force:
        description: Download again even when O(download.dest) already holds this snapshot's download of this type.
        type: bool
        default: false
extends_documentation_fragment:
  - saasops.backup.mendix
  - saasops.backup.connection
  - saasops.backup.wait
  - saasops.backup.attributes
notes:
  - The platform does not document v1 snapshot states other than C(Completed); this module reads C(Failed) as failed and
    any other state as not finished, and with v1 decides completion by the download links only.
  - The platform documents v2 snapshot lists as pages C({snapshots, total, offset, limit}); a live tenant answered
    C({total, snapshots}) with every snapshot in one page. This module asks for pages of 100, reads only C(snapshots)
    and C(total), and stops when the snapshots read reach C(total), on an empty page, or on a page without a new
    snapshot (a server that ignores C(offset)).
  - Failed snapshots are never reused. A live tenant's failed snapshots had no C(model_version); returned snapshots
    carry C(model_version) and C(status_message) always (null when the platform left them out).
seealso:
  - module: saasops.backup.mendix_snapshot_info
  - module: saasops.backup.mendix_restore
'''

EXAMPLES = r'''
- name: Snapshot acceptance before a release (once per release)
  saasops.backup.mendix_snapshot:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Acceptance
    comment: "before release {{ release_id }}"
  register: snap

- name: Snapshot with Backups API v1 and keep a local copy of the database
  saasops.backup.mendix_snapshot:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Production
    api_version: 1
    comment: nightly-copy
    max_age: 86400
    download:
      dest: /backups/calc-production.backup
      data_type: database_only

- name: Keep a verified local copy of the whole snapshot and say which model version it holds
  saasops.backup.mendix_snapshot:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Acceptance
    comment: "before release {{ release_id }}"
    download:
      dest: "/backups/calc-acceptance-{{ release_id }}.tar.gz"
      data_type: files_and_database
  register: copy

- name: Show what the copy holds
  ansible.builtin.debug:
    msg: "{{ copy.download.path }}: model {{ copy.download.archive.model_version }}, verified {{ copy.download.verified }}"

- name: The same snapshot again, with the ids the inventory knows, confirming what the task above returned (1 request)
  saasops.backup.mendix_snapshot:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Acceptance
    project_id: "{{ mendix_project_id }}"
    environment_id: "{{ mendix_environment_id }}"
    comment: "before release {{ release_id }}"
    confirm:
      snapshot_id: "{{ snap.snapshot.snapshot_id }}"
      project_id: "{{ snap.snapshot.project_id }}"
      environment_id: "{{ snap.snapshot.environment_id }}"

- name: Start a snapshot under a comment made up for this run, without looking for an older one (3 requests)
  saasops.backup.mendix_snapshot:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Acceptance
    project_id: "{{ mendix_project_id }}"
    environment_id: "{{ mendix_environment_id }}"
    comment: "saasops {{ now(utc=true, fmt='%Y%m%dT%H%M%S') }}"
    assume_new: true
    wait: false

- name: Delete the snapshot of an old release
  saasops.backup.mendix_snapshot:
    username: "{{ mendix_user }}"
    api_key: "{{ mendix_api_key }}"
    app_id: calc
    environment: Acceptance
    comment: before release 41
    state: absent
'''

RETURN = r'''
snapshot:
  description:
    - The snapshot in the Backups API v2 shape, whatever O(api_version). With v1, C(created_on) and C(expires_on)
      keep the vendor's epoch milliseconds.
    - In check mode, the snapshot that would be created (no C(snapshot_id)). Empty after O(state=absent).
    - C(project_id) and C(environment_id) are the Backups API v2 ids of the environment holding it (null with v1), what
      O(confirm) takes back on a re-run.
  returned: always
  type: dict
  sample:
    snapshot_id: 51dc7872-0c0f-4a4c-9d5e-0b5f2c0a7e11
    project_id: 19ab446e-377d-4d43-7be1-a7356af37fcb
    environment_id: b3f05e80-d705-9b8b-b508-b43c47b4c5b2
    comment: before release 42
    state: completed
    status_message: Completed backup creation
    model_version: 1.1.0.253
    created_at: "2026-11-28T10:00:00.000Z"
    updated_at: "2026-11-28T10:02:10.000Z"
    finished_at: "2026-11-28T10:02:10.000Z"
    expires_at: "2027-02-26T10:00:00.000Z"
confirmed:
  description: True when O(confirm) named the answer, found by one read; false otherwise (and with O(state=absent)).
  returned: always
  type: bool
  sample: true
deleted:
  description: The snapshots deleted (or, in check mode, that would be).
  returned: when O(state=absent)
  type: list
  elements: dict
  sample: [{snapshot_id: 51dc7872-0c0f-4a4c-9d5e-0b5f2c0a7e11, comment: before release 41, state: completed}]
download:
  description:
    - The local copy, when O(download) is set. C(size) and C(sha256) are null in check mode when a download would happen.
  returned: when O(download) is set
  type: dict
  contains:
    path:
      description: O(download.dest).
      type: str
    size:
      description: Bytes written.
      type: int
    sha256:
      description: SHA-256 of the file, hexadecimal.
      type: str
    data_type:
      description: What the file holds.
      type: str
    snapshot_id:
      description: The snapshot it comes from.
      type: str
    resumed:
      description:
        - How many times the transfer resumed after a dropped connection, counting the continuation of a partial file
          an interrupted earlier run left (0 when nothing was downloaded).
      type: int
    link_renewed:
      description:
        - True when the download host refused the first link as expired (HTTP 401, 403 or 410) and the file was
          downloaded again through a new archive (v1 - new download links).
      type: bool
    verified:
      description:
        - True when the file is the archive of O(download.data_type) (see O(download)); a file that is not fails the
          task instead. Null in check mode when a download would happen.
      type: bool
    archive:
      description:
        - What the check found in the file (from the sidecar when the file was kept). Null in check mode when a
          download would happen.
      type: dict
      contains:
        kind:
          description: The data type the file was checked as.
          type: str
        format:
          description: V(postgresql_custom_dump) (V(database_only)) or V(tar_gzip).
          type: str
        size:
          description: Bytes checked (the whole file).
          type: int
        model_version:
          description: C(modelVersion) from C(.metadata); null for a V(database_only) dump, which does not say.
          type: str
        dump_version:
          description: The pg_dump archive version of the dump (the file, or C(db/db.backup)), e.g. V(1.14.0).
          type: str
        members:
          description: How many members the tar holds (null for a dump).
          type: int
        members_checked:
          description: The tar members whose content was checked (C(.metadata), C(db/db.backup)).
          type: list
          elements: str
        metadata:
          description:
            - The sizes C(.metadata) reports, as the platform wrote them (C(duration), C(dumpSize), C(databaseSize),
              C(filesSize) under snake_case names; null when missing or not a number). Null for a dump.
          type: dict
        uncompressed_size:
          description: Bytes of the tar inside the gzip stream (tar archives only).
          type: int
  sample: {path: /backups/calc.tar.gz, size: 734003200, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,
           data_type: files_and_database, snapshot_id: 51dc7872-0c0f-4a4c-9d5e-0b5f2c0a7e11, resumed: 0, link_renewed: false,
           verified: true, archive: {kind: files_and_database, format: tar_gzip, size: 734003200, model_version: 1.1.0.253,
                                     dump_version: 1.14.0, members: 1208, members_checked: [.metadata, db/db.backup],
                                     metadata: {duration: 41, dump_size: 612368384, database_size: 1902116864,
                                                files_size: 121634816},
                                     uncompressed_size: 734016512}}
elapsed:
  description: Seconds spent waiting (for the environment, the snapshot and the download archive).
  returned: always
  type: float
  sample: 132.5
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.saasops.backup.plugins.module_utils._args import wait_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._duration import parse_duration
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._idempotent import ADOPTED
from ansible_collections.saasops.backup.plugins.module_utils._mendix import Mendix, mendix_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._mendix_backups import Backups, confirm
from ansible_collections.saasops.backup.plugins.module_utils._mendix_download import DATA_TYPES, check_dest, kept, sidecar
from ansible_collections.saasops.backup.plugins.module_utils._mendix_shared import shared_lookups
from ansible_collections.saasops.backup.plugins.module_utils._mendix_target import Target
from ansible_collections.saasops.backup.plugins.module_utils._run import ModuleRun


def view(snapshot):
    return {k: snapshot.get(k) for k in ('snapshot_id', 'comment', 'state')} if snapshot else {}


class SnapshotRun(ModuleRun):
    """The decisions of one mendix_snapshot run."""

    RESULT = dict(changed=False, snapshot={}, elapsed=0.0, confirmed=False)

    def __init__(self, module, api):
        super(SnapshotRun, self).__init__(module, api)
        self.diff = dict(before={}, after={})
        self.backups = None
        self.max_age = None  # seconds
        self.target = None  # (dest, data_type) of a download

    def validate(self):
        params = self.params
        if params['state'] == 'absent':
            if self.api.version != 2:
                raise InputError('state=absent needs api_version 2: Backups API v1 cannot delete snapshots')
            if params['download'] or params['max_age'] is not None or params['confirm'] or params['assume_new']:
                raise InputError('download, max_age, confirm and assume_new apply to state=present only')
            return
        if params['snapshot_id']:
            raise InputError('snapshot_id applies to state=absent only; state=present finds snapshots by comment')
        if not (params['comment'] or '').strip():
            raise InputError('comment is required with state=present: it is how this module recognises its snapshot')
        if params['assume_new'] and params['confirm']:
            # confirm names a snapshot an earlier run made with this comment: the comment is not new.
            raise InputError('assume_new and confirm exclude each other: a recorded snapshot (confirm) has this comment '
                             'already, so it is not new')
        if params['max_age'] is not None:
            self.max_age = parse_duration(params['max_age'], 'max_age')
        if params['download']:
            if not params['wait']:
                raise InputError('download needs wait=true: only a complete snapshot can be downloaded')
            self.target = check_dest(params['download'], self.api.version)

    def run(self):
        # The app and environments lookups are shared with the runs of the same credentials in progress
        # in this process (the role's fan-out runs each environment in a thread; see _mendix_shared).
        with shared_lookups(self.api) as shared:
            named = Target(self.api, shared)
            if self.params['state'] == 'present' and self.confirmed(named):
                return
            self.backups = Backups.of_target(named, self.budget)
            if self.params['state'] == 'absent':
                self.absent()
            else:
                snapshot = self.present()
                if self.target:
                    self.download(snapshot, *self.target)
            self.result['diff'] = self.diff

    def confirmed(self, named):
        """True when O(confirm) names the answer (one read, nothing else sent); the result is then set.

        Not consulted with a download, which needs the environment's ids from the options or lookups
        (a recorded id never leads to a download).
        """
        record = self.params['confirm']
        if not record or self.target:
            return False
        found = confirm(named, record, self.params['comment'], self.max_age)
        if found is None:
            return False
        self.result.update(confirmed=True, snapshot=found, diff=dict(before={'snapshot': view(found)},
                                                                     after={'snapshot': view(found)}))
        return True

    def present(self):
        comment = self.params['comment']
        # assume_new: the caller made the comment up, so no snapshot has it yet and the list is not read. A
        # create refused as busy or whose answer is lost still reads it before sending again (Backups.create).
        existing = None if self.params['assume_new'] else self.backups.find(comment, self.max_age)
        self.diff['before']['snapshot'] = view(existing)
        snapshot = existing
        if existing is None:
            # In check mode too: a check run predicts the refusal of ids of another environment.
            self.backups.check_before_change()
            if self.check_mode:
                self.result['changed'] = True
                snapshot = {'snapshot_id': None, 'comment': comment, 'state': 'queued'}
            else:
                snapshot = self.create(comment)
        # Said before waiting: a run that times out still reports the snapshot it made.
        self.result['snapshot'] = self.backups.located(snapshot)
        if self.budget.active:
            snapshot = self.backups.wait(snapshot, comment)
        self.result['snapshot'] = self.backups.located(snapshot)
        self.diff['after']['snapshot'] = view(snapshot)
        return snapshot

    def create(self, comment):
        how, snapshot = self.backups.create(comment, self.max_age)
        # Adopted: a concurrent run with the same comment made it while we waited for the environment.
        self.result['changed'] = how != ADOPTED
        if not snapshot.get('snapshot_id'):
            raise self.api.failure('create ' + self.backups.snapshot_what(comment), 'the answer has no snapshot id')
        return snapshot

    def download(self, snapshot, dest, data_type):
        sid = snapshot.get('snapshot_id')
        held, problem = (None, None) if self.params['download']['force'] or not sid else \
            kept(dest, sid, data_type, update=not self.check_mode)
        if problem:
            self.module.warn('%s; it %s downloaded again' % (problem, 'would be' if self.check_mode else 'is'))
        before = sidecar(dest)
        self.diff['before']['download'] = {'path': dest, 'snapshot_id': before.get('snapshot_id'),
                                           'data_type': before.get('data_type')}
        self.diff['after']['download'] = {'path': dest, 'snapshot_id': sid, 'data_type': data_type}
        if held:
            self.diff['before']['download'] = dict(self.diff['after']['download'])
            self.result['download'] = dict(path=dest, size=held['size'], sha256=held['sha256'], data_type=data_type,
                                           snapshot_id=sid, resumed=0, link_renewed=False, verified=True,
                                           archive=held['archive'])
            return
        self.result['changed'] = True
        if self.check_mode:
            self.result['download'] = dict(path=dest, size=None, sha256=None, data_type=data_type, snapshot_id=sid, resumed=0,
                                           link_renewed=False, verified=None, archive=None)
            return
        got = self.backups.download(snapshot, self.params['comment'], dest, data_type)
        # The download failed unless its content passed the check (_mendix_download.fetch).
        self.result['download'] = dict({k: got[k] for k in ('path', 'size', 'sha256', 'data_type', 'snapshot_id', 'resumed',
                                                            'link_renewed', 'archive')}, verified=True)

    def absent(self):
        sid, comment = self.params['snapshot_id'], self.params['comment']
        if sid:
            found = self.backups.get(sid)
            doomed = [found] if found else []
        else:
            doomed = [s for s in self.backups.list() if s.get('comment') == comment]
        self.result['deleted'] = doomed
        self.diff = dict(before={'snapshots': [view(s) for s in doomed]}, after={'snapshots': []})
        if not doomed:
            return
        self.backups.check_before_change()
        self.result['changed'] = True
        if self.check_mode:
            return
        for snapshot in doomed:
            self.backups.delete(snapshot['snapshot_id'])


def main():
    argument_spec = mendix_argument_spec()
    argument_spec.update(wait_argument_spec())
    argument_spec.update(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        comment=dict(type='str'),
        snapshot_id=dict(type='str'),
        # raw: a number of seconds (max_age: 86400) or a duration text ('1d'); _duration reads both.
        max_age=dict(type='raw'),
        project_id=dict(type='str'),
        environment_id=dict(type='str'),
        assume_new=dict(type='bool', default=False),
        confirm=dict(type='dict', options=dict(
            snapshot_id=dict(type='str', required=True),
            project_id=dict(type='str'),
            environment_id=dict(type='str'),
        )),
        download=dict(type='dict', options=dict(
            dest=dict(type='path', required=True),
            data_type=dict(type='str', default='files_and_database', choices=list(DATA_TYPES)),
            force=dict(type='bool', default=False),
        )),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           mutually_exclusive=[('snapshot_id', 'comment')],
                           required_if=[('state', 'absent', ('snapshot_id', 'comment'), True)])
    SnapshotRun.main(module, Mendix)


if __name__ == '__main__':
    main()
