# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bad-input matrix: every module and both roles, each case one mistake on otherwise good input.

Each module's good input (``base``) is itself run in check mode first and must pass, so that a case
fails because of its one mistake and not because the rest was wrong.
"""

# pylint: disable-next=import-error
import conftest as roles

SEEDED_SNAPSHOT = 'a3c1d2e4-0000-4000-8000-00000000beef'
SEEDED_BACKUP = 'bkp-reliability-seeded'
RESTORE_POINT = {'backup_name': 'staging-acme', 'timestamp': '2026-11-22T10:05:00', 'cloud_provider': 'aws',
                 'region': 'eu-west-1', 'env_role': 'dev'}
# Path-shape changers: each must be refused or encoded, never sent as a path. Names users type
# (ArcGIS, Jahia, Mendix) refuse all of them; Atlassian's ids are percent-encoded, so there only the
# ones no encoding can keep in one segment are bad input (the others are ids the site does not know).
SEGMENTS = ['..', '.', 'a/b', 'a?b', 'a#b', 'a%2Fb']
ENCODED_SEGMENTS = ['..', '.', 'a/b']


def seed(emulator):
    emulator.seed({'atlassian': {'storages': [{'storageId': 'stg-reliability', 'cloudId': 'cloud-prod', 'storageName': 'reliability',
                                               'storageRegion': 'us-east-1', 'storagePrefix': 'saasops',
                                               'roleIdentifier': 'arn:aws:iam::123456789012:role/saasops',
                                               'principalTag': 'saasops'}],
                                 'policies': [{'cloudId': 'cloud-prod', 'product': 'JIRA', 'policyId': 'pol-reliability',
                                               'storageId': 'stg-reliability'}],
                                 'backups': [{'policyId': 'pol-reliability', 'backupId': SEEDED_BACKUP}]},
                   'mendix': {'snapshots': [{'app_id': 'calc', 'environment': 'Acceptance', 'snapshot_id': SEEDED_SNAPSHOT}]},
                   'arcgis': {'backups': [{'backupName': 'seeded', 'passcode': roles.PASSCODE}]}})


def bases(emulator, workdir):
    arcgis = dict(roles.arcgis_host(emulator)['saasops_connection'])
    arcgis_read = dict((k, v) for k, v in arcgis.items() if k != 'passcode')
    jahia = dict(roles.jahia_host(emulator)['saasops_connection'], organization='acme', environment='staging')
    atlassian = roles.atlassian_host(emulator)['saasops_connection']
    mendix = dict(roles.mendix_host(emulator)['saasops_connection'], app_id='calc', environment='Acceptance')
    site = {'cloud_id': 'cloud-prod', 'product': 'jira'}
    return {
        'arcgis_dr_backup': dict(arcgis, name='reliability'),
        'arcgis_dr_backup_info': dict(arcgis_read, name='seeded'),
        'arcgis_dr_restore': dict(arcgis, name='seeded'),
        'jahia_environment_info': jahia,
        'jahia_backup': jahia,
        'jahia_restore': dict(jahia, backup=RESTORE_POINT),
        'atlassian_storage': dict(atlassian, cloud_id='cloud-prod', name='reliability', region='us-east-1', prefix='saasops',
                                  role_identifier='arn:aws:iam::123456789012:role/saasops', principal_tag='saasops'),
        'atlassian_backup_policy': dict(atlassian, **site),
        'atlassian_backup': dict(atlassian, **site),
        'atlassian_backup_info': dict(atlassian, **site),
        'atlassian_backup_export': dict(atlassian, backups=[dict(site, backup_id=SEEDED_BACKUP)]),
        'atlassian_backup_import': dict(atlassian, backups=[dict(site, backup_id=SEEDED_BACKUP)]),
        'atlassian_restore': dict(atlassian, backup_id=SEEDED_BACKUP, **site),
        'mendix_snapshot': dict(mendix, comment='reliability', download={'dest': str(workdir / 'bad.backup')}),
        'mendix_snapshot_info': mendix,
        'mendix_restore': dict(mendix, snapshot_id=SEEDED_SNAPSHOT, stop_environment=True, start_environment=True),
    }


URL_OPTION = {'arcgis': 'url', 'jahia': 'api_url', 'atlassian': 'api_url', 'mendix': 'api_url'}
WAITS = ('arcgis_dr_backup', 'arcgis_dr_restore', 'atlassian_backup', 'atlassian_backup_export', 'atlassian_backup_import',
         'atlassian_restore', 'mendix_snapshot', 'mendix_restore')
# The options of each module that go into a URL path.
PATH_OPTIONS = {
    'arcgis_dr_backup': ['name', 'store'], 'arcgis_dr_backup_info': ['name', 'store'], 'arcgis_dr_restore': ['name'],
    'jahia_backup': ['environment'], 'jahia_restore': ['environment'], 'jahia_environment_info': ['environment'],
    'atlassian_restore': ['backup_id', 'cloud_id'], 'atlassian_backup_policy': ['cloud_id'],
    'atlassian_backup': ['cloud_id'], 'atlassian_backup_info': ['cloud_id'], 'atlassian_storage': ['cloud_id'],
    'mendix_snapshot': ['app_id', 'environment'], 'mendix_snapshot_info': ['app_id', 'environment'],
    'mendix_restore': ['snapshot_id', 'app_id'],
}
SPECIFIC = {
    'arcgis_dr_backup': [('passcode too short', {'passcode': 'short'}), ('retention_days out of range', {'retention_days': 999999999}),
                         ('unknown state', {'state': 'gone'})],
    'arcgis_dr_restore': [('declared production without allow_production', {'production': True})],
    'jahia_restore': [('restore point without timestamp', {'backup': dict(RESTORE_POINT, timestamp=None)}),
                      ('restore point with a bad provider', {'backup': dict(RESTORE_POINT, cloud_provider='azure')})],
    'jahia_backup': [('environment with capitals and spaces', {'environment': 'Staging Env'})],
    'atlassian_backup': [('unknown product', {'product': 'bitbucket'}), ('unreadable max_age', {'max_age': 'forever'})],
    'atlassian_restore': [('declared production without allow_production', {'production': True}),
                          ('unknown consent', {'consent': ['everything']})],
    'mendix_snapshot': [('api_version 3', {'api_version': 3}), ('absent with download', {'state': 'absent'})],
    'mendix_restore': [('db_only on API v1', {'db_only': True, 'api_version': 1})],
}


def module_cases(emulator, workdir):
    """(name, module FQCN, arguments): each module's good input in check mode, then one mistake per case."""
    seed(emulator)
    cases = []
    for module, base in sorted(bases(emulator, workdir).items()):
        fqcn = 'saasops.backup.' + module
        platform = module.split('_', 1)[0]
        url = URL_OPTION[platform]
        mistakes = [
            ('plain http', {url: base[url].replace('https://', 'http://')}),
            ('timeout 1e300', {'timeout': 1e300}),
            ('negative timeout', {'timeout': -1}),
            ('negative retries', {'retries': -1}),
            ('missing ca_path file', {'ca_path': str(workdir / 'no-such-ca.pem')}),
            ('unknown option', {'colour': 'blue'}),
        ]
        if module in WAITS:
            mistakes.append(('zero wait_timeout', {'wait_timeout': 0}))
        for index, option in enumerate(PATH_OPTIONS.get(module, [])):
            # Every shape on the first path option of a module, the two worst on the others.
            values = ENCODED_SEGMENTS if platform == 'atlassian' else SEGMENTS if index == 0 else SEGMENTS[::2]
            mistakes.extend(('%s %r' % (option, value), {option: value}) for value in values)
        mistakes.extend(SPECIFIC.get(module, []))
        for what, change in mistakes:
            cases.append(('%s: %s' % (module, what), fqcn, dict(base, **change)))
    return cases


