# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory ArcGIS admin API for testing the modules' decisions without HTTP.

It subclasses the real client and replaces only ``call``, so path building, store
resolution and result shaping are the real code.
"""

import re

from ansible_collections.saasops.backup.plugins.module_utils._arcgis import DR, ArcGIS
from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient


class FakeArcGIS(ArcGIS):
    """Stores and backups in dicts; jobs and DR statuses follow scripted sequences."""

    def __init__(self, backups=None, job_states=('EXECUTING', 'COMPLETED'), statuses=None, faults=None):
        # Deliberately not calling ArcGIS.__init__: no request is ever sent.
        self.stores_list = [{'name': 'default-store', 'default': True}, {'name': 'secondary', 'default': False}]
        self.data = {'default-store': {}, 'secondary': {}}
        for backup in backups or []:
            self.data[backup.get('backupStore', 'default-store')][backup['backupName']] = dict(backup)
        self.job_states = list(job_states)
        self.statuses = list(statuses or [{'state': 'no_op'}])
        self.faults = dict(faults or {})  # (method, regex) -> list of exceptions to raise, in order
        self.calls = []
        # Only for run_module's retry summary (tests through main()); every call goes through ``call`` below.
        self.http = HttpClient('ArcGIS', 'https://gis.example.test/arcgis')

    def _fault(self, method, path):
        for (fmethod, pattern), errors in self.faults.items():
            if fmethod == method and re.search(pattern, path) and errors:
                return errors.pop(0)
        return None

    def posts(self, suffix=''):
        return [c for c in self.calls if c[0] == 'POST' and c[1].endswith(suffix)]

    def call(self, method, path, operation, data=None, idempotent=None):
        self.calls.append((method, path, dict(data or {})))
        fault = self._fault(method, path)
        if fault is not None and not getattr(fault, 'after', False):
            raise fault
        result = self._route(method, path, operation, data or {})
        if fault is not None:
            raise fault  # the server acted, the answer was lost
        return result

    def _route(self, method, path, operation, data):
        if path == DR + '/stores':
            return {'backupStores': self.stores_list}
        if path == DR + '/status':
            status = self.statuses[0] if len(self.statuses) == 1 else self.statuses.pop(0)
            return {'status': status}
        if path.startswith('admin/jobs/'):
            state = self.job_states[0] if len(self.job_states) == 1 else self.job_states.pop(0)
            if state == 'COMPLETED':
                for backups in self.data.values():
                    for backup in backups.values():
                        backup['status'] = 'completed'
            return {'jobid': path.rsplit('/', 1)[1], 'status': state, 'messages': ['job said so']}
        match = re.match(DR + r'/stores/([^/]+)/backups(?:/([^/]+))?(?:/(\w+))?$', path)
        store, name, op = match.groups()
        if name == 'create' and op is None:
            name, op = None, 'create'
        backups = self.data[store]
        if method == 'GET' and name is None:
            return {'backups': list(backups.values())}
        if method == 'GET':
            if name not in backups:
                raise PlatformError('ArcGIS', operation, 'not found', code=404)
            seen = dict(backups[name])
            if seen['status'] == 'in_progress':
                backups[name]['status'] = 'completed'  # a running backup finishes after one more read
            return seen
        if op == 'create':
            backups[data['name']] = {'backupName': data['name'], 'backupStore': store, 'status': 'in_progress',
                                     'description': data.get('description'), 'startTime': 1795860000000,
                                     'retentionDate': data.get('retentionDate', -1)}
            return {'jobid': 'j-1', 'jobsUrl': 'https://gis/arcgis/admin/jobs/j-1', 'status': 'SUBMITTED'}
        if op == 'update':
            backups[name]['retentionDate'] = data['retentionDate']
        elif op == 'delete':
            del backups[name]
        return {'status': 'success'}
