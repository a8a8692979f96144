# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jahia Cloud ``cloudAction``: authentication, answers, environment context, production guard.

The API triggers work and reports nothing back (no job id, no listing, no status), so this
file only knows how to read an environment's context and how to send an action once: every
action name and form field the modules need is here (``environment``, ``start_backup``,
``start_restore``).
"""

import re
from urllib.parse import urlencode

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._args import connection_argument_spec, require_text
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._path import join

DEFAULT_URL = 'https://jahia.cloud'
# Every action is POST modules/cloudAction/<action>.do; environment and organization names travel in
# the form body only, never in the path.
ACTION_DIR = ('modules', 'cloudAction')
URL_HINT = 'or api_url is not the Jahia Cloud base URL (e.g. %s, without /modules/cloudAction)' % DEFAULT_URL
# How the server answers a bad token is undocumented; 401 and 403 both mean "not allowed".
TOKEN_HINT = ("the token in option 'api_token' (or JAHIA_CLOUD_TOKEN) was refused; it may be wrong, expired, or not "
              "valid for organization '%s'")
# The platform does not document how it answers a missing, wrong or expired token either: a 401, a
# redirect to its login page and a login page with HTTP 200 are all possible (a Java web platform sends
# unauthenticated requests to its login form). A redirect or an answer that is not JSON is therefore
# reported as a token problem first, never as a JSON parse error (api/jahia.md, "Real clients" item 1).
EXPIRED_TOKEN = ("the API token is missing, wrong or expired: check the option 'api_token' (or JAHIA_CLOUD_TOKEN); "
                 "a personal API token expires (after 90 days by default) and generating a new one revokes the old one")
LOGIN_HINT = 'Jahia Cloud sends a request without a valid API token to its login page; ' + EXPIRED_TOKEN
PAGE_HINT = (EXPIRED_TOKEN + '; if it is right, check that api_url is the Jahia Cloud base URL (e.g. %s)') % DEFAULT_URL
# getContext is the first request of every run: a 404 there is an unknown organization or a wrong base URL.
ORGANIZATION_HINT = "organization '%s' is unknown to Jahia Cloud (check the option 'organization'), " + URL_HINT
# A backup or restore whose answer was lost may have started, and the API cannot tell (see trigger).
LOST_ANSWER_HINT = ('the request may have reached Jahia Cloud and %s may have started; the API cannot tell, so it was '
                    'not sent again. Check the environment in the Jahia Cloud console before running this again')
# The action of a cloudAction URL, for the hints that depend on it.
ACTION_RE = re.compile(r'/cloudAction/(?P<action>[A-Za-z]+)\.do$')
# What each mutating action starts, as the lost-answer hint names it.
STARTS = {'backupEnv': 'a backup', 'restoreBackup': 'a restore'}
# The restoreBackup.do field of each restore point field (see _jahia_restore_point; the source
# environment is informational and not sent).
RESTORE_FORM = (('backupName', 'backup_name'), ('timestamp', 'timestamp'), ('backupType', 'backup_type'),
                ('cloudProvider', 'cloud_provider'), ('region', 'region'), ('envRole', 'env_role'))
# The documented examples send exactly these; the body is form-encoded, never JSON.
FORM_HEADERS = {'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', 'Accept': 'application/json'}

# The documented naming rule for environments; the server's exact regex is not published.
ENVIRONMENT_RE = re.compile(r'^[a-z0-9-]{1,20}$')
# Organizations are assigned by Jahia and their rule is undocumented: we refuse only what cannot
# be part of the short domain (white space, slashes, other punctuation).
ORGANIZATION_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]*$')
# Where getContext may put the app id: the documented sample is cut off before it, so every
# spelling seen in Jahia's tooling is accepted, inside "environment" first, then at top level.
APP_ID_KEYS = ('appid', 'appId', 'targetAppid', 'targetAppId')
PRODUCTION_ROLE = 'prod'


def jahia_argument_spec():
    spec = dict(
        api_url=dict(type='str', default=DEFAULT_URL, fallback=(env_fallback, ['JAHIA_CLOUD_URL'])),
        api_token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['JAHIA_CLOUD_TOKEN'])),
        organization=dict(type='str', required=True, fallback=(env_fallback, ['JAHIA_CLOUD_ORG'])),
    )
    spec.update(connection_argument_spec('JAHIA_CLOUD'))
    return spec


def check_environment(name, option='environment'):
    if not isinstance(name, str) or not ENVIRONMENT_RE.match(name):
        raise InputError("%s %r is not a valid Jahia Cloud environment name: use 1 to 20 lowercase letters, digits "
                         "or hyphens, the bare name (e.g. 'staging'), not the short domain 'staging-<organization>'"
                         % (option, name))


def check_organization(name):
    if not isinstance(name, str) or not ORGANIZATION_RE.match(name):
        raise InputError("organization %r is not a valid Jahia Cloud organization name: letters, digits, '.', '_' "
                         "or '-', without spaces (e.g. 'acme')" % (name,))


def check_app_id(app_id):
    if app_id is not None and (not app_id.strip() or any(c.isspace() for c in app_id)):
        raise InputError('app_id %r is not an app id: it must be non-empty, without white space' % (app_id,))


def check_target_options(params):
    """The options naming the environment an action targets, checked before any request."""
    check_environment(params['environment'])
    check_app_id(params['app_id'])


def short_domain(environment, organization):
    """What every call after creation sends as ``envName``: ``<environment>-<organization>``."""
    return '%s-%s' % (environment, organization)


def answer_code(body):
    """``(code, message)`` of a failed action answered with HTTP 200, or None when it succeeded.

    Success is ``jcResponse: 0``. The meaning of other values is undocumented; every non-zero
    one is a failure. Jahia's Jelastic layer says ``result`` instead, so that is read too.
    """
    if not isinstance(body, dict):
        return None
    code = body.get('jcResponse', body.get('result'))
    if code is None or str(code).strip() == '0':
        return None
    message = body.get('message') or body.get('error') or body.get('errorMessage') or 'no message'
    return code, str(message)


def _http_error_parser(response):
    try:
        body = response.json()
    except ValueError:
        return None, None
    failure = answer_code(body)
    if failure:
        return failure
    if not isinstance(body, dict):
        return None, None
    message = body.get('message') or body.get('error')
    if isinstance(message, dict):  # a gateway's or another server's {"error": {"message": ...}}
        message = message.get('message')
    return None, (str(message) if message else None)


def is_json_type(media):
    """True for ``application/json`` and its ``+json`` kin."""
    return media == 'application/json' or media.endswith('+json') or media.endswith('/json')


def describe_answer(media, content):
    """What came instead of JSON, by its media type and first character, for a message (never the body)."""
    if media in ('text/html', 'application/xhtml+xml') or (content or b'').lstrip()[:1] == b'<':
        return 'an HTML page'
    if not (content or b'').strip():
        return 'an empty answer'
    if media and not is_json_type(media):
        return 'an answer of type %s' % media
    return 'a body that does not parse as JSON'


def action_of(url):
    """The cloudAction name of a request URL (``getContext``), or None."""
    match = ACTION_RE.search(url or '')
    return match.group('action') if match else None


def restore_form(point):
    """The restoreBackup.do fields of a validated restore point (the source environment is not sent)."""
    return dict((field, point[key]) for field, key in RESTORE_FORM)


def describe_restore(point, environment):
    """How a restore is named in messages: the production guard's and the failed request's."""
    return "restore backup '%s' of %s into environment '%s'" % (point['backup_name'], point['timestamp'], environment)


def _lower(value):
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def find_app_id(context):
    places = [context.get('environment'), context]
    for place in places:
        if isinstance(place, dict):
            for key in APP_ID_KEYS:
                value = place.get(key)
                if value not in (None, ''):
                    return str(value)
    return None


def environment_summary(context, organization, environment):
    """What the modules return about an environment; provider, region and role may be None."""
    env = context.get('environment') if isinstance(context.get('environment'), dict) else {}

    def pick(key):
        value = env.get(key)
        return context.get(key) if value in (None, '') else value

    return {
        'name': environment,
        'organization': organization,
        'organization_id': context.get('organisationId'),
        'short_domain': short_domain(environment, organization),
        'app_id': find_app_id(context),
        'cloud_provider': _lower(pick('cloudProvider')),
        'region': pick('region'),
        'env_role': _lower(pick('envRole')),
        'product_version': pick('productVersion'),
        'status': pick('status'),
    }


def refuse_production(summary, allow_production, what):
    """InputError for a destructive action on a production (or unknown-role) environment."""
    if allow_production:
        return
    role = summary.get('env_role')
    if role == PRODUCTION_ROLE:
        raise InputError("refusing to %s: environment '%s' has role 'prod'; set allow_production: true to do it anyway"
                         % (what, summary['name']))
    if role is None:
        raise InputError("refusing to %s: Jahia Cloud did not report the role of environment '%s', so it may be a "
                         "production environment; set allow_production: true if you are sure" % (what, summary['name']))


class JahiaCloud(PlatformApi):
    """Jahia Cloud ``cloudAction`` calls for one module run."""

    PLATFORM = 'Jahia Cloud'
    URL_OPTION = 'api_url'
    EXAMPLE_URL = DEFAULT_URL
    # api_url is the host's base; the action path pasted into it doubles every request's path.
    WRONG_URL_PATH = r'/modules(/.*)?$'
    # Any answer of cloudAction that is not JSON is taken for a login page (see PAGE_HINT and decode).
    NOT_JSON_HINT = PAGE_HINT
    # No AUTH_HINT: the token hint names the organization, so ``hint`` builds it (TOKEN_HINT).
    parse_error = staticmethod(_http_error_parser)

    def __init__(self, module):
        super(JahiaCloud, self).__init__(module)
        self.organization = self.params['organization']

    def check_params(self, params):
        # An empty token would be sent as "APIToken " and refused: say so before any request.
        require_text(params, ['api_token'])
        check_organization(params['organization'])

    def auth_headers(self, params):
        return {'Authorization': 'APIToken %s' % params['api_token']}

    def hint(self, exc):
        action = action_of(exc.url)
        if exc.status in (401, 403):
            return TOKEN_HINT % self.organization
        if exc.status is not None and 300 <= exc.status < 400:
            # HttpClient never follows a redirect (it could carry the token elsewhere) and says where it
            # pointed; on Jahia Cloud that is where a missing, wrong or expired token is sent.
            return LOGIN_HINT
        if exc.status == 404 and action == 'getContext':
            return ORGANIZATION_HINT % self.organization
        if exc.maybe_applied and action in STARTS:
            return LOST_ANSWER_HINT % STARTS[action]
        return None

    def decode(self, response, method, operation):
        """The JSON of an answer; a login page (or anything else that is not JSON) is a token failure.

        Every cloudAction answers JSON. An answer whose Content-Type is not JSON, or whose body does not
        parse as JSON, is what the platform shows a missing, wrong or expired token (PAGE_HINT). The
        message says what came instead, never the body: a login page carries a session id.
        """
        media = (response.headers.get('Content-Type') or '').split(';', 1)[0].strip().lower()
        if not media or is_json_type(media):
            try:
                return response.json()
            except ValueError:
                pass
        raise self.failure(operation, 'expected JSON, got %s' % describe_answer(media, response.content),
                           response, method, hint=PAGE_HINT)

    def check_answer(self, body, response, method, operation):
        # Jahia answers a refused action with HTTP 200 and a non-zero jcResponse.
        failure = answer_code(body)
        if failure:
            raise self.failure(operation, failure[1], response, method, code=failure[0])
        if not isinstance(body, dict):
            raise self.failure(operation, 'unexpected answer (not a JSON object)', response, method)

    def post(self, action, fields, operation, idempotent):
        """One form-encoded action; returns its JSON object, raises PlatformError for any failure.

        A redirect is not followed: HttpClient raises for it (see _http.HttpClient.redirect_error).
        """
        return self.request('POST', join(*ACTION_DIR + (action + '.do',)), operation, data=urlencode(fields),
                            headers=FORM_HEADERS, idempotent=idempotent)

    def environment(self, environment):
        """getContext of one environment, as ``environment_summary`` plus the raw ``context``."""
        fields = {'orgName': self.organization, 'envName': short_domain(environment, self.organization)}
        # getContext only reads, so it may be re-sent after a lost answer.
        context = self.post('getContext', fields, "read the context of environment '%s' in organization '%s'"
                            % (environment, self.organization), idempotent=True)
        return dict(environment_summary(context, self.organization, environment), context=context)

    def target(self, environment, app_id=None):
        """The environment's summary (without the raw context) and the app id to send: the given one, else the discovered one."""
        summary = self.environment(environment)
        summary.pop('context')
        found = summary['app_id']
        if app_id is not None:
            if found is not None and found != app_id:
                raise InputError("app_id '%s' is not the app id Jahia Cloud reports for environment '%s' ('%s'); "
                                 "remove app_id or correct it" % (app_id, environment, found))
            return summary, app_id
        if found is None:
            raise InputError("Jahia Cloud did not report the app id of environment '%s' (the platform does not "
                             "document where getContext puts it); set the option app_id" % environment)
        return summary, found

    def start_backup(self, summary, app_id):
        """Trigger a manual backup of the environment ``summary`` (see ``target``), once."""
        fields = {'orgName': self.organization, 'envName': summary['short_domain'], 'targetAppid': app_id}
        return self.trigger('backupEnv', fields, "back up environment '%s' in organization '%s'"
                            % (summary['name'], self.organization))

    def start_restore(self, summary, app_id, point):
        """Trigger a restore of the validated restore ``point`` into the environment ``summary``, once."""
        fields = dict({'orgName': self.organization, 'envName': summary['short_domain'], 'targetAppid': app_id},
                      **restore_form(point))
        return self.trigger('restoreBackup', fields, "%s in organization '%s'"
                            % (describe_restore(point, summary['name']), self.organization))

    def trigger(self, action, fields, operation):
        """Send a mutating action exactly once.

        The API has no way to find out whether an action happened, so a request whose answer
        was lost is never sent again: the module fails and says the action may have started
        (LOST_ANSWER_HINT, see ``hint``).
        """
        body = self.post(action, fields, operation, idempotent=False)
        if 'jcResponse' not in body and 'result' not in body:
            # Success is documented as jcResponse 0; an answer without it is taken as accepted,
            # since failing would invite a second run and a second operation.
            self.module.warn('%s: the answer to %s carried no jcResponse; assuming it was accepted' % (self.PLATFORM, action))
        return body
