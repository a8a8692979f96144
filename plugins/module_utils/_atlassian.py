# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlassian Cloud backup & restore API: authentication, error shapes, paths, pagination, and every request
the Atlassian modules send, as named operations."""

import base64
import hashlib

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._api import PlatformApi
from ansible_collections.saasops.backup.plugins.module_utils._atlassian_versions import for_version
from ansible_collections.saasops.backup.plugins.module_utils._args import connection_argument_spec, require_text
from ansible_collections.saasops.backup.plugins.module_utils._deferred import RateLimited
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._path import check_options, join
from ansible_collections.saasops.backup.plugins.module_utils._retry import parse_retry_after
from ansible_collections.saasops.backup.plugins.module_utils._shared_read import SharedRead

PLATFORM = 'Atlassian'
# The v1 (EAP) base is not documented; v2's is .../v2, so we assume .../v1.
DEFAULT_API_URL = 'https://api.atlassian.com/public/backup-management/v1'
# The documented v2 base: used when api_version is 2 and api_url is not set.
DEFAULT_API_URLS = {1: DEFAULT_API_URL, 2: 'https://api.atlassian.com/public/backup-management/v2'}
# The documented maximum page size: fewer round trips against a 100 reads/minute limit.
PAGE_SIZE = 100
# A server that keeps answering full pages forever must not keep a module running forever.
MAX_PAGES = 1000
# api_url ends at the API version; the organization's path (/orgs/<org_id>) is added from org_id.
WRONG_URL_PATH = r'/orgs(/.*)?$'
# The options (of any Atlassian module) that go into URL paths, checked before any request. Ids
# are the platform's (UUIDs, ARIs): percent-encoded, only what could change the path is refused.
PATH_OPTIONS = ('org_id', 'cloud_id', 'policy_id', 'backup_id', 'storage_id')
CREDENTIALS = ('org_id', 'user', 'api_token')
# The first page of an organization's policies, shared by the runs of one process (see policy_listed); a
# policy's site and product do not change, and its state is never taken from here.
POLICY_PAGES = SharedRead()


def atlassian_argument_spec():
    spec = dict(
        # No default: the default base depends on api_version (DEFAULT_API_URLS); a URL set is used as given.
        api_url=dict(type='str', fallback=(env_fallback, ['ATLASSIAN_BACKUP_API_URL'])),
        # v1 stays the default: it is what the seed documents; v2 is Atlassian's current API.
        api_version=dict(type='int', default=1, choices=[1, 2], fallback=(env_fallback, ['ATLASSIAN_API_VERSION'])),
        # An id, not a secret: sent as X-Atl-Account-Id on v2 (required to activate a policy).
        account_id=dict(type='str', fallback=(env_fallback, ['ATLASSIAN_ACCOUNT_ID'])),
        org_id=dict(type='str', required=True, fallback=(env_fallback, ['ATLASSIAN_ORG_ID'])),
        user=dict(type='str', required=True, fallback=(env_fallback, ['ATLASSIAN_USER'])),
        api_token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['ATLASSIAN_API_TOKEN'])),
    )
    spec.update(connection_argument_spec('ATLASSIAN'))
    return spec


def parse_error(response):
    """``(code, message)`` from an error answer.

    The contract's shape is ``{"errors": [{"status": "409", "code", "title", "detail"}]}``
    (``status`` is a string); ``{"message": ...}`` and plain text are accepted too, since the
    backup API's error body is not documented.
    """
    try:
        body = response.json()
    except ValueError:
        text = (response.text or '').strip()
        # An HTML page from a gateway says nothing useful; plain text from the API does.
        return None, (None if text.startswith('<') else text[:300] or None)
    if isinstance(body, dict):
        errors = body.get('errors')
        if isinstance(errors, list) and errors:
            codes, messages = [], []
            for error in errors:
                if isinstance(error, dict):
                    codes.append(error.get('code') or error.get('title'))
                    messages.append(error.get('detail') or error.get('title') or error.get('message'))
                else:
                    messages.append(str(error))
            code = next((c for c in codes if c), None)
            return code, '; '.join(str(m) for m in messages if m) or None
        if body.get('message'):
            return body.get('code'), str(body['message'])
    return None, None


class Atlassian(PlatformApi):
    """Backup-management calls for one module run."""

    PLATFORM = PLATFORM
    EXAMPLE_URL = DEFAULT_API_URL
    WRONG_URL_PATH = WRONG_URL_PATH
    NOT_JSON_HINT = 'is api_url the backup-management API base, e.g. %s?' % DEFAULT_API_URL
    # Creates answer 202 with a body, but an empty answer (a 204) is no error: it reads as no fields.
    EMPTY_ANSWER = {}
    parse_error = staticmethod(parse_error)

    def __init__(self, module):
        self.org_id = module.params['org_id']
        self.api_version = module.params.get('api_version') or 1
        super(Atlassian, self).__init__(module)
        # A PlatformError carries no header: the Retry-After of the last 429 is kept here for send_create.
        self.retry_after = None
        self.http.error_parser = self.parse_answer_error
        # What differs between the API versions (requests, shapes, rules) is the strategy's.
        self.strategy = for_version(self)

    def check_url(self, value):
        # Without api_url, the base of the chosen version.
        return super(Atlassian, self).check_url(value or DEFAULT_API_URLS[self.api_version])

    def check_params(self, params):
        # Every empty credential and id of the run named at once ("user, backup_id must not be empty"),
        # then the ids' shapes: an id goes into a URL path as one segment.
        given = tuple(option for option in PATH_OPTIONS if option not in CREDENTIALS and params.get(option) is not None)
        require_text(params, CREDENTIALS + given)
        check_options(params, PATH_OPTIONS)
        account_id = params.get('account_id')
        # It goes into a header: a control character (a newline) could add headers of its own.
        if account_id and (not account_id.strip() or any(ord(c) < 32 or ord(c) == 127 for c in account_id)):
            raise InputError('account_id must be an Atlassian account id (no white space only, no control characters)')

    def auth_headers(self, params):
        credentials = base64.b64encode(('%s:%s' % (params['user'], params['api_token'])).encode('utf-8')).decode('ascii')
        # The encoded pair is as secret as the token itself.
        self.module.no_log_values.add(credentials)
        headers = {'Authorization': 'Basic ' + credentials, 'Accept': 'application/json'}
        # v2's reference lists X-Atl-Account-Id as a header of activate in one version and omits it in
        # another (UNCONFIRMED): sent on every v2 request when set, never on v1.
        if self.api_version == 2 and params.get('account_id'):
            headers['X-Atl-Account-Id'] = params['account_id']
        return headers

    def parse_answer_error(self, response):
        """``parse_error``, noting a 429's Retry-After (see send_create)."""
        if response.status_code == 429:
            self.retry_after = parse_retry_after(response.headers.get('Retry-After'), now=self.clock.time())
        return parse_error(response)

    # --- plumbing -----------------------------------------------------------------------------

    def send_create(self, method, path, operation, defer=False, **kwargs):
        """A request that starts something (not idempotent: see create_once), its decoded answer.

        With ``defer`` a 429 is not waited for - the create limit is 5 a minute per user, so a fan-out of many
        sites would sleep for minutes - but raised at once as RateLimited: the caller starts it in a later run.
        A create refused otherwise (503, no connection made) is sent again with the usual retries, and an
        answer that may be lost (maybe_applied) leaves as a PlatformError, for create_once to re-read.
        """
        if not defer:
            return self.request(method, path, operation, idempotent=False, **kwargs)
        retries, self.http.retries = self.http.retries, 0
        try:
            return self.request(method, path, operation, idempotent=False, **kwargs)
        except PlatformError as exc:
            if exc.status == 429:
                raise RateLimited(PLATFORM, operation, self.retry_after) from None
            if not exc.retryable or exc.maybe_applied:
                raise
        finally:
            self.http.retries = retries
        return self.request(method, path, operation, idempotent=False, **kwargs)

    def path(self, *parts):
        """``orgs/<org>/<parts...>``, every part quoted as one path segment."""
        return join('orgs', self.org_id, *parts)

    def paged(self, path, key, operation, params=None, pages=None):
        """Every item of a list, page by page (``start`` is a 0-based page index); with ``pages``, the items of the
        first ``pages`` pages only.

        ``totalItems`` ends the loop when present; without it an empty page does, because a
        server may cap ``pageSize`` below what was asked, making a short page no proof of the end.
        """
        items = []
        for page in range(pages or MAX_PAGES):
            query = dict(params or {}, start=page, pageSize=PAGE_SIZE, sortOrder='DESC')
            body = self.get(path, '%s (page %d)' % (operation, page + 1), params=query)
            chunk = body.get(key) if isinstance(body, dict) else None
            if not isinstance(chunk, list):
                raise PlatformError(PLATFORM, operation, "the answer has no '%s' list" % key)
            items.extend(chunk)
            total = body.get('totalItems')
            if not chunk or (isinstance(total, int) and len(items) >= total):
                return items
        if pages:
            return items
        raise PlatformError(PLATFORM, operation, 'more than %d pages; giving up' % MAX_PAGES)

    # --- reads --------------------------------------------------------------------------------

    def regions(self, cloud_id=None):
        # A POST that only reads (the API's rate-limit table files it with the GETs): safe to retry.
        body = self.request('POST', self.path('storages', 'regions'), 'list the supported storage regions',
                            json={'cloudId': cloud_id} if cloud_id else {}, idempotent=True)
        return list(body.get('regions') or [])

    def storages(self, cloud_id=None):
        return self.paged(self.path('storages'), 'storages', 'list storages', params={'cloudId': cloud_id} if cloud_id else None)

    def storage(self, storage_id):
        return self.get(self.path('storages', storage_id), "read storage '%s'" % storage_id, missing=None)

    def policies(self):
        return self.paged(self.path('policies'), 'policies', 'list backup policies')

    def policy(self, policy_id):
        return self.get(self.path('policies', policy_id), "read backup policy '%s'" % policy_id, missing=None)

    def shared_key(self):
        """What a shared read depends on: the API, the organization, the credentials (the user and a digest of the
        token, never the token itself) and the TLS trust, so that no run is served what it could not have read."""
        params = self.params
        secret = hashlib.sha256(('%s:%s' % (params['user'], params['api_token'])).encode('utf-8')).hexdigest()
        return (self.url, self.api_version, self.org_id, params['user'], secret, params.get('validate_certs'),
                params.get('ca_path'))

    def policy_listed(self, policy_id):
        """Policy ``policy_id`` as the organization's first page of policies lists it, or None when that page does not.

        The page is read once per process, organization and credentials, and kept for a minute (POLICY_PAGES): the
        environments of one organization that a fan-out runs in threads all find their policy in that one read.
        """
        policies = POLICY_PAGES.get(self.shared_key(), lambda: self.paged(
            self.path('policies'), 'policies', 'list backup policies', pages=1))
        return next((p for p in policies if isinstance(p, dict) and p.get('policyId') == policy_id), None)

    def backups(self, policy_id):
        return self.paged(self.path('policies', policy_id, 'backups'), 'backups',
                          "list the backups of policy '%s'" % policy_id)

    def backup(self, backup_id):
        return self.get(self.path('backups', backup_id), "read backup '%s'" % backup_id, missing=None)

    def transfers(self, kind):
        """Every export (``kind`` 'export') or import ('import'), newest first."""
        # The contract documents reading one import only; listing them like exports is assumed.
        return self.paged(self.path(kind + 's'), kind + 's', 'list %ss' % kind)

    def exports(self):
        return self.transfers('export')

    def imports(self):
        return self.transfers('import')

    def transfer(self, kind, cloud_id, transfer_id):
        return self.get(self.path('cloud', cloud_id, kind + 's', transfer_id), "read %s '%s'" % (kind, transfer_id),
                        missing=None)

    def restores(self):
        return self.paged(self.path('restores'), 'restores', 'list restores')

    def restore(self, restore_id):
        return self.get(self.path('restores', restore_id), "read restore '%s'" % restore_id, missing=None)

    def post_op_report(self, cloud_id, migration_id):
        body = self.get(self.path('cloud', cloud_id, 'migration', migration_id, 'postOpReport'),
                        "read the post-operation report of migration '%s'" % migration_id)
        return body.get('url')

    # --- writes: ``what`` names the object in the operation ("create the JIRA backup policy of site 'x'") ---

    def create_storage(self, body, what):
        return self.request('POST', self.path('storages'), 'register ' + what, json=body)

    def create_policy(self, body, what):
        """Create a policy; its site (``cloudId`` of ``body``) goes into the path, not the body."""
        body = dict(body)
        cloud_id = body.pop('cloudId')
        return self.request('POST', self.path('cloud', cloud_id, 'policies'), 'create ' + what, json=body)

    def update_policy(self, policy_id, body, what):
        # A PUT: setting the same fields twice converges, so a lost answer may be re-sent.
        return self.request('PUT', self.path('policies', policy_id), 'update ' + what, json=body)

    def run_backup(self, policy, what, defer=False):
        """Start a backup of ``policy``; 409 when one is already running (see atlassian_backup); ``defer``: see
        send_create."""
        return self.send_create('POST', self.path('backups'), 'run a ' + what, defer=defer,
                                json={'policyId': policy['policyId'], 'cloudId': policy['cloudId']})

    def start_transfers(self, kind, items, operation):
        """Start the export or import (``kind``) of every backup of ``items``; the records it started."""
        body = self.request('POST', self.path(kind + 's'), operation, json=items)
        return body.get(kind + 's') or []

    def start_restore(self, cloud_id, body, what):
        return self.request('POST', self.path('cloud', cloud_id, 'restores'), 'start ' + what, json=body)

    def revalidate_restore(self, cloud_id, restore_id, consent, what):
        """Validate restore ``restore_id`` again, accepting the failed checks of ``consent``."""
        return self.request('POST', self.path('cloud', cloud_id, 'restores', 'revalidate'),
                            'revalidate %s with consent %s' % (what, ', '.join(consent)),
                            json={'restoreId': restore_id, 'consent': consent})
