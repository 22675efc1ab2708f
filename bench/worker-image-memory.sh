#!/usr/bin/env bash
# The worker JVM's memory at rest in its image: for each image given (e.g. the starting
# commit's and this build's), in turn, ROUNDS times: start it (roles worker,scheduler: it
# migrates and seeds the demo site, whose social cards and résumé it renders), wait until its
# Chromium has closed for being idle (VITRINE_RENDERING_IDLE_TIMEOUT=3s) and 10 s more, then
# read the JVM's RSS; Chromium's own memory is bench/render-idle.sh's.
#
#   bench/worker-image-memory.sh ROUNDS IMAGE [IMAGE...]
#   bench/worker-image-memory.sh 3 'IMAGE|JDK_JAVA_OPTIONS=...' IMAGE   # environment after '|'
#
# Each start gets a fresh throwaway PostgreSQL (postgres:17 or the stand-in
# .ci/build-images.sh builds), so every round does the same work.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,12p "$0" >&2; exit 2; }
rounds=$1
shift
images=("$@")
port=28997 pg_port=25454 pg=vitrine-worker-memory-pg app=vitrine-worker-memory
# shellcheck source=bench/timing-lib.sh
. bench/timing-lib.sh
# shellcheck source=bench/image-lib.sh
. bench/image-lib.sh
cleanup() { podman rm -f "$app" "$pg" >/dev/null 2>&1 || true; }
# the container's JVM: its first process, or that process's child where tini is first
jvm_pid() {
  local first
  first=$(podman inspect --format '{{.State.Pid}}' "$app")
  if [ "$(cat "/proc/$first/comm")" = java ]; then echo "$first"; else pgrep -P "$first" -x java; fi
}
# live (not zombie) children of the JVM: Chromium's processes while it is up
browser_processes() { ps --ppid "$(jvm_pid)" -o stat= | grep -vc '^Z' || true; }
trap cleanup EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB; $(date -u +'%F %T') UTC; load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A rss
for round in $(seq 1 "$rounds"); do
  for i in "${!images[@]}"; do
    cleanup
    start_test_postgres "$pg" $pg_port bench
    IFS='|' read -r -a parts <<<"${images[$i]}"
    options=()
    for part in "${parts[@]:1}"; do options+=(-e "$part"); done
    podman run -d --name "$app" --network host --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL --shm-size=256m \
      -e VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine -e VITRINE_DB_USER=vitrine \
      -e VITRINE_DB_PASSWORD=bench -e VITRINE_MANAGEMENT_PORT=$port -e VITRINE_RENDERING_IDLE_TIMEOUT=3s \
      "${options[@]}" "${parts[0]}" >/dev/null
    # started, rendered, and the browser closed again
    closed=
    for _ in $(seq 1 360); do
      curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" \
        && podman logs "$app" 2>&1 | grep -q 'closing Chromium' && [ "$(browser_processes)" = 0 ] && closed=1 && break
      sleep 0.5
    done
    [ -n "$closed" ] \
      || { echo "${parts[0]}: not at rest after 3 minutes; its log:" >&2; podman logs "$app" 2>&1 | tail -20 >&2; exit 1; }
    sleep 10
    rest=$(awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$(jvm_pid)/status")
    rss[$i]+="$rest "
    echo "round $round ${images[$i]}: JVM RSS at rest $rest MB (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
done
for i in "${!images[@]}"; do
  echo "${images[$i]}: JVM RSS at rest ${rss[$i]}MB (median $(median_of ${rss[$i]}))"
done
