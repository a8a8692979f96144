# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The peer of the benchmarks: the playbook users write today with ``ansible.builtin.uri``, built at run time.

For each platform one task that starts the backup (``when: saasops_platform == ...``; ArcGIS gets its token
first) and one ``until`` task that polls it (Jahia's backup is a POST nobody can poll: a start task only),
default forks, the estate's inventory (bench/estate.py). The vendor ids a user writes into such a playbook
once (Jahia's app id, Atlassian's policy id, Mendix's project and environment UUIDs) are what the role
looks up itself: the peer reads them from the emulator's state after seeding (``vendor_ids``), as a user
copies them from each vendor's console.

``check_playbook`` is the other peer: one read of every environment (what a re-run must not cost more than).
"""

from pathlib import Path

import yaml

POLL_DELAY = 5  # seconds between two polls of one backup
POLL_RETRIES = 120  # 10 minutes of polls at POLL_DELAY
ARCGIS_STORE = 'default-store'
ARCGIS_DONE = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED OUT']
ATLASSIAN_DONE = ['COMPLETE', 'INCOMPLETE', 'FAILED']
MENDIX_DONE = ['completed', 'failed']

# Each task's connection, ca_path included as the role passes it (the emulator's CA).
CA = '{{ saasops_connection.ca_path }}'
ARCGIS_ADMIN = '{{ saasops_connection.url }}/admin'
ATLASSIAN_ORG = '{{ saasops_connection.api_url }}/orgs/{{ saasops_connection.org_id }}'
MENDIX_ENV = '{{ saasops_connection.api_url }}/api/v2/apps/{{ peer.project_id }}/environments/{{ peer.environment_id }}'
ATLASSIAN_AUTH = {'url_username': '{{ saasops_connection.user }}', 'url_password': '{{ saasops_connection.api_token }}',
                  'force_basic_auth': True}
MENDIX_HEADERS = {'Mendix-Username': '{{ saasops_connection.username }}', 'Mendix-ApiKey': '{{ saasops_connection.api_key }}'}
ARCGIS_HEADERS = {'X-Esri-Authorization': 'Bearer {{ peer_token.json.token }}'}
JAHIA_HEADERS = {'Authorization': 'APIToken {{ saasops_connection.api_token }}'}


def vendor_ids(state, inventory):
    """{host: the ids its uri tasks need} from the emulator's state (``emu.state()``) and the estate's inventory."""
    jahia = dict(((org['name'], env['name']), env) for org in state['jahia']['organizations'] for env in org['environments'])
    policies = dict(((p['cloudId'], p['product'].lower()), p['policyId']) for p in state['atlassian']['policies'])
    apps = state['mendix']['apps']
    ids = {}
    for host, values in inventory['all']['hosts'].items():
        target = values.get('saasops_target') or {}
        platform = values['saasops_platform']
        if platform == 'arcgis':
            ids[host] = {'store': ARCGIS_STORE}
        elif platform == 'jahia':
            env = jahia[(target['organization'], target['environment'])]
            ids[host] = {'short_domain': env['shortDomain'], 'app_id': env['appid']}
        elif platform == 'atlassian':
            ids[host] = {'policy_id': policies[(target['cloud_id'], target['product'])]}
        elif platform == 'mendix':
            app = apps[target['app_id']]
            ids[host] = {'project_id': app['project_id'], 'environment_id': app['environments'][target['environment']]['EnvironmentId']}
    return ids


def _uri(platform, name, register, until=None, **options):
    """One uri task of one platform; ``until`` makes it a poll."""
    task = {'name': name, 'ansible.builtin.uri': dict(options, ca_path=CA, return_content=False),
            'register': register, 'when': "saasops_platform == '%s'" % platform}
    if until:
        task.update({'until': until, 'retries': POLL_RETRIES, 'delay': POLL_DELAY})
    return task


def _token_task():
    return _uri('arcgis', 'ArcGIS - get a token', 'peer_token', url='{{ saasops_connection.url }}/sharing/rest/generateToken',
                method='POST', body_format='form-urlencoded', status_code=200, body={
                    'username': '{{ saasops_connection.username }}', 'password': '{{ saasops_connection.password }}',
                    'client': 'requestip', 'expiration': 60, 'f': 'json'})


def _json_status(register, done, key='status'):
    return "(%s.json | default({})).%s | default('') in %s" % (register, key, done)


def _start_tasks(backup_name):
    arcgis = _uri('arcgis', 'ArcGIS - start the backup', 'peer_arcgis', method='POST', body_format='form-urlencoded',
                  url=ARCGIS_ADMIN + '/system/disasterrecovery/stores/%s/backups/create' % ARCGIS_STORE, headers=ARCGIS_HEADERS,
                  body={'name': backup_name, 'passcode': '{{ saasops_connection.passcode }}', 'f': 'json'})
    # ArcGIS answers its errors with HTTP 200: the job id is the only sign the backup started.
    arcgis['failed_when'] = "'jobid' not in (peer_arcgis.json | default({}))"
    jahia = _uri('jahia', 'Jahia - start the backup', 'peer_jahia', method='POST', body_format='form-urlencoded',
                 url='{{ saasops_connection.api_url }}/modules/cloudAction/backupEnv.do', headers=JAHIA_HEADERS,
                 body={'orgName': '{{ saasops_target.organization }}', 'envName': '{{ peer.short_domain }}',
                       'targetAppid': '{{ peer.app_id }}'})
    jahia['failed_when'] = '(peer_jahia.json | default({})).jcResponse | default(-1) != 0'
    atlassian = _uri('atlassian', 'Atlassian - start the backup', 'peer_atlassian', method='POST', body_format='json',
                     url=ATLASSIAN_ORG + '/backups', status_code=202,
                     body={'policyId': '{{ peer.policy_id }}', 'cloudId': '{{ saasops_target.cloud_id }}'}, **ATLASSIAN_AUTH)
    mendix = _uri('mendix', 'Mendix - start the snapshot', 'peer_mendix', method='POST', body_format='json',
                  url=MENDIX_ENV + '/snapshots', headers=MENDIX_HEADERS, status_code=[200, 201, 202],
                  body={'comment': backup_name})
    return [arcgis, jahia, atlassian, mendix]


def _poll_tasks():
    arcgis = _uri('arcgis', 'ArcGIS - wait for the backup', 'peer_arcgis_job', until=_json_status('peer_arcgis_job', ARCGIS_DONE),
                  url=ARCGIS_ADMIN + '/jobs/{{ peer_arcgis.json.jobid }}?f=json', headers=ARCGIS_HEADERS)
    arcgis['failed_when'] = "peer_arcgis_job.json.status | default('') != 'COMPLETED'"
    atlassian = _uri('atlassian', 'Atlassian - wait for the backup', 'peer_atlassian_backup',
                     until=_json_status('peer_atlassian_backup', ATLASSIAN_DONE),
                     url=ATLASSIAN_ORG + '/backups/{{ peer_atlassian.json.backupId }}', **ATLASSIAN_AUTH)
    atlassian['failed_when'] = "peer_atlassian_backup.json.status | default('') != 'COMPLETE'"
    mendix = _uri('mendix', 'Mendix - wait for the snapshot', 'peer_mendix_snapshot', until=_json_status('peer_mendix_snapshot', MENDIX_DONE, 'state'),
                  url=MENDIX_ENV + '/snapshots/{{ peer_mendix.json.snapshot_id }}', headers=MENDIX_HEADERS)
    mendix['failed_when'] = "peer_mendix_snapshot.json.state | default('') != 'completed'"
    return [arcgis, atlassian, mendix]


def _play(name, ids, tasks):
    return [{'name': name, 'hosts': 'all', 'gather_facts': False,
             'vars': {'peer_ids': ids, 'peer': '{{ peer_ids[inventory_hostname] | default({}) }}'},
             'tasks': tasks}]


def backup_playbook(ids, backup_name):
    """The playbook that backs up every environment: start tasks, then poll tasks, one of each per platform."""
    return _play('Back up every environment with uri', ids, [_token_task()] + _start_tasks(backup_name) + _poll_tasks())


def check_playbook(ids):
    """One read of every environment (ArcGIS needs its token first; Jahia's only read is its context POST)."""
    tasks = [_token_task(),
             _uri('arcgis', 'ArcGIS - read the backups', 'peer_read', headers=ARCGIS_HEADERS,
                  url=ARCGIS_ADMIN + '/system/disasterrecovery/stores/%s/backups?f=json' % ARCGIS_STORE),
             _uri('jahia', 'Jahia - read the environment', 'peer_read', method='POST', body_format='form-urlencoded',
                  url='{{ saasops_connection.api_url }}/modules/cloudAction/getContext.do', headers=JAHIA_HEADERS,
                  body={'orgName': '{{ saasops_target.organization }}', 'envName': '{{ peer.short_domain }}'}),
             _uri('atlassian', 'Atlassian - read the latest backup', 'peer_read',
                  url=ATLASSIAN_ORG + '/policies/{{ peer.policy_id }}/backups?pageSize=1', **ATLASSIAN_AUTH),
             _uri('mendix', 'Mendix - read the latest snapshot', 'peer_read', headers=MENDIX_HEADERS,
                  url=MENDIX_ENV + '/snapshots?limit=1')]
    return _play('Read every environment once with uri', ids, tasks)


def write(path, plays):
    """The playbook as a YAML file; returns its path."""
    path = Path(path)
    path.write_text('---\n' + yaml.safe_dump(plays, sort_keys=False, width=160), encoding='utf-8')
    return path
