# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault storm: 40 environments (2 ArcGIS, 6 Jahia, 8 Atlassian, 24 Mendix), the faults, and the
duplicate count from the emulator's state."""

import collections

# pylint: disable-next=import-error
import conftest as roles

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
API = '^/(arcgis|arcgis2|jahia|atlassian|mendix)/'
# Reads fail often; creates fail before and after the server acted. Jahia's backupEnv.do is left out
# of 'drop_after': its API cannot tell whether a backup started (the module fails saying so and the
# role cannot re-check), which is a platform limit, not a client one.
CREATES = '(/backups/create|/snapshots|/backups)$'
STORM_FAULTS = [
    # About 30 % of reads and of creates fail (each fault draws on what the ones before let through).
    dict(path=API, method='GET', action='status', status=503, fraction=0.12, count=100000),
    dict(path=API, method='GET', action='status', status=429, fraction=0.12, count=100000),
    dict(path=API, method='GET', action='drop_before', fraction=0.08, count=100000),
    dict(path='^/(arcgis|arcgis2|mendix|atlassian)/.*' + CREATES, method='POST', action='drop_after', fraction=0.15, count=100000),
    dict(path=API + '.*' + CREATES, method='POST', action='status', status=502, fraction=0.1, count=100000),
    dict(path=API + '.*' + CREATES, method='POST', action='status', status=429, fraction=0.1, count=100000),
    dict(path='getContext', method='POST', action='status', status=503, fraction=0.1, count=100000),
]
SHARD = 'shard-1'
MENDIX_APPS = ['storm-%d' % i for i in range(1, 7)]
MENDIX_MODES = ('Test', 'Acceptance', 'Dev1', 'Dev2')


def storm_inventory(emulator, count=40):
    hosts = {'gis-1': roles.arcgis_host(emulator, 'arcgis'), 'gis-2': roles.arcgis_host(emulator, 'arcgis2', store='secondary')}
    for i in range(1, 7):
        hosts['jahia-%d' % i] = dict(roles.jahia_host(emulator, 'env%d' % i))
        hosts['jahia-%d' % i]['saasops_target'] = {'organization': 'storm', 'environment': 'env%d' % i}
    for i in range(1, 9):
        hosts['site-%d' % i] = roles.atlassian_host(emulator, 'storm-site-%d' % i, 'jira')
    for app in MENDIX_APPS:
        for mode in MENDIX_MODES:
            host = roles.mendix_host(emulator, mode)
            host['saasops_target']['app_id'] = app
            hosts['%s-%s' % (app, mode.lower())] = host
    return dict(list(hosts.items())[:count])


def storm_seed(hosts):
    del hosts  # the seed covers the largest inventory; a smaller one uses part of it
    return {
        'jahia': {'organizations': [{'name': 'storm', 'environments': [{'name': 'env%d' % i} for i in range(1, 7)]}]},
        'atlassian': {'sites': dict(('storm-site-%d' % i, SHARD) for i in range(1, 9)),
                      'policies': [{'cloudId': 'storm-site-%d' % i, 'product': 'JIRA'} for i in range(1, 9)]},
        'mendix': {'apps': [{'app_id': app, 'environments': [{'mode': m, 'status': 'Running'} for m in MENDIX_MODES]}
                            for app in MENDIX_APPS]},
    }


def duplicates(state, hosts, run_id):
    """'<host>: N backups' for every environment with other than exactly one backup of the run."""
    counts = collections.Counter()
    for app, store in (('arcgis', 'default-store'), ('arcgis2', 'secondary')):
        for backup in state[app]['backups'].get(store, []):
            if backup['backupName'] == 'saasops-' + run_id:
                counts[app] += 1
    for backup in state['jahia']['backups']:
        counts['jahia/%s/%s' % (backup['organization'], backup['environment'])] += 1
    for backup in state['atlassian']['backups']:
        counts['atlassian/' + backup['cloudId']] += 1
    envs = dict((env_id, '%s/%s' % (app_id, mode)) for app_id, app in state['mendix']['apps'].items()
                for mode, env in app['environments'].items() for env_id in [env.get('EnvironmentId')])
    for snapshot in state['mendix']['snapshots']:
        if snapshot['comment'] == 'saasops ' + run_id:
            counts['mendix/' + envs.get(snapshot['environment_id'], snapshot['environment_id'])] += 1
    expected = {}
    for host, spec in hosts.items():
        target, platform = spec['saasops_target'], spec['saasops_platform']
        key = {'arcgis': lambda: spec['saasops_connection']['url'].rstrip('/').rsplit('/', 1)[1],
               'jahia': lambda: 'jahia/%s/%s' % (target['organization'], target['environment']),
               'atlassian': lambda: 'atlassian/' + target['cloud_id'],
               'mendix': lambda: 'mendix/%s/%s' % (target['app_id'], target['environment'])}[platform]()
        expected[key] = host
    return ['%s: %d backups' % (expected.get(key, key), counts.get(key, 0))
            for key in sorted(set(expected) | set(counts)) if counts.get(key, 0) != 1]
