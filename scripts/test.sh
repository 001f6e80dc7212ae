#!/usr/bin/env bash
# Installs what the tests need (Azurite from the pinned lockfile) and runs every test.
# Ends with one line: "tests: N passed, N failed, N skipped"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "error: $*" >&2; echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1; }

step "npm ci (Azurite, pinned in package-lock.json)"
if [ -f package-lock.json ]; then
  if ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
  else
    echo "node_modules is up to date"
  fi
fi

step "dotnet build (warnings are errors)"
dotnet build LcnecBatch.sln -c Release -nologo -v quiet || fail "build failed"

step "dotnet format --verify-no-changes"
dotnet format LcnecBatch.sln --verify-no-changes --no-restore -v quiet || fail "code is not formatted: run 'dotnet format LcnecBatch.sln'"

if [ -x scripts/infra-check.sh ]; then
  step "infra: bicep build + lint"
  scripts/infra-check.sh || fail "bicep build/lint failed"
fi

step "dotnet test"
dotnet test LcnecBatch.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" -- xUnit.ParallelizeTestCollections=true
status=$?

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
done
skipped=$((total - passed - failed))
if [ "$total" = 0 ]; then
  echo "tests: 0 passed, 1 failed, 0 skipped (no test ran)"
  exit 1
fi
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then
  failed=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" = 0 ] && [ "$failed" = 0 ]
