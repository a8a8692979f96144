# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rotation of one environment's off-site copies: which ones the prune playbook deletes, which it keeps, and why.

The rules are the vendors' backups' (_prune_plan.plan, the same table): a copy goes only when this collection made it
(``saasops-<run id>.<ext>`` in the environment's folder), it is not among the newest ``keep_last`` copies, it is older
than ``keep_days`` (its file's modification time, its object's LastModified), it is not the newest copy, and no
protected manifest run (the latest, the newest recorded, saasops_protect_runs) made or recorded it. Anything else in
the folder is never touched. Pure functions over what the offsite_prune action listed.
"""

from __future__ import annotations

import datetime

from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _offsite as offsite
from ansible_collections.saasops.backup.plugins.plugin_utils import _prune_plan as prune_plan
from ansible_collections.saasops.backup.plugins.plugin_utils._estate import GOOD
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_plan import age_text

# mendix_snapshot's record of a downloaded file, beside it: it goes with its copy.
SIDECAR = '.mendix-snapshot.json'
# Platforms whose copies this collection makes at saasops_offsite, and why the others have none to rotate.
ROTATED = ('mendix',)
NOTHING = {
    'atlassian': "Atlassian's copies are exports in the backup policy's storage: that storage's lifecycle rules "
                 'rotate them',
    'arcgis': offsite.NO_DOWNLOAD['arcgis'],
    'jahia': offsite.NO_DOWNLOAD['jahia'],
}


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def copies(found, location, host):
    """Listed files or objects (``[{name, time, size}]``) as _prune_plan reads backups, newest first.

    ``id`` is the copy's location (path or s3://bucket/key); a name this collection does not give has no run id
    (not ours: kept). mendix_snapshot's sidecars are not copies (they go with theirs).
    """
    names = set(item['name'] for item in found)
    listed = []
    for item in found:
        name = item['name']
        if name.startswith('.') or (name.endswith(SIDECAR) and name[:-len(SIDECAR)] in names):
            continue
        listed.append(dict(id=location.text(host, name), name=name, time=item.get('time'), size=item.get('size'),
                           status=GOOD, run_id=offsite.run_id_of(name), expires=None))
    # Newest first, as _prune_plan.plan reads them; an unknown time sorts last.
    return sorted(listed, key=lambda c: (c['time'] is not None, str(c['time'] or ''), c['name']), reverse=True)


def protections(runs, host):
    """Per protected run, the copies it recorded for this host (its run id protects the ones named with it too)."""
    found = []
    for run in runs:
        ids = set()
        for entry in store.environments_of(run.get('manifest') or {}):
            if isinstance(entry, dict) and entry.get('host') == host and isinstance(entry.get('offsite'), dict):
                location = entry['offsite'].get('location')
                if isinstance(location, str) and location:
                    ids.add(location)
        found.append(dict(run_id=run['run_id'], why=run['why'], ids=ids))
    return found


def plan(listed, now, keep_last, keep_days, protected):
    """One decision per copy, newest first (_prune_plan.plan: DELETE or KEEP with its reasons)."""
    decisions = prune_plan.plan(listed, now, keep_last, keep_days, protected)
    sizes = dict((c['id'], c.get('size')) for c in listed)
    for decision in decisions:
        decision['size'] = sizes.get(decision['id'])
    return decisions


def copy_words(decision):
    return '%s (%s old, %s)' % (decision['id'], age_text(decision['age_seconds']), offsite.size_text(decision.get('size')))


def host_lines(found, check_mode):
    """The summary lines of one environment's copies: what was (or would be) deleted, and why."""
    head = '%s (%s, off-site copies in %s)' % (found['host'], found['platform'], found.get('folder') or '-')
    if found.get('error'):
        return ['%s: copies NOT ROTATED - %s' % (head, found['error'])]
    if found.get('note'):
        return ['%s: %s' % (head, found['note'])]
    decisions = found.get('copies') or []
    kept = prune_plan.kept_words(decisions)
    if check_mode:
        doomed = [d for d in decisions if d['action'] == prune_plan.DELETE]
        return (['%s: would delete %d of %d copies, keep %s' % (head, len(doomed), len(decisions), kept)]
                + ['  - would delete %s: %s' % (copy_words(d), d['reason']) for d in doomed])
    deleted, failed = found.get('deleted') or [], found.get('failed') or []
    failures = ', %d FAILED' % len(failed) if failed else ''
    return (['%s: deleted %d of %d copies, kept %s%s' % (head, len(deleted), len(decisions), kept, failures)]
            + ['  - deleted %s: %s' % (copy_words(d), d['reason']) for d in deleted]
            + ['  - FAILED to delete %s: %s' % (copy_words(d), d['error']) for d in failed])
