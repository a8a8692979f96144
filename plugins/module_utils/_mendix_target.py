# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Mendix environment a module works on: ids the options give, lookups for the rest.

Backups API v2 paths take the app's ProjectId and the environment's EnvironmentId, which the Deploy
API answers from ``app_id`` and ``environment`` (one request each). An inventory that already knows
them (options ``project_id`` and ``environment_id``) saves those two requests on every read. What a
lookup answers beyond the id - whether the environment is a sandbox without a Backups API, and that
the ids given really are those of ``app_id`` / ``environment`` - matters only before a change, so
``check_before_change`` makes the skipped lookups then, and only then.

With ``shared`` (a _mendix_shared.SharedLookups), the app object and the app's environments list
(one request answering every mode's EnvironmentId) are read once for every run of the same
credentials in progress in the process: the environments of one app, run in threads of one
process, share them. Only the ids, Mode and Url are read from those answers; nothing that changes
during a run (an environment's Status) is.
"""

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError
from ansible_collections.saasops.backup.plugins.module_utils._mendix import check_backups_served


class Target:
    """The environment ``app_id`` / ``environment`` name, each lookup made at most once per run."""

    def __init__(self, api, shared=None):
        self.api = api
        self.shared = shared
        # Backups API v1 paths take app_id and environment themselves: the v2 ids are not used there.
        v2 = api.version == 2
        self.given_project = api.params.get('project_id') if v2 else None
        self.given_env = api.params.get('environment_id') if v2 else None
        self._env = None
        self._app = None

    @property
    def gives_ids(self):
        """True when the options answer both v2 ids, so reading needs no lookup."""
        return bool(self.given_project and self.given_env)

    def environment(self):
        """The Deploy API's environment object (read once)."""
        if self._env is None:
            self._env = self.api.environment() if self.shared is None else self._listed_environment()
        return self._env

    def _listed_environment(self):
        """The environment from the app's (shared) environments list; an environment read when it is not listed.

        The read then says which environments exist, or finds one the list does not show by that name.
        """
        api = self.api
        envs = self.shared.get(('environments', api.app_id), api.app_environments)
        return api.environment_in(envs if isinstance(envs, list) else []) or api.environment()

    def app(self):
        """The Deploy API's app object (read once; shared with concurrent runs with ``shared``)."""
        if self._app is None:
            self._app = self.api.app() if self.shared is None else self.shared.get(('app', self.api.app_id),
                                                                                   self.api.app)
        return self._app

    def environment_id(self):
        return self.given_env or self.environment().get('EnvironmentId')

    def project_id(self):
        return self.given_project or self.api.project_id(self.app())

    def placeholder(self):
        """What Backups needs of the environment object when the options gave its id."""
        return {'EnvironmentId': self.given_env, 'Mode': self.api.mode}

    def looked_up(self):
        """The environment object when it was read, else the placeholder (nothing is sent)."""
        return self._env if self._env is not None else self.placeholder()

    def check_served(self):
        """Refuse a sandbox or free app with what was read so far (nothing is sent)."""
        if self._env is not None or self._app is not None:
            check_backups_served(self.looked_up(), self.api.app_id, self._app)

    def check_before_change(self):
        """Before a create or a delete: make the lookups the ids skipped, refuse a sandbox and ids of another environment.

        A sandbox has no Backups API (api/mendix.md, "Real clients" item 10); ids that are not those of
        app_id / environment would change another environment than the one the task names.
        """
        if not (self.given_project or self.given_env):
            return  # read and checked when the backups were opened
        env = self.environment()
        app = self.app() if self.api.version == 2 else None
        check_backups_served(env, self.api.app_id, app)
        named = "environment '%s' of app '%s'" % (self.api.mode, self.api.app_id)
        if self.given_env and env.get('EnvironmentId') != self.given_env:
            raise InputError("environment_id '%s' is not the EnvironmentId of Mendix %s (%s): nothing was changed"
                             % (self.given_env, named, env.get('EnvironmentId')))
        if self.given_project and app is not None and self.api.project_id(app) != self.given_project:
            raise InputError("project_id '%s' is not the ProjectId of Mendix app '%s' (%s): nothing was changed"
                             % (self.given_project, self.api.app_id, app.get('ProjectId')))
