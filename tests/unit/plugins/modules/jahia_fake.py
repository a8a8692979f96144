# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real Jahia Cloud client over a scripted HTTP conversation, for the Jahia unit tests.

``jahia(script, **params)`` returns ``(api, module)``: a JahiaCloud whose session answers the
scripted calls (an unexpected or unused call fails the test) and whose clock is fixed, so the
predicted restore point is known.
"""

from urllib.parse import parse_qsl

from ansible_collections.saasops.backup.plugins.module_utils._jahia import JahiaCloud
from ansible_collections.saasops.backup.tests.unit.helpers.scripted_session import ScriptedSession, reply
from ansible_collections.saasops.backup.tests.unit.helpers.fake_module import FakeModule as BaseFakeModule

TOKEN = 'pat-0123456789abcdef-secret'
APP_ID = '1e79ec38d72494da07850bea13b2856093'
BASE = r'https://jahia\.example\.test/modules/cloudAction/'
CONTEXT_URL = BASE + r'getContext\.do'
BACKUP_URL = BASE + r'backupEnv\.do'
RESTORE_URL = BASE + r'restoreBackup\.do'
# 2026-11-22T10:05:30Z: the trigger minute is 10:05.
NOW = 1795341930.0
ACCEPTED = reply(200, json={'jcResponse': 0})


class FakeModule(BaseFakeModule):
    def __init__(self, check_mode=False, **params):
        super(FakeModule, self).__init__(params, check_mode, defaults=dict(
            api_url='https://jahia.example.test', api_token=TOKEN, organization='acme',
            validate_certs=True, ca_path=None, timeout=30.0, retries=0))


def context(env='staging', role='dev', provider='aws', region='eu-west-1', app_id=APP_ID, **extra):
    environment = {'envName': env, 'shortDomain': '%s-acme' % env, 'productVersion': 'dx_8-2-3-0', 'status': 'running'}
    for key, value in (('appid', app_id), ('cloudProvider', provider), ('region', region), ('envRole', role)):
        if value is not None:
            environment[key] = value
    environment.update(extra)
    return reply(200, json={'organisationName': 'acme', 'organisationId': 94, 'environment': environment})


def jahia(script, check_mode=False, clock=None, **params):
    module = FakeModule(check_mode=check_mode, **params)
    api = JahiaCloud(module, clock=clock or (lambda: NOW))
    api.http.session = ScriptedSession(script)
    return api, module


def sent_form(call):
    """The form fields of a scripted call, decoded from the urlencoded body."""
    return dict(parse_qsl(call.data, keep_blank_values=True))
