#!/usr/bin/env bash
# Headless tests of the Neovim plugin.
#
#   editors/nvim/test/run.sh                 # with `sextant lsp` from PATH
#   SEXTANT_CMD="$PWD/target/debug/sextant lsp" editors/nvim/test/run.sh
#   SEXTANT_CMD="python3 editors/nvim/test/fake_server.py" editors/nvim/test/run.sh
#   SEXTANT_FAKE=1 editors/nvim/test/run.sh  # the fake server, plus checks of what it received
#
# NVIM names the nvim binary (default: nvim). SEXTANT_TEST_API picks how the plugin is set up:
# setup (default), legacy (setup{ legacy = true }), native (vim.lsp.enable, Neovim 0.11+), or
# all (each one this Neovim has). Exits non-zero when a check fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
plugin="$(dirname "$here")"
repo="$(cd "$plugin/../.." && pwd)"
nvim="${NVIM:-nvim}"
export SEXTANT_REPO="$repo"

if [ -n "${SEXTANT_FAKE:-}" ]; then
  export SEXTANT_CMD="python3 $here/fake_server.py"
fi
case "${SEXTANT_CMD:-}" in
  *fake_server.py*) fake=1 ;;
  *) fake= ;;
esac

apis="${SEXTANT_TEST_API:-setup}"
if [ "$apis" = all ]; then
  apis="setup legacy"
  if "$nvim" --headless --clean -c 'lua io.stdout:write(vim.fn.has("nvim-0.11"))' -c 'qa!' 2>/dev/null | grep -q 1; then
    apis="$apis native"
  fi
fi

"$nvim" --version | head -n 1
status=0
for api in $apis; do
  log=""
  if [ -n "$fake" ]; then
    log="$(mktemp)"
  fi
  for script in diagnostics.lua missing_binary.lua; do
    echo "== $script ($api)"
    if SEXTANT_TEST_API="$api" SEXTANT_FAKE_LOG="$log" timeout 90 \
      "$nvim" --headless --clean --cmd "set rtp^=$plugin" -c "luafile $here/$script" </dev/null; then
      echo "passed: $script ($api)"
    else
      echo "FAILED: $script ($api)"
      status=1
    fi
  done
  [ -n "$log" ] && rm -f "$log"
done
exit $status
