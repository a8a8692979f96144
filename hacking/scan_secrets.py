#!/usr/bin/env python
"""Search logs and test output for secrets: passwords, passcodes and the tokens the emulator issued.

    scan_secrets.py --server-json DIR/server.json --secrets-file SECRETS.json PATH [PATH ...]

SECRETS.json is ``{"name": "value", ...}`` (kept out of the command line so that it never shows
in ``ps`` or make's echo). Tokens are fetched from the running emulator
(``GET <api_base>/_emulator/state/arcgis``, TLS verified with its CA): every string found under a
key containing ``token``. Each PATH is a file or a directory searched recursively (symlinks are
not followed). Besides the raw value, the URL-encoded and JSON-escaped forms are searched.

Exit status 1 when anything is found; the report names the secret, the file and the line, and
shows only a redacted form of the value.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
from pathlib import Path

MAX_HITS_PER_FILE = 5


def redact(value: str) -> str:
    """A form that identifies a secret in a report without disclosing it."""
    return '%s***(%d chars)' % (value[:2] if len(value) >= 12 else '', len(value))


def variants(value: str) -> set[bytes]:
    """The forms a secret takes in logs: raw, URL-encoded (query strings, form bodies), JSON-escaped."""
    forms = {value, urllib.parse.quote(value, safe=''), urllib.parse.quote_plus(value), json.dumps(value)[1:-1]}
    return {form.encode('utf-8') for form in forms if form}


def collect_tokens(data, found: set[str] | None = None, under_token_key: bool = False) -> set[str]:
    """Every string stored under a key containing 'token' anywhere in a JSON document."""
    found = set() if found is None else found
    if isinstance(data, dict):
        for key, value in data.items():
            collect_tokens(value, found, under_token_key or 'token' in str(key).lower())
    elif isinstance(data, list):
        for item in data:
            collect_tokens(item, found, under_token_key)
    elif isinstance(data, str) and under_token_key and len(data) >= 8:
        found.add(data)
    return found


def emulator_tokens(server_json: str) -> dict[str, str]:
    """{'arcgis_token_1': value, ...}: every token each emulated platform issued (its state's token keys)."""
    import requests  # pylint: disable=import-outside-toplevel

    with open(server_json, encoding='utf-8') as handle:
        info = json.load(handle)
    tokens: dict[str, str] = {}
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE / proxies must not override the emulator CA
    session.verify = info['ca_path']
    response = session.get(info['api_base'] + '/_emulator/state', timeout=30)
    response.raise_for_status()
    for platform, state in sorted(response.json().items()):
        for index, value in enumerate(sorted(collect_tokens(state)), 1):
            tokens['%s_token_%d' % (platform, index)] = value
    return tokens


def iter_files(paths: list[str]):
    for path in paths:
        root = Path(path)
        if root.is_symlink():
            continue
        if root.is_file():
            yield root
        elif root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
                for name in filenames:
                    full = Path(dirpath) / name
                    if not full.is_symlink() and full.is_file():
                        yield full


def scan(paths: list[str], secrets: dict[str, str]) -> tuple[int, list[str]]:
    """Return (files scanned, findings) where each finding names secret, file and line."""
    needles = {name: variants(value) for name, value in secrets.items() if value}
    findings: list[str] = []
    count = 0
    for path in iter_files(paths):
        count += 1
        try:
            data = path.read_bytes()
        except OSError as exc:
            findings.append('%s: unreadable (%s)' % (path, exc))
            continue
        for name, forms in needles.items():
            lines: set[int] = set()
            for form in forms:
                start = data.find(form)
                while start != -1:
                    lines.add(data.count(b'\n', 0, start) + 1)
                    start = data.find(form, start + len(form))
            for line in sorted(lines)[:MAX_HITS_PER_FILE]:
                findings.append('%s:%d: %s %s' % (path, line, name, redact(secrets[name])))
            if len(lines) > MAX_HITS_PER_FILE:
                findings.append('%s: %s on %d more line(s)' % (path, name, len(lines) - MAX_HITS_PER_FILE))
    return count, findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--server-json', help="the running emulator's server.json (tokens are fetched from it)")
    parser.add_argument('--secrets-file', help='JSON object {name: secret}')
    parser.add_argument('paths', nargs='+')
    args = parser.parse_args()

    secrets: dict[str, str] = {}
    if args.secrets_file:
        with open(args.secrets_file, encoding='utf-8') as handle:
            secrets.update(json.load(handle))
    if args.server_json:
        secrets.update(emulator_tokens(args.server_json))
    return report(args.paths, secrets)


def report(paths: list[str], secrets: dict[str, str]) -> int:
    count, findings = scan(paths, secrets)
    kinds: dict[str, int] = {}
    for name in secrets:
        kind = name.rstrip('0123456789').rstrip('_') if name[-1:].isdigit() else name
        kinds[kind] = kinds.get(kind, 0) + 1
    names = ['%s x%d' % (k, n) if n > 1 else k for k, n in sorted(kinds.items())]
    for finding in findings:
        print('SECRET LEAK: ' + finding)
    print('scan_secrets: %d file(s) searched for %d secret(s) (%s): %d finding(s)'
          % (count, len(secrets), ', '.join(names) or 'none', len(findings)))
    print('secret-scan: %d passed, %d failed' % (0 if findings else 1, 1 if findings else 0))
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main())
