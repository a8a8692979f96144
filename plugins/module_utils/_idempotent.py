# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creating something exactly once over an unreliable connection."""

from ansible_collections.saasops.backup.plugins.module_utils._errors import PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._retry_while import retry_while

# How many times a create is sent in all when each answer was lost and the re-read showed
# nothing was made. Beyond that the link is too unreliable to keep trying.
MAX_CREATE_ATTEMPTS = 3

# How create_once got its object: this run's create answered; this run's create lost its answer
# and the re-read found the object (made by this run, most likely); or the create was refused
# because the object exists, made by a concurrent run between our read and our create.
CREATED, FOUND, ADOPTED = 'created', 'found', 'adopted'


def create_once(create, find, attempts=MAX_CREATE_ATTEMPTS, exists=None):
    """Return ``(CREATED, create())``, ``(FOUND, find())`` or ``(ADOPTED, find())``.

    A create is never blindly re-sent: when its answer is lost (``maybe_applied``) the
    server may have acted, so ``find()`` re-reads by the idempotency key first. If the
    object is there it is returned, else the create is sent again. ``find`` returns None
    when nothing matches.

    ``exists(error)`` says an error may mean "it exists already" (ArcGIS answers 409): a run
    racing ours made it, so it is found, not a failure - when ``find()`` confirms; otherwise
    the error stands.
    """
    attempt = 1
    while True:
        try:
            return CREATED, create()
        except PlatformError as exc:
            if exists is not None and exists(exc):
                found = find()
                if found is None:
                    raise
                return ADOPTED, found
            if not exc.maybe_applied:
                raise
            found = find()
            if found is not None:
                return FOUND, found
            if attempt >= attempts:
                raise
            attempt += 1


def create_when_free(create, find, busy, budget, what, exists=None):
    """``create_once``, sent again while ``busy(error)`` says the platform refuses for now.

    Mendix answers ENVIRONMENT_BUSY while another job runs on the environment - possibly the
    snapshot a concurrent run of the same task is making. So before every re-send ``find()``
    re-reads by the idempotency key, and an object found then is ADOPTED, never made twice.
    ``budget`` (a WaitBudget) paces the attempts and ends them at its deadline (WaitTimeout
    naming ``what``; see _retry_while). An action without an idempotency key (a restore) uses
    retry_while itself: it cannot be re-read, so a lost answer must not be re-sent.
    """
    def attempt(number):
        if number > 1:
            found = find()
            if found is not None:
                return ADOPTED, found
        return create_once(create, find, exists=exists)

    return retry_while(attempt, busy, budget, what)
