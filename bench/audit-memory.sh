#!/usr/bin/env bash
# What the audit's memory grows with (issue 19): archives with the SAME patients with LCNEC (LCNEC, default 1,667, the
# 5-year archive's) and more and more patients without it (SIZES, default 20,000 40,000 80,000), over DAYS batches.
# Each archive is audited twice in the same run: as shipped (dormant patients' facts put to rest in the encrypted spill
# file) and with --no-spill (every patient in memory). Prints peak RSS and the audit's memory line for each, and the
# smallest GC heap each completes in.
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

. bench/lib.sh
publish_cli

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
  printf '%-22s %6.1f s wall  %5d MiB peak RSS  %s\n' "$label" "$(wall_of "$WORK/$label.time")" "$(rss_mib_of "$WORK/$label.time")" \
    "$(grep '^memory:' "$WORK/$label.log" || echo 'memory: every patient in memory')"
}

# Peak RSS says more about the runtime and the GC's headroom than about what the audit keeps. What it keeps is told
# by the smallest GC heap it completes in: each audit is run again under DOTNET_GCHeapHardLimit, from LADDER's first
# limit up (MiB), and the first limit it completes under is printed (a run over the limit ends "Out of memory").
LADDER=${LADDER:-"40 60 80 120 160 240 320 480"}
smallest_heap() { # archive, extra args...
  local archive=$1
  shift
  for limit in $LADDER; do
    local status=0
    DOTNET_GCHeapHardLimit=$(printf '0x%x' $(( limit * 1048576 ))) "${lcnec[@]}" audit "$archive" --out "$WORK/report-limit" "$@" \
      > /dev/null 2>&1 || status=$?
    if [ "$status" -le 1 ]; then
      echo "$limit"
      return
    fi
  done
  echo "over ${LADDER##* }"
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
  echo "smallest GC heap it completes in (MiB, of $LADDER): $(smallest_heap "$archive") with the spill file," \
    "$(smallest_heap "$archive" --no-spill) without"
done
