#!/usr/bin/env bash
# Tests deploy/deploy-host.sh and deploy/rollback.sh for real, with podman (or docker) on this
# machine, from the images .ci/build-images.sh built (vitrine/web:verify and
# vitrine/worker:verify; pass other tags as arguments):
#
#   .ci/test-deploy.sh [WEB_IMAGE WORKER_IMAGE]
#
# Three releases are made from those images, differing in VITRINE_REVISION: A and C start;
# B's worker starts but its web cannot (an invalid setting baked in, as a broken release
# would). Against a throwaway PostgreSQL it deploys web and worker at A (deploy-host.sh, which
# also starts the proxy, Caddy, from an image built of deploy/proxy/Dockerfile), then B with
# deploy/deploy.sh (web refused while A keeps serving, and the worker, already switched to B,
# rolled back to A automatically), then C, then rolls both back to A (rollback.sh), checking
# after each step which revision serves the site and which revision the live workers run.
# From the end of A's deploy to the end of the rollback a poller requests the site through the
# proxy every 100 ms: not one request may fail (no answer, or not 200). Reports how long each
# step took and how many requests the poller made.
# Last line: deploy_s=... refused_s=... rollback_s=... proxied_requests=... failed_requests=...
set -euo pipefail
cd "$(dirname "$0")/.."

web_base=${1:-localhost/vitrine/web:verify}
worker_base=${2:-localhost/vitrine/worker:verify}
base=${DEPLOY_TEST_PORT_BASE:-28180}
# two runs on one machine need their own ports and names
pg_port=${DEPLOY_TEST_PG_PORT:-25433}
name=${DEPLOY_TEST_NAME:-vitrine-deploytest}
prefix=localhost/$name
work=$(mktemp -d)
poller=

# the deploy scripts' helpers (info_revision); say and fail are this script's own, below
export VITRINE_DEPLOY_CONFIG=/dev/null
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh
# shellcheck source=.ci/test-postgres.sh
. .ci/test-postgres.sh
say() { printf 'test-deploy: %s\n' "$*" >&2; }
# the reason is kept in a file: a failure inside $(...) happens in a subshell
fail() { printf 'test-deploy: FAILED: %s\n' "$*" | tee "$work/failure" >&2; exit 1; }

engine=$(container_engine)
if [ "$engine" = docker ]; then
  build=(docker build)
else
  build=(podman build --pull=never --format docker)
fi
for image in "$web_base" "$worker_base"; do
  $engine image inspect "$image" >/dev/null 2>&1 || fail "no image $image: run .ci/build-images.sh first"
done

# Caddy from Debian's package, as deploy/proxy/Dockerfile builds it; kept between runs (its
# layers are cached, and it is not a release under test)
proxy_image=localhost/vitrine/proxy:deploy-test
"${build[@]}" --network host -t "$proxy_image" deploy/proxy > "$work/proxy-build.log" 2>&1 \
  || { cat "$work/proxy-build.log" >&2; fail "building the proxy image from deploy/proxy/Dockerfile"; }

containers() { $engine ps -a --format '{{.Names}}' | grep "^$name-" || true; }
cleanup() {
  local status=$?
  # a second stop (the whole group signalled again) must not cut the clean-up short; the
  # podman commands below inherit this
  trap '' TERM INT
  [ -n "$poller" ] && kill "$poller" 2>/dev/null || true
  if [ $status -ne 0 ]; then
    for c in $(containers); do
      echo "----- last log lines of $c" >&2
      $engine logs --tail 30 "$c" >&2 2>&1 || true
    done
    # again after the logs, so that the reason is what the end of a CI log shows
    [ -f "$work/failure" ] && cat "$work/failure" >&2
  fi
  for c in $(containers); do $engine rm -f "$c" >/dev/null 2>&1 || true; done
  $engine volume rm -f "$name-proxy-data" >/dev/null 2>&1 || true
  $engine images --format '{{.Repository}}:{{.Tag}}' | grep "^$prefix/" | xargs -r $engine rmi -f >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
# stopped (.ci/run stops its background work when a step fails): clean up all the same
trap 'exit 143' TERM INT
for c in $(containers); do $engine rm -f "$c" >/dev/null; done

# --- three releases ---------------------------------------------------------------------------
release() { # service base revision [extra ENV]
  mkdir -p "$work/$3-$1"
  printf 'FROM %s\nENV VITRINE_REVISION=%s %s\n' "$2" "$3" "${4:-}" > "$work/$3-$1/Dockerfile"
  "${build[@]}" -t "$prefix/$1:$3" "$work/$3-$1" > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "building release $3 of $1"; }
}
# full commit SHAs: the deploy scripts take nothing else
A=$(printf 'a%.0s' {1..39})1 B=$(printf 'b%.0s' {1..39})2 C=$(printf 'c%.0s' {1..39})3
release web "$web_base" $A
release worker "$worker_base" $A
release web "$web_base" $B 'VITRINE_ROLES=web,publisher'
release worker "$worker_base" $B
release web "$web_base" $C
release worker "$worker_base" $C
say "releases $A, $B (broken) and $C of $prefix/web and /worker made"

# --- a throwaway PostgreSQL and the host's settings file -------------------------------------
start_test_postgres "$name-postgres" "$pg_port" deploy-test
cat > "$work/vitrine.env" <<EOF
VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine
VITRINE_DB_USER=vitrine
VITRINE_DB_PASSWORD=deploy-test
EOF

export VITRINE_IMAGE_PREFIX=$prefix VITRINE_ENV_FILE=$work/vitrine.env VITRINE_DEPLOY_NAME=$name \
  VITRINE_DEPLOY_NETWORK=host VITRINE_DEPLOY_STATE=$work/state VITRINE_HEALTH_TIMEOUT=180 VITRINE_ENGINE=$engine \
  VITRINE_WEB_PORT=$base VITRINE_WEB_STAGING_PORT=$((base + 10)) \
  VITRINE_WORKER_PORT=$((base + 1)) VITRINE_WORKER_STAGING_PORT=$((base + 11)) \
  VITRINE_WEB_MANAGEMENT_PORT=$((base + 2)) VITRINE_WEB_MANAGEMENT_STAGING_PORT=$((base + 12)) \
  VITRINE_PROXY_IMAGE=$proxy_image VITRINE_PROXY_SITE=http://:$((base + 20)) VITRINE_PROXY_ADMIN=127.0.0.1:$((base + 21))
site=http://127.0.0.1:$((base + 20))

# /actuator/info is on web's management port; the live port does not answer it
info() { curl -fsS --max-time 5 "http://127.0.0.1:$((base + 2))/actuator/info" || echo '{}'; }
serving() { info | info_revision; }
live_workers() { sed -n 's/.*"liveWorkers":\({[^}]*}\).*/\1/p' <<<"$(info)"; }
expect() { # what revision web serves, what live workers run
  local served workers
  served=$(serving) workers=$(live_workers)
  [ "$served" = "$1" ] || fail "web serves '$served', expected $1"
  [ "$workers" = "$2" ] || fail "live workers $workers, expected $2"
  say "  web serves $served; live workers $workers"
}
timed() { local t0=$SECONDS; "$@" > "$work/out.log" 2>&1; local rc=$?; elapsed=$((SECONDS - t0)); return $rc; }

# --- A ----------------------------------------------------------------------------------------
say "deploy web and worker at $A"
t0=$SECONDS
timed deploy/deploy-host.sh worker $A || { cat "$work/out.log" >&2; fail "deploying worker $A"; }
timed deploy/deploy-host.sh web $A || { cat "$work/out.log" >&2; fail "deploying web $A"; }
deploy_s=$((SECONDS - t0))
expect $A "{\"$A\":1}"
[ "$(curl -fsS --max-time 10 -o /dev/null -w '%{http_code}' "$site/health/")" = 200 ] \
  || fail "the site does not answer through the proxy ($site)"
[ "$($engine container inspect --format '{{.Config.StopTimeout}}' "$name-web")" -ge 60 ] \
  || fail "the live web container stops after $($engine container inspect --format '{{.Config.StopTimeout}}' "$name-web") s, not the app's graces and more"

# Every request through the proxy from here to the end of the rollback: a deploy refused, one
# that switches, and a rollback must not fail one of them.
say "polling $site/health/ through the proxy every 100 ms"
( while :; do
    code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$site/health/" 2>/dev/null) || true
    echo "$(date +%s%3N) ${code:-000}"
    sleep 0.1
  done ) > "$work/poll.log" 2>/dev/null &
poller=$!

