#!/usr/bin/env bash
# Builds every image target of the Dockerfile, runs them against PostgreSQL and checks what
# a user relies on, then reports what they cost. Part of .ci/run.
#
#   .ci/verify-images.sh              # cold build (no layer cache), checks, warm rebuild
#   .ci/verify-images.sh --keep-cache # reuse layers from earlier builds (faster, not cold)
#   .ci/verify-images.sh --with-test  # also build the `test` target (runs the suite in a container)
#   .ci/verify-images.sh --warm-rebuild # also time a rebuild of every target after a one-line change
#   .ci/verify-images.sh --build-only # cold build only (and the PostgreSQL stand-in), at the lowest
#                                         # CPU weight: .ci/run builds while the tests run, then
#                                         # runs this script again with --keep-cache
#
# Uses podman, or docker when a Docker engine answers. Needs curl and a JDK 25 (`java`,
# `javac`) on the host for the small SMTP sink. Containers use the host
# network on ports 2808x and 25432 (127.0.0.1 only); set VERIFY_PORT_BASE to move them.
#
# Checks: each container becomes healthy (its own HEALTHCHECK); every process runs as a
# non-root user; the root filesystem is read-only; the web image has no browser and the
# distroless image no shell or package manager; a contact message sent through the web
# container is mailed by the worker container's job; the worker renders the résumé PDF
# (Chromium) and the web container serves it. Fails when a size budget is exceeded: web <= 150
# MB, worker <= 600 MB (compressed, as a registry stores and a host pulls them). Start times
# are reported, never judged: on a shared 2-core machine a wall-clock limit is a coin flip,
# so the start-time benchmark with its baseline is bench/web-image-start.sh (BENCHMARKS.md).
# Last line:
#   web_mb=... worker_mb=... web_healthy_ms=... worker_healthy_ms=... cold_build_s=... warm_build_s=...
set -euo pipefail
cd "$(dirname "$0")/.."

keep_cache=false
with_test=false
warm_rebuild=false
build_only=false
for arg in "$@"; do
  case $arg in
    --keep-cache) keep_cache=true ;;
    --with-test) with_test=true ;;
    --warm-rebuild) warm_rebuild=true ;;
    --build-only) build_only=true ;;
    *) echo "usage: $0 [--keep-cache] [--with-test] [--warm-rebuild] [--build-only]" >&2; exit 2 ;;
  esac
done

# Size budgets fail the run; goals are reported.
WEB_MB_BUDGET=150 WEB_MB_GOAL=110
WORKER_MB_BUDGET=600 WORKER_MB_GOAL=450

base=${VERIFY_PORT_BASE:-28080}
web_port=$base worker_port=$((base + 1)) monitor_port=$((base + 2)) distroless_port=$((base + 3))
smtp_port=$((base + 5)) pg_port=25432
# the management ports (metrics, /actuator/info) of the processes that serve pages
web_management=$((base + 6)) monitor_management=$((base + 7)) distroless_management=$((base + 8))
prefix=localhost/vitrine
tag=verify
targets=(web worker monitor distroless)
work=$(mktemp -d)
containers=()
sink_pid=
changed_file=src/main/java/dev/vitrine/ops/HealthProbe.java

say() { printf 'verify: %s\n' "$*" >&2; }
# the reason is kept in a file: a failure inside $(...) happens in a subshell
fail() { printf 'verify: FAILED: %s\n' "$*" | tee "$work/failure" >&2; exit 1; }
# now_ms, median, nap, health_ok: polling without starting a process, since a curl or an
# engine command every 20 ms costs enough CPU on 2 cores to delay the start it measures
# shellcheck source=bench/timing-lib.sh
. bench/timing-lib.sh
nap_init "$work"

