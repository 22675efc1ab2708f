#!/bin/sh
# The JDK 25 AOT cache training runs of the aot-web and aot-worker stages (see the Dockerfile).
#   aot-training ROLES OUTPUT JAVA_OPTIONS [ROLES OUTPUT JAVA_OPTIONS ...]
# For each role set: runs Vitrine the way the images start it against a throwaway
# PostgreSQL, waits until it is ready, asks the pages a visitor would ask (when it serves
# pages), and stops it; the JVM writes the AOT cache as it exits. One cache per image
# kind keeps each small: a class that a role never loads is not in its cache.
set -e

# Three ports in a row that nothing listens on, for PostgreSQL, pages and management: a build
# on the host's network (podman build --network host, as .ci/build-images.sh runs it) shares
# the host's ports, where a Vitrine on 8080 or a PostgreSQL may already listen.
listening() { # is port $1 bound on this network (/proc/net/tcp*: local address, hex port)?
  awk -v port="$(printf '%04X' "$1")" 'NR > 1 { split($2, a, ":"); if (a[2] == port) found = 1 }
    END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
base=
for _ in $(seq 1 100); do
  try=$(shuf -i 20000-29990 -n 1)
  listening "$try" || listening $((try + 1)) || listening $((try + 2)) || { base=$try; break; }
done
[ -n "$base" ] || { echo "training: no three free ports in a row in 20000-29992" >&2; exit 1; }
pg_port=$base web_port=$((base + 1)) management_port=$((base + 2))

# PostgreSQL and Vitrine run as the images' user, as neither may run as root
as_vitrine() { setpriv --reuid=10001 --regid=10001 --clear-groups "$@"; }
pg=/opt/postgresql/bin  # the embedded PostgreSQL's binaries, unpacked by the builder stage
install -d -o 10001 /tmp/pg
# a password over TCP, as every real deployment has: the driver's SCRAM-SHA-256 classes and the
# JDK's it uses (~130) are then in the cache, not read from the jars by every start
echo training-only-db-password > /tmp/pg.password
chown 10001 /tmp/pg.password
as_vitrine "$pg/initdb" -D /tmp/pg -U vitrine -E UTF8 --locale=C --auth-local=trust \
  --auth-host=scram-sha-256 --pwfile=/tmp/pg.password >/tmp/training.log 2>&1 \
  || { cat /tmp/training.log; exit 1; }
as_vitrine "$pg/pg_ctl" -s -D /tmp/pg -l /tmp/pg.log -o "-k /tmp -c listen_addresses=127.0.0.1 -p $pg_port" -w start \
  || { cat /tmp/pg.log; exit 1; }
export VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/postgres VITRINE_DB_USER=vitrine \
  VITRINE_DB_PASSWORD=training-only-db-password \
  VITRINE_ADMIN_EMAIL=training@example.org VITRINE_ADMIN_PASSWORD=training-only-password \
  SERVER_PORT=$web_port VITRINE_MANAGEMENT_PORT=$management_port

# the schema first, as a deploy's worker (or `migrate`) makes it: a web process on an
# external database waits for it and never migrates
as_vitrine /opt/java/bin/java -XX:TieredStopAtLevel=1 -jar /app/vitrine.jar migrate >/tmp/training.log 2>&1 \
  || { tail -50 /tmp/training.log; exit 1; }

while [ $# -ge 3 ]; do
  roles=$1 output=$2 options=$3; shift 3
  # metrics are on the management port in every role; pages and health on the web port
  case ",$roles," in
    *,web,*|*,monitor,*|*,all,*) port=$web_port urls="/ /articles /projects /resume /contact /feed.xml /sitemap.xml /admin/login /health/" ;;
    *) port=$management_port urls="/health/" ;;
  esac
  urls="$(for path in $urls; do printf 'http://127.0.0.1:%s%s ' "$port" "$path"; done) http://127.0.0.1:$management_port/actuator/prometheus"
  echo "training the AOT cache for roles $roles"
  # the images' entrypoint flags, and their JDK_JAVA_OPTIONS
  # (setpriv itself, not as_vitrine: $! of a function run in the background is a subshell's,
  # which the TERM below would stop instead of the JVM)
  VITRINE_ROLES=$roles JDK_JAVA_OPTIONS=$options setpriv --reuid=10001 --regid=10001 --clear-groups \
    /opt/java/bin/java -XX:+UseCompactObjectHeaders \
    -XX:AOTCacheOutput=/tmp/training.aot -jar /app/vitrine.jar >/tmp/training.log 2>&1 &
  app=$!
  ready=
  for _ in $(seq 1 240); do
    if busybox wget -q -O /dev/null "http://127.0.0.1:$port/health/" 2>/dev/null; then ready=1; break; fi
    kill -0 $app 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$ready" ] || { echo "training: Vitrine ($roles) did not become ready" >&2; tail -50 /tmp/training.log; exit 1; }
  for url in $urls; do
    busybox wget -q -O /dev/null "$url" \
      || { echo "training: $url failed" >&2; tail -50 /tmp/training.log; exit 1; }
  done
  kill -TERM $app
  wait $app || true
  grep -q 'AOTCache creation is complete' /tmp/training.log || { tail -50 /tmp/training.log; exit 1; }
  mv /tmp/training.aot "$output"
  chmod 644 "$output"
done

as_vitrine "$pg/pg_ctl" -s -D /tmp/pg -m immediate stop
rm -rf /tmp/pg /tmp/pg.password /tmp/pg.log /tmp/training.log
