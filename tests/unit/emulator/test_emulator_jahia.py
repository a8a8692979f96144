"""Jahia Cloud cloudAction behaviour, over HTTPS against the running emulator (contract: api/jahia.md)."""

import datetime

import pytest

TOKEN = 'Emul4tor-Jahia-PAT-7f3c9a1e5b2d4c6a'
ORG = 'acme'
FORM = 'application/x-www-form-urlencoded; charset=UTF-8'


class Jahia:
    """A minimal client in the style the modules use: form bodies, the APIToken header."""

    def __init__(self, emu, token=TOKEN):
        self.emu = emu
        self.url = emu.api_base + '/jahia/modules/cloudAction/'
        self.session = emu.new_session()
        self.token = token

    def raw(self, action, headers=None, **kwargs):
        sent = {'Authorization': 'APIToken %s' % self.token, 'Accept': 'application/json'}
        sent.update(headers or {})
        return self.session.post(self.url + action + '.do', headers=sent, timeout=10, **kwargs)

    def call(self, action, **form):
        response = self.raw(action, data=form, headers={'Content-Type': FORM})
        assert response.status_code == 200, response.text
        return response.json()

    def context(self, env='staging', org=ORG):
        return self.call('getContext', orgName=org, envName='%s-%s' % (env, org))

    def appid(self, env='staging'):
        return self.context(env)['environment']['appid']

    def backup(self, env='staging', appid=None):
        return self.call('backupEnv', orgName=ORG, envName='%s-%s' % (env, ORG), targetAppid=appid or self.appid(env))

    def restore(self, env='staging', appid=None, **point):
        fields = dict(backupName='staging-acme', timestamp='2026-01-01T00:00:00', backupType='manual',
                      cloudProvider='aws', region='eu-west-1', envRole='dev')
        fields.update(point)
        return self.call('restoreBackup', orgName=ORG, envName='%s-%s' % (env, ORG), targetAppid=appid or self.appid(env),
                         **fields)


def listing(emu, kind):
    response = emu.session.get(emu.api_base + '/_emulator/jahia/' + kind, timeout=10)
    assert response.status_code == 200
    return response.json()[kind]


