#!/usr/bin/env bash
# Start -> healthy of the web and worker images, each beside a baseline taken in the same run:
# the same build's jar started as a plain process on this host (`java -jar target/vitrine.jar`,
# same roles; no container, no AOT cache, default JVM options). The four take turns, ROUNDS
# times, so that the shared machine's drifting load falls on all of them alike: compare the
# ratio image / jar across runs and machines, the milliseconds only within a run.
#
#   bench/image-start.sh [ROUNDS] [TAG]   # 3 rounds; images localhost/vitrine/{web,worker}:verify
#
# Needs the images (.ci/build-images.sh, with the PostgreSQL stand-in or postgres:17), the jar
# (`mvn package`), a JDK 25 and podman. Start -> healthy: from `podman start` of a created
# container (or the jar's launch) to the first 200 from /health/ (web: SERVER_PORT; worker: its
# management port), polled every 20 ms from bash without starting a process. Against a throwaway
# PostgreSQL whose schema a first, untimed worker start creates; no demo content, so no renders.
# Prints each variant's runs and median, the ratios, the images' idle memory after their last
# start, and the machine and its load average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3} tag=${2:-verify}
# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=bench/image-lib.sh
. bench/image-lib.sh
[ -f "$JAR" ] || { echo "no $JAR: run mvn package first" >&2; exit 1; }
port=28977 management=28978 pg_port=25434
pg=vitrine-bench-pg app=vitrine-bench-app
work=$(mktemp -d)
nap_init "$work"
jar_pid=
cleanup() {
  [ -n "$jar_pid" ] && kill "$jar_pid" 2>/dev/null || true
  podman rm -f "$app" "$pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "$(machine); podman $(podman --version | awk '{print $3}'); load average before: $(load)"

podman rm -f "$app" "$pg" >/dev/null 2>&1 || true
start_test_postgres "$pg" $pg_port bench

settings=("VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine" VITRINE_DB_USER=vitrine
  VITRINE_DB_PASSWORD=bench VITRINE_CONTENT_DEMO=false "SERVER_PORT=$port" "VITRINE_MANAGEMENT_PORT=$management")
variants=(web-image worker-image web-jar worker-jar)
roles() { case $1 in web-*) echo web ;; worker-*) echo worker,scheduler ;; esac; }
health_port() { case $1 in web-*) echo $port ;; worker-*) echo $management ;; esac; }

wait_healthy_or_exit() { # VARIANT; waits for 200 from /health/, for at most 2 minutes
  local i
  for i in $(seq 1 6000); do
    health_ok "$(health_port "$1")" && return 0
    [ "$i" = 6000 ] && { echo "$1 did not become healthy within 2 minutes" >&2; exit 1; }
    nap 0.02
  done
}
start() { # VARIANT; sets ms, from start to healthy, and leaves it running
  local variant=$1 t0 env=() s
  case $variant in
    *-image)
      for s in "${settings[@]}"; do env+=(-e "$s"); done
      podman create --name "$app" --network host --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL \
        --shm-size=256m "${env[@]}" "localhost/vitrine/${variant%-image}:$tag" >/dev/null 2>>"$work/podman.log"
      t0=$(now_ms)
      # podman without systemd complains that it cannot schedule health checks: kept out of the report
      podman start "$app" >/dev/null 2>>"$work/podman.log" ;;
    *-jar)
      t0=$(now_ms)
      env "${settings[@]}" VITRINE_ROLES="$(roles "$variant")" VITRINE_DATA_DIR="$work/data" \
        "$JAVA" -jar "$JAR" > "$work/$variant.log" 2>&1 &
      jar_pid=$! ;;
  esac
  wait_healthy_or_exit "$variant"
  ms=$(($(now_ms) - t0))
}
stop() {
  podman rm -f "$app" >/dev/null 2>&1 || true
  if [ -n "$jar_pid" ]; then kill "$jar_pid" 2>/dev/null || true; wait "$jar_pid" 2>/dev/null || true; jar_pid=; fi
  nap 1 # let the teardown finish before the next start
}
rss_mb() { # the sum of the container's processes' resident memory
  local pid total=0
  for pid in $(podman top "$app" hpid | tail -n +2); do
    total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}

start worker-image # creates the schema (a web process waits for it, never migrates)
stop
declare -A runs idle
for round in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    start "$v"
    runs[$v]+="$ms "
    if [ "$round" = "$rounds" ] && [[ $v == *-image ]]; then nap 5; idle[$v]=$(rss_mb); fi
    stop
  done
done
declare -A median
for v in "${variants[@]}"; do
  median[$v]=$(median_of ${runs[$v]})
  echo "$v: ${runs[$v]}ms (median ${median[$v]} ms)${idle[$v]:+; idle RSS ${idle[$v]} MB}"
done
for kind in web worker; do
  echo "$kind image / $kind jar: $(awk -v a="${median[$kind-image]}" -v b="${median[$kind-jar]}" 'BEGIN {printf "%.2f", a / b}')"
done
echo "load average after: $(load)"
