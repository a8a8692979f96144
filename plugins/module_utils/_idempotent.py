# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creating something exactly once over an unreliable connection."""

from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError

# How many times a create is sent in all when each answer was lost and the re-read showed
# nothing was made. Beyond that the link is too unreliable to keep trying.
MAX_CREATE_ATTEMPTS = 3


def create_once(create, find, attempts=MAX_CREATE_ATTEMPTS):
    """Return ``('created', create())`` or ``('found', find())``.

    A create is never blindly re-sent: when its answer is lost (``maybe_applied``) the
    server may have acted, so ``find()`` re-reads by the idempotency key first. If the
    object is there it is returned, else the create is sent again. ``find`` returns None
    when nothing matches.
    """
    attempt = 1
    while True:
        try:
            return 'created', create()
        except PlatformError as exc:
            if not exc.maybe_applied:
                raise
            found = find()
            if found is not None:
                return 'found', found
            if attempt >= attempts:
                raise
            attempt += 1
