# Shared by the whole-command benches (sourced, not run): the work folder, the published tool, and readers of
# `/usr/bin/time -v` reports. Expects $WORK and $KEEP set, and the repository root as the working folder.

mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time': apt-get install -y time)" >&2; exit 3; }
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

# The tool as a lab installs it: published ReadyToRun (precompiled, so a run does not spend its first second
# compiling), into $WORK/cli; `lcnec` is then the command to run it.
publish_cli() {
  echo "== publish (Release, ReadyToRun)"
  local rid=linux-x64
  case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; esac
  dotnet publish src/LcnecBatch.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$WORK/cli" -nologo -v quiet >/dev/null
  lcnec=(dotnet "$WORK/cli/lcnec.dll")
}

# Reads one field of a `/usr/bin/time -v` report; wall clock as seconds; peak RSS in MiB.
field() { sed -n "s/^[[:space:]]*$2: //p" "$1"; }
seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }'; }
wall_of() { field "$1" 'Elapsed (wall clock) time (h:mm:ss or m:ss)' | seconds; }
rss_mib_of() { echo $(( $(field "$1" 'Maximum resident set size (kbytes)') / 1024 )); }
