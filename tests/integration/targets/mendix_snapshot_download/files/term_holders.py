# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send SIGTERM to the processes of this user that hold one file open, and print their ids as JSON.

Usage: python term_holders.py PATH. The test passes the partial file of a download that only the
module it started has open (a unique temporary directory), so no other process is touched. Linux only
(/proc).
"""

import json
import os
import signal
import sys


def holders(path):
    target = os.path.realpath(path)
    found = []
    for pid in sorted(int(p) for p in os.listdir('/proc') if p.isdigit()):
        if pid == os.getpid():
            continue
        try:
            if os.stat('/proc/%d' % pid).st_uid != os.getuid():
                continue
            links = [os.readlink('/proc/%d/fd/%s' % (pid, fd)) for fd in os.listdir('/proc/%d/fd' % pid)]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if target in links:
            found.append(pid)
    return found


def main():
    pids = holders(sys.argv[1])
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    print(json.dumps(pids))
    return 0 if pids else 1


if __name__ == '__main__':
    sys.exit(main())
