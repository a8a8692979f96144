# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlassian Cloud backup & restore API: authentication, error shapes, paths, pagination."""

import base64

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.backup.plugins.module_utils._args import client_options, connection_argument_spec
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.plugins.module_utils._path import check_base_url, check_options, join

PLATFORM = 'Atlassian'
# The v1 (EAP) base is not documented; v2's is .../v2, so we assume .../v1.
DEFAULT_API_URL = 'https://api.atlassian.com/public/backup-management/v1'
# The documented maximum page size: fewer round trips against a 100 reads/minute limit.
PAGE_SIZE = 100
# A server that keeps answering full pages forever must not keep a module running forever.
MAX_PAGES = 1000
# api_url ends at the API version; the organization's path (/orgs/<org_id>) is added from org_id.
WRONG_URL_PATH = r'/orgs(/.*)?$'
# The options (of any Atlassian module) that go into URL paths, checked before any request. Ids
# are the platform's (UUIDs, ARIs): percent-encoded, only what could change the path is refused.
PATH_OPTIONS = ('org_id', 'cloud_id', 'policy_id', 'backup_id', 'storage_id')


def atlassian_argument_spec():
    spec = dict(
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['ATLASSIAN_BACKUP_API_URL'])),
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


class Atlassian:
    """Backup-management calls for one module run."""

    def __init__(self, module):
        params = module.params
        self.module = module
        url = (params['api_url'] or '').rstrip('/')
        if not url.lower().startswith(('https://', 'http://')):
            raise InputError('api_url must start with https:// (e.g. %s), got %r' % (DEFAULT_API_URL, params['api_url']))
        for option in ('org_id', 'user', 'api_token'):
            if not (params.get(option) or '').strip():
                raise InputError('%s must not be empty' % option)
        check_base_url(url, 'api_url', WRONG_URL_PATH, DEFAULT_API_URL)
        check_options(params, PATH_OPTIONS)
        self.org_id = params['org_id']
        self.http = HttpClient(PLATFORM, url, error_parser=parse_error, **client_options(params))
        credentials = base64.b64encode(('%s:%s' % (params['user'], params['api_token'])).encode('utf-8')).decode('ascii')
        # The encoded pair is as secret as the token itself.
        module.no_log_values.add(credentials)
        self.http.auth_headers = {'Authorization': 'Basic ' + credentials, 'Accept': 'application/json'}

    # --- plumbing -----------------------------------------------------------------------------

    def path(self, *parts):
        """``orgs/<org>/<parts...>``, every part quoted as one path segment."""
        return join('orgs', self.org_id, *parts)

    def call(self, method, path, operation, body=None, params=None, idempotent=None):
        """One request; the decoded JSON answer ({} when empty)."""
        response = self.http.request(method, path, operation, json=body, params=params, idempotent=idempotent)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise PlatformError(PLATFORM, operation, 'the answer is not JSON (is api_url the backup-management API base, '
                                'e.g. %s?)' % DEFAULT_API_URL, method=method, url=response.url,
                                status=response.status_code)

    def read(self, path, operation):
        """GET one object; None when the API answers 404."""
        try:
            return self.call('GET', path, operation)
        except PlatformError as exc:
            if exc.status == 404:
                return None
            raise

    def paged(self, path, key, operation, params=None):
        """Every item of a list, page by page (``start`` is a 0-based page index).

        ``totalItems`` ends the loop when present; without it an empty page does, because a
        server may cap ``pageSize`` below what was asked, making a short page no proof of the end.
        """
        items = []
        for page in range(MAX_PAGES):
            query = dict(params or {}, start=page, pageSize=PAGE_SIZE, sortOrder='DESC')
            body = self.call('GET', path, '%s (page %d)' % (operation, page + 1), params=query)
            chunk = body.get(key) if isinstance(body, dict) else None
            if not isinstance(chunk, list):
                raise PlatformError(PLATFORM, operation, "the answer has no '%s' list" % key)
            items.extend(chunk)
            total = body.get('totalItems')
            if not chunk or (isinstance(total, int) and len(items) >= total):
                return items
        raise PlatformError(PLATFORM, operation, 'more than %d pages; giving up' % MAX_PAGES)

    # --- resources ----------------------------------------------------------------------------

    def regions(self, cloud_id=None):
        # A POST that only reads (the API's rate-limit table files it with the GETs): safe to retry.
        body = self.call('POST', self.path('storages', 'regions'), 'list the supported storage regions',
                         body={'cloudId': cloud_id} if cloud_id else {}, idempotent=True)
        return list(body.get('regions') or [])

    def storages(self, cloud_id=None):
        return self.paged(self.path('storages'), 'storages', 'list storages', params={'cloudId': cloud_id} if cloud_id else None)

    def storage(self, storage_id):
        return self.read(self.path('storages', storage_id), "read storage '%s'" % storage_id)

    def policies(self):
        return self.paged(self.path('policies'), 'policies', 'list backup policies')

    def policy(self, policy_id):
        return self.read(self.path('policies', policy_id), "read backup policy '%s'" % policy_id)

    def backups(self, policy_id):
        return self.paged(self.path('policies', policy_id, 'backups'), 'backups',
                          "list the backups of policy '%s'" % policy_id)

    def backup(self, backup_id):
        return self.read(self.path('backups', backup_id), "read backup '%s'" % backup_id)

    def exports(self):
        return self.paged(self.path('exports'), 'exports', 'list exports')

    def imports(self):
        # The contract documents reading one import only; listing them like exports is assumed.
        return self.paged(self.path('imports'), 'imports', 'list imports')

    def transfer(self, kind, cloud_id, transfer_id):
        return self.read(self.path('cloud', cloud_id, kind + 's', transfer_id), "read %s '%s'" % (kind, transfer_id))

    def restores(self):
        return self.paged(self.path('restores'), 'restores', 'list restores')

    def restore(self, restore_id):
        return self.read(self.path('restores', restore_id), "read restore '%s'" % restore_id)

    def post_op_report(self, cloud_id, migration_id):
        body = self.call('GET', self.path('cloud', cloud_id, 'migration', migration_id, 'postOpReport'),
                         "read the post-operation report of migration '%s'" % migration_id)
        return body.get('url')
