# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmarks' estate: 40 environments on the emulator - 2 ArcGIS, 6 Jahia, 8 Atlassian, 24 Mendix.

``seed(emu)`` creates them on a running emulator; ``inventory(info)`` is the roles' inventory of them.
"""

import sys

from credentials import (  # pylint: disable=import-error
    ARCGIS_PASSWORD, ARCGIS_USERNAME, ATLASSIAN_API_TOKEN, ATLASSIAN_ORG_ID, ATLASSIAN_USER, JAHIA_API_TOKEN,
    MENDIX_API_KEY, MENDIX_USERNAME)

PASSCODE = 'Bench-Passcode-123'
JAHIA_ENVIRONMENTS = ['bench%d' % n for n in range(1, 7)]
ATLASSIAN_SITES = [('bench-site-%d' % n, product) for n in range(1, 5) for product in ('JIRA', 'CONFLUENCE')]
MENDIX_ENVIRONMENTS = [('bench-app-%d' % n, mode) for n in range(1, 9) for mode in ('Test', 'Acceptance', 'Staging')]


def _mendix_apps():
    apps = {}
    for app, mode in MENDIX_ENVIRONMENTS:
        apps.setdefault(app, []).append(mode)
    return apps


def seed(emu):
    emu.seed({
        'jahia': {'organizations': [{'name': 'acme', 'environments': [{'name': name} for name in JAHIA_ENVIRONMENTS]}]},
        'atlassian': {'sites': dict((cloud, 'shard-1') for cloud, dummy in ATLASSIAN_SITES),
                      'policies': [{'cloudId': cloud, 'product': product} for cloud, product in ATLASSIAN_SITES]},
        'mendix': {'apps': [{'app_id': app, 'environments': [{'mode': mode, 'status': 'Running'} for mode in modes]}
                            for app, modes in _mendix_apps().items()]},
    })


def inventory(info, **host_vars):
    """The inventory (a dict for inventory.json); ``host_vars`` are added to every host."""
    ca_path = info['ca_path']
    base = info['api_base']
    hosts = {}
    for number, app in ((1, 'arcgis'), (2, 'arcgis2')):
        hosts['gis-%d' % number] = {'saasops_platform': 'arcgis', 'saasops_connection': {
            'url': base + '/' + app, 'username': ARCGIS_USERNAME, 'password': ARCGIS_PASSWORD, 'passcode': PASSCODE,
            'ca_path': ca_path}}
    for name in JAHIA_ENVIRONMENTS:
        hosts['jahia-' + name] = {'saasops_platform': 'jahia', 'saasops_connection': {
            'api_url': base + '/jahia', 'api_token': JAHIA_API_TOKEN, 'ca_path': ca_path},
            'saasops_target': {'organization': 'acme', 'environment': name}}
    for cloud, product in ATLASSIAN_SITES:
        hosts['%s-%s' % (cloud, product.lower())] = {'saasops_platform': 'atlassian', 'saasops_connection': {
            'api_url': base + '/atlassian', 'org_id': ATLASSIAN_ORG_ID, 'user': ATLASSIAN_USER,
            'api_token': ATLASSIAN_API_TOKEN, 'ca_path': ca_path},
            'saasops_target': {'cloud_id': cloud, 'product': product.lower()}}
    for app, mode in MENDIX_ENVIRONMENTS:
        hosts['%s-%s' % (app, mode.lower())] = {'saasops_platform': 'mendix', 'saasops_connection': {
            'api_url': base + '/mendix', 'username': MENDIX_USERNAME, 'api_key': MENDIX_API_KEY, 'ca_path': ca_path},
            'saasops_target': {'app_id': app, 'environment': mode}}
    for values in hosts.values():
        values.update(host_vars)
    return {'all': {'hosts': hosts, 'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}
