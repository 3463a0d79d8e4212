#!/usr/bin/env bash
# Installs Debian's chromium for the headless HTML-report test. Idempotent; non-interactive.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "setup-browser: /usr/bin/chromium is missing and this user cannot run apt-get (not root, no sudo). Install the Debian 'chromium' package." >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "setup-browser: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
