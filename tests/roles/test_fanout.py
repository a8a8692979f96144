# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The snapshot role's phases as one task for every environment: a rate limit on one platform holds up no
other, the rate-limited backup is started later exactly once, and a re-run is a read per environment."""

# pylint: disable-next=import-error
from conftest import arcgis_host, atlassian_host, jahia_host, mendix_host, mutating

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'


def estate(emu):
    return {'jira-prod': atlassian_host(emu), 'wiki-staging': atlassian_host(emu, 'cloud-staging', 'confluence'),
            'mendix-accp': mendix_host(emu), 'gis-prod': arcgis_host(emu), 'jahia-staging': jahia_host(emu)}


def atlassian_creates(emu):
    return emu.requests(method='POST', path='^/atlassian/orgs/[^/]+/backups$')


def test_a_rate_limited_create_is_started_by_the_wait_phase_while_the_others_run(emu, job):
    # One create per user every 6 s, and a 429 that says when to come back.
    emu.configure({'atlassian': {'user_post_limit': 1, 'rate_window_seconds': 6.0, 'retry_after_every': 1,
                                 'backup_seconds': 1.0}})
    result = job.run(SNAPSHOT, estate(emu), {'saasops_run_id': 'limited'}, name='limited')
    assert result.rc == 0, result.output
    statuses = {e['host']: e['status'] for e in job.manifest('limited')['environments']}
    assert statuses == {'jira-prod': 'completed', 'wiki-staging': 'completed', 'mendix-accp': 'completed',
                        'gis-prod': 'completed', 'jahia-staging': 'triggered'}
    tries = atlassian_creates(emu)
    accepted = [r for r in tries if r['status'] < 300]
    # One backup per site, never two; the start phase asked once and did not retry the refused one.
    assert len(accepted) == 2 and sorted(r['json']['cloudId'] for r in accepted) == ['cloud-prod', 'cloud-staging']
    refused = [r for r in tries if r['status'] == 429]
    assert refused and refused[0]['time'] < accepted[-1]['time']
    # The other platforms' backups were all started before the limited one could be.
    others = [r for r in emu.requests(method='POST') if r['path'].endswith(('/backups/create', '/snapshots', 'backupEnv.do'))]
    assert others and max(r['time'] for r in others) < accepted[-1]['time']
    assert accepted[-1]['time'] - refused[0]['time'] >= 4.0
    # The start phase did not sleep on the 429: the wait phase read the Mendix snapshot within seconds of it.
    waited = emu.requests(method='GET', path='^/mendix/api/v2/apps/[^/]+/environments/[^/]+/snapshots/[^/]+$')
    assert waited and waited[0]['time'] < refused[0]['time'] + 3.0


def test_a_rerun_confirms_each_completed_backup_with_at_most_two_reads(emu, job):
    hosts = estate(emu)
    assert job.run(SNAPSHOT, hosts, {'saasops_run_id': 'again'}, name='first').rc == 0
    emu.clear_requests()
    result = job.run(SNAPSHOT, hosts, {'saasops_run_id': 'again'}, name='again')
    assert result.rc == 0, result.output
    assert mutating(emu) == []
    sent = emu.requests()
    per_platform = dict((prefix, len([r for r in sent if r['path'].startswith(prefix)]))
                        for prefix in ('/arcgis/', '/atlassian/', '/mendix/', '/jahia/'))
    # ArcGIS: its token and one read; Atlassian: one read; Mendix: its environment list and one read; Jahia: nothing.
    assert per_platform == {'/arcgis/': 2, '/atlassian/': 2, '/mendix/': 2, '/jahia/': 0}, per_platform
    assert [e['reused'] for e in job.manifest('again')['environments']] == [True] * 5
