# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """Options of modules that wait for asynchronous vendor work."""

    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Wait until the vendor reports the operation finished, and fail if it failed.
      - With V(false) the module returns as soon as the operation is accepted; run it again with
        V(true) to wait for the same operation (nothing new is started).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait at most when O(wait=true). Polling starts fast and slows down to every 30 seconds.
      - On timeout the module fails saying what it last saw; the vendor operation goes on.
    type: int
    default: 1800
'''
