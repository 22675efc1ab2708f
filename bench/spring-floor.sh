#!/usr/bin/env bash
# What Spring Boot itself costs here, layer by layer, beside Vitrine's web role:
#
#   bench/spring-floor.sh [ROUNDS]     (default 5; run it under nice -n 19)
#   VARIANTS='L2 L3one L3m vitrine' bench/spring-floor.sh 5     (some of them; default all)
#
# Builds bench/spring-floor/ once per layer (L0 the JVM with its own HTTP server, L1 Spring
# MVC + Tomcat, L2 + Security, L3 + actuator/Prometheus, L4 + HikariCP/pgjdbc, L5 + Spring
# Session JDBC; L3one L3 on one port, L3m health and Prometheus without the actuator, L1jetty
# and L2jetty L1 and L2 on Jetty: see its pom.xml), each with Spring AOT and extracted as the images run
# jars. Each layer and Vitrine (VITRINE_APP, default /tmp/app: vitrine.jar extracted with
# the web image's Spring AOT code) gets a JDK AOT cache from a training run that serves the
# requests below; then each round starts every one once with the web image's JVM options:
# launch -> first 200 on /health/ (polled every 20 ms), CPU used by then, and VmRSS (and
# how much of it is the JDK AOT cache's mapping) after those requests and 10 s at rest.
# PostgreSQL with Vitrine's schema on 127.0.0.1:PG_PORT (default 25500, user vitrine,
# password bench); L4/L5 use a database spring_floor there, created and dropped by this
# script. Ports 29100 and 29101.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/timing-lib.sh
. bench/timing-lib.sh
rounds=${1:-5} app=${VITRINE_APP:-/tmp/app} pg_port=${PG_PORT:-25500}
port=29100 mgmt=29101 url=http://127.0.0.1:29100
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# Vitrine's web image (Dockerfile); AOTMode=on makes an unusable cache an error, not a slow run
flags=(-XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -Xms16m -XX:+ExitOnOutOfMemoryError
  -XX:+UseSerialGC -XX:CompileThresholdScaling=3)
read -ra variants <<<"${VARIANTS:-L0 L1 L2 L3 L3one L3m L4 L5 vitrine}"
declare -A profiles=([L0]='jvm' [L1]='web,plain-health' [L2]='web,plain-health,security'
  [L3]='web,security,actuator' [L3one]='web,security,actuator,one-port' [L3m]='web,security,metrics'
  [L4]='web,security,actuator,jdbc' [L5]='web,security,actuator,jdbc,session'
  [L1jetty]='web,plain-health,jetty' [L2jetty]='web,plain-health,security,jetty')
