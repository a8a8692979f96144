# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drill's rules as tables: what may be drilled where, which backup, the restore's arguments, the checks."""

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _drill_plan as plan
from ansible_collections.saasops.backup.plugins.plugin_utils._estate import newest_good

SECRET = 'Sup3r-Secret-Key'
ENVIRONMENTS = {
    'mendix': ({'api_key': SECRET}, {'app_id': 'calc', 'environment': 'Production'}),
    'atlassian': ({'api_token': SECRET, 'org_id': 'org-1'}, {'cloud_id': 'cloud-prod', 'product': 'jira'}),
    'jahia': ({'api_token': SECRET, 'organization': 'acme'}, {'environment': 'production'}),
    'arcgis': ({'url': 'https://gis.example.com/arcgis', 'password': SECRET, 'passcode': 'Source-Passcode'}, {'store': 's'}),
}


def source(platform):
    connection, target = ENVIRONMENTS[platform]
    return {'host': 'src', 'connection': dict(connection), 'target': dict(target)}


def drill(platform, connection=None, target=None, **changes):
    base_connection, base_target = ENVIRONMENTS[platform]
    found = {'host': 'dst', 'known': True, 'platform': platform, 'production': False,
             'connection': dict(base_connection, **(connection or {})), 'target': dict(base_target, **(target or {}))}
    found.update(changes)
    return found


PAIRS = [
    # (platform, drill target, the problem's words, or None when the pair is fine)
    ('mendix', drill('mendix', target={'environment': 'Test'}), None),
    ('mendix', drill('mendix', target={'environment': 'production'}), "the same mendix environment as this one"),
    ('mendix', drill('mendix', target={'app_id': 'other', 'environment': 'Test'}), "has app_id 'other', this environment 'calc'"),
    ('mendix', drill('mendix', target={'environment': None}), 'without environment of dst'),
    ('atlassian', drill('atlassian', target={'cloud_id': 'cloud-sandbox'}), None),
    ('atlassian', drill('atlassian', target={'product': 'JIRA'}), 'the same atlassian environment'),
    ('atlassian', drill('atlassian', target={'cloud_id': 'cloud-sandbox', 'product': 'confluence'}), "has product 'confluence'"),
    ('atlassian', drill('atlassian', connection={'org_id': 'org-2'}, target={'cloud_id': 'x'}), "has org_id 'org-2'"),
    ('jahia', drill('jahia', target={'environment': 'staging'}), None),
    ('jahia', drill('jahia', connection={'organization': 'other'}, target={'environment': 'staging'}), "has organization 'other'"),
    ('jahia', drill('jahia'), 'the same jahia environment'),
    ('arcgis', drill('arcgis', connection={'url': 'https://gis2.example.com/arcgis'}), None),
    ('arcgis', drill('arcgis', connection={'url': 'HTTPS://GIS.example.com:443/arcgis/'}), 'the same arcgis environment'),
    ('arcgis', drill('arcgis', connection={'url': 'https://gis2.example.com/arcgis'}, production=True), 'is production'),
    ('arcgis', drill('arcgis', connection={'url': 'https://gis2.example.com/arcgis', 'production': True}), 'is production'),
    ('arcgis', drill('arcgis', known=False), "'dst' is not a host of the inventory"),
    ('arcgis', drill('arcgis', host='src'), 'names this environment itself'),
    ('arcgis', dict(drill('arcgis'), platform='mendix'), "is on mendix, this environment on arcgis"),
    ('arcgis', dict(drill('arcgis'), connection=None), 'has no saasops_connection'),
]


@pytest.mark.parametrize('platform, target, words', PAIRS)
def test_what_may_be_drilled_where(platform, target, words):
    problems = plan.pair_problems(platform, source(platform), target)
    if words is None:
        assert problems == []
    else:
        assert any(words in p for p in problems), problems
        assert not any(SECRET in p for p in problems)