# host networking: what is not the site listens on loopback only (/proc/net/tcp*: local
# address and port in hex, state 0A = listening; 127.0.0.1 is 0100007F, and in tcp6 ::1 and
# ::ffff:127.0.0.1, the JVM's)
for port in $((base + 1)) $((base + 2)); do
  exposed=$(awk -v port="$(printf '%04X' "$port")" '$4 == "0A" { split($2, a, ":");
      if (a[2] == port && a[1] !~ /^(0100007F|00000000000000000000000001000000|0000000000000000FFFF00000100007F)$/)
        print $2 }' /proc/net/tcp /proc/net/tcp6)
  [ -z "$exposed" ] || fail "port $port (metrics and /actuator/info) listens beyond loopback: $exposed"
done
[ "$(curl -fsS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((base + 1))/actuator/info")" = 200 ] \
  || fail "the worker's management port does not answer on 127.0.0.1"

for path in /actuator/info /actuator/prometheus /actuator/env /actuator/heapdump; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$base$path")
  [ "$status" = 404 ] || fail "the live port answers $path with $status, expected 404"
done

# --- B: worker switched, web refused, worker rolled back: A everywhere -------------------------
say "deploy $B (its web is broken) with deploy/deploy.sh"
set +e
timed deploy/deploy.sh $B
rc=$?
set -e
refused_s=$elapsed
cat "$work/out.log" >&2
[ $rc -eq 3 ] || fail "deploying the broken $B exited with $rc, expected 3 (refused)"
grep -q "REFUSED: web $B failed its health check; $A still serves, untouched" "$work/out.log" \
  || fail "the refusal does not say what happened"
grep -q "Invalid VITRINE_ROLES" "$work/out.log" || fail "the refusal does not show the broken release's own error"
grep -q "rolling worker back to $A" "$work/out.log" || fail "the worker, switched to $B, was not rolled back"
[ -z "$($engine ps -a --format '{{.Names}}' | grep -x "$name-web-candidate" || true)" ] \
  || fail "the refused candidate was left behind"
expect $A "{\"$A\":1}"
# the worker, put back on A, has its record put back too (none: A was the first deploy), so a
# rollback cannot take web and worker to two revisions, one of them the refused B
[ "$(cat "$work/state/worker.previous" 2>/dev/null)" = "$(cat "$work/state/web.previous" 2>/dev/null)" ] \
  || fail "after the refused deploy the worker would roll back to '$(cat "$work/state/worker.previous" 2>/dev/null)', web to '$(cat "$work/state/web.previous" 2>/dev/null)'"

# --- C ----------------------------------------------------------------------------------------
say "deploy worker and web at $C"
timed deploy/deploy.sh $C || { cat "$work/out.log" >&2; fail "deploying $C"; }
grep -q "the proxy sends requests to port $((base + 10))" "$work/out.log" \
  || { cat "$work/out.log" >&2; fail "the proxy was not switched to the candidate during the deploy"; }
expect $C "{\"$C\":1}"
[ "$($engine container inspect --format '{{.State.Running}}' "$name-web-previous")" = false ] \
  || fail "the previous web container should be kept, stopped"

# --- rollback ---------------------------------------------------------------------------------
say "roll back web and worker"
timed deploy/rollback.sh || { cat "$work/out.log" >&2; fail "rolling back"; }
rollback_s=$elapsed
grep -q "web and worker: rolling back from $C to $A" "$work/out.log" || { cat "$work/out.log" >&2; fail "rollback did not go from $C to $A"; }
expect $A "{\"$A\":1}"

kill $poller; poller=
proxied_requests=$(wc -l < "$work/poll.log")
failed_requests=$(awk '$2 != 200' "$work/poll.log" | wc -l)
if [ "$failed_requests" -gt 0 ]; then
  awk '$2 != 200' "$work/poll.log" | head -20 >&2
  fail "$failed_requests of $proxied_requests requests through the proxy failed during the deploys and the rollback (time in ms, HTTP status; 000: no answer)"
fi
[ "$proxied_requests" -gt 0 ] || fail "the poller made no request"

say "deploy A ${deploy_s} s (worker + web), B refused and its worker rolled back ${refused_s} s, rollback ${rollback_s} s;" \
  "through the proxy, $proxied_requests requests during B, C and the rollback, none failed"
echo "deploy_s=$deploy_s refused_s=$refused_s rollback_s=$rollback_s proxied_requests=$proxied_requests failed_requests=$failed_requests"
