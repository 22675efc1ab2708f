#!/usr/bin/env bash
# What parts of the request path cost: the web role's home page under wrk (2 threads, 32
# connections, 15 s after a 10 s warm-up), once per variant, against PostgreSQL on this
# machine. One run per variant: read the differences as rough, and compare only within one run.
#
#   bench/web-variants.sh
#
# Variants: default; without the http.server.requests percentiles histogram; without the
# request observation; with ParallelGC instead of G1; the web image's JVM flags (Dockerfile
# WEB_JAVA_OPTIONS); those with C1 only (the web image's start-time option); default again
# (the drift check).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
build_jar
work=$(mktemp -d /tmp/vitrine-variants-XXXX)
chmod 755 "$work"
port=18680
pg_port=18632
trap 'stop_postgres "$work"; rm -rf "$work"' EXIT
machine
start_postgres "$work" $pg_port

# variant LABEL [JVM options...] [-- app arguments...]
variant() {
  local label=$1; shift
  local jvm=() app=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift && app=("$@")
  VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/postgres VITRINE_DB_USER=vitrine VITRINE_ROLES=web \
    SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$((port + 1)) "$JAVA" "${jvm[@]}" -jar "$JAR" "${app[@]}" >"$work/app.log" 2>&1 &
  local pid=$!
  wait_healthy $port $pid "$work/app.log"
  wrk -t2 -c32 -d10s "http://127.0.0.1:$port/" >/dev/null
  printf "%-16s %s req/s\n" "$label" "$(wrk -t2 -c32 -d15s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print int($2)}')"
  kill $pid; wait $pid 2>/dev/null || true
}

variant default
variant no-histogram -- --management.metrics.distribution.percentiles-histogram.http.server.requests=false
variant no-observation -- --management.observations.enable.http.server.requests=false
variant parallelgc -XX:+UseParallelGC
variant image-flags -XX:+UseSerialGC -XX:CompileThresholdScaling=3
variant image-c1-only -XX:+UseSerialGC -XX:TieredStopAtLevel=1
variant default-again
