# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmarks share: min/median/max of a figure, alternated runs, and what a request log changed.

Benchmarks compare two things measured in the same run; alternating them (a, b, a, b, ...) spreads any
drift of the machine (another job, a warm cache) over both sides instead of charging it to one.
"""

import statistics

# Requests that only read although they are POSTs: ArcGIS tokens, Jahia's context, Atlassian's regions.
READ_POSTS = ('/generateToken', 'getContext.do', '/regions')


def spread(values):
    """(min, median, max) of a list of numbers."""
    return min(values), statistics.median(values), max(values)


def figures(values, fmt='%6.2f'):
    """'min x  median y  max z' of a list of numbers."""
    return '  '.join('%s %s' % (name, fmt % value) for name, value in zip(('min', 'median', 'max'), spread(values)))


def alternate(runs, *sides):
    """Call each side in turn, ``runs`` times over (a, b, a, b, ...); returns one list of results per side."""
    results = [[] for dummy in sides]
    for dummy in range(runs):
        for side, collected in zip(sides, results):
            collected.append(side())
    return results


def mutating(requests):
    """The requests of a request log that may change something (every method but GET, less the reading POSTs)."""
    return [r for r in requests if r['method'] not in ('GET', 'HEAD') and not r['path'].endswith(READ_POSTS)]
