#!/usr/bin/env bash
# Jobs benchmark: one worker process (VITRINE_ROLES=worker, default settings) on PostgreSQL.
#  (a) drain: 20,000 no-op jobs (DiagnosticJob) enqueued in one transaction before the worker
#      looks; reports jobs/s from that commit to the last job recorded, and the worker's CPU
#      time per job (user+system, from /proc).
#  (b) latency: 1,000 jobs enqueued 5 ms apart by another process (psql, committing each job
#      and notifying as Jobs.enqueue does); reports enqueue->start p50/p99 from the history.
#
#   bench/jobs.sh [DRAIN_COUNT] [LATENCY_COUNT]        (defaults 20000 1000)
#   VITRINE_DB_URL=jdbc:postgresql://... bench/jobs.sh  (a given, empty database; else a scratch one)
# Last line: jobs_per_s=... cpu_ms_per_job=... p50_ms=... p99_ms=...
# Needs psql (Debian: postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
drain_count=${1:-20000}
latency_count=${2:-1000}
command -v psql >/dev/null || { echo "bench/jobs.sh needs psql (apt-get install postgresql-client)" >&2; exit 1; }
build_jar
work=$(mktemp -d /tmp/vitrine-bench-XXXX)
chmod 755 "$work"
mgmt_port=18481
worker_pid=
scratch_db=
cleanup() {
  [ -n "$worker_pid" ] && kill -TERM "$worker_pid" 2>/dev/null && wait "$worker_pid" 2>/dev/null || true
  [ -n "$scratch_db" ] && stop_postgres "$scratch_db"
  rm -rf "$work"
}
trap cleanup EXIT
machine >&2

if [ -z "${VITRINE_DB_URL:-}" ]; then
  ls -d /tmp/vitrine-postgres-*/bin >/dev/null 2>&1 || { echo "unpack PostgreSQL binaries by starting the app once" >&2; exit 1; }
  start_postgres "$work/db" 18433
  scratch_db=$work/db
  export VITRINE_DB_URL="jdbc:postgresql://127.0.0.1:18433/postgres" VITRINE_DB_USER=vitrine
fi
psql_url=${VITRINE_DB_URL#jdbc:}
psql_url=${psql_url/postgresql:\/\//postgresql://${VITRINE_DB_USER:-vitrine}${VITRINE_DB_PASSWORD:+:$VITRINE_DB_PASSWORD}@}
sql() { psql "$psql_url" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

VITRINE_ROLES=worker VITRINE_MANAGEMENT_PORT=$mgmt_port "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" >"$work/worker.log" 2>&1 &
worker_pid=$!
wait_healthy $mgmt_port $worker_pid "$work/worker.log"
until grep -q 'Worker .* started' "$work/worker.log"; do sleep 0.1; done
echo "worker up (pid $worker_pid); warming up with 2,000 jobs" >&2

job_data="convert_to(json_build_object('payload', json_build_object('workMillis', 0, 'fail', false), 'enqueuedAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), 'attempts', 0)::text, 'UTF8')"
enqueue_batch() { # COUNT PREFIX
  sql "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
       SELECT 'jobs.diagnostic', '$2-' || i, $job_data, now(), false, 1 FROM generate_series(1, $1) i;
       SELECT pg_notify('vitrine_jobs', 'jobs.diagnostic');" >/dev/null
}
wait_recorded() { # COUNT PREFIX
  until [ "$(sql "SELECT count(*) FROM job_run WHERE job_id LIKE '$2-%'")" -ge "$1" ]; do sleep 0.05; done
}

enqueue_batch 2000 warmup; wait_recorded 2000 warmup

echo "(a) draining $drain_count jobs" >&2
cpu_before=$(cpu_ms $worker_pid)
start=$(date +%s%N)
enqueue_batch "$drain_count" drain
wait_recorded "$drain_count" drain
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cpu_used=$(( $(cpu_ms $worker_pid) - cpu_before ))
jobs_per_s=$(( drain_count * 1000 / elapsed_ms ))
cpu_per_job=$(awk -v c=$cpu_used -v n=$drain_count 'BEGIN {printf "%.3f", c / n}')
echo "  drained $drain_count in $elapsed_ms ms: $jobs_per_s jobs/s, worker CPU $cpu_used ms = $cpu_per_job ms/job" >&2

echo "(b) $latency_count jobs 5 ms apart from psql" >&2
sql "DO \$\$ BEGIN
       FOR i IN 1..$latency_count LOOP
         INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
         VALUES ('jobs.diagnostic', 'latency-' || i, $job_data, now(), false, 1);
         PERFORM pg_notify('vitrine_jobs', 'jobs.diagnostic');
         COMMIT;
         PERFORM pg_sleep(0.005);
       END LOOP;
     END \$\$;"
wait_recorded "$latency_count" latency
read -r p50 p99 <<<"$(sql "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1),
                                  round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1)
                           FROM (SELECT extract(epoch FROM started_at - enqueued_at) * 1000 AS ms
                                 FROM job_run WHERE job_id LIKE 'latency-%') l" | tr '|' ' ')"
echo "  enqueue->start p50 $p50 ms, p99 $p99 ms" >&2
echo "jobs_per_s=$jobs_per_s cpu_ms_per_job=$cpu_per_job p50_ms=$p50 p99_ms=$p99"
