#!/usr/bin/env bash
# The old stack's job figures, measured the way bench/jobs.sh measures ours, so both can be
# compared in one session: Celery 5.2 (Debian's python3-celery) with a prefork worker of 2
# processes on Redis 7 (Debian's redis-server), on 127.0.0.1.
#  (a) 20,000 no-op tasks published before the worker starts; jobs/s from the worker's first
#      take from the queue to an empty queue, and the worker's CPU (main process and children)
#      per task over the same span.
#  (b) 1,000 tasks published 5 ms apart; enqueue->start p50/p99.
#   bench/celery-baseline.sh [DRAIN_COUNT] [LATENCY_COUNT]
# Last line: jobs_per_s=... cpu_ms_per_job=... p50_ms=... p99_ms=...
set -euo pipefail
cd "$(dirname "$0")"
drain_count=${1:-20000}
latency_count=${2:-1000}
PY=/usr/bin/python3
if ! $PY -c 'import celery, redis' 2>/dev/null || ! command -v redis-server >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-celery python3-redis redis-server >/dev/null
fi
work=$(mktemp -d /tmp/celery-bench-XXXX)
redis-server --port 16379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$work" --logfile "$work/redis.log"
worker_pid=
trap '[ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null; redis-cli -p 16379 shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
echo "machine: $(nproc) cores; $($PY -c 'import celery; print("celery", celery.__version__)'); $(redis-server --version | cut -d' ' -f1-3); $(date -u +%F)" >&2
cd celery
tree_cpu_ms() { # CPU of a process and its children, in ms
  local hz; hz=$(getconf CLK_TCK)
  for p in $1 $(pgrep -P "$1"); do awk '{print $14 + $15}' "/proc/$p/stat"; done | awk -v hz="$hz" '{s += $1} END {print int(s * 1000 / hz)}'
}
start_worker() {
  $PY -m celery -A tasks worker --pool=prefork -c 2 --loglevel=WARNING >"$work/worker.log" 2>&1 &
  worker_pid=$!
}
queue_empty() { [ "$(redis-cli -p 16379 -n 0 llen celery)" = 0 ]; }

echo "warming up" >&2
start_worker; sleep 5
$PY client.py drain 2000
until queue_empty; do sleep 0.05; done
kill "$worker_pid"; wait "$worker_pid" 2>/dev/null || true

echo "(a) publishing $drain_count tasks, then draining" >&2
$PY client.py drain "$drain_count"
start_worker
until [ "$(redis-cli -p 16379 -n 0 llen celery)" -lt "$drain_count" ]; do sleep 0.01; done
start=$(date +%s%N)
cpu_before=$(tree_cpu_ms "$worker_pid")
until queue_empty; do sleep 0.02; done
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cpu=$(( $(tree_cpu_ms "$worker_pid") - cpu_before ))
jobs_per_s=$(( drain_count * 1000 / elapsed_ms ))
cpu_per_job=$(awk -v c="$cpu" -v n="$drain_count" 'BEGIN {printf "%.3f", c / n}')
echo "  drained $drain_count in $elapsed_ms ms: $jobs_per_s jobs/s, worker CPU $cpu ms = $cpu_per_job ms/job" >&2

echo "(b) $latency_count tasks 5 ms apart" >&2
read -r p50 p99 <<<"$($PY client.py latency "$latency_count")"
echo "  enqueue->start p50 $p50 ms, p99 $p99 ms" >&2
echo "jobs_per_s=$jobs_per_s cpu_ms_per_job=$cpu_per_job p50_ms=$p50 p99_ms=$p99"