for v in "${variants[@]}"; do [ "$v" = vitrine ] || [ -n "${profiles[$v]:-}" ] || { echo "unknown variant $v" >&2; exit 2; }; done
export PGPASSWORD=bench PGOPTIONS='--client-min-messages=warning'
sql() { psql -h 127.0.0.1 -p "$pg_port" -U vitrine -d "$1" -qAt -v ON_ERROR_STOP=1; }
work=$(mktemp -d /tmp/spring-floor-XXXX) pid=
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  echo 'DROP DATABASE IF EXISTS spring_floor WITH (FORCE)' | sql postgres || true
  rm -rf "$work"
}
trap cleanup EXIT
nap_init "$work"
fail() { echo "$*" >&2; exit 1; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB;" \
  "$("$JAVA" -version 2>&1 | head -n1); $(date -u '+%F %R UTC'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${variants[@]}"; do
  [ "$v" != vitrine ] || continue
  (cd bench/spring-floor && mvn -B -ntp -o -q -P"${profiles[$v]}" package -Dfloor.out="$work/$v") \
    >"$work/build-$v.log" 2>&1 || { tail -30 "$work/build-$v.log" >&2; fail "$v: build failed"; }
  if [ "$v" = L0 ]; then mkdir "$work/L0/app" && cp "$work/L0/floor.jar" "$work/L0/app/"
  else "$JAVA" -Djarmode=tools -jar "$work/$v/floor.jar" extract --destination "$work/$v/app" >/dev/null; fi
done
echo 'DROP DATABASE IF EXISTS spring_floor WITH (FORCE); CREATE DATABASE spring_floor' | sql postgres
if [ -d "$work/L5" ]; then
  unzip -p "$(ls "$work"/L5/app/lib/spring-session-jdbc-*.jar)" org/springframework/session/jdbc/schema-postgresql.sql \
    | sql spring_floor
fi

launch() { # VARIANT LOG JVM-OPTION...: starts it in the background, its pid in $pid
  if [ "$1" = vitrine ]; then
    VITRINE_ROLES=web VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine VITRINE_DB_USER=vitrine \
      VITRINE_DB_PASSWORD=bench VITRINE_CONTENT_DEMO=false SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$mgmt \
      "$JAVA" "${flags[@]}" "${@:3}" -jar "$app/vitrine.jar" >"$2" 2>&1 &
  else
    local own=(); case $1 in L[345]) own=("MANAGEMENT_SERVER_PORT=$mgmt" MANAGEMENT_SERVER_ADDRESS=127.0.0.1) ;; esac
    env "SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$pg_port/spring_floor" SPRING_DATASOURCE_USERNAME=vitrine \
      SPRING_DATASOURCE_PASSWORD=bench SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$port "${own[@]}" \
      "$JAVA" "${flags[@]}" -Dspring.aot.enabled=true "${@:3}" -jar "$work/$1/app/floor.jar" >"$2" 2>&1 &
  fi
  pid=$!
}
get() { curl -fsS -o /dev/null "$1"; }
# form login to /admin: a CSRF token and a security context in the session (L5: in PostgreSQL)
login() {
  local token
  token=$(curl -fsS -c "$work/cookies" "$url/login" | sed -n 's/.*name="_csrf" type="hidden" value="\([^"]*\)".*/\1/p')
  get "$url/admin"
  curl -fsS -o /dev/null -b "$work/cookies" -c "$work/cookies" \
    -d "username=owner&password=floor-bench-only&_csrf=$token" "$url/login"
  curl -fsS -b "$work/cookies" "$url/admin" | grep -q "owner's page" || fail "$1: login failed"
}
visit() { # VARIANT: the requests of the training run, and of each run before it rests
  if [ "$1" = vitrine ]; then
    for p in / /articles /projects /resume /contact /health/; do get "$url$p"; done
  else
    get "$url/" && get "$url/health/"
  fi
  case $1 in L[2-5]*) login "$1" ;; esac
  case $1 in L[345] | vitrine) get "http://127.0.0.1:$mgmt/actuator/prometheus" ;; L3*) get "$url/actuator/prometheus" ;; esac
}
until_healthy() { # VARIANT LOG
  local i
  for ((i = 0; i < 3000; i++)); do
    health_ok $port && return
    kill -0 "$pid" 2>/dev/null || break
    nap 0.02
  done
  tail -20 "$2" >&2
  fail "$1 did not become healthy"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

for v in "${variants[@]}"; do
  launch "$v" "$work/train-$v.log" "-XX:AOTCacheOutput=$work/$v.aot"
  until_healthy "$v" "$work/train-$v.log"
  visit "$v"
  stop
  grep -q 'AOTCache creation is complete' "$work/train-$v.log" || fail "$v: no AOT cache, see the log"
  [ "$v" = L0 ] || grep -q 'Starting AOT-processed' "$work/train-$v.log" || fail "$v: Spring AOT code unused"
  echo "$v: JDK AOT cache $(du -m "$work/$v.aot" | cut -f1) MB"
done

declare -A ms cpu rss cache
for round in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    nap 1
    t0=$(now_ms)
    launch "$v" "$work/run-$v.log" -XX:AOTMode=on "-XX:AOTCache=$work/$v.aot"
    until_healthy "$v" "$work/run-$v.log"
    ms[$v]+="$(($(now_ms) - t0)) "
    cpu[$v]+="$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat") "
    visit "$v"
    nap 10
    rss[$v]+="$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status") "
    cache[$v]+="$(awk '/^[0-9a-f]+-/ {name = $6} /^Rss:/ && name ~ /[.]aot$/ {kb += $2}
      END {print int(kb / 1024)}' "/proc/$pid/smaps") "
    stop
  done
  echo "round $round done, load $(cut -d' ' -f1-3 /proc/loadavg)"
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086 # the runs are space-separated numbers
base=vitrine; [ -n "${ms[vitrine]:-}" ] || base=${variants[0]} # the ratios are to it
# shellcheck disable=SC2086
base_ms=$(median_of ${ms[$base]}) base_rss=$(median_of ${rss[$base]})
for v in "${variants[@]}"; do
  # shellcheck disable=SC2086
  m=$(median_of ${ms[$v]}) c=$(median_of ${cpu[$v]}) r=$(median_of ${rss[$v]})
  printf '%-7s start -> healthy %s ms (median %s, %s x %s); CPU at healthy %s ms (median %s);' \
    "$v" "${ms[$v]% }" "$m" "$(awk -v a="$m" -v b="$base_ms" 'BEGIN {printf "%.2f", a / b}')" "$base" "${cpu[$v]% }" "$c"
  # shellcheck disable=SC2086
  printf ' RSS %s MB (median %s, %s x %s; of it the AOT cache mapping: median %s MB)\n' \
    "${rss[$v]% }" "$r" "$(awk -v a="$r" -v b="$base_rss" 'BEGIN {printf "%.2f", a / b}')" "$base" "$(median_of ${cache[$v]})"
done
