# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_phase: bad input fails with no value shown; backups become manifest entries; a failed
backup is an entry, not a failed task; progress while waiting."""

import json
import time
from unittest.mock import MagicMock

import pytest

from ansible_collections.saasops.backup.plugins.action import snapshot_phase
from ansible_collections.saasops.backup.plugins.action.snapshot_phase import ActionModule
from ansible_collections.saasops.backup.plugins.plugin_utils._snapshot_env import identity_of

SECRET = 'Sup3r-Secret-Pa55'
ARCGIS_TYPES = (('url', 'str'), ('username', 'str'), ('password', 'str'), ('passcode', 'str'), ('store', 'str'),
                ('retention_days', 'int'), ('name', 'str'), ('description', 'str'), ('wait', 'bool'), ('wait_timeout', 'int'),
                ('state', 'str'), ('ca_path', 'path'))
ARCGIS_OPTIONS = dict((name, {'type': kind}) for name, kind in ARCGIS_TYPES)


DISPLAYED = []


class FakeDisplay:
    """Collects progress lines; Ansible's shared Display object is left alone."""

    @staticmethod
    def display(line):
        DISPLAYED.append(line)


@pytest.fixture(autouse=True)
def documented_options(monkeypatch):
    monkeypatch.setattr(snapshot_phase, 'module_options', lambda platform: ARCGIS_OPTIONS)
    monkeypatch.setattr(snapshot_phase._in_process, 'run', None)
    monkeypatch.setattr(snapshot_phase, 'display', FakeDisplay())
    del DISPLAYED[:]


class Runner:
    """Runs the action as its task would; the backup module's answers are ``answers``, in order."""

    def __init__(self, answers=None, check_mode=False, delay=0.0):
        self.calls = []
        self.answers = list(answers or [])
        self.check_mode = check_mode
        self.delay = delay
        self.displayed = DISPLAYED

    def run(self, **args):
        args = dict(dict(phase='start', platform='arcgis', run_id='r1',
                         connection={'url': 'https://user:pw@gis.example.com/arcgis?x=1', 'password': SECRET},
                         target={'store': 'default-store'}), **args)
        host_vars = {'saasops_platform': args['platform'], 'saasops_connection': args['connection'],
                     'saasops_target': args['target']}
        for name in ('backup_options', 'wait_timeout', 'max_age'):
            if name in args:
                host_vars['saasops_' + name] = args[name]
        if args['phase'] != 'validate':
            # start and wait read each host's variables from hostvars; the task names only the run.
            if 'previous' in args:
                args['previous'] = [dict(args['previous'], host='gis')]
            if 'entry' in args:
                args['entries'] = {'gis': args.pop('entry')}
            args = dict((key, value) for key, value in args.items()
                        if key in ('phase', 'run_id', 'previous', 'entries', 'progress_interval', 'hosts', 'new_run_id'))
        task = MagicMock()
        task.async_val = 0
        task.check_mode = self.check_mode
        task.args = args
        action = ActionModule(task, MagicMock(), MagicMock(), MagicMock(), MagicMock(), MagicMock())

        def execute(module_name, module_args, check_mode):
            assert check_mode == self.check_mode
            self.calls.append(('saasops.backup.' + module_name, dict(module_args)))
            time.sleep(self.delay)
            return self.answers.pop(0)

        snapshot_phase._in_process.run = execute
        result = action.run(task_vars={'inventory_hostname': 'gis', 'ansible_play_batch': ['gis'],
                                       'hostvars': {'gis': host_vars}})
        assert SECRET not in json.dumps(result) and 'pw@' not in json.dumps(result)
        if args['phase'] != 'validate':
            # One host here: its entry and line stand for the result the per-host tasks used to get.
            result = dict(result, entry=result['entries']['gis'], line=result['lines']['gis'])
        return result


def test_validate_names_keys_never_values_and_sends_nothing():
    runner = Runner()
    result = runner.run(phase='validate', connection={'url': 'https://gis', 'pasword': SECRET},
                        backup_options={'retention_days': 'two weeks', 'name': 'mine'}, wait_timeout=-1)
    assert result['failed'] is True
    assert result['msg'].startswith('gis: saasops_wait_timeout must be a positive number')
    result = runner.run(phase='validate', connection={'url': 'https://gis', 'pasword': SECRET},
                        backup_options={'retention_days': 'two weeks', 'name': 'mine'})
    assert "saasops_connection has an unknown option 'pasword' for the arcgis_dr_backup module (did you mean 'password'?)" \
        in result['msg']
    assert 'saasops_backup_options.retention_days must be of type int' in result['msg']
    assert "saasops_backup_options sets 'name', which the role sets itself" in result['msg']
    assert runner.calls == []


def test_validate_refuses_an_unknown_platform_and_a_bad_run_id():
    assert 'saasops_platform must be one of' in Runner().run(phase='validate', platform='sharepoint')['msg']
    assert "saasops_run_id 'a/b' is not valid" in Runner().run(phase='validate', run_id='a/b')['msg']


def test_start_runs_the_backup_module_without_waiting_and_returns_the_entry():
    runner = Runner([{'changed': True, 'backup': {'name': 'saasops-r1', 'store': 'default-store', 'status': 'in_progress'}}])
    result = runner.run(backup_options={'retention_days': 14})
    [(name, args)] = runner.calls
    assert name == 'saasops.backup.arcgis_dr_backup'
    assert args['name'] == 'saasops-r1' and args['wait'] is False and args['retention_days'] == 14 and args['password'] == SECRET
    entry = result['entry']
    assert entry['status'] == 'running' and result['changed'] is True
    assert entry['target'] == {'url': 'https://gis.example.com/arcgis', 'store': 'default-store'}
    assert 'running' in result['line']


def test_a_failed_backup_is_an_entry_not_a_failed_task():
    result = Runner([{'failed': True, 'msg': 'ArcGIS: create backup: 500'}]).run()
    assert not result.get('failed')
    assert result['entry']['status'] == 'failed' and result['entry']['error'] == 'ArcGIS: create backup: 500'


def test_an_exception_while_running_the_module_is_this_environments_failure():
    runner = Runner()
    runner.answers = None  # pop() on None raises inside the worker thread
    result = runner.run()
    assert result['entry']['status'] == 'failed' and 'AttributeError' in result['entry']['error']


def test_wait_only_waits_for_running_backups_and_says_so_meanwhile():
    done = {'status': 'completed', 'host': 'gis', 'platform': 'arcgis'}
    runner = Runner()
    assert runner.run(phase='wait', entry=done)['entry'] == done
    assert runner.run(phase='wait', entry=dict(done, status='failed'))['entry']['status'] == 'failed'
    assert runner.calls == []
    runner = Runner([{'changed': False, 'backup': {'name': 'saasops-r1', 'status': 'completed'}}], delay=2.5)
    result = runner.run(phase='wait', entry=dict(done, status='running', elapsed_s=3.0), progress_interval=1)
    assert runner.calls[0][1]['wait'] is True
    assert result['entry']['status'] == 'completed' and result['entry']['elapsed_s'] >= 5.5
    # The module found the backup the start phase made (changed: false): that is not a reused backup.
    assert result['entry']['reused'] is False and 'reused' not in result['line']
    assert any('gis (arcgis) still backing up (run r1)' in line for line in runner.displayed)


def test_a_jahia_backup_this_run_triggered_is_never_triggered_again():
    previous = {'host': 'gis', 'platform': 'jahia', 'status': 'triggered', 'backup': {'backup_name': 'x'}}
    runner = Runner()
    result = runner.run(platform='jahia', previous=previous, connection={}, target={})
    assert runner.calls == [] and result['entry']['reused'] is True


