# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore consents: which consent value accepts which failed validation check."""

import difflib

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError

CUSTOM_GROUP = ('Accept_Custom_Group_Check', 'Deny_Custom_Group_Check')
CONSENTS = ('Consent_Conflicting_Space_Check', 'Consent_Conflicting_Group_Check', 'Consent_Product_License_Check',
            'Consent_TDP_Shard_Check', 'Consent_Site_License_Check') + CUSTOM_GROUP
_CANONICAL = dict((value.lower(), value) for value in CONSENTS)


def check_consent(values):
    """The consent values in their documented spelling; InputError for an unknown one.

    Case is forgiven, a misspelling is not (with the nearest valid value suggested): a consent
    accepts data loss in the target site, so guessing is not an option.
    """
    result = []
    for value in values or []:
        canonical = _CANONICAL.get(str(value).strip().lower())
        if canonical is None:
            near = difflib.get_close_matches(str(value), CONSENTS, n=1, cutoff=0.6)
            hint = " (did you mean '%s'?)" % near[0] if near else ''
            raise InputError("consent value %r is not one of %s%s" % (value, ', '.join(CONSENTS), hint))
        if canonical not in result:
            result.append(canonical)
    if all(value in result for value in CUSTOM_GROUP):
        raise InputError('consent can hold Accept_Custom_Group_Check or Deny_Custom_Group_Check, not both: they are '
                         'opposite answers to the custom group check')
    return result


def accepting(check):
    """The consent values that accept a failed check (empty when none is known).

    The API reports a failed check under its consent value's name; the custom group check
    may be reported under either of its two values (or a bare name), and both answer it.
    """
    name = str(check or '').strip()
    if 'custom_group' in name.lower():
        return CUSTOM_GROUP
    canonical = _CANONICAL.get(name.lower())
    return (canonical,) if canonical else ()


def uncovered(validation_errors, consent):
    """The failed checks that ``consent`` does not accept: ``[(check, message, accepting values)]``."""
    missing = []
    for error in validation_errors or []:
        if not isinstance(error, dict):
            error = {'check': None, 'message': str(error)}
        values = accepting(error.get('check'))
        if not any(value in consent for value in values):
            missing.append((error.get('check'), error.get('message'), values))
    return missing


def describe(missing):
    lines = []
    for check, message, values in missing:
        if values:
            how = 'add %s to consent' % ' or '.join(values)
        else:
            how = 'no consent value is known to accept it; resolve it in the target site'
        lines.append('%s: %s (%s)' % (check or 'unnamed check', message or 'no message', how))
    return '; '.join(lines)
