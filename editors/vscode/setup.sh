#!/usr/bin/env bash
# Installs what tests/vscode.rs needs: the extension's pinned npm packages
# (package-lock.json): vscode-languageclient (shipped in the .vsix), and
# for the tests @vscode/vsce, vscode-textmate and vscode-oniguruma (its
# WASM is in the package: nothing is downloaded at run time). Safe to run
# again. Without them tests/vscode.rs passes, saying "SKIPPED".
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "setup.sh: no Node.js/npm on this machine: tests/vscode.rs will say SKIPPED" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
node -e 'require("vscode-textmate"); require("vscode-oniguruma"); console.log("vscode extension test packages ready")'