def test_an_earlier_failure_is_tried_again():
    previous = {'host': 'gis', 'platform': 'arcgis', 'status': 'failed', 'error': 'boom'}
    runner = Runner([{'changed': True, 'backup': {'name': 'saasops-r1', 'status': 'completed'}}])
    assert runner.run(previous=previous)['entry']['status'] == 'completed'
    assert len(runner.calls) == 1


def test_check_mode_entries_are_planned():
    result = Runner([{'changed': True, 'backup': {'name': 'saasops-r1'}}], check_mode=True).run()
    assert result['entry']['status'] == 'planned' and 'would back up' in result['line']


def test_identity_keeps_names_of_the_environment_only():
    found = identity_of({'url': 'https://u:p@h:8443/arcgis?token=t', 'password': 'x', 'api_token': 'y'},
                        {'store': 's', 'cloud_id': 'c'})
    assert found == {'url': 'https://h:8443/arcgis', 'store': 's', 'cloud_id': 'c'}


def test_a_rerun_confirms_the_recorded_backup_with_its_ids_when_the_module_can(monkeypatch):
    previous = {'host': 'gis', 'platform': 'arcgis', 'status': 'completed',
                'backup': {'name': 'saasops-r1', 'store': 'default-store', 'started': 'x', 'extra': 'dropped'}}
    runner = Runner([{'changed': False, 'confirmed': True, 'backup': {'name': 'saasops-r1', 'status': 'completed'}}])
    monkeypatch.setattr(snapshot_phase, 'module_options', lambda platform: dict(ARCGIS_OPTIONS, confirm={'type': 'dict'}))
    assert runner.run(previous=previous)['entry']['status'] == 'completed'
    assert runner.calls[0][1]['confirm'] == {'name': 'saasops-r1', 'store': 'default-store'}
    # A module that does not document the option is never given it; an unfinished entry is never confirmed.
    monkeypatch.setattr(snapshot_phase, 'module_options', lambda platform: ARCGIS_OPTIONS)
    runner = Runner([{'changed': False, 'backup': {'name': 'saasops-r1', 'status': 'completed'}}])
    runner.run(previous=previous)
    assert 'confirm' not in runner.calls[0][1]
    monkeypatch.setattr(snapshot_phase, 'module_options', lambda platform: dict(ARCGIS_OPTIONS, confirm={'type': 'dict'}))
    runner = Runner([{'changed': True, 'backup': {'name': 'saasops-r1', 'status': 'in_progress'}}])
    runner.run(previous=dict(previous, status='running'))
    assert 'confirm' not in runner.calls[0][1]


ATLASSIAN_NAMES = ('api_url', 'org_id', 'user', 'api_token', 'cloud_id', 'product', 'policy_id', 'max_age')
ATLASSIAN_OPTIONS = dict((name, {'type': 'str'}) for name in ATLASSIAN_NAMES)
ATLASSIAN_OPTIONS.update(wait={'type': 'bool'}, wait_timeout={'type': 'int'}, confirm={'type': 'dict'},
                         defer_on_rate_limit={'type': 'bool'})


def test_a_rate_limited_create_is_not_started_yet_and_the_wait_phase_starts_it(monkeypatch):
    monkeypatch.setattr(snapshot_phase, 'module_options', lambda platform: ATLASSIAN_OPTIONS)
    site = dict(platform='atlassian', connection={'api_url': 'https://atl', 'api_token': SECRET},
                target={'cloud_id': 'c1', 'product': 'jira'})
    runner = Runner([{'changed': False, 'deferred': True, 'retry_after': 42, 'backup': {}, 'msg': 'rate limited'}])
    started = runner.run(**site)
    assert runner.calls[0][1]['defer_on_rate_limit'] is True and runner.calls[0][1]['wait'] is False
    entry = started['entry']
    assert entry['status'] == 'pending' and entry['retry_after_s'] == 42 and started['changed'] is False
    assert entry['target'] == {'cloud_id': 'c1', 'product': 'jira'} and 'not started yet' in started['line']
    runner = Runner([{'changed': True, 'backup': {'backup_id': 'b1', 'status': 'COMPLETE', 'policy_id': 'p1'}}])
    waited = runner.run(phase='wait', entry=entry, **site)
    args = runner.calls[0][1]
    assert args['wait'] is True and 'defer_on_rate_limit' not in args and 'confirm' not in args
    assert waited['entry']['status'] == 'completed' and waited['entry']['backup']['policy_id'] == 'p1'


