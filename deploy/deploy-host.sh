#!/usr/bin/env bash
# Deploys one Vitrine service, at one revision, to this Docker or podman host, behind a
# health gate:
#
#   deploy/deploy-host.sh web 3f9c2e1d…      # a full commit SHA, 40 hex digits
#   deploy/deploy-host.sh worker 3f9c2e1d…
#
# 1. pulls IMAGE_PREFIX/<service>:<revision> unless the host has it;
# 2. starts it as <name>-<service>-candidate beside the running version, on the staging port,
#    and waits until it is healthy (the image's own health probe; for web also /actuator/info,
#    on its management port, naming the revision). If it is not healthy within
#    VITRINE_HEALTH_TIMEOUT seconds, or exits, the deploy is REFUSED (exit 3): the candidate
#    is removed and the running version was never touched;
# 3. switches, web behind the proxy (Caddy, the container <name>-proxy, started on the first
#    deploy; deploy/proxy/Caddyfile): the proxy is pointed at the candidate, which now serves
#    every new request, while requests already sent to the running version finish; the running
#    version is stopped (graceful: requests and jobs in flight finish) and kept, stopped, as
#    <name>-<service>-previous; the new one starts on the live port and is gated again (if that
#    fails, the previous one is started again, and once it passes its gate the deploy is REFUSED,
#    exit 3; if it does not, the candidate is kept, the one that still serves or works, and the
#    deploy FAILS, exit 1); the proxy is pointed at it, and the candidate
#    is drained and removed. The proxy changes its upstream without dropping a connection
#    (its admin API loads the new configuration in place), so visitors see no failed request.
#    A worker has no proxy: the candidate works the queue until the new worker is up.
# 4. records the revision: deploy/rollback.sh goes back to the one before.
#
# Settings (environment):
#   VITRINE_IMAGE_PREFIX     where the images are, e.g. registry.example.com/you/vitrine (required)
#   VITRINE_ENV_FILE         the services' settings (database, mail, admin...), passed with
#                            --env-file; default /etc/vitrine/vitrine.env
#   VITRINE_DEPLOY_NAME      container name prefix, default vitrine
#   VITRINE_DEPLOY_NETWORK   bridge (default: ports published on VITRINE_BIND) or host, or the
#                            name of a network (e.g. the one PostgreSQL is on)
#   VITRINE_BIND             address web's ports are published on, default 127.0.0.1 (put the
#                            TLS proxy in front); with host networking, the address web binds
#   VITRINE_WEB_PORT / VITRINE_WEB_STAGING_PORT         default 8080 / 8090
#   VITRINE_WEB_MANAGEMENT_PORT / _STAGING_PORT         web's management port (metrics and
#                                                       /actuator/info), default 8082 / 8092;
#                                                       published on 127.0.0.1 only
#   VITRINE_WORKER_PORT / VITRINE_WORKER_STAGING_PORT   management port, default 8081 / 8091
#   VITRINE_WEB_MEMORY / VITRINE_WORKER_MEMORY          container memory limit, e.g. 768m (unset:
#                                                       none; the JVM sizes its heap from it)
#   VITRINE_HEALTH_TIMEOUT   seconds a new version has to become healthy, default 120
#   VITRINE_DEPLOY_STATE     where the current and previous revisions are kept, default
#                            /var/lib/vitrine/deploy
#   VITRINE_ENGINE           docker or podman; default docker when it answers, else podman
#   VITRINE_PROXY_SITE       the proxy's site address (required to deploy web): the site's DNS
#                            name for HTTPS with automatic certificates (ports 80 and 443 of
#                            this host reachable), or e.g. http://:8000 for plain HTTP
#   VITRINE_PROXY_IMAGE      the Caddy 2 image, default docker.io/library/caddy:2 (or one built
#                            from deploy/proxy/Dockerfile)
#   VITRINE_PROXY_ADMIN      Caddy's admin API, default 127.0.0.1:2019 (the proxy runs with host
#                            networking; keep it on loopback)
#   VITRINE_PROXY_DRAIN      seconds between pointing the proxy away from a container and
#                            stopping it, default 2 (its own graceful stop then waits for what
#                            is still in flight)
#   VITRINE_STOP_TIMEOUT     seconds from SIGTERM to SIGKILL when a container stops (a deploy,
#                            a reboot), default 60: above the app's request and job graces
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh

