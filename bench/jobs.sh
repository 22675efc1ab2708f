#!/usr/bin/env bash
# Jobs benchmark: worker processes (VITRINE_ROLES=worker, default settings; one unless WORKERS=N)
# on PostgreSQL.
#  (a) drain: 20,000 no-op jobs (DiagnosticJob) enqueued by the command line
#      (`jobs enqueue --count`, the app's own enqueue path, in batches) while their queue is
#      paused; reports the bulk enqueue rows/s the command measured, then jobs/s from the
#      resume to the last job recorded, and the workers' CPU time per job (user+system, from /proc).
#  (b) latency: 1,000 jobs enqueued 5 ms apart by another process (psql, committing each job;
#      the job table's trigger sends the NOTIFY); reports enqueue->start p50/p99 from the history.
#
#   bench/jobs.sh [DRAIN_COUNT] [LATENCY_COUNT]        (defaults 20000 1000)
#   WORKERS=3 bench/jobs.sh                             (three worker processes share the jobs)
#   WARMUP=2000 bench/jobs.sh                           (jobs run before measuring; default DRAIN_COUNT)
#   PGSS=1 bench/jobs.sh                                (the drain's statements from pg_stat_statements)
#   BREAKDOWN=1 bench/jobs.sh                           (the latency in parts: enqueue to claim, the claim
#                                                        statement, claim to handler; a trigger logs claims)
#   ENQUEUE_SYNC_COMMIT=off bench/jobs.sh               (the latency without the enqueuer's WAL flush)
#   VITRINE_DB_URL=jdbc:postgresql://... bench/jobs.sh  (a given, empty database; else a scratch one)
# Last line: jobs_per_s=... cpu_ms_per_job=... p50_ms=... p99_ms=... enqueue_rows_per_s=... workers=...
# Needs psql (Debian: postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
drain_count=${1:-20000}
latency_count=${2:-1000}
workers=${WORKERS:-1}
# the JIT compiles the hot paths during the first tens of thousands of jobs, which a
# long-running worker pays once: warm up with as many jobs as are measured
warmup=${WARMUP:-$drain_count}
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || { echo "WORKERS must be a whole number from 1" >&2; exit 2; }
command -v psql >/dev/null || { echo "bench/jobs.sh needs psql (apt-get install postgresql-client)" >&2; exit 1; }
build_jar
work=$(mktemp -d /tmp/vitrine-bench-XXXX)
chmod 755 "$work"
mgmt_port=18481
worker_pids=()
scratch_db=
cleanup() {
  local pid
  for pid in "${worker_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${worker_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$scratch_db" ] && stop_postgres "$scratch_db"
  rm -rf "$work"
}
trap cleanup EXIT
machine >&2

[ "${PGSS:-}" = 1 ] && export PG_OPTS="-c shared_preload_libraries=pg_stat_statements"
if [ -z "${VITRINE_DB_URL:-}" ]; then
  ls -d /tmp/vitrine-postgres-*/bin >/dev/null 2>&1 || { echo "unpack PostgreSQL binaries by starting the app once" >&2; exit 1; }
  start_postgres "$work/db" 18433
  scratch_db=$work/db
  export VITRINE_DB_URL="jdbc:postgresql://127.0.0.1:18433/postgres" VITRINE_DB_USER=vitrine