cleanup() {
  local status=$?
  if [ ${#containers[@]} -gt 0 ]; then
    if [ $status -ne 0 ]; then
      for c in "${containers[@]}"; do
        echo "----- last log lines of $c" >&2
        $engine logs --tail 40 "$c" >&2 2>/dev/null || true
      done
      # again after the logs, so that the reason is what the end of a CI log shows
      [ -f "$work/failure" ] && cat "$work/failure" >&2
    fi
    $engine rm -f "${containers[@]}" >/dev/null 2>&1 || true
  fi
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true
  [ -f "$work/changed.orig" ] && cp "$work/changed.orig" "$changed_file"
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

# --- engine --------------------------------------------------------------------------------
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  engine=docker
  build=(docker build)
else
  command -v podman >/dev/null || fail "neither a Docker engine nor podman is available"
  engine=podman
  # podman here: no registry to pull from, and HEALTHCHECK needs the docker image format
  build=(podman build --pull=never --format docker --network host)
  # RUN steps get a cgroup of their own, where the caller's nice value does not count
  $build_only && build+=(--cpu-shares=2)
fi
cacerts=${VITRINE_BUILD_CACERTS:-/etc/ssl/certs/java/cacerts}
[ -s "$cacerts" ] && build+=(--secret "id=cacerts,src=$cacerts")
command -v curl >/dev/null || fail "curl is needed"
command -v java >/dev/null || fail "java (JDK 25) is needed for the SMTP sink"
say "engine: $engine ($($engine --version | head -n 1))"

build_target() {
  local target=$1; shift
  "${build[@]}" "$@" --target "$target" -t "$prefix/$target:$tag" \
    --build-arg VERSION="$(sed -n 's:.*<version>\(.*SNAPSHOT\|[0-9.]*\)</version>.*:\1:p' pom.xml | head -n 1)" \
    --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    . > "$work/build-$target.log" 2>&1 || { tail -40 "$work/build-$target.log" >&2; fail "building $target"; }
}

# --- cold build of every target ---------------------------------------------------------------
if ! $keep_cache; then
  say "removing earlier vitrine images and build cache layers for a cold build"
  # every image of this project but the PostgreSQL stand-in, then the dangling (untagged)
  # layers they leave: the build cache. Base images are tagged and stay; the cache
  # mounts (Maven repository, apt downloads) stay too, so only a new machine is fully cold.
  $engine images --format '{{.Repository}}:{{.Tag}}' | grep "^$prefix/" | grep -v "^$prefix/postgres:" \
    | xargs -r $engine rmi -f >/dev/null 2>&1 || true
  for i in 1 2 3; do $engine image prune -f >/dev/null 2>&1 || true; done
fi
start=$(now_ms)
for target in "${targets[@]}"; do
  say "building $target"
  target_start=$(now_ms)
  build_target "$target"
  say "  $target built in $(( ($(now_ms) - target_start) / 1000 )) s"
done
cold_build_s=$(( ($(now_ms) - start) / 1000 ))
if $with_test; then
  say "building test (the whole test suite in a container)"
  build_target test
fi

postgres_image=postgres:17
if ! $engine image exists "$postgres_image" 2>/dev/null && ! $engine image inspect "$postgres_image" >/dev/null 2>&1; then
  postgres_image=$prefix/postgres:17
  say "no postgres:17 image here; building a stand-in from Debian (src/test/fixtures/postgres.Dockerfile)"
  "${build[@]}" -f src/test/fixtures/postgres.Dockerfile -t "$postgres_image" scripts > "$work/build-postgres.log" 2>&1 \
    || { tail -20 "$work/build-postgres.log" >&2; fail "building the PostgreSQL stand-in"; }
fi
if $build_only; then
  echo "cold_build_s=$cold_build_s"
  exit 0
fi

# --- sizes ------------------------------------------------------------------------------------
image_mb() { echo $(( $($engine image inspect --format '{{.Size}}' "$prefix/$1:$tag") / 1000000 )); }
compressed_mb() {
  # what a registry stores: every layer gzip-compressed
  local dir=$work/save-$1
  mkdir -p "$dir"
  $engine save -o "$dir/image.tar" "$prefix/$1:$tag" >/dev/null 2>&1
  tar -xf "$dir/image.tar" -C "$dir"
  local bytes=0 layer
  for layer in $(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$dir/manifest.json" 2>/dev/null ||
                 sed -e 's/.*"Layers":\[\([^]]*\)\].*/\1/' -e 's/[",]/ /g' "$dir/manifest.json"); do
    bytes=$(( bytes + $(gzip -n -c < "$dir/$layer" | wc -c) ))
  done
  rm -rf "$dir"
  echo $(( bytes / 1000000 ))
}
declare -A disk_mb pull_mb
for target in "${targets[@]}"; do
  disk_mb[$target]=$(image_mb "$target")
  pull_mb[$target]=$(compressed_mb "$target")
done

# --- what each image must not contain ------------------------------------------------------------
files_of() {
  local c
  c=$($engine create "$prefix/$1:$tag")
  $engine export "$c" | tar -t
  $engine rm "$c" >/dev/null
}
files_of web > "$work/web.files"
grep -E '(^|/)(chromium|chrome|chromium-headless-shell|headless_shell)$' "$work/web.files" \
  && fail "the web image contains a browser"
files_of distroless > "$work/distroless.files"
grep -E '(^|/)(sh|ash|bash|dash|busybox|apt|apt-get|dpkg)$' "$work/distroless.files" \
  && fail "the distroless image contains a shell or a package manager"
if $engine run --rm --entrypoint /bin/sh "$prefix/distroless:$tag" -c true >/dev/null 2>&1; then
  fail "a shell ran in the distroless image"
fi
say "web image: no browser; distroless image: no shell, no package manager"

# --- run: PostgreSQL, SMTP sink, web, worker ----------------------------------------------------
# shellcheck disable=SC2054 # the commas belong to --tmpfs
run=(run -d --network host --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL --security-opt no-new-privileges)
db_env=(-e VITRINE_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/vitrine" -e VITRINE_DB_USER=vitrine
        -e VITRINE_DB_PASSWORD=verify-password)
mail_env=(-e VITRINE_MAIL_HOST=127.0.0.1 -e "VITRINE_MAIL_PORT=$smtp_port" -e VITRINE_MAIL_STARTTLS=false
          -e VITRINE_MAIL_TO=owner@example.org)

name() { echo "vitrine-verify-$1"; }
# every container this run may create, removed at exit (start_and_time runs in a subshell,
# so it cannot add to this list itself)
for c in postgres web worker monitor distroless; do
  $engine rm -f "$(name $c)" >/dev/null 2>&1 || true
  containers+=("$(name $c)")
done

say "starting PostgreSQL"
$engine run -d --name "$(name postgres)" --network host -e PGPORT=$pg_port -e POSTGRES_USER=vitrine \
  -e POSTGRES_PASSWORD=verify-password -e POSTGRES_DB=vitrine "$postgres_image" -p "$pg_port" >/dev/null
for i in $(seq 1 120); do
  $engine exec "$(name postgres)" pg_isready -h 127.0.0.1 -p $pg_port -U vitrine >/dev/null 2>&1 && break
  [ "$i" = 120 ] && fail "PostgreSQL did not become ready"
  sleep 0.5
done

# start -> healthy: from `start` of a created container to the first 200 of its readiness
# page (polled every 20 ms), then its own HEALTHCHECK must agree
healthcheck() {
  if [ $engine = podman ]; then
    podman healthcheck run "$1" >/dev/null 2>&1
  else
    [ "$(docker inspect --format '{{.State.Health.Status}}' "$1")" = healthy ]
  fi
}
start_and_time() { # NAME PORT IMAGE-AND-ARGS... ; prints ms
  local c=$1 port=$2; shift 2
  $engine create --name "$c" "${run[@]:2}" "$@" >/dev/null 2>>"$work/engine.log"
  local t0 i
  t0=$(now_ms)
  $engine start "$c" >/dev/null 2>>"$work/engine.log"
  for i in $(seq 1 6000); do
    health_ok "$port" && break
    if [ $((i % 50)) = 0 ] && [ "$($engine inspect --format '{{.State.Running}}' "$c")" != true ]; then
      fail "$c exited"
    fi
    [ "$i" = 6000 ] && fail "$c did not answer /health/ within 120 s"
    nap 0.02
  done
  local ms=$(( $(now_ms) - t0 ))
  for i in $(seq 1 60); do
    healthcheck "$c" && break
    [ "$i" = 60 ] && fail "$c answers /health/ but its HEALTHCHECK does not pass"
    sleep 1
  done
  echo "$ms"
}

# image commits leave disk writeback behind; let it finish before anything is timed
sync

say "starting web (first start: creates the schema and the demo content)"
first_ms=$(start_and_time "$(name web)" $web_port "${db_env[@]}" "${mail_env[@]}" -e SERVER_PORT=$web_port \
  -e VITRINE_MANAGEMENT_PORT=$web_management -e VITRINE_ADMIN_EMAIL=owner@example.org -e VITRINE_ADMIN_PASSWORD=verify-password-1 "$prefix/web:$tag")
say "  healthy after $first_ms ms"
$engine logs "$(name web)" > "$work/web-first.log" 2>&1
grep -q "Starting AOT-processed" "$work/web-first.log" \
  || fail "web did not use the start-up code generated at build time (Spring AOT): see its log"
# start -> healthy on restarts against the ready schema, the median of three: a figure for the
# log, not a check (bench/web-image-start.sh is the benchmark)
runs=()
for _ in 1 2 3; do
  $engine rm -f "$(name web)" >/dev/null 2>>"$work/engine.log"
  nap 1  # let the stopped container's teardown finish before the next start
  runs+=("$(start_and_time "$(name web)" $web_port "${db_env[@]}" "${mail_env[@]}" -e SERVER_PORT=$web_port \
    -e VITRINE_MANAGEMENT_PORT=$web_management "$prefix/web:$tag")")
done
web_healthy_ms=$(median_of "${runs[@]}")
say "web start -> healthy: ${runs[*]} ms (median $web_healthy_ms)"

# the SMTP sink starts only now: a JVM compiling its source would slow the timed web starts
java src/test/fixtures/SmtpSink.java $smtp_port "$work/mailbox" 2>"$work/smtp.log" &
sink_pid=$!

say "starting worker (worker + scheduler, Chromium)"
worker_healthy_ms=$(start_and_time "$(name worker)" $worker_port "${db_env[@]}" "${mail_env[@]}" \
  -e VITRINE_MANAGEMENT_PORT=$worker_port --shm-size=256m "$prefix/worker:$tag")
say "  healthy after $worker_healthy_ms ms"
say "starting monitor and distroless"
monitor_healthy_ms=$(start_and_time "$(name monitor)" $monitor_port "${db_env[@]}" -e SERVER_PORT=$monitor_port \
  -e VITRINE_MANAGEMENT_PORT=$monitor_management "$prefix/monitor:$tag")
distroless_healthy_ms=$(start_and_time "$(name distroless)" $distroless_port "${db_env[@]}" -e SERVER_PORT=$distroless_port \
  -e VITRINE_MANAGEMENT_PORT=$distroless_management "$prefix/distroless:$tag")
say "  monitor healthy after $monitor_healthy_ms ms, distroless after $distroless_healthy_ms ms"

# --- every process non-root, root filesystem read-only -------------------------------------------
for c in web worker monitor distroless; do
  if [ $engine = podman ]; then
    uids=$(podman top "$(name $c)" huser | tail -n +2 | sort -u | tr '\n' ' ')
  else
    uids=$(docker top "$(name $c)" -eo uid | tail -n +2 | sort -u | tr '\n' ' ')
  fi
  [ -n "$uids" ] || fail "no processes seen in $c"
  for uid in $uids; do
    [ "$uid" != 0 ] && [ "$uid" != root ] || fail "$c runs a process as root"
  done
  [ "$($engine inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$(name $c)")" = true ] || fail "$c root filesystem is writable"
done
say "every process runs as uid 10001 on a read-only root filesystem"

# --- metrics and info on the management port only; env and heapdump nowhere ----------------------
status_of() { curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2" || true; }
for pair in "web $web_port $web_management" "monitor $monitor_port $monitor_management" \
  "distroless $distroless_port $distroless_management" "worker - $worker_port"; do
  read -r c public management <<<"$pair"
  for path in /actuator/prometheus /actuator/info; do
    [ "$public" = - ] || [ "$(status_of "$public" $path)" = 404 ] || fail "$c serves $path on its public port $public"
    [ "$(status_of "$management" $path)" = 200 ] || fail "$c does not serve $path on its management port $management"
  done
  for path in /actuator/env /actuator/heapdump; do
    for port in $public $management; do
      [ "$port" = - ] || [ "$(status_of "$port" $path)" = 404 ] || fail "$c answers $path on port $port"
    done
  done
done
say "metrics and info on the management ports only; /actuator/env and /actuator/heapdump 404 everywhere"

# --- an action on the site runs a job in the worker container ---------------------------------------
jar=$work/cookies
form=$(curl -fsS -c "$jar" "http://127.0.0.1:$web_port/contact")
csrf=$(printf '%s' "$form" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$csrf" ] || fail "no CSRF token on /contact"
token="verify-$(date +%s%N)"
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" "http://127.0.0.1:$web_port/contact" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "name=Image Check" --data-urlencode "email=check@example.org" \
  --data-urlencode "subject=$token" --data-urlencode "message=Sent by .ci/verify-images.sh" \
  --data-urlencode "website=")
[ "$status" = 303 ] || [ "$status" = 302 ] || [ "$status" = 200 ] || fail "contact form answered $status"
for i in $(seq 1 120); do
  grep -q "$token" "$work/mailbox" 2>/dev/null && break
  [ "$i" = 120 ] && fail "the worker did not mail the contact message within 60 s"
  sleep 0.5
done
say "contact form on web -> site.contact-mail job run by the worker container -> mail received"

# --- the worker renders the résumé; the web container serves it -----------------------------------
for i in $(seq 1 240); do
  type=$(curl -s -o "$work/resume.pdf" -w '%{http_code} %{content_type}' "http://127.0.0.1:$web_port/resume.pdf" || true)
  [ "$type" = "200 application/pdf" ] && head -c 5 "$work/resume.pdf" | grep -q '%PDF-' && break
  [ "$i" = 240 ] && fail "the résumé PDF was not available from web within 120 s (last answer: $type)"
  sleep 0.5
done
say "résumé PDF rendered by the worker's Chromium, served by web ($(wc -c < "$work/resume.pdf") bytes)"

# --- idle memory ---------------------------------------------------------------------------------
sleep 5
rss_mb() { # sum of the container's processes' resident memory
  local pid total=0
  for pid in $(podman top "$1" hpid 2>/dev/null | tail -n +2); do
    total=$(( total + $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0) ))
  done
  echo $(( total / 1024 ))
}
if [ $engine = docker ]; then
  rss_mb() { docker stats --no-stream --format '{{.MemUsage}}' "$1" | sed 's/[^0-9.].*//'; }
fi
declare -A idle_mb
for c in web worker monitor distroless; do idle_mb[$c]=$(rss_mb "$(name $c)"); done

# --- warm rebuild after a one-line code change (a benchmark: --warm-rebuild) ----------------------
warm_build_s=-
if $warm_rebuild; then
  cp "$changed_file" "$work/changed.orig"
  # unique per run, so that no earlier run's layers (--keep-cache) can answer the rebuild
  sed -i "s|System.out.println(target + \" \" + status);|System.out.println(target + \" answered (rebuild $(date +%s)) \" + status);|" "$changed_file"
  cmp -s "$changed_file" "$work/changed.orig" && fail "the one-line change for the warm build did not apply"
  start=$(now_ms)
  warm_parts=
  for target in "${targets[@]}"; do
    target_start=$(now_ms)
    build_target "$target"
    warm_parts+="${warm_parts:+, }$target $(( ($(now_ms) - target_start) / 1000 )) s"
  done
  warm_build_s=$(( ($(now_ms) - start) / 1000 ))
  cp "$work/changed.orig" "$changed_file"
  say "rebuilt every target after a one-line change in $warm_build_s s ($warm_parts)"
fi

# --- report ------------------------------------------------------------------------------------
healthy_of() { case $1 in web) echo "$web_healthy_ms" ;; worker) echo "$worker_healthy_ms" ;;
  monitor) echo "$monitor_healthy_ms" ;; distroless) echo "$distroless_healthy_ms" ;; esac; }
