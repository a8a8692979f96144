#!/usr/bin/env bash
# Install the headless browser the report-page tests drive: Debian's chromium and chromedriver.
#
# CI runs on a fresh machine, so the project installs its browser itself; when both binaries are
# already there this returns at once (no apt call), so `make report-page` stays quick on a warm machine.
# Only Debian's packages: a browser build downloaded by a test tool (playwright, webdriver-manager)
# cannot be fetched here, and Debian's chromium and chromium-driver are built to match each other.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ERROR: $CHROMIUM or $CHROMEDRIVER is missing and there is no apt-get to install them:" \
       "install Debian's 'chromium' and 'chromium-driver' packages (or set CHROMIUM/CHROMEDRIVER)" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "ERROR: $CHROMIUM or $CHROMEDRIVER is missing; installing them needs root:" \
         "run 'sudo apt-get install chromium chromium-driver' (or this script as root)" >&2
    exit 1
  fi
fi

echo "Installing chromium and chromium-driver (Debian packages; a few minutes the first time)"
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be empty or stale: update them once, here.
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null

for binary in "$CHROMIUM" "$CHROMEDRIVER"; do
  if [ ! -x "$binary" ]; then
    echo "ERROR: $binary is still missing after installing chromium and chromium-driver" >&2
    exit 1
  fi
done
"$CHROMIUM" --version