def test_two_drills_into_one_target_are_refused():
    claims = {'a': 't', 'b': 't', 'c': 'u'}
    assert plan.claimed_twice(claims, 'a') == ["the drill target 't' is also the drill target of b: one drill per target at a time"]
    assert plan.claimed_twice(claims, 'c') == [] and plan.claimed_twice(claims, 'z') == []


OPTIONS = {'consent': {'type': 'list'}, 'include_attachments': {'type': 'bool'}, 'api_token': {'type': 'str', 'aliases': ['token']}}


@pytest.mark.parametrize('values, words', [
    ({'consent': ['x'], 'token': 't'}, []),
    ({'consnet': ['x']}, ["has an unknown option 'consnet' for the atlassian_restore module (did you mean 'consent'?)"]),
    ({'allow_production': True}, ["sets 'allow_production', which a restore drill sets itself (a drill never allows"]),
    ({'backup_id': 'b'}, ["sets 'backup_id', which a restore drill sets itself"]),
    ({'include_attachments': 'maybe'}, ['v.include_attachments must be of type bool']),
    ('consent', ['v must be a dictionary of atlassian_restore options']),
])
def test_drill_options_are_checked_by_name_never_showing_a_value(values, words):
    problems = plan.option_problems('v', values, OPTIONS, plan.OWNED['atlassian'], 'atlassian_restore')
    assert len(problems) == len(words)
    for problem, expected in zip(problems, words):
        assert expected in problem and 'maybe' not in problem


@pytest.mark.parametrize('value, seconds', [(14400, 14400), ('90', 90), (1.5, 2)])
def test_seconds(value, seconds):
    assert plan.check_seconds(value) == seconds


@pytest.mark.parametrize('value', ['soon', 0, -5, True, None, float('inf')])
def test_bad_seconds(value):
    with pytest.raises(plan.InputProblem, match='saasops_drill_timeout must be a positive number of seconds'):
        plan.check_seconds(value)


def test_drill_runs_and_health_urls():
    assert plan.check_drill_run(None) is None and plan.check_drill_run('latest') == 'latest'
    assert plan.check_drill_run('20261130t101500z-ab12') == '20261130t101500z-ab12'
    with pytest.raises(plan.InputProblem, match="saasops_drill_run '../x' is not 'latest' nor a valid run id"):
        plan.check_drill_run('../x')
    assert plan.check_health_url('https://staging.example.com/cms/login') == []
    for bad in ('http://staging.example.com/cms/login', 'https://user:pw@staging.example.com/', 'https:///cms', 42):
        assert 'must be an https:// URL' in plan.check_health_url(bad)[0]
    assert 'needs saasops_health_url' in plan.check_health_url(None)[0]


def listed(*statuses):
    return [{'id': 'b%d' % i, 'name': 'n%d' % i, 'time': '2026-11-%02dT00:00:00Z' % (30 - i), 'status': status, 'expires': None,
             'run_id': None} for i, status in enumerate(statuses)]


def test_the_newest_good_backup_is_drilled():
    identity, backup = plan.from_listing('mendix', listed('failed', 'running', 'good', 'good'), newest_good)
    assert identity == {'snapshot_id': 'b2'} and backup == {'id': 'b2', 'name': 'n2', 'time': '2026-11-28T00:00:00Z'}
    assert plan.from_listing('arcgis', listed('good'), newest_good)[0] == {'name': 'b0'}
    assert plan.from_listing('atlassian', listed('partial'), newest_good)[0] == {'backup_id': 'b0'}
    with pytest.raises(ValueError, match=r'no usable backup to restore \(2 listed: expired, failed\)'):
        plan.from_listing('mendix', listed('failed', 'expired'), newest_good)


def manifest(entry):
    return {'schema': 1, 'run_id': 'run-1', 'environments': [dict({'host': 'src', 'status': 'completed'}, **entry)]}


def test_a_manifest_entry_identifies_the_backup_and_nothing_else():
    entry = {'platform': 'mendix', 'target': {'app_id': 'calc', 'environment': 'Production'},
             'backup': {'snapshot_id': 's-1', 'comment': 'saasops run-1', 'created_at': '2026-11-30T02:00:00.123Z'},
             'restore': {'snapshot_id': 's-1', 'api_url': 'https://evil.example', 'environment': 'Test'}}
    identity, backup = plan.from_manifest('mendix', manifest(entry), 'src', *ENVIRONMENTS['mendix'])
    assert identity == {'snapshot_id': 's-1'}
    assert backup == {'id': 's-1', 'name': 'saasops run-1', 'time': '2026-11-30T02:00:00Z'}
    point = {'backup_name': 'production-acme', 'timestamp': '2026-11-30T02:00:00', 'cloud_provider': 'aws', 'region': 'eu-west-1',
             'env_role': 'prod', 'backup_type': 'manual', 'api_url': 'https://evil.example'}
    jahia = {'platform': 'jahia', 'status': 'triggered', 'target': {'organization': 'acme', 'environment': 'production'},
             'restore': {'backup': point, 'organization': 'acme', 'environment': 'production'}}
    identity, backup = plan.from_manifest('jahia', manifest(jahia), 'src', *ENVIRONMENTS['jahia'])
    assert 'api_url' not in identity['backup'] and identity['backup']['backup_name'] == 'production-acme'
    assert backup == {'id': 'production-acme 2026-11-30T02:00:00', 'name': 'production-acme', 'time': '2026-11-30T02:00:00Z'}


@pytest.mark.parametrize('entry, words', [
    ({'platform': 'arcgis', 'restore': {'snapshot_id': 's'}}, "is a 'arcgis' backup"),
    ({'platform': 'mendix', 'status': 'failed', 'restore': {'snapshot_id': 's'}}, "backup is 'failed'"),
    ({'platform': 'mendix', 'target': {'app_id': 'calc', 'environment': 'Test'}, 'restore': {'snapshot_id': 's'}},
     "was taken from environment 'Test'"),
    ({'platform': 'mendix', 'restore': {'snapshot_id': 's\nx'}}, 'invalid snapshot_id'),
    ({'host': 'another', 'platform': 'mendix', 'restore': {'snapshot_id': 's'}}, 'has no entry for this environment'),
])
def test_an_unusable_manifest_entry_is_refused(entry, words):
    with pytest.raises(ValueError, match=words.replace('(', r'\(')):
        plan.from_manifest('mendix', manifest(entry), 'src', *ENVIRONMENTS['mendix'])


def test_restore_arguments_never_allow_production_and_the_drill_decides_last():
    target = drill('mendix', connection={'allow_production': True}, target={'environment': 'Test'})
    args = plan.restore_arguments('mendix', source('mendix'), target, {'snapshot_id': 's-1'},
                                  {'db_only': True, 'snapshot_id': 'other'}, 600)
    assert args == {'api_key': SECRET, 'app_id': 'calc', 'environment': 'Test', 'db_only': True, 'snapshot_id': 's-1',
                    'wait': True, 'wait_timeout': 600, 'source_environment': 'Production', 'stop_environment': True,
                    'start_environment': True}
    gis = plan.restore_arguments('arcgis', source('arcgis'), drill('arcgis', connection={'passcode': 'Target-Own-Passcode'}),
                                 {'name': 'b'}, {}, 60)
    assert gis['passcode'] == 'Source-Passcode' and gis['production'] is False and 'allow_production' not in gis
    jahia = plan.restore_arguments('jahia', source('jahia'), drill('jahia', target={'environment': 'staging'}),
                                   {'backup': {'backup_name': 'p'}}, {}, 60)
    assert jahia == {'api_token': SECRET, 'organization': 'acme', 'environment': 'staging', 'backup': {'backup_name': 'p'}}


