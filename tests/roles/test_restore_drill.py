# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore drills through ansible-runner: each platform's backup restored into its drill target (never the
source), checked, its restore time recorded; refusals that send nothing; check mode; failures recorded."""

import json
import re

import pytest

# pylint: disable-next=import-error
from conftest import SECRETS, arcgis_host, atlassian_host, jahia_host, mendix_host, mutating, published, restores

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
DRILL = 'saasops.backup.restore_drill'
SHARED_STORE = {'name': 'dr-shared', 'default': False, 'shared': True}


def jahia_target(emu, environment='staging'):
    return dict(jahia_host(emu, environment), saasops_health_url=emu.url('/jahia/env/%s-acme/cms/login' % environment))


# Per platform: (source host, its vars, drill target host, its vars). The sources are production environments:
# a drill reads them only. The drill targets are another environment of the same app, a sandbox site, another
# Jahia environment, a second ArcGIS organization (registering the same store location).
PAIRS = {
    'arcgis': lambda emu: ('gis-prod', dict(arcgis_host(emu, 'arcgis', store='dr-shared'), saasops_production=True),
                           'gis-drill', arcgis_host(emu, 'arcgis2', store='dr-shared')),
    'atlassian': lambda emu: ('jira-prod', dict(atlassian_host(emu), saasops_production=True),
                              'jira-sandbox', atlassian_host(emu, 'cloud-sandbox')),
    'jahia': lambda emu: ('jahia-prod', jahia_host(emu, 'production'), 'jahia-staging', jahia_target(emu)),
    'mendix': lambda emu: ('mendix-prod', mendix_host(emu, 'Production'), 'mendix-test', mendix_host(emu, 'Test')),
}
# Where each platform's restore request goes, by drill target.
RESTORE_PATHS = {
    'arcgis': r'^/arcgis2/admin/system/disasterrecovery/stores/dr-shared/backups/saasops-[^/]+/restore$',
    'atlassian': r'^/atlassian/orgs/[^/]+/cloud/cloud-sandbox/restores$',
    'jahia': r'^/jahia/modules/cloudAction/restoreBackup\.do$',
    'mendix': r'^/mendix/api/v2/apps/[^/]+/environments/(?P<env>[^/]+)/restores$',
}


@pytest.fixture
def drill_emu(emu):
    """The role scenarios' emulator, with a store both ArcGIS organizations register and short Jahia restores."""
    emu.seed({'arcgis': {'stores': [SHARED_STORE]}, 'arcgis2': {'stores': [SHARED_STORE]}})
    emu.configure({'jahia': {'restore_seconds': 2.0, 'restore_down_seconds': 2.0}})
    return emu


def drill_pair(emu, platform, **source_vars):
    source, source_vars_, target, target_vars = PAIRS[platform](emu)
    source_vars_.update(saasops_drill_target=target, **source_vars)
    return source, target, {source: source_vars_, target: target_vars}


def back_up(job, hosts, source, run_id='drilled'):
    """The source's backup, made by the snapshot role (as the drill finds it: newest good, or in the manifest)."""
    result = job.run(SNAPSHOT, {source: hosts[source]}, {'saasops_run_id': run_id}, name='snapshot-' + run_id)
    assert result.rc == 0, result.output
    return result


def drills(job):
    path = job.manifest_dir / 'drills' / 'history.json'
    return json.loads(path.read_text(encoding='utf-8'))['drills'] if path.exists() else []


def request_span(emu, pattern):
    """Emulator-clock seconds from the first request matching ``pattern`` to the last request of the log."""
    log = emu.requests()
    first = next(r['time'] for r in log if re.search(pattern, r['path']))
    return log[-1]['time'] - first


@pytest.mark.parametrize('platform', sorted(PAIRS))
def test_a_drill_restores_the_sources_backup_into_its_drill_target_and_records_its_rto(drill_emu, job, platform):
    emu = drill_emu
    source, target, hosts = drill_pair(emu, platform)
    back_up(job, hosts, source)
    emu.clear_requests()

    result = job.run(DRILL, hosts, name='drill')
    assert result.rc == 0, result.output

    # Exactly one restore request, to the drill target's host and path; none to the source.
    sent = restores(emu)
    assert len(sent) == 1 and re.search(RESTORE_PATHS[platform], sent[0]), sent
    assert not any(p.startswith('/arcgis/') for p in sent)
    state = emu.state()
    if platform == 'mendix':
        envs = state['mendix']['apps']['calc']['environments']
        assert re.search(RESTORE_PATHS[platform], sent[0]).group('env') == envs['Test']['EnvironmentId']
        assert envs['Test']['restored_from'] and not envs['Production']['restored_from']
        assert envs['Test']['Status'] == 'Running'
    elif platform == 'jahia':
        environments = {e['name']: e for e in state['jahia']['organizations'][0]['environments']}
        assert environments['staging']['restoredFrom']['backupName'] == 'production-acme'
        assert environments['production']['restoredFrom'] is None
        assert state['jahia']['site_requests'] >= 2  # seen down, then up
    elif platform == 'arcgis':
        assert state['arcgis2']['counts']['restores'] == 1 and state['arcgis']['counts']['restores'] == 0
        assert state['arcgis2']['dr_status']['state'] == 'success'
    else:
        [restore] = state['atlassian']['restores']
        assert restore['cloudId'] == 'cloud-sandbox' and restore['status'] == 'COMPLETE'
        [report] = emu.requests(path='/files/post-op-report-')
        assert report['host'] == 'localhost' and 'Authorization' not in report['headers']

    [record] = drills(job)
    assert record['host'] == source and record['drill_target'] == target and record['platform'] == platform
    assert record['result'] == 'passed' and record['error'] is None and all(c['ok'] for c in record['checks'])
    # The RTO runs from the restore request to the checks passing: as long as the emulator saw, give or take
    # the module start-up around it.
    span = request_span(emu, RESTORE_PATHS[platform])
    assert 0 < record['rto_seconds'] and span - 1 <= record['rto_seconds'] <= span + 15, (record['rto_seconds'], span)
    assert '%s (%s): drill passed into %s' % (source, platform, target) in result.output
    assert published(result)['saasops_drill_results'] == [record]
    text = (job.manifest_dir / 'drills' / 'history.json').read_text(encoding='utf-8')
    assert not [s for s in SECRETS if s in text]


@pytest.mark.parametrize('platform', sorted(PAIRS))
def test_a_production_drill_target_is_refused_before_any_request(drill_emu, job, platform):
    emu = drill_emu
    source, target, hosts = drill_pair(emu, platform)
    # Allowing production restores there does not make it a drill target: a drill never restores into production.
    hosts[target].update(saasops_production=True, saasops_allow_production=True)
    emu.clear_requests()
    result = job.run(DRILL, hosts, name='drill')
    assert result.rc != 0
    assert "%s: the drill target '%s' is production (saasops_production: true)" % (source, target) in result.output
    assert 'Pre-flight refused 1 of 2 environments, so nothing was sent to any platform' in result.output
    assert emu.requests() == []
    assert drills(job) == []


def test_the_source_itself_is_never_a_drill_target(drill_emu, job):
    emu = drill_emu
    hosts = {
        'calc-self': dict(mendix_host(emu, 'Acceptance'), saasops_drill_target='calc-self'),
        'calc-accp': dict(mendix_host(emu, 'Acceptance'), saasops_drill_target='calc-accp-again'),
        'calc-accp-again': mendix_host(emu, 'acceptance'),
        'jira': dict(atlassian_host(emu), saasops_drill_target='jira-again'),
        'jira-again': atlassian_host(emu, 'cloud-prod', 'JIRA'),
        'gis': dict(arcgis_host(emu), saasops_drill_target='gis-again'),
        'gis-again': arcgis_host(emu),
        'jahia': dict(jahia_host(emu), saasops_drill_target='jahia-again'),
        'jahia-again': jahia_target(emu),
    }
    hosts['gis-again']['saasops_connection'] = dict(hosts['gis-again']['saasops_connection'], url=emu.url('/arcgis/'))
    emu.clear_requests()
    result = job.run(DRILL, hosts, name='drill')
    assert result.rc != 0
    assert 'calc-self: saasops_drill_target names this environment itself' in result.output
    for host, platform in (('calc-accp', 'mendix'), ('jira', 'atlassian'), ('gis', 'arcgis'), ('jahia', 'jahia')):
        assert "%s: the drill target '%s-again' is the same %s environment as this one" % (host, host, platform) in result.output
    assert 'Pre-flight refused 5 of 9 environments' in result.output
    assert emu.requests() == []


def test_every_problem_is_listed_at_once_and_nothing_is_sent(drill_emu, job):
    emu = drill_emu
    hosts = {
        'lost': dict(mendix_host(emu, 'Acceptance'), saasops_drill_target='nowhere'),
        'mixed': dict(mendix_host(emu, 'Production'), saasops_drill_target='gis'),
        'gis': arcgis_host(emu, 'arcgis2'),
        'twice-1': dict(jahia_host(emu, 'production'), saasops_drill_target='jahia-unwatched'),
        'twice-2': dict(jahia_host(emu, 'preprod'), saasops_drill_target='jahia-unwatched'),
        'jahia-unwatched': jahia_host(emu, 'staging'),
        'other-app': dict(mendix_host(emu, 'Acceptance'), saasops_drill_target='other-app-test'),
        'other-app-test': dict(mendix_host(emu, 'Test'), saasops_target={'app_id': 'other-app', 'environment': 'Test'}),
        'jira': dict(atlassian_host(emu), saasops_drill_target='sandbox',
                     saasops_drill_options={'allow_production': True, 'consnet': ['x']}),
        'sandbox': atlassian_host(emu, 'cloud-sandbox'),
        'typo': dict(mendix_host(emu, 'Production'), saasops_drill_target='calc-test', saasops_drill_timeout='soon'),
        'calc-test': mendix_host(emu, 'Test'),
    }
    emu.clear_requests()
    result = job.run(DRILL, hosts, name='drill')
    assert result.rc != 0
    for line in ("lost: saasops_drill_target 'nowhere' is not a host of the inventory",
                 "mixed: the drill target 'gis' is on arcgis, this environment on mendix",
                 "twice-1: the drill target 'jahia-unwatched' is also the drill target of twice-2",
                 'twice-1: a Jahia drill target needs saasops_health_url',
                 "other-app: the drill target 'other-app-test' has app_id 'other-app', this environment 'calc'",
                 "jira: saasops_drill_options sets 'allow_production', which a restore drill sets itself",
                 "jira: saasops_drill_options has an unknown option 'consnet' for the atlassian_restore module "
                 "(did you mean 'consent'?)",
                 'typo: the drill pre-flight did not run'):
        assert line in result.output, line
    assert emu.requests() == []


def test_check_mode_says_what_would_be_restored_where_and_sends_nothing_that_changes(drill_emu, job):
    emu = drill_emu
    hosts, sources = {}, {}
    for platform in sorted(PAIRS):
        source, target, pair = drill_pair(emu, platform)
        hosts.update(pair)
        sources[source] = target
    result = job.run(SNAPSHOT, {s: hosts[s] for s in sources}, {'saasops_run_id': 'dry'}, name='snapshot-all')
    assert result.rc == 0, result.output
    emu.clear_requests()
    result = job.run(DRILL, hosts, name='check', cmdline='--check')
    assert result.rc == 0, result.output
    assert mutating(emu) == []
    assert emu.requests()  # reads: the backups listed, the restore modules in check mode
    for source, target in sources.items():
        assert re.search(r"%s \(\w+\): would restore backup '[^']+' .* of %s \[.*\] into %s \[" % (source, source, target),
                         result.output), source
        assert '%s (' % target in result.output and ': not drilled (no saasops_drill_target)' in result.output
    assert "would restore backup 'saasops-dry' (taken " in result.output  # ArcGIS: the backup the snapshot made
    assert 'check mode: nothing was restored or recorded' in result.output
    assert not (job.manifest_dir / 'drills' / 'history.json').exists()


