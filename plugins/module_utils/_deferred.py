# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A create refused by a rate limit and left for a later run instead of waited for (``defer_on_rate_limit``)."""


class RateLimited(Exception):
    """A create answered 429 and not retried: nothing was started.

    ``retry_after`` is the server's Retry-After in seconds, None when it sent none (Atlassian does not always).
    ``changed`` says whether the run changed something before the refused create (Atlassian v2 sets a schedule first).
    """

    def __init__(self, platform, operation, retry_after):
        self.operation = operation
        self.retry_after = retry_after
        self.changed = False
        super(RateLimited, self).__init__('%s: %s was refused by the rate limit (HTTP 429)' % (platform, operation))
