# shellcheck shell=bash
# Shared by the benchmarks: a scratch PostgreSQL and small helpers. Source it, don't run it.

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# JAR=path/to/vitrine.jar measures another build (e.g. the previous one) with these scripts
JAR=${JAR:-target/vitrine.jar}

build_jar() { [ -f "$JAR" ] || mvn -q -B -DskipTests package; }

# now_ms, median, nap, health_ok
# shellcheck source=bench/timing-lib.sh
. bench/timing-lib.sh

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB; $("$JAVA" -version 2>&1 | head -n1); $(date -u +%F)"
}

# start_postgres DIR PORT: a PostgreSQL server from the binaries the app unpacks (run the app
# once first), listening on 127.0.0.1:PORT, with the server options in PG_OPTS if set, its
# `postgres` database migrated by the jar ($JAR, built first);
# stop_postgres DIR stops it.
start_postgres() {
  local dir=$1 port=$2
  pgbin=$(ls -d /tmp/vitrine-postgres-*/bin 2>/dev/null | head -n1)
  [ -n "$pgbin" ] || { echo "no unpacked PostgreSQL binaries: start the app once" >&2; exit 1; }
  runas=
  [ "$(id -u)" = 0 ] && runas="setpriv --reuid=65534 --regid=65534 --clear-groups"
  mkdir -p "$dir"; chmod 755 "$dir"
  [ -n "$runas" ] && chown 65534:65534 "$dir"
  $runas "$pgbin/initdb" -D "$dir/pg" -U vitrine -A trust --locale=C --no-instructions >/dev/null
  $runas "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' ${PG_OPTS:-}" -w start >/dev/null
  # the schema, as a deploy's worker makes it: web processes on it wait and never migrate
  VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$port/postgres VITRINE_DB_USER=vitrine \
    "$JAVA" -XX:TieredStopAtLevel=1 -jar "$JAR" migrate >"$dir/migrate.log" 2>&1 \
    || { echo "migrate failed:" >&2; tail -20 "$dir/migrate.log" >&2; exit 1; }
}

stop_postgres() { $runas "$pgbin/pg_ctl" -D "$1/pg" -m fast -w stop >/dev/null 2>&1 || true; }

# wait_healthy PORT PID LOG
wait_healthy() {
  until curl -fs -o /dev/null "http://127.0.0.1:$1/health/"; do
    kill -0 "$2" 2>/dev/null || { echo "app exited; log:" >&2; tail -20 "$3" >&2; exit 1; }
    sleep 0.01
  done
}

# cpu_ms PID: user+system CPU time the process has used so far
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }
