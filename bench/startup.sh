#!/usr/bin/env bash
# Start-up benchmark: time from process start to /health/ answering UP, and idle RSS 10 s later.
#
#   bench/startup.sh [N]        N runs per mode (default 5)
#
# Modes: (1) the embedded default (every role, embedded PostgreSQL; its data directory is
# created by one untimed run first), (2) the web role against an already-running PostgreSQL
# (started here from the same PostgreSQL binaries), (3) the same with the jar extracted and a
# JDK 25 AOT cache from a training run, as the container images start it. Prints each run, the
# medians, and last:
#   startup_ms=<median, external database> rss_mb=<median idle RSS, web role>
# Extra JVM options for every run: JAVA_OPTS="...".
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-5}
build_jar
work=$(mktemp -d /tmp/vitrine-bench-XXXX)
chmod 755 "$work"
port=18480
pg_port=18432
trap 'stop_postgres "$work/external"; rm -rf "$work"' EXIT

# one run: prints "<ms to healthy> <idle rss MB>"; LAUNCH (default: -jar the jar) says how to start
run_once() {
  local log=$work/app.log start pid ms rss
  start=$(date +%s%N)
  env "$@" SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$((port + 1)) "$JAVA" ${JAVA_OPTS:-} ${LAUNCH:--jar $JAR} >"$log" 2>&1 &
  pid=$!
  wait_healthy $port $pid "$log"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 10
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo "$ms $rss"
}

measure() { # label, env...
  local label=$1; shift
  local results=()
  for i in $(seq "$runs"); do
    r=$(run_once "$@")
    echo "  $label run $i: healthy after ${r% *} ms, idle RSS ${r#* } MB" >&2
    results+=("$r")
  done
  local ms rss
  ms=$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median)
  rss=$(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median)
  echo "$label: median start->healthy ${ms} ms, median idle RSS ${rss} MB" >&2
  echo "$ms $rss"
}

machine >&2

echo "embedded default (all roles): preparing the data directory" >&2
run_once VITRINE_DATA_DIR="$work/embedded" >/dev/null
embedded=$(measure embedded VITRINE_DATA_DIR="$work/embedded")

# An already-running PostgreSQL from the binaries the app unpacked.
start_postgres "$work/external" $pg_port
external=$(measure external-web VITRINE_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres" VITRINE_DB_USER=vitrine VITRINE_ROLES=web)

# The extracted jar with an AOT cache recorded by a training run that starts the app and exits.
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$work/extracted" >/dev/null
external_env=(VITRINE_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres" VITRINE_DB_USER=vitrine VITRINE_ROLES=web)
env "${external_env[@]}" SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$((port + 1)) "$JAVA" -XX:AOTCacheOutput="$work/vitrine.aot" -Dspring.context.exit=onRefresh \
  -jar "$work/extracted/vitrine.jar" >"$work/training.log" 2>&1 || { tail -20 "$work/training.log" >&2; exit 1; }
aot=$(LAUNCH="-XX:AOTCache=$work/vitrine.aot -jar $work/extracted/vitrine.jar" measure external-web-aot "${external_env[@]}")

echo "embedded_startup_ms=${embedded% *} embedded_rss_mb=${embedded#* } aot_startup_ms=${aot% *} aot_rss_mb=${aot#* }"
echo "startup_ms=${external% *} rss_mb=${external#* }"
