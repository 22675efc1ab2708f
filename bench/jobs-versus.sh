#!/usr/bin/env bash
# The jobs figures side by side, taking turns so that each round shares the machine's state:
# Celery (bench/celery-baseline.sh), this build (bench/jobs.sh) and, when PREV_JAR names one,
# another build of vitrine.jar (e.g. the previous commit's) through the same bench/jobs.sh.
#   bench/jobs-versus.sh [ROUNDS] [DRAIN_COUNT] [LATENCY_COUNT]     (defaults 2 20000 1000)
#   PREV_JAR=/tmp/prev.jar bench/jobs-versus.sh
# Prints each run's last line, labelled with the round, the time and the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
drain=${2:-20000}
latency=${3:-1000}
label() { echo "== round $1 $2 $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"; }
for ((round = 1; round <= rounds; round++)); do
  label "$round" celery; bench/celery-baseline.sh "$drain" "$latency" 2>/dev/null | tail -n 1
  label "$round" vitrine; bench/jobs.sh "$drain" "$latency" 2>/dev/null | tail -n 1
  if [ -n "${PREV_JAR:-}" ]; then
    label "$round" previous; JAR=$PREV_JAR bench/jobs.sh "$drain" "$latency" 2>/dev/null | tail -n 1
  fi
done
