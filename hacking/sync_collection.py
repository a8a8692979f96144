#!/usr/bin/env python
"""Mirror this checkout into <dest>/ansible_collections/saasops/backup.

ansible-test must run inside an ``ansible_collections/<namespace>/<name>`` tree and refuses a
symlinked one (it resolves the real path), so the checkout is COPIED there. What is copied:
the files git would show (tracked + untracked-but-not-ignored) and the whole ``.git`` directory
(so ansible-test lists the copy's files through git, exactly like the checkout's). Never copied:
``.venv``, ``.build``, ``tests/output`` and the destination itself.

Re-syncs are incremental (size + mtime); files that vanished from the checkout are deleted from
the copy. The copy's ``tests/output`` is kept between runs (ansible-test's venvs live there, which
keeps warm runs fast) unless ``--clean-output`` is given.

Prints the collection root of the copy on stdout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

NAMESPACE = 'saasops'
NAME = 'backup'

# Never copied, whatever git says (top-level path prefixes, relative to the checkout).
EXCLUDED_PREFIXES = ('.venv/', '.build/', 'tests/output/', 'collections/', '.ansible/')
# Kept in the copy although they are not in the checkout (written there by the tools).
PRESERVED_PREFIXES = ('tests/output/',)


def git_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files, as git lists them (deleted ones left out)."""
    def ls(*args: str) -> list[str]:
        out = subprocess.run(['git', '-C', str(root), 'ls-files', '-z', *args],
                             check=True, capture_output=True).stdout
        return [p.decode('utf-8', 'surrogateescape') for p in out.split(b'\0') if p]

    files = set(ls('--cached', '--others', '--exclude-standard'))
    files -= set(ls('--deleted'))
    return sorted(files)


def walk_files(root: Path) -> list[str]:
    """Every file (and symlink) under root, relative to root."""
    result = []
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for name in dirnames:
            if (base / name).is_symlink():
                filenames.append(name)
        dirnames[:] = [d for d in dirnames if not (base / d).is_symlink()]
        for name in filenames:
            result.append(str((base / name).relative_to(root)))
    return result


def excluded(rel: str, dest_rel: str | None) -> bool:
    rel_slash = rel + '/'
    if any(rel_slash.startswith(p) for p in EXCLUDED_PREFIXES):
        return True
    return dest_rel is not None and (rel_slash.startswith(dest_rel + '/') or rel == dest_rel)


def same(src: Path, dst: Path) -> bool:
    if src.is_symlink() or dst.is_symlink():
        return src.is_symlink() and dst.is_symlink() and os.readlink(src) == os.readlink(dst)
    try:
        s, d = src.stat(), dst.stat()
    except FileNotFoundError:
        return False
    return s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime) and s.st_mode == d.st_mode


def copy_one(src: Path, dst: Path) -> None:
    if dst.is_symlink() or dst.is_file():
        dst.unlink()
    elif dst.is_dir():
        shutil.rmtree(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
    else:
        shutil.copy2(src, dst)


def sync(src_root: Path, dest_root: Path, clean_output: bool) -> tuple[int, int]:
    try:
        dest_rel = str(dest_root.resolve().relative_to(src_root.resolve()))
    except ValueError:
        dest_rel = None

    wanted = [f for f in git_files(src_root) if not excluded(f, dest_rel)]
    if (src_root / '.git').is_dir():
        wanted += ['.git/' + f for f in walk_files(src_root / '.git')]
    elif (src_root / '.git').exists():
        wanted.append('.git')  # a linked worktree: .git is a 'gitdir: ...' file
    wanted_set = set(wanted)
    # git needs its empty directories too (objects/, refs/ of a repository without commits)
    git_dirs = []
    if (src_root / '.git').is_dir():
        git_dirs = ['.git'] + ['.git/' + str(Path(d).relative_to(src_root / '.git'))
                               for d, _n, _f in os.walk(src_root / '.git') if Path(d) != src_root / '.git']
    for rel in git_dirs:
        (dest_root / rel).mkdir(parents=True, exist_ok=True)
    keep_dirs = set(git_dirs)

    copied = 0
    for rel in wanted:
        src, dst = src_root / rel, dest_root / rel
        if not src.exists() and not src.is_symlink():
            continue  # raced with a deletion
        if not same(src, dst):
            copy_one(src, dst)
            copied += 1

    removed = 0
    if dest_root.exists():
        for rel in walk_files(dest_root):
            if rel in wanted_set:
                continue
            if not clean_output and any((rel + '/').startswith(p) for p in PRESERVED_PREFIXES):
                continue
            (dest_root / rel).unlink()
            removed += 1
        # drop directories left empty (never the preserved ones)
        for dirpath, _dirnames, _filenames in sorted(os.walk(dest_root), key=lambda x: -len(x[0])):
            path = Path(dirpath)
            rel = str(path.relative_to(dest_root))
            if path == dest_root or rel in keep_dirs or any((rel + '/').startswith(p) for p in PRESERVED_PREFIXES):
                continue
            if not any(path.iterdir()):
                path.rmdir()
    return copied, removed


def main() -> int:
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--dest', default=str(repo / '.build'),
                        help='directory that receives ansible_collections/ (default: .build)')
    parser.add_argument('--clean-output', action='store_true',
                        help="also delete the copy's tests/output")
    parser.add_argument('--quiet', '-q', action='store_true')
    args = parser.parse_args()

    dest_root = Path(args.dest).absolute() / 'ansible_collections' / NAMESPACE / NAME
    dest_root.mkdir(parents=True, exist_ok=True)
    copied, removed = sync(repo, dest_root, args.clean_output)
    if not args.quiet:
        print(f'sync_collection: {copied} file(s) copied, {removed} removed -> {dest_root}', file=sys.stderr)
    print(dest_root)
    return 0


if __name__ == '__main__':
    sys.exit(main())