def minute(emu):
    """The current emulator minute, after moving the clock to second 1 of the next minute (no boundary races)."""
    now = emu.advance_clock(0)['now']
    now = emu.advance_clock(61 - now % 60)['now']
    return datetime.datetime.fromtimestamp(now, tz=datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:00')


def test_get_context_of_an_environment_by_its_short_domain(emu):
    context = Jahia(emu).context('staging')
    env = context.pop('environment')
    assert context == {'organisationName': 'acme', 'organisationId': 94}
    assert env['envName'] == 'staging' and env['shortDomain'] == 'staging-acme'
    assert len(env['appid']) == 34 and int(env['appid'], 16) >= 0
    assert (env['cloudProvider'], env['region'], env['envRole']) == ('aws', 'eu-west-1', 'dev')
    assert env['productVersion'] == 'dx_8-2-3-0' and env['status'] == 'running'
    assert Jahia(emu).context('production')['environment']['envRole'] == 'prod'
    assert Jahia(emu).call('getContext', orgName=ORG) == {'organisationName': 'acme', 'organisationId': 94}


def test_the_bare_environment_name_is_not_an_env_name(emu):
    answer = Jahia(emu).call('getContext', orgName=ORG, envName='staging')
    assert answer['jcResponse'] == 3 and 'short domain' in answer['message']
    assert Jahia(emu).call('backupEnv', orgName=ORG, envName='staging', targetAppid='x')['jcResponse'] == 3
    assert listing(emu, 'backups') == []


def test_unknown_organization_is_404(emu):
    response = Jahia(emu).raw('getContext', data={'orgName': 'nope', 'envName': 'staging-nope'})
    assert response.status_code == 404 and 'nope' in response.json()['message']


@pytest.mark.parametrize('header', [None, 'Bearer ' + TOKEN, 'apitoken ' + TOKEN, 'APIToken  ' + TOKEN,
                                    'APIToken ' + TOKEN + 'x', 'APIToken'])
def test_only_the_exact_apitoken_header_authenticates(emu, header):
    api = Jahia(emu)
    headers = {'Authorization': header} if header else {}
    session = emu.new_session()
    response = session.post(api.url + 'getContext.do', data={'orgName': ORG}, headers=headers, timeout=10)
    assert response.status_code == 401


def test_a_token_of_another_organization_is_forbidden(emu):
    emu.seed({'jahia': {'organizations': [{'name': 'globex', 'environments': [{'name': 'www'}]}],
                        'tokens': {'globex-only-token': ['globex']}}})
    other = Jahia(emu, token='globex-only-token')
    assert other.context('www', org='globex')['environment']['shortDomain'] == 'www-globex'
    response = other.raw('backupEnv', data={'orgName': ORG, 'envName': 'staging-acme', 'targetAppid': 'x'})
    assert response.status_code == 403
    assert listing(emu, 'backups') == []
    assert 'globex-only-token' in emu.state('jahia')['api_tokens']


def test_a_json_body_is_refused_even_with_a_good_token(emu):
    api = Jahia(emu)
    fields = {'orgName': ORG, 'envName': 'staging-acme', 'targetAppid': api.appid()}
    response = api.raw('backupEnv', json=fields)
    assert response.status_code == 400 and response.json()['jcResponse'] == 2
    assert 'form-encoded' in response.json()['message']
    assert listing(emu, 'backups') == []


def test_actions_are_post_only_and_unknown_actions_404(emu):
    api = Jahia(emu)
    assert api.session.get(api.url + 'getContext.do', headers={'Authorization': 'APIToken ' + TOKEN}, timeout=10).status_code == 405
    assert api.raw('deleteEverything', data={'orgName': ORG}).status_code == 404


def test_backup_runs_for_the_configured_time_then_completes(emu):
    emu.configure({'jahia': {'backup_seconds': 30.0}})
    api = Jahia(emu)
    stamp = minute(emu)
    assert api.backup() == {'jcResponse': 0}
    [backup] = listing(emu, 'backups')
    assert (backup['backupName'], backup['timestamp'], backup['backupType']) == ('staging-acme', stamp, 'manual')
    assert (backup['cloudProvider'], backup['region'], backup['envRole']) == ('aws', 'eu-west-1', 'dev')
    assert backup['status'] == 'in_progress' and backup['completedAt'] is None and backup['environment'] == 'staging'
    emu.advance_clock(30)
    [backup] = listing(emu, 'backups')
    assert backup['status'] == 'completed' and backup['completedAt'] == backup['completesAt']


def test_a_busy_environment_refuses_a_second_operation(emu):
    emu.configure({'jahia': {'backup_seconds': 10.0, 'restore_seconds': 10.0}})
    api = Jahia(emu)
    assert api.backup()['jcResponse'] == 0
    second = api.backup()
    assert second['jcResponse'] == 1 and 'in progress' in second['message']
    assert api.restore()['jcResponse'] == 1
    assert api.backup('preprod')['jcResponse'] == 0  # another environment is not busy
    emu.advance_clock(10)
    assert api.backup()['jcResponse'] == 0
    assert [b['environment'] for b in listing(emu, 'backups')] == ['staging', 'preprod', 'staging']
    assert emu.state('jahia')['counts']['refused'] == 2


def test_backup_checks_the_app_id(emu):
    api = Jahia(emu)
    assert api.backup(appid='0' * 34)['jcResponse'] == 4
    missing = api.call('backupEnv', orgName=ORG, envName='staging-acme')
    assert missing['jcResponse'] == 2 and 'targetAppid' in missing['message']
    assert listing(emu, 'backups') == []


def test_restore_of_a_backup_completes_and_is_recorded_on_the_environment(emu):
    emu.configure({'jahia': {'backup_seconds': 1.0, 'restore_seconds': 5.0}})
    api = Jahia(emu)
    stamp = minute(emu)
    api.backup('production')
    emu.advance_clock(1)
    point = dict(backupName='production-acme', timestamp=stamp, cloudProvider='aws', region='eu-west-1', envRole='prod')
    assert api.restore('staging', **point) == {'jcResponse': 0}
    [restore] = listing(emu, 'restores')
    assert restore['status'] == 'in_progress' and restore['environment'] == 'staging' and restore['backupName'] == 'production-acme'
    emu.advance_clock(5)
    [restore] = listing(emu, 'restores')
    assert restore['status'] == 'completed' and restore['reason'] is None
    staging = [e for e in emu.state('jahia')['organizations'][0]['environments'] if e['name'] == 'staging'][0]
    assert staging['restoredFrom']['backupName'] == 'production-acme' and staging['restoredFrom']['timestamp'] == stamp


def test_restore_of_an_unknown_restore_point_is_accepted_then_fails(emu):
    emu.configure({'jahia': {'restore_seconds': 0.0}})
    api = Jahia(emu)
    assert api.restore(timestamp='2001-01-01T00:00:00') == {'jcResponse': 0}
    [restore] = listing(emu, 'restores')
    assert restore['status'] == 'failed' and restore['reason'] == 'no completed backup matches this restore point'


def test_scheduled_and_auto_name_the_same_backup_type(emu):
    emu.configure({'jahia': {'restore_seconds': 0.0}})
    emu.seed({'jahia': {'backups': [{'environment': 'staging', 'backupName': 'staging-acme-scheduled',
                                     'timestamp': '2026-11-21T02:00:00', 'backupType': 'auto'}]}})
    api = Jahia(emu)
    api.restore(backupName='staging-acme-scheduled', timestamp='2026-11-21T02:00:00', backupType='scheduled')
    api.restore('preprod', backupName='staging-acme-scheduled', timestamp='2026-11-21T02:00:00', backupType='auto')
    assert [r['status'] for r in listing(emu, 'restores')] == ['completed', 'completed']


@pytest.mark.parametrize('field, value', [
    ('timestamp', '2026-11-21 02:00'), ('backupType', 'weekly'), ('cloudProvider', 'gcp'),
    ('envRole', 'qa'), ('backupName', ''), ('region', ''),
])
def test_restore_validates_its_fields(emu, field, value):
    answer = Jahia(emu).restore(**{field: value})
    assert answer['jcResponse'] == 2 and field in answer['message']
    assert listing(emu, 'restores') == []


def test_configured_failures(emu):
    emu.configure({'jahia': {'backup_seconds': 0.0, 'restore_seconds': 0.0, 'backup_result': 'failed'}})
    api = Jahia(emu)
    api.backup()
    assert listing(emu, 'backups')[0]['status'] == 'failed'
    emu.configure({'jahia': {'backup_result': 'completed', 'restore_result': 'failed'}})
    stamp = minute(emu)
    api.backup()
    api.restore(timestamp=stamp)
    [restore] = listing(emu, 'restores')
    assert restore['status'] == 'failed' and restore['reason'] == 'simulated failure (emulator)'


@pytest.mark.parametrize('where', ['environment.appId', 'environment.targetAppid', 'environment.targetAppId',
                                   'appid', 'appId', 'targetAppid', 'targetAppId'])
def test_the_app_id_can_be_moved_where_the_contract_says_it_may_be(emu, where):
    emu.configure({'jahia': {'context_app_id_key': where}})
    context = Jahia(emu).context()
    place, dummy, key = where.rpartition('.')
    holder = context['environment'] if place else context
    assert len(holder[key]) == 34
    assert 'appid' not in context['environment']


def test_the_context_may_lack_app_id_and_placement(emu):
    emu.configure({'jahia': {'context_app_id_key': 'none', 'context_placement': False}})
    env = Jahia(emu).context()['environment']
    assert set(env) == {'envName', 'shortDomain', 'productVersion', 'status'}


@pytest.mark.parametrize('config', [{'context_app_id_key': 'somewhere'}, {'backup_result': 'maybe'},
                                    {'backup_seconds': 'soon'}, {'no_such_knob': 1}])
def test_bad_config_is_refused(emu, config):
    response = emu.session.post(emu.api_base + '/_emulator/config', json={'jahia': config}, timeout=10)
    assert response.status_code == 400


@pytest.mark.parametrize('seed', [{'organizations': [{'name': 'Bad Org'}]},
                                  {'organizations': [{'name': 'ok', 'environments': [{'name': 'UPPER'}]}]},
                                  {'tokens': {'t': 'acme'}},
                                  {'backups': [{'environment': 'nowhere'}]},
                                  {'backups': [{'environment': 'staging', 'status': 'in_progress'}]}])
def test_bad_seed_is_refused(emu, seed):
    response = emu.session.post(emu.api_base + '/_emulator/seed', json={'jahia': seed}, timeout=10)
    assert response.status_code == 400


def test_reset_forgets_everything_but_keeps_the_default_token(emu):
    emu.configure({'jahia': {'backup_seconds': 0.0}})
    Jahia(emu).backup()
    emu.seed({'jahia': {'tokens': {'temporary-token': ['*']}}})
    emu.reset()
    state = emu.state('jahia')
    assert state['backups'] == [] and state['restores'] == [] and state['api_tokens'] == [TOKEN]
    assert state['config']['backup_seconds'] == 1.0


# -- how a missing, wrong or expired token is answered (config unauthenticated_answer) ---------------------------------------

def refused(emu, token, action='backupEnv'):
    """The answer to ``action`` with ``token`` (None: no Authorization header), redirects not followed."""
    headers = {'Content-Type': FORM, 'Accept': 'application/json'}
    if token is not None:
        headers['Authorization'] = 'APIToken ' + token
    return emu.new_session().post(emu.api_base + '/jahia/modules/cloudAction/%s.do' % action, allow_redirects=False,
                                  data={'orgName': ORG, 'envName': 'staging-acme', 'targetAppid': 'x'}, headers=headers,
                                  timeout=10)


@pytest.mark.parametrize('token', [None, 'wrong-token', 'expired-token'])
def test_a_refused_token_is_a_json_401_by_default(emu, token):
    emu.seed({'jahia': {'expired_tokens': ['expired-token']}})
    response = refused(emu, token)
    assert response.status_code == 401 and response.headers['Content-Type'].startswith('application/json')
    expected = 'Unauthorized: API token expired' if token == 'expired-token' else 'Unauthorized: missing or invalid API token'
    assert response.json() == {'message': expected}
    assert 'Set-Cookie' not in response.headers
    assert listing(emu, 'backups') == [] and emu.state('jahia')['counts']['unauthenticated'] == 1


@pytest.mark.parametrize('token', [None, 'wrong-token', 'expired-token'])
def test_a_refused_token_can_be_redirected_to_the_login_page(emu, token):
    emu.seed({'jahia': {'expired_tokens': ['expired-token']}})
    emu.configure({'jahia': {'unauthenticated_answer': 'redirect'}})
    response = refused(emu, token)
    assert response.status_code == 302 and response.headers['Content-Type'].startswith('text/html')
    session = response.cookies['JSESSIONID']
    assert response.headers['Location'] == ('%s/jahia/cms/login;jsessionid=%s?redirect=%%2Fmodules%%2FcloudAction'
                                            '%%2FbackupEnv.do' % (emu.api_base, session))
    assert session in emu.state('jahia')['issued_tokens']
    assert listing(emu, 'backups') == [] and emu.state('jahia')['counts']['unauthenticated'] == 1
    # Where it points answers with the login page (a browser would get there; the modules never go).
    page = emu.new_session().get(response.headers['Location'], timeout=10)
    assert page.status_code == 200 and '<form method="post"' in page.text


def test_a_refused_token_can_be_answered_with_a_login_page_and_http_200(emu):
    emu.configure({'jahia': {'unauthenticated_answer': 'login_page'}})
    response = refused(emu, 'wrong-token', action='getContext')
    assert response.status_code == 200 and response.headers['Content-Type'] == 'text/html; charset=utf-8'
    assert response.text.startswith('<!DOCTYPE html>') and 'Log in' in response.text
    session = response.cookies['JSESSIONID']
    assert 'name="csrf" value="%s"' % session in response.text
    assert emu.state('jahia')['counts'] == {'contexts': 0, 'backups': 0, 'restores': 0, 'refused': 0, 'unauthenticated': 1}


@pytest.mark.parametrize('mode', ['redirect', 'login_page'])
def test_unauthenticated_answer_changes_nothing_for_a_good_token_or_another_organization(emu, mode):
    emu.configure({'jahia': {'unauthenticated_answer': mode}})
    emu.seed({'jahia': {'organizations': [{'name': 'globex'}], 'tokens': {'globex-only-token': ['globex']}}})
    assert Jahia(emu).backup() == {'jcResponse': 0}
    forbidden = refused(emu, 'globex-only-token')
    assert forbidden.status_code == 403 and 'cannot act on organization acme' in forbidden.json()['message']
    assert len(listing(emu, 'backups')) == 1 and emu.state('jahia')['counts']['unauthenticated'] == 0


def test_the_legacy_session_surface_is_not_served(emu):
    # Real CI scripts still call it with a DISTRIBUTED_JSESSIONID cookie; the modules use cloudAction only.
    response = emu.new_session().post(emu.api_base + '/jahia/cms/render/live/en/sites/cloud/home.createJahiaEnv.do',
                                      data={'envName': 'x'}, timeout=10, allow_redirects=False)
    assert response.status_code == 404


def test_expired_tokens_are_kept_across_seeds_and_listed(emu):
    emu.seed({'jahia': {'tokens': {'old-token': ['*']}}})
    assert Jahia(emu, token='old-token').context()['organisationName'] == ORG
    emu.seed({'jahia': {'expired_tokens': ['old-token']}})
    state = emu.state('jahia')
    assert state['expired_tokens'] == ['old-token'] and 'old-token' not in state['api_tokens']
    assert refused(emu, 'old-token').json()['message'] == 'Unauthorized: API token expired'
    emu.reset()
    assert emu.state('jahia')['expired_tokens'] == []


@pytest.mark.parametrize('body', [{'config': {'unauthenticated_answer': 'html'}}, {'seed': {'expired_tokens': 'old-token'}},
                                  {'seed': {'expired_tokens': ['']}}])
def test_bad_unauthenticated_answer_config_and_expired_tokens_seed_are_refused(emu, body):
    (kind, value), = body.items()
    response = emu.session.post(emu.api_base + '/_emulator/' + kind, json={'jahia': value}, timeout=10)
    assert response.status_code == 400
