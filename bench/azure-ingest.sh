#!/usr/bin/env bash
# Ingest and screen one nightly batch through the Functions app's code against Azurite: 10,000 pathology
# report rows (5,000 patients) and 50 raw NGS files by default. Starts a private in-memory Azurite on free
# loopback ports (from node_modules, `npm ci` if missing), runs bench/LcnecBatch.AzureBench in Release, stops
# Azurite. Prints ingest and screening wall time and the Table round trips per patient.
#
#   bench/azure-ingest.sh                 # 10,000 rows, 50 raw files, one delivery at a time
#   ROWS=2000 RAW=10 PARALLEL=4 bench/azure-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-10000}
RAW=${RAW:-50}
PARALLEL=${PARALLEL:-1}

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
dotnet bench/LcnecBatch.AzureBench/bin/Release/net10.0/LcnecBatch.AzureBench.dll "$connection" "$ROWS" "$RAW" "$PARALLEL"
