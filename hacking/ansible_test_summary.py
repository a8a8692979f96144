#!/usr/bin/env python
"""Run an ansible-test command, stream its output, and close with a one-line summary.

Usage: ansible_test_summary.py sanity|units|integration [--log FILE] -- ansible-test ...

For sanity and integration the summary counts what ansible-test ran and what it reported as
failed ("The N ... test(s) listed below (out of M) failed"). For units pytest's own summary line
is already in the output; the wrapper adds the exit status. The exit code is ansible-test's.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

RUNNING = {
    'sanity': re.compile(r'''^Running sanity test ['"]([^'"]+)['"]'''),
    'integration': re.compile(r'^Running (\S+) integration test (?:role|script)'),
}
FAILED_HEADER = re.compile(r'The (\d+) (?:sanity|integration) test\(s\) listed below \(out of (\d+)\) failed')
NAME = re.compile(r'[A-Za-z0-9_.-]+')


def run(kind: str, command: list[str], log_path: str | None = None) -> tuple[int, list[str], list[str]]:
    """Run command, echo and optionally log its output; return (exit status, ran, failed)."""
    ran: list[str] = []
    failed: list[str] = []
    in_failed_list = False
    running = RUNNING.get(kind)
    log = open(log_path, 'w', encoding='utf-8') if log_path else None  # pylint: disable=consider-using-with
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              text=True, errors='replace', bufsize=1) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                if log:
                    log.write(line)
                text = line.rstrip('\n')
                match = running.search(text) if running else None
                if match:
                    if match.group(1) not in ran:
                        ran.append(match.group(1))
                    in_failed_list = False
                    continue
                if FAILED_HEADER.search(text):
                    in_failed_list = True
                    continue
                if in_failed_list:
                    name = text.strip()
                    if name and NAME.fullmatch(name):
                        failed.append(name)
                    else:
                        in_failed_list = False
            rc = proc.wait()
    finally:
        if log:
            log.close()
    return rc, ran, failed


def summary(kind: str, rc: int, ran: list[str], failed: list[str]) -> list[str]:
    """Closing lines: which tests failed, and 'KIND: N passed, M failed'."""
    lines = []
    if kind not in RUNNING:
        return ['ansible-test %s: exit status %d' % (kind, rc)]
    if rc != 0 and not failed:
        failed = ['(ansible-test error, exit status %d)' % rc]
    if failed:
        lines.append('%s failed: %s' % (kind, ', '.join(failed)))
    passed = len([name for name in ran if name not in failed])
    lines.append('ansible-test %s: %d test(s) run, exit status %d' % (kind, len(ran), rc))
    lines.append('%s: %d passed, %d failed' % (kind, passed, len(failed)))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument('kind', choices=['sanity', 'units', 'integration'])
    parser.add_argument('--log', help='also write the output to this file')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        parser.error('no command given')
    rc, ran, failed = run(args.kind, command, args.log)
    for line in summary(args.kind, rc, ran, failed):
        print(line)
    return rc


if __name__ == '__main__':
    sys.exit(main())
