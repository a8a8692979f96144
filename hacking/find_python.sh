#!/usr/bin/env bash
# Print the path of a working Python X.Y interpreter (argument: X.Y), or nothing.
#
# Tried in order: pythonX.Y on PATH (pyenv's shim is on PATH on some machines but says "command
# not found" when no pyenv version selects it, so the candidate must actually run), then pyenv's
# own installs, newest patch release first. The Makefile fails with a clear message when this
# prints nothing; it never skips the controller that needs it.
set -u
want="${1:?usage: find_python.sh X.Y}"

works() {
  [ -n "$1" ] && [ -x "$1" ] && \
    [ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]
}

candidate="$(command -v "python$want" 2>/dev/null || true)"
if works "$candidate"; then
  echo "$candidate"
  exit 0
fi
root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
installs=()
for dir in "$root/versions/$want".*; do
  [ -d "$dir" ] && installs+=("$dir")
done
[ ${#installs[@]} -gt 0 ] || exit 0
# newest patch release first
while IFS= read -r dir; do
  if works "$dir/bin/python$want"; then
    echo "$dir/bin/python$want"
    exit 0
  fi
done < <(printf '%s\n' "${installs[@]}" | sort -V -r)
exit 0
