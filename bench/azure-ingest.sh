#!/usr/bin/env bash
# Ingest and screen one nightly batch through the Functions app's code against Azurite: 10,000 pathology
# report rows (5,000 patients) and 50 raw NGS files by default. Starts a private in-memory Azurite on free
# loopback ports (from node_modules, `npm ci` if missing), runs bench/LcnecBatch.AzureBench in Release, stops
# Azurite. Prints ingest and screening wall time and the Table round trips per patient, then NIGHTS later nights
# (a batch of NIGHT_PATIENTS new patients each, none of the first batch's): the Table round trips per patient per
# nightly batch. The same bench is run, in the same Azurite, over the code of BASE (default: the commit before the
# Functions app walked event-driven, issue 19; BASE= skips it), so the figures before and after come from one run.
#
#   bench/azure-ingest.sh                 # 10,000 rows, 50 raw files, one delivery at a time, 5 later nights of 100
#   ROWS=2000 RAW=10 PARALLEL=4 NIGHTS=3 NIGHT_PATIENTS=50 BASE= bench/azure-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-10000}
RAW=${RAW:-50}
PARALLEL=${PARALLEL:-1}
NIGHTS=${NIGHTS:-5}
NIGHT_PATIENTS=${NIGHT_PATIENTS:-100}
BASE=${BASE-95fd02f}

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
read -r blob queue table < <(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
work=$(mktemp -d "${TMPDIR:-/tmp}/lcnec-azure-bench-XXXXXX")
(cd "$work" && exec "$OLDPWD/node_modules/.bin/azurite" --silent --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table") >"$work/azurite.log" 2>&1 &
azurite=$!
trap 'kill "$azurite" 2>/dev/null; wait "$azurite" 2>/dev/null; rm -rf "$work"' EXIT
for port in "$blob" "$table"; do
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "azure-ingest: Azurite did not listen on $port:" >&2; cat "$work/azurite.log" >&2; exit 1; }
done

key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

dotnet build bench/LcnecBatch.AzureBench -c Release -nologo -v quiet >/dev/null
if [ -n "$BASE" ]; then
  # The baseline: the source tree of BASE with this bench program (it uses only what both have).
  mkdir "$work/base"
  git archive "$BASE" | tar -x -C "$work/base"
  rm -rf "$work/base/bench/LcnecBatch.AzureBench"
  cp -r bench/LcnecBatch.AzureBench "$work/base/bench/"
  rm -rf "$work/base/bench/LcnecBatch.AzureBench/bin" "$work/base/bench/LcnecBatch.AzureBench/obj"
  dotnet build "$work/base/bench/LcnecBatch.AzureBench" -c Release -nologo -v quiet >/dev/null
  echo "== before: $BASE ($(git log -1 --format=%s "$BASE" | cut -c1-70))"
  dotnet "$work/base/bench/LcnecBatch.AzureBench/bin/Release/net10.0/LcnecBatch.AzureBench.dll" "$connection" "$ROWS" "$RAW" "$PARALLEL" "$NIGHTS" "$NIGHT_PATIENTS"
  echo "== after: this tree"
fi
dotnet bench/LcnecBatch.AzureBench/bin/Release/net10.0/LcnecBatch.AzureBench.dll "$connection" "$ROWS" "$RAW" "$PARALLEL" "$NIGHTS" "$NIGHT_PATIENTS"