service_and_revision "deploy/deploy-host.sh" "$@"

prefix=${VITRINE_IMAGE_PREFIX:?set VITRINE_IMAGE_PREFIX to where the images are, e.g. registry.example.com/you/vitrine}
env_file=${VITRINE_ENV_FILE:-/etc/vitrine/vitrine.env}
name=${VITRINE_DEPLOY_NAME:-vitrine}-$service
network=${VITRINE_DEPLOY_NETWORK:-bridge}
bind=${VITRINE_BIND:-127.0.0.1}
image=$prefix/$service:$revision
stop_timeout=${VITRINE_STOP_TIMEOUT:-60}
[[ $stop_timeout =~ ^[0-9]+$ ]] || fail "VITRINE_STOP_TIMEOUT must be a number of seconds, not '$stop_timeout'"
if [ "$service" = web ]; then
  live_port=${VITRINE_WEB_PORT:-8080} staging_port=${VITRINE_WEB_STAGING_PORT:-8090}
  live_management=${VITRINE_WEB_MANAGEMENT_PORT:-8082}
  staging_management=${VITRINE_WEB_MANAGEMENT_STAGING_PORT:-8092}
  memory=${VITRINE_WEB_MEMORY:-}
else
  live_port=${VITRINE_WORKER_PORT:-8081} staging_port=${VITRINE_WORKER_STAGING_PORT:-8091}
  # a worker's one port is its management port
  live_management=$live_port staging_management=$staging_port
  memory=${VITRINE_WORKER_MEMORY:-}
fi
[ "$live_port" != "$staging_port" ] || fail "the live and staging ports of $service are both $live_port"
[ "$live_management" != "$staging_management" ] || fail "the live and staging management ports of $service are both $live_management"
[ -r "$env_file" ] || fail "cannot read the settings file $env_file (VITRINE_ENV_FILE)"
if [ "$service" = web ]; then
  proxy_site=${VITRINE_PROXY_SITE:?set VITRINE_PROXY_SITE to the site address the proxy serves, e.g. portfolio.example.org}
  proxy_image=${VITRINE_PROXY_IMAGE:-docker.io/library/caddy:2}
  proxy_admin=${VITRINE_PROXY_ADMIN:-127.0.0.1:2019}
  proxy_drain=${VITRINE_PROXY_DRAIN:-2}
  [[ $proxy_drain =~ ^[0-9]+$ ]] || fail "VITRINE_PROXY_DRAIN must be a number of seconds, not '$proxy_drain'"
  caddyfile=deploy/proxy/Caddyfile
  [ -r "$caddyfile" ] || fail "$caddyfile is missing: the proxy's configuration comes with the deploy scripts"
  # the proxy (host networking) reaches web where its ports are published
  upstream_host=$bind
  [ "$bind" = 0.0.0.0 ] && upstream_host=127.0.0.1
fi

engine=$(container_engine)
command -v "$engine" >/dev/null || fail "$engine is not installed (VITRINE_ENGINE)"
command -v curl >/dev/null || fail "curl is needed for the health gate"

exists() { $engine container inspect "$1" >/dev/null 2>&1; }
running() { [ "$($engine container inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
# stopped first, gracefully: `docker rm -f` alone would kill a worker in the middle of its jobs
remove() {
  exists "$1" || return 0
  $engine stop -t "$stop_timeout" "$1" >/dev/null 2>&1 || true
  $engine rm -f "$1" >/dev/null 2>&1 || true
}

# Starts container $1 from $image, serving on port $2 with its management port $3; restarted
# after a crash or reboot when $4 is "live" (a candidate that crashes must stay down, so the
# gate sees it).
start() {
  local container=$1 port=$2 management=$3 args
  # shellcheck disable=SC2054 # the commas belong to --tmpfs
  args=(run -d --name "$container" --env-file "$env_file" --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL --security-opt no-new-privileges
    --stop-timeout "$stop_timeout" --label "dev.vitrine.revision=$revision" --label "dev.vitrine.service=$service")
  [ "${4:-}" = live ] && args+=(--restart unless-stopped)
  [ -n "$memory" ] && args+=(--memory "$memory")
  case $network in
    host) args+=(--network host) ;;
    bridge) ;;
    *) args+=(--network "$network") ;;
  esac
  if [ "$service" = web ]; then
    # metrics and /actuator/info: for the gate and Prometheus on this host, never public
    args+=(-e "SERVER_PORT=$port" -e "VITRINE_MANAGEMENT_PORT=$management")
    if [ "$network" = host ]; then
      # on the host's interfaces directly: only where the proxy reaches it
      args+=(-e "SERVER_ADDRESS=$bind" -e VITRINE_MANAGEMENT_ADDRESS=127.0.0.1)
    else
      args+=(-p "$bind:$port:$port" -p "127.0.0.1:$management:$management")
    fi
  else
    args+=(-e "VITRINE_MANAGEMENT_PORT=$port")
    # its only port is metrics and /actuator/info, for Prometheus on this host: on the host's
    # interfaces directly, loopback; else published on loopback, as web's is (unpublished,
    # no scrape reached it, and the scheduler's alert fired for good)
    if [ "$network" = host ]; then
      args+=(-e SERVER_ADDRESS=127.0.0.1)
    else
      args+=(-p "127.0.0.1:$port:$port")
    fi
  fi
  # podman without systemd complains that it cannot schedule the HEALTHCHECK; shown on failure only
  $engine "${args[@]}" "$image" >/dev/null 2>"$run_log" || { cat "$run_log" >&2; return 1; }
}