def base_checks(emulator, workdir):
    """(name, module FQCN, arguments) of every module's good input, to run in check mode."""
    return [('%s: good input (check mode)' % module, 'saasops.backup.' + module, base)
            for module, base in sorted(bases(emulator, workdir).items())]


def role_cases(emulator, job):
    """(name, playbook, hosts, extra vars, text the output must hold) for both roles."""
    hosts = roles.every_platform(emulator)
    missing = job.workdir / 'no-such-manifest.json'
    misspelled = dict(hosts['jahia-staging'], saasops_connection=dict(hosts['jahia-staging']['saasops_connection'], api_tokn='x'))
    return [
        ('snapshot: run id with a slash', 'saasops.backup.pre_deploy_snapshot', hosts, {'saasops_run_id': 'a/b'}, 'saasops_run_id'),
        ('snapshot: negative wait', 'saasops.backup.pre_deploy_snapshot', hosts, {'saasops_wait_timeout': -1},
         'saasops_wait_timeout must be a positive number'),
        ('snapshot: unknown platform', 'saasops.backup.pre_deploy_snapshot',
         dict(hosts, extra=dict(hosts['gis-prod'], saasops_platform='sharepoint')), {}, 'sharepoint'),
        ('snapshot: misspelled secret', 'saasops.backup.pre_deploy_snapshot', dict(hosts, extra=misspelled), {},
         "unknown option 'api_tokn'"),
        ('snapshot: manifest directory missing', 'saasops.backup.pre_deploy_snapshot', hosts,
         {'saasops_manifest_dir': str(job.workdir / 'no-such-dir')}, 'does not exist'),
        ('restore: not confirmed', 'saasops.backup.restore', hosts, {'saasops_manifest_path': str(missing)},
         'saasops_restore_confirm is not true'),
        ('restore: missing manifest', 'saasops.backup.restore', hosts,
         {'saasops_manifest_path': str(missing), 'saasops_restore_confirm': True}, 'does not exist'),
        ('restore: manifest of another schema', 'saasops.backup.restore', hosts,
         {'saasops_manifest': {'schema': 9, 'run_id': 'x', 'environments': []}, 'saasops_restore_confirm': True}, 'schema 9'),
    ]
