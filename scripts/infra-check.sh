#!/usr/bin/env bash
# Builds and lints the Bicep of infra/ with the Bicep CLI from NuGet (scripts/install-bicep.sh).
# Fails on any error or warning: lint exits 0 with warnings, so the output is read too.
# The compiled ARM JSON goes to tools/out/infra/ (git-ignored), never into the repository.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

bicep=$(bash scripts/install-bicep.sh) || { echo "error: the Bicep CLI could not be installed" >&2; exit 1; }
out=tools/out/infra
mkdir -p "$out"

failed=0
# Runs one bicep command, shows its output, and fails it on a non-zero exit or any
# "Warning"/"Error" diagnostic (format: path(line,col) : Warning rule: message).
check() {
  local output status
  output=$("$bicep" "$@" 2>&1)
  status=$?
  [ -n "$output" ] && echo "$output"
  if [ "$status" -ne 0 ] || grep -qE ' : (Warning|Error) ' <<<"$output"; then
    echo "error: bicep $1 reported errors or warnings (exit $status)" >&2
    failed=1
  fi
}

echo "bicep: $("$bicep" --version)"
check build infra/main.bicep --outdir "$out"
# Every file, main.bicep and its modules, in one run.
check lint --pattern 'infra/**/*.bicep'

if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "infra: bicep build and lint clean ($out/main.json)"
