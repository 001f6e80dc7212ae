#!/usr/bin/env bash
# What the audit's memory grows with (issue 19): archives with the SAME patients with LCNEC (LCNEC, default 1,667, the
# 5-year archive's) and more and more patients without it (SIZES, default 20,000 40,000 80,000), over DAYS batches.
# Each archive is audited twice in the same run: as shipped (dormant patients' facts put to rest in the encrypted spill
# file) and with --no-spill (every patient in memory). Prints peak RSS and the audit's memory line for each.
#
#   bench/audit-memory.sh
#   SIZES="20000 100000" LCNEC=1667 DAYS=1826 WORK=/data/mem KEEP=1 bench/audit-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"20000 40000 80000"}
LCNEC=${LCNEC:-1667}
DAYS=${DAYS:-1826}
START=${START:-2021-01-01}
SEED=${SEED:-42}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lcnec-audit-memory-XXXXXX")}

mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "audit-memory: /usr/bin/time is missing (Debian package 'time')" >&2; exit 3; }
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

echo "== publish (Release, ReadyToRun)"
rid=linux-x64
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; esac
dotnet publish src/LcnecBatch.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$WORK/cli" -nologo -v quiet >/dev/null
lcnec=(dotnet "$WORK/cli/lcnec.dll")

field() { sed -n "s/^[[:space:]]*$2: //p" "$1"; }
seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }'; }

audit() { # archive, label, extra args...
  local archive=$1 label=$2
  shift 2
  local status=0
  /usr/bin/time -v -o "$WORK/$label.time" "${lcnec[@]}" audit "$archive" --out "$WORK/report-$label" "$@" \
    > "$WORK/$label.log" 2> "$WORK/$label.err" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "audit-memory: lcnec audit failed (exit $status)" >&2
    cat "$WORK/$label.err" >&2
    exit "$status"
  fi
  printf '%-22s %6.1f s wall  %5d MiB peak RSS  %s\n' "$label" \
    "$(field "$WORK/$label.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)' | seconds)" \
    "$(( $(field "$WORK/$label.time" 'Maximum resident set size (kbytes)') / 1024 ))" \
    "$(grep '^memory:' "$WORK/$label.log" || echo 'memory: every patient in memory')"
}

for size in $SIZES; do
  archive="$WORK/archive-$size"
  if [ ! -f "$archive/truth.json" ]; then
    "${lcnec[@]}" generate "$archive" --patients "$size" --lcnec-patients "$LCNEC" --days "$DAYS" --start "$START" \
      --seed "$SEED" > "$WORK/generate-$size.log"
  fi
  [ -f "$WORK/generate-$size.log" ] || echo "lcnec generate: $size patients (? LCNEC)" > "$WORK/generate-$size.log"
  echo "== $(sed -n 's/^lcnec generate: \([0-9]* patients ([0-9]* LCNEC)\).*/\1/p' "$WORK/generate-$size.log"), $DAYS batches"
  audit "$archive" "spill-$size"
  audit "$archive" "no-spill-$size" --no-spill
done
