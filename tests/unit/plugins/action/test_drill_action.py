# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_drill: validate sends nothing; plan only reads (modules in check mode); run restores, checks and
times; a failed drill is a record, not a failed task; no credential ever comes back."""

import json
from unittest.mock import MagicMock

import pytest

from ansible_collections.saasops.backup.plugins.action import restore_drill
from ansible_collections.saasops.backup.plugins.action.restore_drill import ActionModule
from ansible_collections.saasops.backup.plugins.plugin_utils import _drill_history as history
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils import _module_options

SECRET = 'Sup3r-Secret-Key'
CONNECTION = {'api_url': 'https://deploy.example', 'username': 'bot', 'api_key': SECRET, 'ca_path': '/ca.pem'}
COMMON = ('api_url', 'username', 'api_key', 'app_id', 'environment', 'api_version', 'ca_path', 'validate_certs', 'timeout',
          'api_token', 'org_id', 'user', 'cloud_id', 'product', 'organization', 'url', 'password', 'store')
OPTIONS = {
    'mendix_restore': COMMON + ('snapshot_id', 'source_environment', 'db_only', 'stop_environment', 'start_environment',
                                'allow_production', 'wait', 'wait_timeout'),
    'mendix_snapshot_info': COMMON + ('snapshot_id',),
    'atlassian_restore': COMMON + ('backup_id', 'consent', 'production', 'allow_production', 'wait', 'wait_timeout'),
    'jahia_restore': COMMON + ('backup', 'allow_production'),
    'arcgis_dr_restore': COMMON + ('name', 'passcode', 'production', 'allow_production', 'wait', 'wait_timeout'),
    'arcgis_dr_backup_info': COMMON + ('name',),
}
DISPLAYED = []


class FakeDisplay:
    @staticmethod
    def display(line):
        DISPLAYED.append(line)


@pytest.fixture(autouse=True)
def documented(monkeypatch):
    # The modules' documented options, as _module_options would have read them from their docs.
    for module, names in OPTIONS.items():
        monkeypatch.setitem(_module_options._OPTIONS, module, dict((name, {'type': 'raw'}) for name in names))
    monkeypatch.setattr(restore_drill, 'display', FakeDisplay())
    monkeypatch.setattr(restore_drill.time, 'sleep', lambda seconds: None)
    del DISPLAYED[:]


def mendix(environment, **more):
    return dict({'platform': 'mendix', 'connection': dict(CONNECTION), 'target': {'app_id': 'calc', 'environment': environment}},
                **more)


class Runner:
    """One action run; ``answers`` maps a module name to the answers it gives, in order."""

    def __init__(self, tmp_path, answers=None, check_mode=False):
        self.calls = []
        self.answers = dict((k, list(v)) for k, v in (answers or {}).items())
        self.check_mode = check_mode
        self.tmp_path = tmp_path

    def run(self, phase, source=None, drill_target='calc-test', drill=None, **args):
        source = source or mendix('Production')
        task = MagicMock()
        task.async_val = 0
        task.check_mode = self.check_mode
        task.args = dict(dict(phase=phase, platform=source['platform'], connection=source['connection'],
                              target=source['target'], drill_target=drill_target,
                              drill=dict(drill or mendix('Test'), known=True), claims={'calc-prod': drill_target},
                              manifest_dir=str(self.tmp_path)), **args)
        action = ActionModule(task, MagicMock(), MagicMock(), MagicMock(), MagicMock(), MagicMock())

        def execute(module_name, module_args, task_vars):
            self.calls.append((module_name, dict(module_args), task.check_mode))
            answers = self.answers.get(module_name) or [{}]
            return dict(answers.pop(0) if len(answers) > 1 else answers[0])

        action._execute_module = execute
        result = action.run(task_vars={'inventory_hostname': 'calc-prod'})
        assert task.check_mode == self.check_mode  # restored after each module
        assert SECRET not in json.dumps(result)
        return result


def test_validate_sends_nothing_and_returns_every_problem(tmp_path):
    runner = Runner(tmp_path)
    assert runner.run('validate')['problems'] == []
    result = runner.run('validate', drill=mendix('Production', production=True), options={'allow_production': True},
                        timeout='soon')
    assert result['ok'] is False
    assert result['problems'] == [
        'saasops_drill_timeout must be a positive number of seconds',
        "the drill target 'calc-test' is production (saasops_production: true): a drill never restores into production",
        "the drill target 'calc-test' is the same mendix environment as this one (app_id calc, environment Production): a "
        'drill never restores into its source',
        "saasops_drill_options sets 'allow_production', which a restore drill sets itself (a drill never allows a production "
        'target)']
    assert runner.calls == []


def test_a_host_without_drill_target_is_skipped(tmp_path):
    runner = Runner(tmp_path)
    for phase in ('validate', 'plan', 'run'):
        result = runner.run(phase, drill_target=None)
        assert result['skip'] is True and result['line'] == 'calc-prod (mendix): not drilled (no saasops_drill_target)'
    assert runner.run('record', drill_target=None)['written'] is False
    assert runner.calls == []


SNAPSHOTS = {'snapshots': [{'snapshot_id': 's-new', 'comment': 'nightly', 'state': 'failed', 'created_at': '2026-11-30T02:00:00Z'},
                           {'snapshot_id': 's-good', 'comment': 'saasops r1', 'state': 'completed',
                            'created_at': '2026-11-29T02:00:00Z'}]}


def test_plan_lists_the_sources_backups_and_checks_the_restore_in_check_mode(tmp_path):
    runner = Runner(tmp_path, {'saasops.backup.mendix_snapshot_info': [SNAPSHOTS]})
    found = runner.run('plan', drill=mendix('Test', connection=dict(CONNECTION, api_key='Target-Key')))['plan']
    assert found['error'] is None and found['identity'] == {'snapshot_id': 's-good'}
    assert found['backup'] == {'id': 's-good', 'name': 'saasops r1', 'time': '2026-11-29T02:00:00Z'}
    assert found['source'] == {'app_id': 'calc', 'environment': 'Production'}
    (info, info_args, info_check), (restore, restore_args, restore_check) = runner.calls
    assert info == 'saasops.backup.mendix_snapshot_info' and info_check is True
    assert info_args['environment'] == 'Production' and info_args['api_key'] == SECRET
    assert restore == 'saasops.backup.mendix_restore' and restore_check is True
    assert restore_args['environment'] == 'Test' and restore_args['api_key'] == 'Target-Key'
    assert restore_args['source_environment'] == 'Production' and 'allow_production' not in restore_args


def test_plan_gives_the_info_module_only_its_own_options(tmp_path):
    gis = {'platform': 'arcgis', 'connection': {'url': 'https://gis.example.com/arcgis', 'password': SECRET,
                                                'passcode': 'Source-Passcode'}, 'target': {'store': 's'}}
    target = dict(gis, connection={'url': 'https://gis2.example.com/arcgis', 'password': SECRET})
    runner = Runner(tmp_path, {'saasops.backup.arcgis_dr_backup_info': [
        {'backups': [{'name': 'b1', 'status': 'completed', 'start_time': 1764460800000}]}]})
    found = runner.run('plan', source=gis, drill=target)['plan']
    assert found['identity'] == {'name': 'b1'}
    (dummy, info_args, dummy), (dummy, restore_args, dummy) = runner.calls
    assert 'passcode' not in info_args and restore_args['passcode'] == 'Source-Passcode'
    assert restore_args['url'] == 'https://gis2.example.com/arcgis' and restore_args['production'] is False


def test_a_plan_that_cannot_run_is_an_error_not_a_failed_task(tmp_path):
    runner = Runner(tmp_path, {'saasops.backup.mendix_snapshot_info': [{'snapshots': []}]})
    found = runner.run('plan')['plan']
    assert 'no usable backup' in found['error'] and len(runner.calls) == 1
    refused = Runner(tmp_path, {'saasops.backup.mendix_snapshot_info': [SNAPSHOTS],
                                'saasops.backup.mendix_restore': [{'failed': True, 'msg': 'refusing the production env'}]})
    assert refused.run('plan')['plan']['error'] == 'the mendix_restore refused the drill: refusing the production env'


def test_jahia_plans_from_the_latest_manifest_and_says_so(tmp_path):
    point = {'backup_name': 'production-acme', 'timestamp': '2026-11-30T02:00:00', 'backup_type': 'manual',
             'cloud_provider': 'aws', 'region': 'eu-west-1', 'env_role': 'prod'}
    store.write_run(str(tmp_path), 'run-1', [{'host': 'calc-prod', 'platform': 'jahia', 'status': 'triggered',
                                              'target': {'organization': 'acme', 'environment': 'production'},
                                              'restore': {'backup': point}}], update_latest=True)
    jahia = {'platform': 'jahia', 'connection': {'api_token': SECRET}, 'target': {'organization': 'acme', 'environment': 'production'}}
    target = dict(jahia, target={'organization': 'acme', 'environment': 'staging'}, health_url='https://staging.example/cms/login')
    runner = Runner(tmp_path)
    found = runner.run('plan', source=jahia, drill=target)['plan']
    assert found['manifest_run_id'] == 'run-1' and found['identity'] == {'backup': point} and found['error'] is None
    assert "Jahia's API cannot list backups" in found['note']
    [(module, args, check_mode)] = runner.calls
    assert module == 'saasops.backup.jahia_restore' and check_mode and args['environment'] == 'staging'


PLAN = {'identity': {'snapshot_id': 's-good'}, 'backup': {'id': 's-good', 'name': None, 'time': None}, 'manifest_run_id': None,
        'source': {'app_id': 'calc', 'environment': 'Production'}, 'target': {'app_id': 'calc', 'environment': 'Test'},
        'error': None, 'line': "backup 's-good' of calc-prod into calc-test"}


def test_run_restores_checks_and_times_the_drill(tmp_path):
    runner = Runner(tmp_path, {'saasops.backup.mendix_restore': [
        {'changed': True, 'restore': {'state': 'completed', 'restore_id': 'r'}, 'environment_status': 'Running'}]})
    result = runner.run('run', plan=PLAN, progress_interval=0.0)
    record = result['record']
    assert record['result'] == 'passed' and record['rto_seconds'] >= 0 and record['error'] is None
    assert [c['name'] for c in record['checks']] == ['restore completed', 'environment running']
    [(module, args, check_mode)] = runner.calls
    assert module == 'saasops.backup.mendix_restore' and check_mode is False
    assert args['snapshot_id'] == 's-good' and args['wait'] is True and args['start_environment'] is True
    assert result['line'].startswith('calc-prod (mendix): drill passed into calc-test in ')
    assert history.clean_record(record) == record


def test_a_failed_restore_is_a_failed_record(tmp_path):
    runner = Runner(tmp_path, {'saasops.backup.mendix_restore': [{'failed': True, 'msg': 'Mendix: restore failed\n(500)'}]})
    record = runner.run('run', plan=PLAN)['record']
    assert record['result'] == 'failed' and record['error'] == 'the restore failed: Mendix: restore failed (500)'
    assert Runner(tmp_path).run('run', plan=dict(PLAN, error='no usable backup'))['record']['error'] == 'no usable backup'


def test_check_mode_restores_nothing_and_records_nothing(tmp_path):
    runner = Runner(tmp_path, check_mode=True)
    result = runner.run('run', plan=PLAN)
    assert result['record']['result'] == 'planned' and runner.calls == []
    assert result['line'] == "calc-prod (mendix): would restore backup 's-good' of calc-prod into calc-test"
    assert runner.run('record', record=result['record'])['written'] is False
    assert not (tmp_path / 'drills' / 'history.json').exists()


def test_an_atlassian_drill_fetches_and_summarises_the_report_without_credentials(tmp_path):
    jira = {'platform': 'atlassian', 'connection': {'api_token': SECRET, 'validate_certs': True},
            'target': {'cloud_id': 'cloud-prod', 'product': 'jira'}}
    target = dict(jira, target={'cloud_id': 'cloud-sandbox', 'product': 'jira'})
    runner = Runner(tmp_path, {
        'saasops.backup.atlassian_restore': [{'changed': True, 'restore': {'status': 'COMPLETE', 'restore_id': 'r'},
                                              'post_op_report_url': 'https://reports.example/mig-1.csv'}],
        'ansible.builtin.uri': [{'status': 200, 'content': 'Entity,Status,Count\nIssues,COMPLETE,5\n'}]})
    record = runner.run('run', source=jira, drill=target, plan=dict(PLAN, identity={'backup_id': 'b'}))['record']
    assert record['result'] == 'passed'
    assert record['checks'][-1] == {'name': 'post-operation report', 'ok': True,
                                    'detail': 'post-operation report: 1 rows; by status COMPLETE 1; Issues 5'}
    uri_args = runner.calls[-1][1]
    assert uri_args['url'] == 'https://reports.example/mig-1.csv' and uri_args['force_basic_auth'] is False
    assert SECRET not in json.dumps(uri_args) and 'headers' not in uri_args and uri_args['use_netrc'] is False


def test_a_jahia_drill_waits_for_the_site_to_come_back(tmp_path):
    jahia = {'platform': 'jahia', 'connection': {'api_token': SECRET}, 'target': {'organization': 'acme', 'environment': 'production'}}
    target = dict(jahia, target={'organization': 'acme', 'environment': 'staging'}, health_url='https://staging.example/cms/login')
    answers = {'saasops.backup.jahia_restore': [{'changed': True}],
               'ansible.builtin.uri': [{'status': 200}, {'failed': True, 'status': 503}, {'failed': True, 'status': -1},
                                       {'status': 200}]}
    runner = Runner(tmp_path, answers)
    record = runner.run('run', source=jahia, drill=target, plan=dict(PLAN, identity={'backup': {'backup_name': 'p'}}),
                        progress_interval=0.0)['record']
    assert record['result'] == 'passed' and record['checks'][-1]['name'] == 'environment answering'
    assert [c[1]['url'] for c in runner.calls[1:]] == ['https://staging.example/cms/login'] * 4
    assert any('waiting for the environment' in line for line in DISPLAYED)

    never_down = Runner(tmp_path, dict(answers, **{'ansible.builtin.uri': [{'status': 200}]}))
    record = never_down.run('run', source=jahia, drill=target, plan=dict(PLAN, identity={'backup': {'backup_name': 'p'}}),
                            settle=0.001)['record']
    assert record['result'] == 'failed' and 'never went down' in record['checks'][-1]['detail']


def test_record_appends_to_the_history(tmp_path):
    runner = Runner(tmp_path, {'saasops.backup.mendix_restore': [
        {'changed': True, 'restore': {'state': 'completed'}, 'environment_status': 'Running'}]})
    record = runner.run('run', plan=PLAN)['record']
    written = runner.run('record', record=record)
    assert written['written'] is True and written['path'] == str(tmp_path / 'drills' / 'history.json')
    assert history.last_drills(str(tmp_path))['calc-prod'] == record