printf '\n%-11s %13s %11s %17s %12s\n' image "compressed MB" "on-disk MB" "start->healthy ms" "idle RSS MB"
for target in "${targets[@]}"; do
  printf '%-11s %13s %11s %17s %12s\n' "$target" "${pull_mb[$target]}" "${disk_mb[$target]}" \
    "$(healthy_of "$target")" "${idle_mb[$target]}"
done
if $keep_cache; then
  printf 'build of all targets with earlier layers kept (not cold): %s s' "$cold_build_s"
else
  printf 'cold build of all targets: %s s' "$cold_build_s"
fi
printf '; warm rebuild after a one-line change: %s s\n\n' "$warm_build_s"

goal() { # NAME VALUE GOAL UNIT
  if [ "$2" -le "$3" ]; then echo "goal $1 <= $3 $4: met ($2)"; else echo "goal $1 <= $3 $4: missed ($2)"; fi
}
goal web_mb "${pull_mb[web]}" $WEB_MB_GOAL MB
goal worker_mb "${pull_mb[worker]}" $WORKER_MB_GOAL MB
echo

over=()
[ "${pull_mb[web]}" -le $WEB_MB_BUDGET ] || over+=("web ${pull_mb[web]} MB > $WEB_MB_BUDGET MB")
[ "${pull_mb[worker]}" -le $WORKER_MB_BUDGET ] || over+=("worker ${pull_mb[worker]} MB > $WORKER_MB_BUDGET MB")
echo "web_mb=${pull_mb[web]} worker_mb=${pull_mb[worker]} web_healthy_ms=$web_healthy_ms worker_healthy_ms=$worker_healthy_ms cold_build_s=$cold_build_s warm_build_s=$warm_build_s"
[ ${#over[@]} -eq 0 ] || fail "over budget: ${over[*]}"
