#!/usr/bin/env bash
# Web start -> healthy with and without the start-up code Spring AOT generates at build time
# (`mvn -Pspring-aot package`, as the image build does), each with a JDK AOT cache trained the
# same way, interleaved so that drifting load falls on both alike:
#
#   bench/spring-aot-start.sh [ROUNDS]     (default 5)
#
# Builds a copy of the working tree in a scratch directory (so target/ keeps no generated
# code), extracts the jar as the images do, then per round starts each variant once: the jar
# with -Dspring.aot.enabled=false, and as it is (ops.AotStartupEnvironmentPostProcessor then
# uses the generated code: roles web, an external database). Web role, the image's JVM flags,
# PostgreSQL on this machine. Prints each variant's runs, median and CPU time at healthy, then
# (with wrk installed) each variant's request rate on the home page: wrk -t2 -c32 -d15s after
# a 10 s warm-up, one run each, so rough.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
rounds=${1:-5}
work=$(mktemp -d /tmp/vitrine-aot-XXXX); chmod 755 "$work"
port=18780 pg_port=18732
trap 'stop_postgres "$work"; rm -rf "$work"' EXIT
machine
echo "building with -Pspring-aot in $work/src"
mkdir "$work/src"
tar --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$work/src"
(cd "$work/src" && mvn -q -B -DskipTests -Pspring-aot package) >"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; exit 1; }
# extracted as the images run it: the JDK AOT cache covers only classes from plain jars
"$JAVA" -Djarmode=tools -jar "$work/src/target/vitrine.jar" extract --destination "$work/app" >/dev/null
JAR=$work/app/vitrine.jar
start_postgres "$work" $pg_port
export VITRINE_ROLES=web VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/postgres VITRINE_DB_USER=vitrine \
  SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$((port + 1))
flags=(-XX:+UseSerialGC -XX:CompileThresholdScaling=3 -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75)
variants=(plain generated)
variant_flags() { [ "$1" = plain ] && echo -Dspring.aot.enabled=false || true; }
for v in "${variants[@]}"; do
  # shellcheck disable=SC2046
  "$JAVA" "${flags[@]}" $(variant_flags "$v") -XX:AOTCacheOutput="$work/$v.aot" -jar "$JAR" >"$work/train-$v.log" 2>&1 &
  pid=$!
  wait_healthy $port $pid "$work/train-$v.log"
  for p in / /articles /projects /resume /contact /feed.xml /admin/login /health/; do
    curl -fs -o /dev/null "http://127.0.0.1:$port$p"
  done
  curl -fs -o /dev/null "http://127.0.0.1:$((port + 1))/actuator/prometheus"  # the management port
  kill $pid; wait $pid 2>/dev/null || true
  echo "$v: AOT cache trained, $(du -m "$work/$v.aot" | cut -f1) MB; $(grep -c 'Starting AOT-processed' "$work/train-$v.log") AOT-processed start(s)"
done
declare -A runs cpu
for _ in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    t0=$(date +%s%3N)
    # shellcheck disable=SC2046
    "$JAVA" "${flags[@]}" $(variant_flags "$v") -XX:AOTCache="$work/$v.aot" -jar "$JAR" >"$work/run-$v.log" 2>&1 &
    pid=$!
    wait_healthy $port $pid "$work/run-$v.log"
    runs[$v]+="$(( $(date +%s%3N) - t0 )) "
    cpu[$v]+="$(cpu_ms $pid) "
    kill $pid; wait $pid 2>/dev/null || true
    sleep 1
  done
done
for v in "${variants[@]}"; do
  echo "$v: start -> healthy ${runs[$v]}ms (median $(median_of ${runs[$v]}) ms); CPU at healthy ${cpu[$v]}ms"
done
command -v wrk >/dev/null || exit 0
for v in "${variants[@]}"; do
  # shellcheck disable=SC2046
  "$JAVA" "${flags[@]}" $(variant_flags "$v") -XX:AOTCache="$work/$v.aot" -jar "$JAR" >"$work/rate-$v.log" 2>&1 &
  pid=$!
  wait_healthy $port $pid "$work/rate-$v.log"
  wrk -t2 -c32 -d10s "http://127.0.0.1:$port/" >/dev/null
  echo "$v: $(wrk -t2 -c32 -d15s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print int($2)}') req/s on /"
  kill $pid; wait $pid 2>/dev/null || true
done
