#!/usr/bin/env bash
# Where a web start goes in the image. ROUNDS starts of IMAGE as built, each timed from
# `podman start` to the first 200 from /health/ (polled every 20 ms, as bench/web-image-start.sh
# does), with the JVM's CPU (user + system) at that moment; then one start of the same image
# with bench/start-profile/StartTrace.java on its class path, which prints Spring's start-up
# steps as a tree, the CPU of each JVM thread, JIT compilations per tier, the classes by where
# they came from (the AOT cache or not) and the ClassNotFoundExceptions thrown.
#
#   bench/web-start-profile.sh IMAGE [ROUNDS]      (default 5)
#
# Against a throwaway PostgreSQL (.ci/test-postgres.sh) that a first start of IMAGE with the
# scheduler role migrates; no demo content, as in bench/web-image-start.sh. Needs JAVA_HOME at
# a JDK 25 or later (StartTrace is compiled against the image's own jar).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n 2,13p "$0" >&2; exit 2; }
image=$1 rounds=${2:-5}
port=28967 pg_port=25424 pg=vitrine-profile-pg app=vitrine-profile-web
work=$(mktemp -d /tmp/vitrine-start-profile-XXXX)
# shellcheck source=bench/timing-lib.sh
. bench/timing-lib.sh
# shellcheck source=bench/image-lib.sh
. bench/image-lib.sh
id=
cleanup() { podman rm -f "$app" "$pg" ${id:+"$id"} >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
nap_init "$work"

entrypoint=$(podman image inspect --format '{{range .Config.Entrypoint}}{{.}} {{end}}' "$image")
[[ $entrypoint == "java "*"-jar /app/vitrine.jar " ]] \
  || fail "$image: expected an entrypoint 'java ... -jar /app/vitrine.jar' (the web image's), found '$entrypoint'"
read -r -a jvm_flags <<<"${entrypoint#java }"
unset 'jvm_flags[-1]' 'jvm_flags[-1]' # -jar /app/vitrine.jar
options=$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed -n 's/^JDK_JAVA_OPTIONS=//p')
id=$(podman create "$image")
podman cp "$id:/app" "$work/app" >/dev/null
podman rm "$id" >/dev/null
id=
mkdir -p "$work/trace" "$work/logs"
chmod 777 "$work/logs" # written by the image's user
"${JAVA_HOME:?set JAVA_HOME to a JDK 25 or later}/bin/javac" --release 25 -d "$work/trace" -cp "$work/app/vitrine.jar:$work/app/lib/*" \
  bench/start-profile/StartTrace.java

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB; $(date -u +'%F %T') UTC; load $(cut -d' ' -f1-3 /proc/loadavg)"
start_test_postgres "$pg" $pg_port bench

create() { # [podman create options...]: the container $app of $image, not started
  podman rm -f "$app" >/dev/null 2>&1 || true
  podman create --name "$app" --network host --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL \
    -e VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine -e VITRINE_DB_USER=vitrine \
    -e VITRINE_DB_PASSWORD=bench -e SERVER_PORT=$port -e VITRINE_MANAGEMENT_PORT=$((port + 1)) \
    -e VITRINE_CONTENT_DEMO=false "$@" >/dev/null 2>&1
}
healthy() { # prints "MS_TO_HEALTHY CPU_MS" of a start of the created $app
  local t0 i pid utime stime
  t0=$(now_ms)
  podman start "$app" >/dev/null 2>&1
  for i in $(seq 1 3000); do
    health_ok $port && break
    [ "$i" = 3000 ] && { podman logs "$app" 2>&1 | tail -20 >&2; fail "$image did not become healthy"; }
    nap 0.02
  done
  local ms=$(($(now_ms) - t0))
  pid=$(podman inspect --format '{{.State.Pid}}' "$app")
  read -r utime stime < <(awk '{print $14, $15}' "/proc/$pid/stat")
  echo "$ms $(((utime + stime) * 1000 / $(getconf CLK_TCK)))"
}

create -e VITRINE_ROLES=scheduler -e VITRINE_MANAGEMENT_PORT=$port "$image" # migrates; health on $port
healthy >/dev/null
walls=() cpus=()
for _ in $(seq 1 "$rounds"); do
  create "$image"
  read -r ms cpu < <(healthy)
  walls+=("$ms") cpus+=("$cpu")
  nap 1
done
echo "$image, start -> healthy: ${walls[*]} ms (median $(median_of "${walls[@]}")); JVM CPU then: ${cpus[*]} ms (median $(median_of "${cpus[@]}"))"

logs="-Xlog:jit+compilation=debug:file=/logs/jit.log:uptimemillis -Xlog:class+load=info:file=/logs/classes.log"
logs+=" -Xlog:exceptions=info:file=/logs/exceptions.log"
create -v "$work/trace:/trace:ro" -v "$work/logs:/logs:rw" -e "JDK_JAVA_OPTIONS=$options $logs -Dtrace.logs=/logs" \
  --entrypoint java "$image" "${jvm_flags[@]}" -cp /app/vitrine.jar:/trace StartTrace
podman start --attach "$app" >"$work/trace.log" 2>&1 \
  || { tail -30 "$work/trace.log" >&2; fail "the traced start of $image failed"; }
sed -n 's/^TRACE //p' "$work/trace.log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
