#!/usr/bin/env bash
# Records how a build, deploy or rollback ended where Prometheus can read it: counters in a
# Pushgateway, which Prometheus scrapes (monitoring/prometheus/prometheus.yml). The alerts
# VitrineBuildsFailing and VitrineDeployFailed and the dashboard's "Builds and deploys" row
# read them. The workflows call it last, whatever happened before:
#
#   deploy/report-outcome.sh build success|failure REVISION
#   deploy/report-outcome.sh deploy|rollback success|refused|failure REVISION
#
# Settings (environment):
#   VITRINE_PUSHGATEWAY_URL   the Pushgateway, e.g. https://push.example.org (credentials in the
#                             URL if it asks for them); unset: nothing is recorded, and it says so
#
# In the group job="vitrine_ci", kind=KIND it replaces:
#   vitrine_ci_runs_total{outcome}           runs so far by outcome, every outcome (zeros too,
#                                            so that increase() counts a first failure)
#   vitrine_ci_last_run_timestamp_seconds    when the last run ended
#   vitrine_ci_last_run_info{outcome,revision}  1, naming the last run's outcome and revision
# The counts are read back from the Pushgateway and incremented: runs of one kind must not
# record at the same moment (deploy and rollback share one concurrency group; a build on main
# records once its jobs are done). Exit 0 even when the Pushgateway cannot be reached: a
# monitoring outage must not fail a deploy; the reason is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh

[ $# -eq 3 ] || { echo "usage: deploy/report-outcome.sh build|deploy|rollback OUTCOME REVISION" >&2; exit 2; }
kind=$1 outcome=$2 revision=$3
case $kind in
  build) outcomes=(success failure) ;;
  deploy | rollback) outcomes=(success refused failure) ;;
  *) fail "unknown kind '$kind': expected build, deploy or rollback" ;;
esac
[[ " ${outcomes[*]} " == *" $outcome "* ]] || fail "unknown outcome '$outcome' of a $kind: expected ${outcomes[*]}"
check_revision "$revision"

url=${VITRINE_PUSHGATEWAY_URL:-}
if [ -z "$url" ]; then
  say "VITRINE_PUSHGATEWAY_URL is not set: the $kind's outcome ($outcome) is not recorded"
  exit 0
fi
url=${url%/}
# the URL (it may hold credentials) goes to curl on its standard input, not its command line
gateway() { # PATH [curl options...]
  local path=$1
  shift
  printf 'url = "%s%s"\n' "$url" "$path" | curl -fsS --max-time 10 -K - "$@"
}

if ! current=$(gateway /metrics 2>&1); then
  say "cannot read the Pushgateway (VITRINE_PUSHGATEWAY_URL): the $kind's outcome ($outcome) is not recorded"
  exit 0
fi
body="# TYPE vitrine_ci_runs_total counter"$'\n'
for o in "${outcomes[@]}"; do
  count=$(awk -v kind="kind=\"$kind\"" -v out="outcome=\"$o\"" '
    $1 ~ /^vitrine_ci_runs_total\{/ && index($1, "job=\"vitrine_ci\"") && index($1, kind) && index($1, out) { n = $2 }
    END { printf "%d", n + 0 }' <<<"$current")
  [ "$o" = "$outcome" ] && count=$((count + 1))
  body+="vitrine_ci_runs_total{outcome=\"$o\"} $count"$'\n'
done
body+="# TYPE vitrine_ci_last_run_timestamp_seconds gauge"$'\n'
body+="vitrine_ci_last_run_timestamp_seconds $(date +%s)"$'\n'
body+="# TYPE vitrine_ci_last_run_info gauge"$'\n'
body+="vitrine_ci_last_run_info{outcome=\"$outcome\",revision=\"$revision\"} 1"$'\n'
payload=$(mktemp)
trap 'rm -f "$payload"' EXIT
printf '%s' "$body" > "$payload"
if ! gateway "/metrics/job/vitrine_ci/kind/$kind" -X PUT --data-binary @"$payload" >/dev/null 2>&1; then
  say "the Pushgateway refused the $kind's outcome ($outcome): not recorded"
  exit 0
fi
say "recorded: $kind $outcome at $revision"
