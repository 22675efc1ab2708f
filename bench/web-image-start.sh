#!/usr/bin/env bash
# Start -> healthy of the web image under different settings, interleaved so that the shared
# machine's drifting load falls on every variant alike:
#
#   bench/web-image-start.sh ROUNDS IMAGE 'VARIANT' ['VARIANT'...]
#
# A VARIANT is environment for the container, KEY=VALUE pairs separated by '|', e.g.
#   'JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:CompileThresholdScaling=10'
# ('X=1' for the image as built; 'IMAGE=ref' starts that image instead of IMAGE, to compare
# two builds, e.g. the starting commit's; 'ENTRYPOINT=["cmd", ...]' runs that instead, e.g.
# the container floor: 'ENTRYPOINT=["/bin/busybox", "sh", "-c", "mkdir -p /tmp/w/health &&
# echo UP >/tmp/w/health/index.html && exec busybox httpd -f -p 127.0.0.1:$SERVER_PORT -h /tmp/w"]').
# Each round starts every variant once: `podman start` of a
# created container until /health/ answers 200, polled every 20 ms from bash without starting
# a process (as bench/image-start.sh measures). Against a throwaway PostgreSQL (the
# stand-in image .ci/build-images.sh builds, or postgres:17) whose schema a first, untimed
# start of the first variant's image with the scheduler role creates (a web process does
# not migrate). Prints each variant's runs and median. HOGS=N: N CPU hogs
# (sha256sum of /dev/zero) run throughout.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n 2,15p "$0" >&2; exit 2; }
rounds=$1 image=$2
shift 2
variants=("$@")
# PORT, PG_PORT: to run beside another benchmark on this machine
port=${PORT:-28977} pg_port=${PG_PORT:-25434} pg=vitrine-bench-pg-$$ app=vitrine-bench-web-$$
work=$(mktemp -d)
# shellcheck source=bench/timing-lib.sh
. bench/timing-lib.sh
# shellcheck source=bench/image-lib.sh
. bench/image-lib.sh
nap_init "$work"
hogs=()
cleanup() {
  [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true
  podman rm -f "$app" "$pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_test_postgres "$pg" $pg_port bench

start_ms() { # variant index; prints ms to healthy
  local extra=() part i t0 run_image=$image entrypoint=()
  IFS='|' read -r -a parts <<<"${variants[$1]}"
  for part in "${parts[@]}"; do
    case $part in
      IMAGE=*) run_image=${part#IMAGE=} ;;
      ENTRYPOINT=*) entrypoint=(--entrypoint "${part#ENTRYPOINT=}") ;;
      ?*) extra+=(-e "$part") ;;
    esac
  done
  podman rm -f "$app" >/dev/null 2>&1 || true
  nap 1
  podman create --name "$app" --network host --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL \
    -e VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine -e VITRINE_DB_USER=vitrine \
    -e VITRINE_DB_PASSWORD=bench -e SERVER_PORT=$port -e VITRINE_MANAGEMENT_PORT=$((port + 1)) -e VITRINE_CONTENT_DEMO=false "${extra[@]}" "${entrypoint[@]}" \
    "$run_image" >/dev/null 2>&1
  t0=$(now_ms)
  podman start "$app" >/dev/null 2>&1
  for i in $(seq 1 3000); do
    health_ok $port && break
    [ "$i" = 3000 ] && { echo "variant $1 did not become healthy" >&2; exit 1; }
    nap 0.02
  done
  echo $(($(now_ms) - t0))
}

# creates the schema: the scheduler role migrates, and serves health on its management port
variants+=("${variants[0]}|VITRINE_ROLES=scheduler|VITRINE_MANAGEMENT_PORT=$port")
start_ms $((${#variants[@]} - 1)) >/dev/null
unset "variants[$((${#variants[@]} - 1))]"
for _ in $(seq 1 "${HOGS:-0}"); do sha256sum /dev/zero & hogs+=($!); done
declare -A runs
for _ in $(seq 1 "$rounds"); do
  for v in "${!variants[@]}"; do
    runs[$v]+="$(start_ms "$v") "
  done
done
for v in "${!variants[@]}"; do
  median=$(median_of ${runs[$v]})
  echo "[${variants[$v]}] runs: ${runs[$v]}median $median ms"
done
