#!/usr/bin/env bash
# What the integration tests' jar processes cost to start: `java -jar target/vitrine.jar` (the
# libraries nested in the jar) against the same jar extracted as the images run it (Spring
# Boot's `extract`, as support.ExtractedJar does), each with a JDK AOT cache trained for its own
# layout, as the ITs' processes run (C1 alone). Alternated, ROUNDS each: the JVM's CPU (user +
# system) when the worker role logs "Started", and Spring Boot's "Started in".
#
#   bench/it-jar-start.sh [ROUNDS]      (default 5)
#
# On a scratch PostgreSQL (bench/lib.sh). Last line: RESULT nested_cpu_ms=... extracted_cpu_ms=...
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
rounds=${1:-5}
build_jar
work=$(mktemp -d /tmp/vitrine-it-jar-XXXX)
trap 'stop_postgres "$work"; rm -rf "$work"' EXIT
machine
start_postgres "$work" 25466
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$work/app" >/dev/null
export VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:25466/postgres VITRINE_DB_USER=vitrine VITRINE_CONTENT_DEMO=false \
  SERVER_PORT=28131 VITRINE_MANAGEMENT_PORT=28132

# run NAME ROLES [JVM ARGS...]: starts it, waits for "Started", prints "CPU_MS STARTED_IN_S" and stops it
run() {
  local name=$1 roles=$2
  shift 2
  VITRINE_ROLES=$roles "$JAVA" -XX:TieredStopAtLevel=1 "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  until grep -q 'Started VitrineApplication' "$work/$name.log"; do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited; log:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
    nap 0.05
  done
  echo "$(cpu_ms "$pid") $(grep -o 'Started VitrineApplication in [0-9.]*' "$work/$name.log" | awk '{print $4}')"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
nap_init "$work"
# one training run per layout (roles all, a start), as support.JarAotCache's
run train-nested all -XX:AOTCacheOutput="$work/nested.aot" -jar "$JAR" >/dev/null
run train-extracted all -XX:AOTCacheOutput="$work/extracted.aot" -jar "$work/app/$(basename "$JAR")" >/dev/null
nested=() extracted=()
for round in $(seq 1 "$rounds"); do
  read -r cpu started < <(run nested worker -XX:AOTCache="$work/nested.aot" -jar "$JAR")
  nested+=("$cpu")
  echo "round $round nested:    ${cpu} ms CPU, started in ${started} s"
  read -r cpu started < <(run extracted worker -XX:AOTCache="$work/extracted.aot" -jar "$work/app/$(basename "$JAR")")
  extracted+=("$cpu")
  echo "round $round extracted: ${cpu} ms CPU, started in ${started} s"
done
echo "RESULT nested_cpu_ms=$(median_of "${nested[@]}") extracted_cpu_ms=$(median_of "${extracted[@]}")"
