# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The production guard of platforms that have no production flag of their own: the user declares it.

ArcGIS Enterprise and Atlassian Cloud cannot tell us whether an organization or a site is
production, so their restore modules take ``production`` (set by the restore role from the
inventory variable ``saasops_production``) and refuse such a target unless ``allow_production``.
Jahia and Mendix report the flag themselves; their guards live in their platform files.
"""

from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError


def production_argument_spec():
    """The options documented by the ``saasops.backup.production`` doc fragment."""
    return dict(
        # Not production unless declared: the modules cannot find out, and a restore role that
        # knows better sets it from saasops_production.
        production=dict(type='bool', default=False),
        allow_production=dict(type='bool', default=False),
    )


def refuse_declared_production(params, what):
    """InputError when the target is declared production and ``allow_production`` is not set.

    ``what`` names the target (e.g. "site 'abc'"). Nothing is read from the platform: modules
    call this before their client exists, so a refused run sends no request at all, not even
    one for a token, in check mode or not.
    """
    if params.get('production') and not params.get('allow_production'):
        raise InputError('refusing to restore into %s: it is declared production (production: true); '
                         'set allow_production: true to do it anyway' % what)
