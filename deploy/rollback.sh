#!/usr/bin/env bash
# Returns services to the revision they ran before the last deploy, in one command:
#
#   deploy/rollback.sh                  # web and worker, on this Docker/podman host
#   deploy/rollback.sh web              # one service
#   deploy/rollback.sh --caprover       # the CapRover apps (settings as deploy-caprover.sh)
#
# The previous revision comes from VITRINE_DEPLOY_STATE (written by the deploy scripts); the
# rollback is itself a deploy of that revision, with the same health gate, so a rollback to a
# version that no longer starts is refused too and changes nothing. Rolling back twice
# returns to where you started.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh

deploy=$(deploy_script "${1:-}")
[ "${1:-}" = --caprover ] && shift
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(web worker)

for service in "${services[@]}"; do
  check_service "$service"
  [ -n "$(state_get "$service" previous)" ] \
    || fail "no previous revision of $service recorded in $deploy_state (VITRINE_DEPLOY_STATE): nothing to roll back to"
done
for service in "${services[@]}"; do
  previous=$(state_get "$service" previous)
  say "$service: rolling back from $(state_get "$service" current) to $previous"
  "$deploy" "$service" "$previous"
done
