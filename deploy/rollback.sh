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
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh

deploy=$(deploy_script "${1:-}")
target=host
[ "${1:-}" = --caprover ] && target=--caprover && shift
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(web worker)

declare -A previous
for service in "${services[@]}"; do
  check_service "$service"
  previous[$service]=$(previous_revision "$target" "$service")
  if [ -z "${previous[$service]}" ]; then
    if [ "$target" = --caprover ]; then
      fail "no previous revision of $service in the registry ($VITRINE_IMAGE_PREFIX/$service:previous) or $deploy_state: nothing to roll back to"
    fi
    fail "no previous revision of $service recorded in $deploy_state (VITRINE_DEPLOY_STATE): nothing to roll back to"
  fi
done
for service in "${services[@]}"; do
  say "$service: rolling back from $(state_get "$service" current) to ${previous[$service]}"
  "$deploy" "$service" "${previous[$service]}"
done
