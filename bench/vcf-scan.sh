#!/usr/bin/env bash
# Whole-process benchmark of the ALK scan of a 2-million-record VCF.gz (issue 4):
#   1. generates the VCF (GATK-style INFO, SnpEff ANN, one sample; an EML4-ALK v1 breakend pair and ALK G1202R on chr2)
#      and compresses it with bgzip (BGZF), as labs deliver it;
#   2. times, in one hyperfine run, the ALK scan (alone, and as ingestion does it: scan + SHA-256) against
#      `bcftools view -H` and `zcat`, each to /dev/null;
#   3. measures the scan's peak resident memory with /usr/bin/time -v.
# Targets: scan <= 0.75 x bcftools time; peak RSS < 150 MB.
#
# Usage: bench/vcf-scan.sh [RECORDS] [WORKDIR]     (defaults: 2000000, ${TMPDIR:-/tmp}/lcnec-vcf-bench)
# Environment: RUNS (hyperfine runs per command, default 5). The generated file is kept in WORKDIR for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-2000000}
work=${2:-${TMPDIR:-/tmp}/lcnec-vcf-bench}
runs=${RUNS:-5}
mkdir -p "$work"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need bgzip || ! need bcftools || ! need hyperfine || [ ! -x /usr/bin/time ]; then
  echo "== installing bcftools, tabix (bgzip), hyperfine, time from Debian"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq bcftools tabix hyperfine time >/dev/null
fi

echo "== building the benchmark project (Release)"
dotnet build bench/LcnecBatch.Benchmarks/LcnecBatch.Benchmarks.csproj -c Release -nologo -v quiet
dll=bench/LcnecBatch.Benchmarks/bin/Release/net10.0/LcnecBatch.Benchmarks.dll

file="$work/S26-BENCH.vcf.gz"
if [ ! -s "$file" ] || [ "$(cat "$work/records" 2>/dev/null)" != "$records" ]; then
  echo "== generating $records records -> $file"
  dotnet "$dll" generate-vcf "$records" | bgzip -@ "$(nproc)" -c > "$file.tmp"
  mv "$file.tmp" "$file"
  echo "$records" > "$work/records"
fi
echo "   $(du -h "$file" | cut -f1) compressed"

echo "== what the scan finds, and what ingestion (scan + SHA-256 in one pass) carries"
dotnet "$dll" scan "$file"
dotnet "$dll" ingest "$file"

echo "== timing ($runs runs each, 1 warm-up)"
hyperfine --warmup 1 --runs "$runs" --style basic --export-csv "$work/times.csv" --export-markdown "$work/times.md" \
  -n "alk-scan" "dotnet $dll scan $file > /dev/null" \
  -n "alk-ingest" "dotnet $dll ingest $file > /dev/null" \
  -n "bcftools" "bcftools view -H $file > /dev/null" \
  -n "zcat" "zcat $file > /dev/null"

echo "== peak memory of the scan"
/usr/bin/time -v dotnet "$dll" scan "$file" > /dev/null 2> "$work/time-v.txt"
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time-v.txt")
/usr/bin/time -v dotnet "$dll" ingest "$file" > /dev/null 2> "$work/time-v-ingest.txt"
ingest_rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time-v-ingest.txt")

# times.csv: command,mean,stddev,median,user,system,min,max (seconds)
mean() { awk -F, -v name="$1" '$1 == name { print $2 }' "$work/times.csv"; }
scan=$(mean alk-scan); ingest=$(mean alk-ingest); bcf=$(mean bcftools); zc=$(mean zcat)
echo
echo "== result ($records records, $(nproc) cores)"
awk -v s="$scan" -v i="$ingest" -v b="$bcf" -v z="$zc" -v rss="$rss_kb" -v irss="$ingest_rss_kb" 'BEGIN {
  printf "alk-scan  %.2f s\nbcftools  %.2f s   scan/bcftools = %.2f (target <= 0.75)\nzcat      %.2f s   scan/zcat     = %.2f\n", s, b, s / b, z, s / z
  printf "alk-ingest %.2f s  ingest/bcftools = %.2f (scan + SHA-256 through the batch ingestor)\n", i, i / b
  printf "peak RSS of the scan: %.0f MB (target < 150 MB); of the ingestion: %.0f MB\n", rss / 1024, irss / 1024
  ok = (s / b <= 0.75) && (rss / 1024 < 150)
  print ok ? "targets met" : "TARGET MISSED"
  exit ok ? 0 : 1
}'
