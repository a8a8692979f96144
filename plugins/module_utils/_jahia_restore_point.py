# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jahia Cloud restore points: what jahia_backup predicts and jahia_restore sends.

A backup is addressed by (name, timestamp, type, cloud provider, region, role). The API names
none of them when it triggers a backup, so jahia_backup predicts them; jahia_restore takes that
dict as its ``backup`` option unchanged, or the same fields as single options. How a restore
point travels in the restoreBackup.do form is _jahia's (``restore_form``), with the other fields sent.
"""

import datetime
import re

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._jahia import ENVIRONMENT_RE

FIELDS = ('backup_name', 'timestamp', 'backup_type', 'cloud_provider', 'region', 'env_role', 'environment')
# The single options of jahia_restore: every field but the source environment.
SINGLE_FIELDS = FIELDS[:-1]
PROVIDERS = ('aws', 'ovh')
ROLES = ('dev', 'prod', 'preprod')
# 'auto' is the platform's internal word for scheduled; both are accepted, 'scheduled' is sent.
TYPES = ('manual', 'scheduled', 'auto')
TYPE_SENT = {'manual': 'manual', 'scheduled': 'scheduled', 'auto': 'scheduled'}
TIMESTAMP_FORMAT = '%Y-%m-%dT%H:%M:%S'
TIMESTAMP_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$')
# Undocumented: backups are stored in folders '<name>_<timestamp>_<type>', so a name with '_',
# '/' or white space could not be found again. Manual backups are named after the short domain.
BACKUP_NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9.-]{0,127}$')
# AWS region names (eu-west-1) and OVH ones (gra); the platform does not document a rule.
REGION_RE = re.compile(r'^[a-z0-9][a-z0-9-]{0,31}$')


def restore_point_options():
    """Argument spec entries of the restore point fields (all optional: ``validate`` checks them)."""
    return dict(
        backup_name=dict(type='str'),
        timestamp=dict(type='str'),
        backup_type=dict(type='str', choices=list(TYPES)),
        cloud_provider=dict(type='str', choices=list(PROVIDERS)),
        region=dict(type='str'),
        env_role=dict(type='str', choices=list(ROLES)),
    )


def backup_option_spec():
    """The ``backup`` option: the dict jahia_backup returns.

    Its fields carry no ``choices``: Ansible would refuse an explicit null (a field the context
    did not report) with a message naming no option path; ``validate`` says which field to set.
    """
    suboptions = dict((key, dict(type='str')) for key in FIELDS)
    return dict(type='dict', options=suboptions)


def trigger_minute(epoch_seconds):
    """The platform stamps a manual backup with the trigger minute in UTC: ``YYYY-MM-DDTHH:MM:00``."""
    when = datetime.datetime.fromtimestamp(epoch_seconds, tz=datetime.timezone.utc)
    return when.replace(second=0, microsecond=0).strftime(TIMESTAMP_FORMAT)


def predict(summary, epoch_seconds):
    """The restore point a backup of the environment ``summary`` triggered at ``epoch_seconds`` gets."""
    return {
        'backup_name': summary['short_domain'],
        'timestamp': trigger_minute(epoch_seconds),
        'backup_type': 'manual',
        'cloud_provider': summary.get('cloud_provider'),
        'region': summary.get('region'),
        'env_role': summary.get('env_role'),
        'environment': summary['name'],
    }


def from_params(params):
    """``(point, prefix)``: the ``backup`` dict or the single options, and how options are named in messages."""
    if params.get('backup') is not None:
        return dict(params['backup']), 'backup.'
    return dict((key, params.get(key)) for key in SINGLE_FIELDS), ''


def _problems(point, prefix):
    problems = []

    def need(key):
        value = point.get(key)
        if value in (None, ''):
            problems.append('%s%s is required' % (prefix, key))
            return None
        return value

    name = need('backup_name')
    if name is not None and not BACKUP_NAME_RE.match(name):
        problems.append("%sbackup_name %r must be 1-128 letters, digits, '.' or '-', starting with a letter or digit"
                        % (prefix, name))
    stamp = need('timestamp')
    if stamp is not None:
        try:
            if not TIMESTAMP_RE.match(stamp):
                raise ValueError(stamp)
            datetime.datetime.strptime(stamp, TIMESTAMP_FORMAT)
        except ValueError:
            problems.append("%stimestamp %r must be a UTC date and time as YYYY-MM-DDTHH:MM:SS (e.g. "
                            "2026-11-22T10:05:00)" % (prefix, stamp))
    choices = (('backup_type', TYPES, point.get('backup_type') or 'manual'),  # the only field with a default
               ('cloud_provider', PROVIDERS, need('cloud_provider')), ('env_role', ROLES, need('env_role')))
    for key, allowed, value in choices:
        if value is not None and value not in allowed:
            problems.append('%s%s %r must be one of %s' % (prefix, key, value, ', '.join(allowed)))
    region = need('region')
    if region is not None and not REGION_RE.match(region):
        problems.append("%sregion %r must be a region name such as eu-west-1 or gra (lowercase letters, digits, '-')"
                        % (prefix, region))
    source = point.get('environment')
    if source is not None and not ENVIRONMENT_RE.match(source):
        problems.append('%senvironment %r must be an environment name (1 to 20 lowercase letters, digits or hyphens)'
                        % (prefix, source))
    return problems


def validate(point, prefix=''):
    """A normalised copy of a restore point, or InputError listing every problem at once."""
    problems = _problems(point, prefix)
    if problems:
        raise InputError('invalid restore point: %s' % '; '.join(problems))
    clean = dict((key, point.get(key)) for key in FIELDS)
    clean['backup_type'] = TYPE_SENT[point.get('backup_type') or 'manual']
    return clean