def test_a_failed_drill_is_recorded_failed_after_every_drill_ran(drill_emu, job):
    emu = drill_emu
    emu.configure({'arcgis2': {'restore_result': 'failed'}})
    gis, gis_target, hosts = drill_pair(emu, 'arcgis')
    mendix, mendix_target, more = drill_pair(emu, 'mendix')
    hosts.update(more)
    result = job.run(SNAPSHOT, {gis: hosts[gis], mendix: hosts[mendix]}, {'saasops_run_id': 'fails'}, name='snapshot')
    assert result.rc == 0, result.output
    result = job.run(DRILL, hosts, name='drill')
    assert result.rc != 0
    records = {r['host']: r for r in drills(job)}
    assert records[gis]['result'] == 'failed' and 'the restore failed' in records[gis]['error']
    assert 'simulated failure' in records[gis]['error'] and records[gis]['rto_seconds'] > 0
    assert records[mendix]['result'] == 'passed'
    assert '%s (arcgis): drill FAILED into %s' % (gis, gis_target) in result.output
    assert "%s: the restore drill into %s failed" % (gis, gis_target) in result.output
    assert len(restores(emu)) >= 2  # both drills ran


def valid_record(**changes):
    record = {'host': 'calc-old', 'platform': 'mendix', 'drill_target': 'calc-test', 'source': {'app_id': 'calc'},
              'target': {'app_id': 'calc'}, 'backup': {'id': 's-1', 'name': None, 'time': None}, 'manifest_run_id': None,
              'started_at': '2026-01-01T00:00:00Z', 'finished_at': '2026-01-01T00:05:00Z', 'rto_seconds': 300.0,
              'result': 'passed', 'checks': [], 'error': None}
    record.update(changes)
    return record


def test_a_hostile_drill_history_is_not_trusted(drill_emu, job):
    emu = drill_emu
    source, target, hosts = drill_pair(emu, 'mendix')
    back_up(job, hosts, source)
    path = job.manifest_dir / 'drills' / 'history.json'
    path.parent.mkdir()
    path.write_text(json.dumps({'schema': 1, 'drills': [
        valid_record(url='https://evil.example/collect', api_key='stolen'), valid_record(rto_seconds='fast'),
        valid_record(source={'url': ['not', 'a', 'name']}), 'garbage', None, valid_record(result='excellent')]}))
    result = job.run(DRILL, hosts, name='drill')
    assert result.rc == 0, result.output
    kept, new = drills(job)
    assert kept == valid_record() and new['host'] == source and new['result'] == 'passed'
    assert 'had 5 unusable record(s); they were left out' in result.output

    path.write_text('{"schema": 1, "drills": "not a list", "url": "https://evil.example"}')
    result = job.run(DRILL, hosts, name='again')
    assert result.rc == 0, result.output
    [new] = drills(job)
    assert new['host'] == source and 'moved to' in result.output
    [aside] = list((job.manifest_dir / 'drills').glob('history.json.unusable-*'))
    assert 'evil.example' in aside.read_text()


def test_a_manifest_run_picks_the_backup_and_the_newest_good_one_is_the_default(drill_emu, job):
    emu = drill_emu
    source, target, hosts = drill_pair(emu, 'mendix')
    back_up(job, hosts, source, run_id='first')
    emu.advance_clock(60)
    back_up(job, hosts, source, run_id='second')
    snapshots = {s['comment']: s['snapshot_id'] for s in emu.state('mendix')['snapshots']}
    result = job.run(DRILL, hosts, {'saasops_drill_run': 'first'}, name='first')
    assert result.rc == 0, result.output
    result = job.run(DRILL, hosts, name='newest')
    assert result.rc == 0, result.output
    first, newest = drills(job)
    assert first['backup']['id'] == snapshots['saasops first'] and first['manifest_run_id'] == 'first'
    assert newest['backup']['id'] == snapshots['saasops second'] and newest['manifest_run_id'] is None
    restored = [r['source_snapshot_id'] for r in emu.state('mendix')['restores']]
    assert restored == [snapshots['saasops first'], snapshots['saasops second']]
