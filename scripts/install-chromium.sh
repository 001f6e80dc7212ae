#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing; does nothing when it is there.
# Prints the browser's path on its last line. Exits non-zero, with the reason, when it cannot install.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  command -v chromium
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  sudo=sudo
  command -v sudo >/dev/null 2>&1 || { echo "install-chromium: not root and no sudo: install the Debian package 'chromium' by hand" >&2; exit 1; }
else
  sudo=
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium
