# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_report: put every environment's row together and write the JSON, HTML and JUnit files. Run once.

Nothing is sent to any platform: the rows come from backup_status, the last drills from the drill
history beside the manifests (read as untrusted data). It never fails for a verdict: the role decides.
"""

from __future__ import annotations

import os

from ansible.plugins.action import ActionBase

from ansible_collections.saasops.backup.plugins.plugin_utils import _estate_report as report
from ansible_collections.saasops.backup.plugins.plugin_utils import _manifest_store as store
from ansible_collections.saasops.backup.plugins.plugin_utils._drill_history import last_drills
from ansible_collections.saasops.backup.plugins.plugin_utils._report_render import write_outputs

ARGUMENT_SPEC = dict(
    environments=dict(type='list', elements='dict', required=True),
    manifest_dir=dict(type='path'),
    report_dir=dict(type='path'),
    create=dict(type='bool', default=False),
    rpo=dict(type='str', default='24h'),
    window=dict(type='str', default='7d'),
)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    # Everything happens on the controller.
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        directory = args['report_dir'] or report.default_dir()
        paths = dict((kind, os.path.join(directory, name)) for kind, name in report.NAMES.items())
        try:
            drills = last_drills(args['manifest_dir'] or store.default_dir())
        except (store.StoreError, OSError) as exc:
            drills = {}
            result.setdefault('warnings', []).append('the drill history cannot be read, no drill is shown: %s' % exc)
        built = report.build(args['environments'], drills, args['rpo'], args['window'])
        result.update(changed=False, report=built, paths=paths, alarms=report.alarms(built), lines=report.lines(built))
        if self._task.check_mode:
            result['written'] = False
            return result
        try:
            store.check_dir(directory, args['create'])
            write_outputs(built, json_path=paths['json'], html_path=paths['html'], junit_path=paths['junit'])
        except (store.StoreError, OSError, ValueError) as exc:
            result.update(failed=True, msg='the report cannot be written to %s: %s' % (directory, exc))
            return result
        result.update(changed=True, written=True)
        return result
