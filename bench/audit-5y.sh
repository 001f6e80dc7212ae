#!/usr/bin/env bash
# Five-year audit, end to end: `lcnec generate` writes an archive of PATIENTS patients over DAYS daily
# batches (defaults: 20,000 patients, 1,826 batches = 2021-01-01..2025-12-31), then `lcnec audit` replays
# it under /usr/bin/time -v. Prints generation time, audit wall time, batches per second and peak RSS.
# Then the same archive without care-team responses (`generate --no-responses`: the same lab files, issue 17) is
# audited too, and reminders per alert are printed by rule with the responses and without them.
#
#   bench/audit-5y.sh                      # the full size
#   PATIENTS=2000 DAYS=365 bench/audit-5y.sh   # a smaller run
#   WORK=/data/bench KEEP=1 bench/audit-5y.sh  # keep (and reuse) the archive and the report
#   PATIENTS=100000 DAYS=7305 START=2006-01-01 bench/audit-5y.sh   # the 20-year size (issue 19; 2006-2025)
#   RUNS=5 bench/audit-5y.sh                   # the audit (and the read floor) 5 times, medians reported (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."

PATIENTS=${PATIENTS:-20000}
DAYS=${DAYS:-1826}
START=${START:-2021-01-01}
SEED=${SEED:-42}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lcnec-audit-bench-XXXXXX")}

command -v jq >/dev/null || { echo "audit-5y: jq is missing (Debian package 'jq')" >&2; exit 3; }
. bench/lib.sh
# The plain build's time is printed too (PLAIN=0 skips it), measured in the same run.
publish_cli
PLAIN=${PLAIN:-1}

if [ -f "$WORK/archive/truth.json" ]; then
  echo "== reusing the archive in $WORK/archive"
else
  echo "== lcnec generate: $PATIENTS patients, $DAYS batches from $START (seed $SEED)"
  /usr/bin/time -v -o "$WORK/generate.time" "${lcnec[@]}" generate "$WORK/archive" \
    --patients "$PATIENTS" --days "$DAYS" --start "$START" --seed "$SEED" | tee "$WORK/generate.log"
  echo "generate: $(wall_of "$WORK/generate.time") s wall," \
    "$(rss_mib_of "$WORK/generate.time") MiB peak RSS," \
    "$(du -sh "$WORK/archive" | cut -f1) on disk"
fi

batches=$(find "$WORK/archive" -mindepth 1 -maxdepth 1 -type d -name '????-??-??' | wc -l)
# A shared 2-core machine is noisy (one run in several is 20-30% slower for no reason of its own): the audit runs RUNS
# times (default 3) and the run with the median wall time is the one reported; every run's time is printed.
RUNS=${RUNS:-3}
echo "== lcnec audit: $batches batches, $RUNS runs (progress lines every 5% or 10 s, first run shown)"
for run in $(seq 1 "$RUNS"); do
  status=0
  if [ "$run" = 1 ]; then
    /usr/bin/time -v -o "$WORK/audit-$run.time" "${lcnec[@]}" audit "$WORK/archive" --out "$WORK/report" \
      > >(tee "$WORK/audit.log") 2> "$WORK/audit.err" || status=$?
  else
    /usr/bin/time -v -o "$WORK/audit-$run.time" "${lcnec[@]}" audit "$WORK/archive" --out "$WORK/report-$run" \
      > /dev/null 2> "$WORK/audit-$run.err" || status=$?
  fi
  # 1 = done, with the rows the generator writes bad on purpose listed on standard error.
  if [ "$status" -gt 1 ]; then
    echo "audit-5y: lcnec audit failed (exit $status)" >&2
    cat "$WORK/audit.err" "$WORK/audit-$run.err" 2>/dev/null >&2
    exit "$status"
  fi
  echo "run $run:         $(wall_of "$WORK/audit-$run.time") s wall, $(rss_mib_of "$WORK/audit-$run.time") MiB peak RSS"
done
median=$(for run in $(seq 1 "$RUNS"); do
  echo "$(wall_of "$WORK/audit-$run.time") $run"; done | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2) { print $2 }')
cp "$WORK/audit-$median.time" "$WORK/audit.time"

