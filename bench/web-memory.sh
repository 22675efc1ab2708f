#!/usr/bin/env bash
# Web memory: where the web role's memory goes and what a JVM flag set changes, against
# PostgreSQL on this machine. Per variant: start (web role, with Native Memory Tracking),
# a few page views, RSS at rest; then the home page under wrk (2 threads, 32 connections,
# 10 s warm-up, 15 s measured) and RSS after it; NMT summary of each in the log directory.
# MAX_RAM=224m: the JVM sees that much memory (-XX:MaxRAM), as in a container with that
# limit; unset, the host's memory, as in a container without a limit.
#
#   bench/web-memory.sh                 variants: before, after, before again (drift check)
#   BEFORE="..." AFTER="..." AFTER_ENV="MALLOC_ARENA_MAX=2" MAX_RAM=224m bench/web-memory.sh
#
# NMT costs a few MB and a little throughput, the same in every variant: compare within a run.
# Last line: before_rss_mb=... after_rss_mb=... before_rps=... after_rps=...
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
command -v jcmd >/dev/null || [ -x "${JAVA_HOME:-}/bin/jcmd" ] || { echo "needs jcmd (a JDK)" >&2; exit 1; }
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
# the web image's flags before and after the lean settings (Dockerfile WEB_JAVA_OPTIONS)
BEFORE=${BEFORE:--XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:CompileThresholdScaling=3 -XX:+UseCompactObjectHeaders}
AFTER=${AFTER:-$BEFORE -Xms16m}
AFTER_ENV=${AFTER_ENV:-}
MAX_RAM=${MAX_RAM:-}
build_jar
work=$(mktemp -d /tmp/vitrine-memory-XXXX)
logs=${LOGS:-$work/logs}
mkdir -p "$logs"
chmod 755 "$work"
port=18780
pg_port=18732
trap 'stop_postgres "$work"; [ -n "${LOGS:-}" ] || rm -rf "$work"' EXIT
machine
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); MaxRAM ${MAX_RAM:-of the host}"
start_postgres "$work" $pg_port

rss_mb() { awk '/^VmRSS:/ {print int($2/1024)}' "/proc/$1/status"; }
pages() { for _ in 1 2 3; do for p in / /articles/postgres-is-a-fine-queue /feed.xml /contact; do
  curl -fs -o /dev/null "http://127.0.0.1:$port$p" || true; done; done; }

# variant LABEL ENV FLAGS: prints "LABEL rss_idle rss_loaded rps"
variant() {
  local label=$1 env=$2 flags=$3 pid rest loaded rps
  # shellcheck disable=SC2086  # flag lists
  env $env VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/postgres VITRINE_DB_USER=vitrine VITRINE_ROLES=web \
    SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$((port + 1)) \
    "$JAVA" -XX:NativeMemoryTracking=summary ${MAX_RAM:+-XX:MaxRAM=$MAX_RAM} $flags -jar "$JAR" >"$logs/$label.log" 2>&1 &
  pid=$!
  wait_healthy $port $pid "$logs/$label.log"
  pages; sleep 10
  rest=$(rss_mb $pid)
  "$JCMD" $pid VM.native_memory summary >"$logs/$label-nmt-rest.txt"
  wrk -t2 -c32 -d10s "http://127.0.0.1:$port/" >/dev/null
  rps=$(wrk -t2 -c32 -d15s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print int($2)}')
  sleep 5
  loaded=$(rss_mb $pid)
  "$JCMD" $pid VM.native_memory summary >"$logs/$label-nmt-loaded.txt"
  kill $pid; wait $pid 2>/dev/null || true
  printf "%-14s %12s %14s %8s\n" "$label" "$rest" "$loaded" "$rps"
}

printf "%-14s %12s %14s %8s\n" variant "RSS rest MB" "RSS loaded MB" "req/s"
# (not tee /dev/stderr: that reopens, and so truncates, a log file stderr was sent to)
b=$(variant before "" "$BEFORE"); echo "$b" >&2
a=$(variant after "$AFTER_ENV" "$AFTER"); echo "$a" >&2
variant before-again "" "$BEFORE" >&2
read -r _ b_rest _ b_rps <<<"$b"
read -r _ a_rest _ a_rps <<<"$a"
echo "NMT summaries: $logs"
echo "before_rss_mb=$b_rest after_rss_mb=$a_rest before_rps=$b_rps after_rps=$a_rps"
