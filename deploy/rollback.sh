#!/usr/bin/env bash
# Returns services to the revision they ran before the last deploy, in one command:
#
#   deploy/rollback.sh                  # web and worker, on this Docker/podman host
#   deploy/rollback.sh web              # one service
#   deploy/rollback.sh --caprover       # the CapRover apps (settings as deploy-caprover.sh)
#
# The previous revision comes from VITRINE_DEPLOY_STATE (written by the deploy scripts) on a
# host, and from the registry on CapRover (the tag <service>:previous, which deploy-caprover.sh
# moves: a later run or another machine finds it there); the rollback is itself a deploy of
# that revision, with the same health gate, so a rollback to a
# version that no longer starts is refused too and changes nothing. Rolling back twice
# returns to where you started.
#
# Web and worker together go to one revision, web's previous one (web is deployed last, so it
# is what both ran before the last deploy that went through), by deploy/deploy.sh: the worker
# first, and put back if web's gate refuses, as in every deploy.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh

deploy=$(deploy_script "${1:-}")
target=host
[ "${1:-}" = --caprover ] && target=--caprover && shift
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(web worker)
for service in "${services[@]}"; do
  check_service "$service"
done

previous_of() { # service: prints its previous revision, or stops when none is known
  local previous
  previous=$(previous_revision "$target" "$1") || exit 1
  if [ -z "$previous" ]; then
    if [ "$target" = --caprover ]; then
      fail "no previous revision of $1 in the registry ($VITRINE_IMAGE_PREFIX/$1:previous) or $deploy_state: nothing to roll back to"
    fi
    fail "no previous revision of $1 recorded in $deploy_state (VITRINE_DEPLOY_STATE): nothing to roll back to"
  fi
  printf '%s' "$previous"
}

if [[ " ${services[*]} " == *" web "* && " ${services[*]} " == *" worker "* ]]; then
  # not each to its own record, one after the other: after a refused deploy the records could
  # differ, and a worker refused after web had moved left them on two revisions
  previous=$(previous_of web)
  worker_previous=$(previous_revision "$target" worker 2>/dev/null) || worker_previous=
  [ "$worker_previous" = "$previous" ] \
    || say "the worker's own record names ${worker_previous:-no previous revision}; both go to web's, $previous"
  # on a fresh CI runner (CapRover) no current revision is recorded here
  from=$(state_get web current)
  say "web and worker: rolling back ${from:+from $from }to $previous"
  args=()
  [ "$target" = --caprover ] && args+=(--caprover)
  exec deploy/deploy.sh "${args[@]}" "$previous"
fi
for service in "${services[@]}"; do
  previous=$(previous_of "$service")
  from=$(state_get "$service" current)
  say "$service: rolling back ${from:+from $from }to $previous"
  "$deploy" "$service" "$previous"
done
