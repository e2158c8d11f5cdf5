#!/usr/bin/env bash
# The VS Code extension's CI: install from the lockfile, type-check, unit tests, build the .vsix.
# Needs only node (20 or later) and npm; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run typecheck
npm test
npm run package
ls -l sextant.vsix
