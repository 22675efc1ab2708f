#!/usr/bin/env bash
# Deploys one Vitrine service, at one revision, to its CapRover app, behind a health gate:
#
#   deploy/deploy-caprover.sh web 3f9c2e1d…      # a full commit SHA, 40 hex digits
#   deploy/deploy-caprover.sh worker 3f9c2e1d…
#
# The app pair: vitrine-web (HTTP port 8080) and vitrine-worker (no HTTP, "Do not expose as
# web-app"), both with the database settings as environment variables (docs/operations.md).
# deploy/caprover/<service>/captain-definition says what to deploy; this script points it at
# IMAGE_PREFIX/<service>:<revision> and hands it to the CapRover CLI with the app's token.
# CapRover replaces the app's container itself, so the gate comes after the switch: the site
# must answer /health/ and report the revision (web) or a live worker of it (worker: workers
# have no public address). The site tells these only to who holds its deploy token, at
# /health/deploy (what /actuator/info says, which is served on the management port only, out
# of this script's reach). If it does not within
# VITRINE_HEALTH_TIMEOUT seconds, the revision that ran before is deployed again and the
# deploy is REFUSED (exit 3).
#
# Settings (environment):
#   CAPROVER_URL                 the CapRover dashboard, e.g. https://captain.apps.example.com
#   CAPROVER_WEB_APP / _WORKER_APP     app names, default vitrine-web / vitrine-worker
#   CAPROVER_WEB_TOKEN / _WORKER_TOKEN the apps' deployment tokens (Deployment tab)
#   VITRINE_IMAGE_PREFIX         where the images are, e.g. registry.example.com/you/vitrine
#   VITRINE_PUBLIC_URL           the site, e.g. https://www.example.com
#   VITRINE_DEPLOY_TOKEN         the token set as VITRINE_DEPLOY_TOKEN in vitrine-web's environment
#   VITRINE_HEALTH_TIMEOUT       seconds, default 300 (CapRover pulls the image first)
#   VITRINE_DEPLOY_STATE         where this run keeps the current and previous revisions
#                                (deploy.sh reads them); what lasts is in the registry:
# After a deploy that replaced revision P, the registry's tag <service>:previous is moved to
# P's image (skopeo, with the credentials of `docker login` / `skopeo login`), so that
# deploy/rollback.sh --caprover finds it from any later run or machine (deploy-lib.sh). The
# revision that serves is always read from the site.
#   CAPROVER_CLI                 the CLI command, default `caprover` (npm install -g caprover)
set -euo pipefail
cd "$(dirname "$0")/.."
export VITRINE_HEALTH_TIMEOUT=${VITRINE_HEALTH_TIMEOUT:-300}
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh

service_and_revision "deploy/deploy-caprover.sh" "$@"

url=${CAPROVER_URL:?set CAPROVER_URL to the CapRover dashboard address}
prefix=${VITRINE_IMAGE_PREFIX:?set VITRINE_IMAGE_PREFIX to where the images are}
site=${VITRINE_PUBLIC_URL:?set VITRINE_PUBLIC_URL to the site address: the health gate reads it}
site=${site%/}
deploy_token=${VITRINE_DEPLOY_TOKEN:?set VITRINE_DEPLOY_TOKEN to the deploy token in vitrine-web\'s environment: the gate reads the revision with it}
if [ "$service" = web ]; then
  app=${CAPROVER_WEB_APP:-vitrine-web} token=${CAPROVER_WEB_TOKEN:?set CAPROVER_WEB_TOKEN to vitrine-web\'s deployment token}
else
  app=${CAPROVER_WORKER_APP:-vitrine-worker} token=${CAPROVER_WORKER_TOKEN:?set CAPROVER_WORKER_TOKEN to vitrine-worker\'s deployment token}
fi
read -r -a cli <<<"${CAPROVER_CLI:-caprover}"
command -v "${cli[0]}" >/dev/null || fail "${cli[0]} is not installed: npm install -g caprover (or set CAPROVER_CLI)"
command -v curl >/dev/null || fail "curl is needed for the health gate"
command -v skopeo >/dev/null || fail "skopeo is needed: the previous revision is kept in the registry (apt-get install skopeo)"
definition=deploy/caprover/$service/captain-definition
grep -q '"imageName"' "$definition" || fail "$definition has no imageName"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the token goes to curl on its standard input, not its command line (which ps shows)
info() {
  printf 'header = "Authorization: Bearer %s"\n' "$deploy_token" \
    | curl -fsS --max-time 10 -K - "$site/health/deploy" 2>/dev/null || true
}

# What serves now, as the site reports it; else what this run recorded (the site down).
if [ "$service" = web ]; then
  current=$(info | info_revision)
else
  current=$(info | sed -n 's/.*"liveWorkers":{"\([^"]*\)":[0-9]*}.*/\1/p')
fi
[[ $current =~ ^[0-9a-f]{40}$ ]] || current=$(state_get "$service" current)
# recorded, so that after this deploy it is the revision to roll back to
[ -n "$current" ] && state_record "$service" "$current"

ship() { # revision
  mkdir -p "$work/$1"
  sed "s|\"imageName\": *\"[^\"]*\"|\"imageName\": \"$prefix/$service:$1\"|" "$definition" > "$work/$1/captain-definition"
  tar -C "$work/$1" -cf "$work/$1.tar" captain-definition
  # the app's token in the CLI's environment, not on its command line, which ps shows
  CAPROVER_APP_TOKEN=$token "${cli[@]}" deploy --caproverUrl "$url" --caproverApp "$app" --tarFile "$work/$1.tar" >&2
}

healthy() { # revision: true once the site shows it serving
  local answer
  curl -fsS --max-time 10 -o /dev/null "$site/health/" 2>/dev/null || return 1
  answer=$(info)
  if [ "$service" = web ]; then
    [ "$(info_revision <<<"$answer")" = "$1" ]
  else
    [ "$(info_live_workers "$1" <<<"$answer")" -ge 1 ] 2>/dev/null
  fi
}

wait_healthy() { # revision
  local deadline=$((SECONDS + health_timeout))
  while [ $SECONDS -lt $deadline ]; do
    healthy "$1" && return 0
    sleep 3
  done
  return 1
}

started=$SECONDS
say "$service: deploying $revision to CapRover app $app (serving now: ${current:-unknown})"
ship "$revision" || fail "the CapRover CLI could not deploy $prefix/$service:$revision to $app"
if ! wait_healthy "$revision"; then
  if [ -z "$current" ] || [ "$current" = "$revision" ]; then
    fail "$service $revision is not healthy at $site after ${health_timeout} s, and no previous revision is known to return to"
  fi
  say "$service $revision is not healthy at $site after ${health_timeout} s; deploying $current again"
  ship "$current" && wait_healthy "$current" \
    || fail "$service $revision failed its health check, and $current did not come back either: act by hand (docs/operations.md, Rollback)"
  refuse "$service $revision failed its health check; $current serves again"
fi
state_record "$service" "$revision"
if [ -n "$current" ] && [ "$current" != "$revision" ]; then
  registry_record_previous "$prefix" "$service" "$current" \
    || say "WARNING: could not tag $prefix/$service:$current as $service:previous: a later rollback will not find $current (deploy it by SHA)"
fi
say "$service: $revision serves ($((SECONDS - started)) s); roll back with: deploy/rollback.sh --caprover $service"
