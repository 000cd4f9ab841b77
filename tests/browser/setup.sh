#!/usr/bin/env bash
# Installs what the browser test (tests/browser.rs, tests/browser/check.mjs)
# needs: Debian's Chromium and the pinned playwright-core from
# package-lock.json. Safe to run again. Without these the browser test
# passes, saying "SKIPPED" (tests/support/skip.rs).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  else
    echo "setup.sh: no apt-get: install Chromium at /usr/bin/chromium by hand" >&2
    exit 1
  fi
fi
/usr/bin/chromium --version 2>/dev/null || true

# playwright-core needs Node.js 20 or later (the machine's; Debian 12's
# own nodejs is 18, too old).
if ! command -v npm >/dev/null 2>&1; then
  echo "setup.sh: no Node.js/npm on this machine: the browser test will say SKIPPED" >&2
  exit 1
fi
# playwright-core downloads no browser; we use Debian's.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
node -e 'import("playwright-core").then(() => console.log("playwright-core ready"))'