def test_the_wait_phase_reuses_what_the_start_phase_learnt(monkeypatch):
    monkeypatch.setattr(snapshot_phase, 'module_options', lambda platform: ATLASSIAN_OPTIONS)
    running = {'host': 'gis', 'platform': 'atlassian', 'status': 'running',
               'backup': {'backup_id': 'b1', 'status': 'IN_PROGRESS', 'policy_id': 'p1'}}
    runner = Runner([{'changed': False, 'confirmed': True, 'backup': {'backup_id': 'b1', 'status': 'COMPLETE'}}])
    runner.run(phase='wait', platform='atlassian', entry=running, connection={'api_url': 'https://atl'},
               target={'cloud_id': 'c1', 'product': 'jira'})
    args = runner.calls[0][1]
    assert args['policy_id'] == 'p1' and args['confirm'] == {'backup_id': 'b1', 'policy_id': 'p1'}


def test_validate_of_every_host_at_once_names_each_hosts_problems_and_sends_nothing():
    task = MagicMock()
    task.async_val = 0
    task.check_mode = False
    task.args = {'phase': 'validate', 'run_id': 'r1'}
    action = ActionModule(task, MagicMock(), MagicMock(), MagicMock(), MagicMock(), MagicMock())
    snapshot_phase._in_process.run = lambda *args: pytest.fail('nothing may run in the validate phase')
    good = {'saasops_platform': 'arcgis', 'saasops_connection': {'url': 'https://gis', 'password': SECRET}}
    hostvars = {'gis': good, 'gis-2': dict(good, saasops_connection={'url': 'https://gis', 'pasword': SECRET}),
                'other': {'saasops_platform': 'sharepoint', 'saasops_connection': {}}, 'slow': dict(good, saasops_wait_timeout=0)}
    result = action.run(task_vars={'ansible_play_batch': list(hostvars), 'hostvars': hostvars})
    assert result['failed'] is True and SECRET not in json.dumps(result)
    assert result['problems'] == [
        "gis-2: saasops_connection has an unknown option 'pasword' for the arcgis_dr_backup module (did you mean 'password'?)",
        'other: saasops_platform must be one of arcgis, atlassian, jahia, mendix',
        'slow: saasops_wait_timeout must be a positive number of seconds, got 0']
    result = action.run(task_vars={'ansible_play_batch': ['gis'], 'hostvars': hostvars})
    assert not result.get('failed') and result['msg'] == 'the variables of every environment (1) are usable'


def test_a_run_id_the_play_made_up_lets_the_module_skip_looking_for_its_backup(monkeypatch):
    monkeypatch.setattr(snapshot_phase, 'module_options', lambda platform: dict(ARCGIS_OPTIONS, assume_new={'type': 'bool'}))
    runner = Runner([{'changed': True, 'backup': {'name': 'saasops-r1', 'status': 'in_progress'}}])
    runner.run(new_run_id=True)
    assert runner.calls[0][1]['assume_new'] is True
    # A run id given by the user, or one an earlier run recorded, may name a backup already: the module looks.
    for args in ({}, {'new_run_id': True, 'previous': {'platform': 'arcgis', 'status': 'failed'}}):
        runner = Runner([{'changed': True, 'backup': {'name': 'saasops-r1', 'status': 'in_progress'}}])
        runner.run(**args)
        assert 'assume_new' not in runner.calls[0][1]