fi
psql_url=${VITRINE_DB_URL#jdbc:}
psql_url=${psql_url/postgresql:\/\//postgresql://${VITRINE_DB_USER:-vitrine}${VITRINE_DB_PASSWORD:+:$VITRINE_DB_PASSWORD}@}
sql() { psql "$psql_url" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

for ((i = 0; i < workers; i++)); do
  VITRINE_ROLES=worker VITRINE_MANAGEMENT_PORT=$((mgmt_port + i)) "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" >"$work/worker-$i.log" 2>&1 &
  worker_pids+=($!)
  # one at a time: the first one creates the schema
  wait_healthy $((mgmt_port + i)) "${worker_pids[$i]}" "$work/worker-$i.log"
  until grep -q 'Worker .* started' "$work/worker-$i.log"; do sleep 0.1; done
done
echo "$workers worker process(es) up (pid ${worker_pids[*]}); warming up with $warmup jobs" >&2

payload='{"workMillis":0,"fail":false}'
# enqueue COUNT: through the command line, as an operator would; prints its rows/s
enqueue() {
  "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" jobs enqueue jobs.diagnostic --payload "$payload" --count "$1" >"$work/enqueue.log" 2>&1 \
    || { echo "jobs enqueue failed:" >&2; cat "$work/enqueue.log" >&2; exit 1; }
  sed 's/^/  | /' "$work/enqueue.log" >&2
  sed -n 's/^Enqueued .* (\([0-9]*\)\/s)$/\1/p' "$work/enqueue.log"
}
# the newest job in the history: later jobs have larger ids
last_job() { sql "SELECT COALESCE(max(job_id), 0) FROM job_run"; }
wait_recorded() { # COUNT AFTER_JOB_ID
  # a job leaves the job table when its outcome is recorded: polling for that is cheap, where
  # counting the growing history every 50 ms took a fair share of the CPU being measured
  # one psql for the whole wait (starting one every 20 ms cost a tenth of the CPU), committing
  # between looks so that it holds back no vacuum
  sql "DO \$\$ BEGIN
         WHILE EXISTS (SELECT 1 FROM job WHERE type = 'jobs.diagnostic') LOOP
           COMMIT;
           PERFORM pg_sleep(0.02);
         END LOOP;
       END \$\$;"
  local recorded
  recorded=$(sql "SELECT count(*) FROM job_run WHERE job_type = 'jobs.diagnostic' AND job_id > $2 AND outcome = 'succeeded'")
  [ "$recorded" -ge "$1" ] || { echo "only $recorded of $1 jobs succeeded" >&2; exit 1; }
}
cpu_all() { local total=0 pid; for pid in "${worker_pids[@]}"; do total=$((total + $(cpu_ms "$pid"))); done; echo "$total"; }

before=$(last_job)
enqueue "$warmup" >/dev/null
wait_recorded "$warmup" "$before"

echo "(a) enqueueing $drain_count jobs with the queue paused, then draining them" >&2
before=$(last_job)
sql "INSERT INTO job_pause (scope, name) VALUES ('queue', 'diagnostics')"
enqueue_rows_per_s=$(enqueue "$drain_count")
[ "${PGSS:-}" = 1 ] && sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
cpu_before=$(cpu_all)
start=$(date +%s%N)
# resuming does not insert a job, so wake the workers as the trigger would
sql "BEGIN; DELETE FROM job_pause WHERE scope = 'queue' AND name = 'diagnostics'; SELECT pg_notify('vitrine_jobs', ''); COMMIT;" >/dev/null
wait_recorded "$drain_count" "$before"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cpu_used=$(( $(cpu_all) - cpu_before ))
jobs_per_s=$(( drain_count * 1000 / (elapsed_ms > 0 ? elapsed_ms : 1) ))
cpu_per_job=$(awk -v c="$cpu_used" -v n="$drain_count" 'BEGIN {printf "%.3f", c / n}')
echo "  bulk enqueue $enqueue_rows_per_s rows/s; drained $drain_count in $elapsed_ms ms with $workers worker(s): $jobs_per_s jobs/s, worker CPU $cpu_used ms = $cpu_per_job ms/job" >&2

if [ "${PGSS:-}" = 1 ]; then
  psql "$psql_url" -X -c "SELECT calls, round(total_exec_time) AS total_ms, round((total_exec_time / calls)::numeric, 3) AS ms_per_call,
                                 round(rows::numeric / calls, 1) AS rows_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS statement
                          FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 6" >&2
fi

echo "(b) $latency_count jobs 5 ms apart from psql" >&2
if [ "${BREAKDOWN:-}" = 1 ]; then
  sql "CREATE TABLE claim_log (id bigint, claim_start timestamptz, claim_row timestamptz);
       CREATE FUNCTION log_claim() RETURNS trigger LANGUAGE plpgsql AS \$f\$ BEGIN
         INSERT INTO claim_log VALUES (NEW.id, NEW.started_at, clock_timestamp()); RETURN NULL; END \$f\$;
       CREATE TRIGGER log_claim AFTER UPDATE ON job FOR EACH ROW
         WHEN (NEW.state = 'running' AND OLD.state = 'pending') EXECUTE FUNCTION log_claim();" >/dev/null
fi
before=$(last_job)
# ENQUEUE_SYNC_COMMIT=off: the enqueuer's commits return before their WAL flush, to see what
# the flush costs the latency
PGOPTIONS="-c synchronous_commit=${ENQUEUE_SYNC_COMMIT:-on}" sql "DO \$\$ BEGIN
       FOR i IN 1..$latency_count LOOP
         INSERT INTO job (type, queue, payload, max_attempts)
         VALUES ('jobs.diagnostic', 'diagnostics', '$payload', 3);
         COMMIT;
         PERFORM pg_sleep(0.005);
       END LOOP;
     END \$\$;"
wait_recorded "$latency_count" "$before"
read -r p50 p99 <<<"$(sql "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1),
                                  round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1)
                           FROM (SELECT extract(epoch FROM started_at - enqueued_at) * 1000 AS ms
                                 FROM job_run WHERE job_type = 'jobs.diagnostic' AND job_id > $before) l" | tr '|' ' ')"
echo "  enqueue->start p50 $p50 ms, p99 $p99 ms" >&2
if [ "${BREAKDOWN:-}" = 1 ]; then
  # job_run.started_at is the handler's start (the worker's clock); the claim's now() is its
  # transaction's start; enqueued_at is the INSERT's clock, before the enqueuer's commit
  columns=()
  for part in enqueue_to_claim claim_statement claim_to_handler; do
    columns+=("round(percentile_cont(0.5) WITHIN GROUP (ORDER BY $part)::numeric, 2) AS ${part}_p50"
              "round(percentile_cont(0.99) WITHIN GROUP (ORDER BY $part)::numeric, 2) AS p99")
  done
  psql "$psql_url" -X -c "SELECT $(IFS=,; echo "${columns[*]}")
    FROM (SELECT extract(epoch FROM l.claim_start - r.enqueued_at) * 1000 AS enqueue_to_claim,
                 extract(epoch FROM l.claim_row - l.claim_start) * 1000 AS claim_statement,
                 extract(epoch FROM r.started_at - l.claim_row) * 1000 AS claim_to_handler
          FROM job_run r JOIN claim_log l ON l.id = r.job_id WHERE r.job_id > $before) parts" >&2
fi
echo "jobs_per_s=$jobs_per_s cpu_ms_per_job=$cpu_per_job p50_ms=$p50 p99_ms=$p99 enqueue_rows_per_s=$enqueue_rows_per_s workers=$workers"
