# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of a module's run: the module, its platform API, params, result and wait budget."""

from ansible_collections.saasops.backup.plugins.module_utils._budget import WaitBudget
from ansible_collections.saasops.backup.plugins.module_utils._module import reporting, run_module


class ModuleRun:
    """One run of a module; subclasses hold the module's decisions only.

    ``RESULT`` is the result a run starts from (copied). ``validate()`` runs first, outside
    ``reporting``: an input error carries no result. ``run()`` then decides and acts; whatever
    it put in ``self.result`` before a failure leaves with the failure (see _module.reporting).
    ``self.budget`` is the run's one wait budget (option ``wait_timeout``, when the module has it);
    ``self.budget.active`` says whether this run waits at all.
    """

    RESULT = dict(changed=False)

    def __init__(self, module, api):
        self.module = module
        self.api = api
        self.params = module.params
        self.check_mode = module.check_mode
        self.result = dict((key, value.copy() if isinstance(value, (dict, list)) else value)
                           for key, value in self.RESULT.items())
        self.budget = WaitBudget(self.params.get('wait_timeout'), api.clock, wait=self.params.get('wait', False),
                                 check_mode=self.check_mode, result=self.result if 'elapsed' in self.result else None)

    def validate(self):
        """Raise InputError for input that cannot work, before any request of the run."""

    def run(self):
        raise NotImplementedError

    def execute(self):
        self.validate()
        with reporting(self.result):
            self.run()
        return self.result

    @classmethod
    def main(cls, module, api_class, preflight=None):
        """Run the module: build ``api_class(module)``, run ``cls`` with it, exit with the result."""
        run_module(module, api_class, lambda api: cls(module, api).execute(), preflight=preflight)