# Waits until container $1 (management port $2) is healthy and, for web, serves revision $3
# (default: the one being deployed); prints why not and returns 1.
gate() {
  local container=$1 management=$2 expected=${3:-$revision} deadline=$((SECONDS + health_timeout)) info probe
  # the image's own HEALTHCHECK command (exec form), run here because not every engine runs
  # health checks by itself (podman without systemd does not)
  mapfile -t probe < <($engine container inspect \
    --format '{{range .Config.Healthcheck.Test}}{{println .}}{{end}}' "$container" 2>/dev/null | sed '/^$/d')
  [ "${probe[0]:-}" = CMD ] && [ ${#probe[@]} -gt 1 ] \
    || fail "$image has no HEALTHCHECK in exec form (CMD [...]) to gate on"
  probe=("${probe[@]:1}")
  while [ $SECONDS -lt $deadline ]; do
    if ! running "$container"; then
      say "$container exited (code $($engine container inspect --format '{{.State.ExitCode}}' "$container" 2>/dev/null)); its last lines:"
      $engine logs --tail 15 "$container" >&2 2>&1 || true
      return 1
    fi
    if $engine exec "$container" "${probe[@]}" >/dev/null 2>&1; then
      if [ "$service" = worker ]; then
        return 0
      fi
      info=$(curl -fsS --max-time 5 "http://127.0.0.1:$management/actuator/info" 2>/dev/null || true)
      if [ "$(info_revision <<<"$info")" = "$expected" ]; then
        return 0
      fi
    fi
    sleep 1
  done
  say "$container was not healthy after ${health_timeout} s (VITRINE_HEALTH_TIMEOUT); its last lines:"
  $engine logs --tail 15 "$container" >&2 2>&1 || true
  return 1
}

# --- the proxy in front of web ------------------------------------------------------------------
proxy=${VITRINE_DEPLOY_NAME:-vitrine}-proxy

# Starts the proxy unless it runs, pointing at the live port; a proxy already running keeps
# its configuration (remove the container to apply changed VITRINE_PROXY_* settings).
ensure_proxy() {
  mkdir -p "$deploy_state" || fail "cannot create the state directory $deploy_state (VITRINE_DEPLOY_STATE)"
  # its own copy, which the proxy reads when it restarts (the deploy scripts' folder may be
  # replaced); written in place, so a running proxy's mount sees this deploy's version
  cat "$caddyfile" > "$deploy_state/Caddyfile"
  running "$proxy" && return 0
  remove "$proxy"
  say "starting the proxy $proxy ($proxy_image) for $proxy_site, admin API on $proxy_admin"
  # shellcheck disable=SC2054 # the commas belong to --tmpfs
  $engine run -d --name "$proxy" --network host --restart unless-stopped --read-only \
    --cap-drop ALL --cap-add NET_BIND_SERVICE --security-opt no-new-privileges --tmpfs /config:rw,mode=0700 \
    -v "$proxy-data:/data" -v "$deploy_state/Caddyfile:/etc/caddy/Caddyfile:ro" \
    -e "VITRINE_PROXY_SITE=$proxy_site" -e "VITRINE_PROXY_ADMIN=$proxy_admin" \
    -e "VITRINE_UPSTREAM=$upstream_host:$live_port" "$proxy_image" >/dev/null 2>"$run_log" \
    || { cat "$run_log" >&2; fail "$engine could not start the proxy from $proxy_image (VITRINE_PROXY_IMAGE)"; }
  for _ in $(seq 1 60); do
    curl -fsS --max-time 2 -o /dev/null "http://$proxy_admin/config/" 2>/dev/null && return 0
    running "$proxy" || break
    sleep 0.5
  done
  $engine logs --tail 15 "$proxy" >&2 2>&1 || true
  fail "the proxy $proxy did not answer on its admin API $proxy_admin"
}

# Points the proxy at web's port $1: Caddy loads the new configuration in place, keeping its
# listeners; requests already on their way to the old upstream finish there.
proxy_to() {
  sed "s|{\$VITRINE_UPSTREAM}|$upstream_host:$1|" "$deploy_state/Caddyfile" \
    | curl -fsS --max-time 30 -X POST -H 'Content-Type: text/caddyfile' --data-binary @- \
      "http://$proxy_admin/load" >/dev/null 2>"$run_log" \
    || { cat "$run_log" >&2; return 1; }
  say "the proxy sends requests to port $1"
}

run_log=$(mktemp)
trap 'rm -f "$run_log"' EXIT
current=$(state_get "$service" current)
started=$SECONDS
say "$service: deploying $revision (serving now: ${current:-nothing}) with $engine"
if ! $engine image inspect "$image" >/dev/null 2>&1; then
  say "pulling $image"
  $engine pull "$image" >/dev/null || fail "cannot pull $image: is it pushed, and is this host logged in?"
fi

remove "$name-candidate"
say "starting $name-candidate on port $staging_port beside the running version"
start "$name-candidate" "$staging_port" "$staging_management" || fail "$engine could not start $image"
if ! gate "$name-candidate" "$staging_management"; then
  remove "$name-candidate"
  refuse "$service $revision failed its health check; ${current:-the running version} still serves, untouched"
fi
say "$name-candidate is healthy after $((SECONDS - started)) s; switching"

if [ "$service" = web ]; then
  ensure_proxy
  proxy_to "$staging_port" || fail "could not point the proxy at $name-candidate; ${current:-the previous version} still serves"
  sleep "$proxy_drain"
fi
if exists "$name"; then
  remove "$name-previous"
  $engine stop -t "$stop_timeout" "$name" >/dev/null
  $engine rename "$name" "$name-previous"
fi
start "$name" "$live_port" "$live_management" live || fail "$engine could not start $image on port $live_port"
if ! gate "$name" "$live_management"; then
  remove "$name"
  back=false
  if exists "$name-previous"; then
    $engine rename "$name-previous" "$name"
    $engine start "$name" >/dev/null
    say "started ${current:-the previous version} again"
    [ -n "$current" ] && gate "$name" "$live_management" "$current" && back=true
  fi
  # the candidate is all that still serves (web, through the proxy) or works the queue: kept
  if ! $back; then
    serves="is the one worker left"
    [ "$service" = web ] && serves="serves through the proxy"
    fail "$service $revision was healthy beside the running version but not on port $live_port, and ${current:-no previous version} did not come back: $name-candidate ($revision) $serves; act by hand (docs/operations.md, Rollback)"
  fi
  if [ "$service" = web ]; then
    # a proxy still on the candidate must not be reported as a clean refusal
    proxy_to "$live_port" || fail "could not point the proxy back at port $live_port: $name-candidate ($revision) serves through the proxy; act by hand (docs/operations.md, Rollback)"
    sleep "$proxy_drain"
  fi
  remove "$name-candidate"
  # the previous version passed its gate again (else the fail above): refused, as when the
  # first gate fails
  refuse "$service $revision was healthy beside the running version but not on port $live_port; $current serves again"
fi
if [ "$service" = web ]; then
  proxy_to "$live_port" || fail "could not point the proxy back at port $live_port: $name-candidate serves; act by hand"
  sleep "$proxy_drain"
fi
remove "$name-candidate"
state_record "$service" "$revision"
say "$service: $revision serves on port $live_port ($((SECONDS - started)) s); roll back with: deploy/rollback.sh $service"
