# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The part of AnsibleModule that module_utils and the modules' decision code use."""


class FakeModule:
    """``params`` over ``defaults``; ``warnings`` collects ``warn()``; ``no_log_values`` as AnsibleModule has it."""

    def __init__(self, params=None, check_mode=False, defaults=None):
        self.params = dict(defaults or {})
        self.params.update(params or {})
        self.check_mode = check_mode
        self.warnings = []
        self.no_log_values = set()

    def warn(self, text):
        self.warnings.append(text)