wall=$(wall_of "$WORK/audit.time")
rss_kb=$(field "$WORK/audit.time" 'Maximum resident set size (kbytes)')
cpu=$(field "$WORK/audit.time" 'Percent of CPU this job got')
cpu_s=$(awk -v u="$(field "$WORK/audit.time" 'User time (seconds)')" -v s="$(field "$WORK/audit.time" 'System time (seconds)')" 'BEGIN { printf "%.1f", u + s }')
echo "== result"
echo "patients:      $PATIENTS"
echo "batches:       $batches"
echo "wall time:     $wall s, median of $RUNS runs ($cpu_s s of CPU, $cpu of one core; load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores)"
echo "batches/s:     $(awk -v b="$batches" -v s="$wall" 'BEGIN { printf "%.1f", b / s }')"
echo "peak RSS:      $(( rss_kb / 1024 )) MiB (the median run's)"
echo "report:        $WORK/report $( [ "$KEEP" = 1 ] || echo '(deleted on exit; KEEP=1 keeps it)')"
if [ "$PLAIN" = 1 ]; then
  dotnet build src/LcnecBatch.Cli -c Release -nologo -v quiet >/dev/null
  /usr/bin/time -v -o "$WORK/audit-plain.time" dotnet src/LcnecBatch.Cli/bin/Release/net10.0/lcnec.dll audit "$WORK/archive" \
    --out "$WORK/report-plain" > /dev/null 2>&1 || true
  echo "plain build:   $(wall_of "$WORK/audit-plain.time") s wall," \
    "$(rss_mib_of "$WORK/audit-plain.time") MiB peak RSS (dotnet build output, not ReadyToRun)"
fi

# --- Read floor (issue 19): Python's csv module reading every CSV row of the same archive, in the same run, so the
# audit's time can be read as a multiple of what merely reading the input costs on this machine today.
if command -v python3 >/dev/null 2>&1; then
  # The floor is read as many times as the audit ran, and its median taken likewise.
  floor=$(python3 - "$WORK/archive" "$RUNS" <<'PY'
import csv, glob, os, sys, time
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    rows = 0
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*", "*.csv"))):
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            for _ in csv.reader(f):
                rows += 1
    times.append(time.perf_counter() - start)
print(f"{sorted(times)[(len(times) - 1) // 2]:.2f} {rows}")
PY
)
  floor_s=${floor%% *}
  echo "read floor:    $floor_s s (median of $RUNS; python3 csv module, ${floor##* } rows of $(find "$WORK/archive" -name '*.csv' | wc -l) CSV files)"
  echo "audit/floor:   $(awk -v a="$wall" -v f="$floor_s" 'BEGIN { printf "%.1f", (f > 0 ? a / f : 0) }')x (wall time over read floor)"
else
  echo "read floor:    python3 is missing: not measured"
fi

# The same lab files without any care-team response: what the alerts did before issue 17's answers.
if [ ! -f "$WORK/archive-no-responses/truth.json" ]; then
  echo "== lcnec generate --no-responses (same seed: the same lab files)"
  "${lcnec[@]}" generate "$WORK/archive-no-responses" --patients "$PATIENTS" --days "$DAYS" --start "$START" --seed "$SEED" --no-responses > /dev/null
fi
echo "== lcnec audit of the archive without responses"
status=0
"${lcnec[@]}" audit "$WORK/archive-no-responses" --out "$WORK/report-no-responses" > /dev/null 2> "$WORK/audit-no-responses.err" || status=$?
if [ "$status" -gt 1 ]; then
  echo "audit-5y: lcnec audit (no responses) failed (exit $status)" >&2
  cat "$WORK/audit-no-responses.err" >&2
  exit "$status"
fi

# Reminders per alert raised (raised + raised again) by rule; closings and escalations are not reminders.
per_alert='.alertActivity | to_entries[] | [.key, (.value.raised + .value.reopened), .value.reminders] | @tsv'
echo "== reminders per alert, without responses -> with responses (alerts raised; reminders)"
join -t $'\t' <(jq -r "$per_alert" "$WORK/report-no-responses/audit.json" | sort) <(jq -r "$per_alert" "$WORK/report/audit.json" | sort) |
  awk -F'\t' '{ printf "%-28s %6.2f -> %6.2f   (%d alerts; %d -> %d reminders)\n", $1, ($2 ? $3 / $2 : 0), ($4 ? $5 / $4 : 0), $4, $3, $5;
                 a0 += $2; r0 += $3; a1 += $4; r1 += $5 }
               END { printf "%-28s %6.2f -> %6.2f   (%d alerts; %d -> %d reminders)\n", "all rules", (a0 ? r0 / a0 : 0), (a1 ? r1 / a1 : 0), a1, r0, r1 }'
jq -r '.responses | "responses:     \(.recorded) recorded (\(.byKind | to_entries | map("\(.key) \(.value)") | join(", "))); \(.alertsAnswered) of \(.alertsRaised) alerts answered, \(.alertsNeverAnswered) never; days to first answer median \(.daysToFirstResponse.median) (p90 \(.daysToFirstResponse.p90)); outside tests: \(.outsideTests | to_entries | map("\(.key) \(.value)") | join(", "))"' "$WORK/report/audit.json"
