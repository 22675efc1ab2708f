#!/usr/bin/env bash
# Deploys one revision of both services, worker first, then web, each behind its health gate:
#
#   deploy/deploy.sh 3f9c2e1d…              # to this Docker/podman host (deploy-host.sh)
#   deploy/deploy.sh --caprover 3f9c2e1d…   # to the CapRover app pair (deploy-caprover.sh)
#
# The worker goes first, so a new web process never enqueues a job type that no live worker
# knows (a job of an unknown type waits a grace period, then fails). When either gate refuses
# the new revision, every service this run already switched is rolled back to the revision it
# ran before, so web and worker end on one revision, and its record of the revision to roll
# back to is put back, so a later rollback takes both to one too: exit code 3, the previous
# revision serves. When something else broke (exit 1), nothing is rolled back: web may serve
# the new revision as its kept candidate, and the worker stays on it, which web at either
# revision runs with.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh

deploy=$(deploy_script "${1:-}")
target=host
[ "${1:-}" = --caprover ] && target=--caprover && shift
[ $# -eq 1 ] || { echo "usage: deploy/deploy.sh [--caprover] REVISION" >&2; exit 2; }
revision=$1
check_revision "$revision"

switched=()
declare -A was_previous
for service in worker web; do
  before=$(state_get "$service" current)
  # what a rollback of it goes to now, put back if it is rolled back below (unreadable: none)
  was_previous[$service]=$(previous_revision "$target" "$service" 2>/dev/null) || was_previous[$service]=
  set +e
  "$deploy" "$service" "$revision"
  status=$?
  set -e
  if [ $status -eq 0 ]; then
    # what it ran before, as the deploy recorded it (on CapRover read from the site)
    [ "$before" != "$revision" ] && switched+=("$service:$(state_get "$service" previous)")
    continue
  fi
  if [ $status -ne 3 ]; then
    # broken otherwise than by a gate's refusal: web may serve $revision as its kept
    # candidate, which needs the new worker, and an older web runs beside a newer worker
    # anyway (it is every deploy's middle step); so the worker stays
    [ ${#switched[@]} -eq 0 ] || say "the worker keeps $revision: web, at either revision, runs with it"
    fail "deploying $service at $revision (exit $status): see the lines above; act by hand (docs/operations.md, Rollback)"
  fi
  for entry in "${switched[@]}"; do
    back=${entry#*:}
    if [ -n "$back" ]; then
      say "rolling ${entry%%:*} back to $back, the revision it ran before this deploy"
      "$deploy" "${entry%%:*}" "$back" || fail "rolling ${entry%%:*} back to $back failed too: act by hand (docs/operations.md, Rollback)"
      # so that web and worker still roll back to one revision, not this one to $revision
      restore_previous "$target" "${entry%%:*}" "$back" "${was_previous[${entry%%:*}]}"
    else
      say "${entry%%:*} ran nothing before this deploy; it keeps $revision"
    fi
  done
  refuse "$revision was refused by $service's health gate; web and worker run what they ran before"
done
say "web and worker run $revision"
