#!/usr/bin/env bash
# Web memory and throughput in the image: for each image given (e.g. the starting commit's
# and this build's), in turn, ROUNDS times: start it (web role, demo content), view a few
# pages, rest 10 s and read the container's RSS; then the home page under wrk (2 threads,
# 32 connections, 10 s warm-up, 15 s measured). With NMT=1 the JVM also tracks native memory
# and the host's jcmd writes its summary at rest to the log directory (costs a few MB).
#
#   bench/web-image-memory.sh ROUNDS IMAGE [IMAGE...]
#   bench/web-image-memory.sh 3 'IMAGE|JDK_JAVA_OPTIONS=...' IMAGE   # environment after '|'
#   MEMORY=224m bench/web-image-memory.sh ...   # in a container with this memory limit
#
# Against a throwaway PostgreSQL (postgres:17 or the stand-in .ci/build-images.sh builds)
# migrated by a first, untimed start of the first image with the scheduler role.
# Prints per image: RSS at rest and req/s of each round and their medians.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,13p "$0" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
rounds=$1
shift
images=("$@")
port=28987 pg_port=25444 pg=vitrine-memory-pg app=vitrine-memory-web
logs=${LOGS:-$(mktemp -d /tmp/vitrine-image-memory-XXXX)}
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
# shellcheck source=bench/timing-lib.sh
. bench/timing-lib.sh
# shellcheck source=bench/image-lib.sh
. bench/image-lib.sh
cleanup() { podman rm -f "$app" "$pg" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB; $(date -u +'%F %T') UTC; load $(cut -d' ' -f1-3 /proc/loadavg)"
start_test_postgres "$pg" $pg_port bench

start() { # 'IMAGE[|KEY=VALUE...]' [podman options...]: runs it until /health/ on $port answers 200
  local image options=() part
  IFS='|' read -r -a parts <<<"$1"
  image=${parts[0]}
  for part in "${parts[@]:1}"; do options+=(-e "$part"); done
  shift
  [ -n "${MEMORY:-}" ] && options+=(--memory "$MEMORY")
  if [ "${NMT:-0}" = 1 ]; then
    local flags
    flags=$(printf '%s\n' "${parts[@]:1}" | sed -n 's/^JDK_JAVA_OPTIONS=//p')
    [ -n "$flags" ] || flags=$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed -n 's/^JDK_JAVA_OPTIONS=//p')
    options+=(-e "JDK_JAVA_OPTIONS=$flags -XX:NativeMemoryTracking=summary")
  fi
  podman rm -f "$app" >/dev/null 2>&1 || true
  podman run -d --name "$app" --network host --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL "${options[@]}" \
    -e VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine -e VITRINE_DB_USER=vitrine \
    -e VITRINE_DB_PASSWORD=bench -e SERVER_PORT=$port -e VITRINE_MANAGEMENT_PORT=$((port + 1)) "$@" "$image" >/dev/null
  for _ in $(seq 1 3000); do health_ok $port && return 0; sleep 0.05; done
  echo "$image did not become healthy; its log:" >&2
  podman logs "$app" 2>&1 | tail -30 >&2
  exit 1
}

rss_mb() { # the sum of the container's processes' resident memory
  local total=0 pid
  for pid in $(podman top "$app" hpid | tail -n +2); do
    total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}

start "${images[0]%%|*}" -e VITRINE_ROLES=scheduler -e VITRINE_MANAGEMENT_PORT=$port # migrates, seeds the demo
declare -A rss rps
for round in $(seq 1 "$rounds"); do
  for i in "${!images[@]}"; do
    start "${images[$i]}"
    for _ in 1 2 3; do for p in / /articles/postgres-is-a-fine-queue /feed.xml /contact; do
      curl -fs -o /dev/null "http://127.0.0.1:$port$p" || true; done; done
    sleep 10
    rest=$(rss_mb)
    if [ "${NMT:-0}" = 1 ]; then
      "$JCMD" "$(podman inspect --format '{{.State.Pid}}' "$app")" VM.native_memory summary >"$logs/image$i-round$round-nmt.txt" 2>&1 || true
    fi
    wrk -t2 -c32 -d10s "http://127.0.0.1:$port/" >/dev/null
    r=$(wrk -t2 -c32 -d15s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print int($2)}')
    rss[$i]+="$rest " rps[$i]+="$r "
    echo "round $round ${images[$i]}: RSS at rest $rest MB, $r req/s (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
done
for i in "${!images[@]}"; do
  echo "${images[$i]}: RSS at rest ${rss[$i]}MB (median $(median_of ${rss[$i]})); req/s ${rps[$i]}(median $(median_of ${rps[$i]}))"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); logs in $logs"
