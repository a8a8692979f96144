# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlassian objects: products, statuses, the platform's intervals and the shape modules return."""

import re

from ansible_collections.saasops.backup.plugins.module_utils._convert import snake_keys
from ansible_collections.saasops.backup.plugins.module_utils._duration import DAY
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._waiter import StateTable

PRODUCTS = {'jira': 'JIRA', 'confluence': 'CONFLUENCE'}

# Backups: INCOMPLETE is usable (Jira misses some attachments, Confluence some spaces); an
# EXPIRED backup can no longer be restored, so waiting on it would never succeed.
BACKUP_STATES = StateTable(success=('COMPLETE', 'INCOMPLETE'), failure=('FAILED', 'EXPIRED'))
TRANSFER_STATES = StateTable(success=('COMPLETE',), failure=('FAILED',))

# The platform runs a new backup only 7 days after the last COMPLETE one (v1), and keeps backups
# in its own storage for 14 days (v1) or 30 days (v2, per its data-retention guide).
BACKUP_INTERVAL = 7 * DAY
BACKUP_RETENTION = 14 * DAY
BACKUP_RETENTION_V2 = 30 * DAY
# Spellings read as another word: v2 statuses other than CREATED are UNCONFIRMED, and "COMPLETED" is
# taken to mean v1's COMPLETE.
SYNONYMS = {'COMPLETED': 'COMPLETE'}


def normalise_product(value, option='product'):
    """``jira``/``Jira``/``JIRA`` -> ``JIRA``; InputError naming the choices otherwise."""
    product = PRODUCTS.get(str(value or '').strip().lower())
    if product is None:
        raise InputError("%s must be one of %s (any case), got %r" % (option, ', '.join(sorted(PRODUCTS)), value))
    return product


def normalise_status(value):
    """``IN PROGRESS`` (the docs' spelling), ``in-progress`` -> ``IN_PROGRESS``, ``COMPLETED`` -> ``COMPLETE``;
    None stays None."""
    if value is None:
        return None
    status = re.sub(r'[\s-]+', '_', str(value).strip()).upper()
    return SYNONYMS.get(status, status)


def object_result(obj):
    """An API object as modules return it: snake_case keys, status normalised."""
    if not obj:
        return {}
    result = snake_keys(obj)
    if 'status' in result:
        result['status'] = normalise_status(result['status'])
    return result


def status_of(obj):
    return normalise_status((obj or {}).get('status'))


def find_policy(api, cloud_id, product):
    """The policy of (site, product) - v1 allows one; v2 two, and fails asking for policy_id then - or None."""
    return api.strategy.find_policy(cloud_id, product)


def check_policy_target(policy, params):
    """InputError when ``policy`` is not of the site (``cloud_id``) or ``product`` given beside ``policy_id``: an id
    copied from another environment must not back up (or later restore) the wrong site."""
    problems = []
    if params.get('cloud_id') and policy.get('cloudId') != params['cloud_id']:
        problems.append("site '%s', not cloud_id '%s'" % (policy.get('cloudId'), params['cloud_id']))
    if params.get('product') and str(policy.get('product') or '').upper() != normalise_product(params['product']):
        problems.append("product %s, not %s" % (policy.get('product'), normalise_product(params['product'])))
    if problems:
        raise InputError("backup policy '%s' (policy_id) is of %s; correct policy_id, or cloud_id and product"
                         % (policy.get('policyId'), ' and '.join(problems)))


def resolve_policy(api, params):
    """The policy named by ``policy_id`` or by (``cloud_id``, ``product``); InputError when missing, or when the
    policy of ``policy_id`` is not of the ``cloud_id`` and ``product`` also given."""
    if params.get('policy_id'):
        policy = api.strategy.known_policy(params['policy_id'])
        if policy is None:
            raise InputError("backup policy '%s' does not exist in organization '%s'" % (params['policy_id'], api.org_id))
        check_policy_target(policy, params)
        return policy
    if not params.get('cloud_id') or not params.get('product'):
        raise InputError('set policy_id, or cloud_id and product, to say which backup policy to use')
    product = normalise_product(params['product'])
    policy = find_policy(api, params['cloud_id'], product)
    if policy is None:
        raise InputError("site '%s' has no %s backup policy; create it with saasops.backup.atlassian_backup_policy"
                         % (params['cloud_id'], product))
    return policy