@pytest.mark.parametrize('platform, answer, oks', [
    ('arcgis', {'status': {'state': 'success', 'backup_name': 'b'}}, [True]),
    ('arcgis', {'status': {'state': 'completed_with_warnings', 'message': '2 items'}}, [False]),
    ('atlassian', {'changed': True, 'restore': {'status': 'COMPLETE', 'restore_id': 'r'}}, [True]),
    ('atlassian', {'changed': False, 'restore': {'status': 'COMPLETE'}}, [True]),
    ('atlassian', {'restore': {'status': 'FAILED'}}, [False]),
    ('mendix', {'restore': {'state': 'completed'}, 'environment_status': 'Running'}, [True, True]),
    ('mendix', {'restore': {'state': 'completed'}, 'environment_status': 'Stopped'}, [True, False]),
    ('jahia', {'changed': True}, [True]),
    ('jahia', {'changed': False}, [False]),
])
def test_what_the_restore_modules_answer_settles(platform, answer, oks):
    checks = plan.module_checks(platform, answer)
    assert [c['ok'] for c in checks] == oks
    assert all(c['name'] and isinstance(c['detail'], str) for c in checks)


def test_a_reused_atlassian_restore_says_so():
    [check] = plan.module_checks('atlassian', {'changed': False, 'restore': {'status': 'COMPLETE', 'restore_id': 'r'}})
    assert 'reused' in check['detail'] and 'once per 7 days' in check['detail']


def test_a_post_operation_report_in_counts():
    report = ('Entity,Status,Count,Message\r\nProjects,COMPLETE,12,\r\nIssues,COMPLETE,3456,\r\n'
              'Attachments,SKIPPED,0,Not selected\r\n')
    summary = plan.summarise_report(report)
    assert summary == {'rows': 3, 'statuses': {'COMPLETE': 2, 'SKIPPED': 1},
                       'counts': {'Projects': 12, 'Issues': 3456, 'Attachments': 0}}
    assert plan.report_detail(summary) == ('post-operation report: 3 rows; by status COMPLETE 2, SKIPPED 1; '
                                           'Projects 12, Issues 3456, Attachments 0')
    assert plan.summarise_report('name\nx\ny\n') == {'rows': 2, 'statuses': {}, 'counts': {}}
    for empty in ('', 'Entity,Status\r\n'):
        with pytest.raises(ValueError, match='holds no rows'):
            plan.summarise_report(empty)


@pytest.mark.parametrize('answers, settle, verdicts', [
    ([(200, 1), (503, 3), (None, 5), (200, 8)], 60, ['waiting', 'waiting', 'waiting', 'up']),
    ([(200, 1), (200, 30), (200, 61)], 60, ['waiting', 'waiting', 'never_down']),
    ([(503, 1), (200, 2)], 0, ['waiting', 'up']),
])
def test_a_jahia_site_is_back_only_after_it_was_seen_down(answers, settle, verdicts):
    watch = plan.HealthWatch(settle)
    assert [watch.observe(status, elapsed) for status, elapsed in answers] == verdicts
    detail = watch.detail('the health URL', answers[-1][1])
    assert ('never went down' in detail) == (verdicts[-1] == 'never_down')


def test_lines_and_records():
    found = {'source': {'app_id': 'calc', 'environment': 'Production', 'api_version': 2},
             'target': {'app_id': 'calc', 'environment': 'Test'}, 'backup': {'id': 's-1', 'name': 'nightly', 'time': 'T'},
             'manifest_run_id': None}
    assert plan.plan_line('src', 'dst', found['backup'], found['source'], found['target'], 'run-1') == (
        "backup 's-1' (nightly, taken T, manifest run run-1) of src [app_id calc, environment Production] into dst "
        '[app_id calc, environment Test]')
    record = plan.new_record('src', 'mendix', 'dst', found, 'a', 'b', 12.345, 'failed', [plan.check('c', False, 'x\ny')],
                             'line one\nline two')
    assert record['rto_seconds'] == 12.3 and record['error'] == 'line one line two' and record['checks'][0]['detail'] == 'x y'
    assert plan.result_line('src', 'mendix', record, '') == 'src (mendix): drill FAILED into dst in 12.3 s (RTO): line one line two'
    record.update(error=None)
    assert plan.result_line('src', 'mendix', record, '').endswith(': checks failed: c')
    record.update(result='planned')
    assert plan.result_line('src', 'mendix', record, 'backup X') == 'src (mendix): would restore backup X'
