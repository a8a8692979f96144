# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """The declared-production guard of restores on platforms without a production flag."""

    DOCUMENTATION = r'''
options:
  production:
    description:
      - Declare the target production; the platform has no flag of its own.
      - The restore role sets it from the inventory variable C(saasops_production).
      - A target declared production is refused unless O(allow_production=true), before any request is sent
        (in check mode too).
    type: bool
    default: false
  allow_production:
    description:
      - Allow restoring into a target declared production with O(production=true).
    type: bool
    default: false
'''
