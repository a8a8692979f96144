# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module's ``main()`` the way Ansible does: its arguments go through the argument spec.

``run_main(monkeypatch, main, args)`` returns the result ``exit_json`` or ``fail_json`` was given
(``failed`` says which). ``no_http(monkeypatch)`` makes any request through ``requests`` fail the
test and returns the list of those attempted, for "nothing was sent" assertions.
"""

import pytest
import requests

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


class ModuleExit(Exception):
    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


def run_main(monkeypatch, main, args, check_mode=False):
    def exit_json(self, **kwargs):  # pylint: disable=unused-argument
        raise ModuleExit(dict(kwargs, failed=False))

    def fail_json(self, msg, **kwargs):  # pylint: disable=unused-argument
        raise ModuleExit(dict(kwargs, msg=msg, failed=True))

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    args = dict(args, _ansible_check_mode=check_mode)
    with patch_module_args(args):
        with pytest.raises(ModuleExit) as caught:
            main()
    return caught.value.result


def no_http(monkeypatch):
    attempted = []

    def request(self, method, url, *args, **kwargs):  # pylint: disable=unused-argument
        attempted.append((method, url))
        raise AssertionError('unexpected HTTP request: %s %s' % (method, url))

    monkeypatch.setattr(requests.Session, 'request', request)
    return attempted
