#!/usr/bin/env bash
# A 1 GB server: runs PostgreSQL, web and worker with compose.yaml's memory limits, commands
# and environment (with `.env.example` as the .env), checks that the stack serves
# pages, renders the résumé again after the owner edits it and mails a contact message, and
# reports each container's peak memory (the cgroup's high-water mark). Fails when the limits
# add up to more than 1 GB, when a container is killed for memory or exits, or when one of
# the three does not happen.
#
#   .ci/check-small-box.sh [PREFIX [TAG]]   images PREFIX/web:TAG and PREFIX/worker:TAG
#                                           (default localhost/vitrine, verify: what
#                                           .ci/verify-images.sh builds)
#
# Uses podman, or docker when a Docker engine answers; a JDK 25 for the SMTP sink; python3
# with PyYAML reads compose.yaml
# (no compose tool needed: the services run on the host network, ports 2818x and 25532).
# Last line: limits_mb=... postgres_peak_mb=... web_peak_mb=... worker_peak_mb=...
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-localhost/vitrine} tag=${2:-verify}
BOX_MB=1024
web_port=28180 web_management=28186 worker_management=28181 smtp_port=28185 pg_port=25532
work=$(mktemp -d)
sink_pid=
say() { printf 'small-box: %s\n' "$*" >&2; }
fail() { printf 'small-box: FAILED: %s\n' "$*" >&2; exit 1; }
name() { echo "vitrine-smallbox-$1"; }
cleanup() {
  local status=$?
  for c in worker web postgres; do
    [ $status -ne 0 ] && { echo "----- $c" >&2; $engine logs --tail 30 "$(name $c)" >&2 2>/dev/null || true; }
    $engine rm -f "$(name $c)" >/dev/null 2>&1 || true
  done
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then engine=docker; else engine=podman; fi
java -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])' || fail "a JDK 25 \`java\` on the PATH is needed for the SMTP sink"
python3 -c 'import yaml' 2>/dev/null || fail "python3 with PyYAML is needed (apt-get install python3-yaml)"

# --- compose.yaml's settings, ${VAR:-default} resolved from this environment ----------------
export POSTGRES_PASSWORD=small-box-password VITRINE_ADMIN_EMAIL=owner@example.org VITRINE_ADMIN_PASSWORD=small-box-password-1
# per service: "mem <MB>", "img <image>", "shm <MB>", "cmd <arg>" and "env KEY=VALUE" lines
python3 - compose.yaml "$work" <<'PY'
import os, re, sys, yaml
def resolve(value):
    def one(m):
        name, op, arg = m.group(1), m.group(2) or '', m.group(3) or ''
        set_ = os.environ.get(name, '')
        if op == ':?' and not set_: sys.exit(f"{name}: {arg}")
        return set_ if set_ or op != ':-' else arg
    return re.sub(r'\$\{(\w+)(?:(:-|:\?)([^}]*))?\}', one, str(value))
def mb(size):
    n, unit = re.fullmatch(r'(\d+)([kmg]?)b?', resolve(size).lower()).groups()
    return int(n) * {'k': 1 / 1024, 'm': 1, 'g': 1024, '': 1 / 1048576}[unit]
# .env.example as compose reads a .env copied from it; this environment first
for line in open('.env.example'):
    key, sep, value = line.strip().partition('=')
    if sep and not key.startswith('#'): os.environ.setdefault(key, value)
services = yaml.safe_load(open(sys.argv[1]))['services']
for svc in ('postgres', 'web', 'worker'):
    s = services[svc]
    with open(f"{sys.argv[2]}/{svc}.settings", 'w') as out:
        if 'mem_limit' not in s: sys.exit(f"compose.yaml: {svc} has no mem_limit")
        out.write(f"mem {int(mb(s['mem_limit']))}\nimg {resolve(s.get('image', ''))}\n")
        if 'shm_size' in s: out.write(f"shm {int(mb(s['shm_size']))}\n")
        for arg in s.get('command') or []: out.write(f"cmd {resolve(arg)}\n")
        for key, value in (s.get('environment') or {}).items():
            out.write(f"env {key}={resolve(value)}\n")
PY
limit_of() { awk '$1 == "mem" {print $2}' "$work/$1.settings"; }
limits=$(( $(limit_of postgres) + $(limit_of web) + $(limit_of worker) ))
say "compose.yaml limits: postgres $(limit_of postgres) MB, web $(limit_of web) MB, worker $(limit_of worker) MB = $limits MB"
[ "$limits" -le $BOX_MB ] || fail "the memory limits add up to $limits MB, more than a $BOX_MB MB server"

# run SERVICE IMAGE [ENGINE OPTIONS...]: the service as compose.yaml declares it; the env
# files' VITRINE_DB_URL and ports point at this host (host network instead of compose's)
run() {
  local svc=$1 image=$2; shift 2
  local opts=(--memory "$(limit_of "$svc")m" --memory-swap "$(limit_of "$svc")m") cmd=()
  local shm; shm=$(awk '$1 == "shm" {print $2}' "$work/$svc.settings")
  [ -n "$shm" ] && opts+=(--shm-size "${shm}m")
  while IFS= read -r line; do
    case $line in env\ *) opts+=(-e "${line#env }") ;; cmd\ *) cmd+=("${line#cmd }") ;; esac
  done < "$work/$svc.settings"
  $engine rm -f "$(name "$svc")" >/dev/null 2>&1 || true
  # --no-healthcheck: this script probes health itself (podman's timers need systemd)
  $engine run -d --name "$(name "$svc")" --network host --no-healthcheck "${opts[@]}" "$@" "$image" "${cmd[@]}" >/dev/null
}
here=(-e VITRINE_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/vitrine" -e VITRINE_MAIL_HOST=127.0.0.1
      -e "VITRINE_MAIL_PORT=$smtp_port" -e VITRINE_MAIL_STARTTLS=false -e VITRINE_MAIL_TO=owner@example.org)
app=(--read-only --tmpfs "/tmp:rw,mode=1777" --cap-drop ALL --security-opt no-new-privileges)

postgres_image=$(awk '$1 == "img" {print $2}' "$work/postgres.settings")
# the stand-in .ci/verify-images.sh builds where no registry is reachable
$engine image exists "$postgres_image" 2>/dev/null || $engine image inspect "$postgres_image" >/dev/null 2>&1 \
  || postgres_image=localhost/vitrine/postgres:17
say "starting PostgreSQL ($postgres_image)"
run postgres "$postgres_image" -e PGPORT=$pg_port
for i in $(seq 1 120); do
  $engine exec "$(name postgres)" pg_isready -h 127.0.0.1 -p $pg_port >/dev/null 2>&1 && break
  [ "$i" = 120 ] && fail "PostgreSQL did not become ready"
  sleep 0.5
done
$engine exec -e PGPASSWORD="$POSTGRES_PASSWORD" "$(name postgres)" psql -h 127.0.0.1 -p $pg_port -U vitrine -d vitrine -Atc 'SHOW shared_buffers' \
  | grep -qx "$(grep -o 'shared_buffers=[^ ]*' "$work/postgres.settings" | cut -d= -f2)" \
  || fail "PostgreSQL does not run with compose.yaml's shared_buffers (does the image pass its command on?)"

java src/test/fixtures/SmtpSink.java $smtp_port "$work/mailbox" 2>"$work/smtp.log" &
sink_pid=$!
# listening before the worker's first attempt: a refused one is retried only after a backoff
for i in $(seq 1 600); do
  { exec 7<>"/dev/tcp/127.0.0.1/$smtp_port"; } 2>/dev/null && { exec 7>&- 7<&-; break; }
  kill -0 $sink_pid 2>/dev/null || fail "the SMTP sink exited: $(tail -3 "$work/smtp.log")"
  [ "$i" = 600 ] && fail "the SMTP sink did not listen within 300 s"
  sleep 0.5
done
say "starting web and worker"
run web "$prefix/web:$tag" "${app[@]}" "${here[@]}" -e SERVER_PORT=$web_port -e VITRINE_MANAGEMENT_PORT=$web_management
run worker "$prefix/worker:$tag" "${app[@]}" "${here[@]}" -e VITRINE_MANAGEMENT_PORT=$worker_management
for port in $web_port $worker_management; do
  for i in $(seq 1 240); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/health/" && break
    [ "$i" = 240 ] && fail "no healthy service on port $port within 120 s"
    sleep 0.5
  done
done

# --- pages ---------------------------------------------------------------------------------
for path in / /articles /projects /contact /feed.xml; do
  curl -fs -o /dev/null "http://127.0.0.1:$web_port$path" || fail "web does not serve $path"
done
say "pages served"

# --- the résumé is rendered again after the owner edits it ------------------------------------
pdf_sum() { curl -fs "http://127.0.0.1:$web_port/resume.pdf" 2>/dev/null | sha256sum | cut -c1-64; }
empty=$(printf '' | sha256sum | cut -c1-64)
for i in $(seq 1 240); do
  before=$(pdf_sum); [ "$before" != "$empty" ] && break
  [ "$i" = 240 ] && fail "no résumé PDF within 120 s"
  sleep 0.5
done
jar=$work/cookies
csrf_of() { sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1; }
csrf=$(curl -fsS -c "$jar" "http://127.0.0.1:$web_port/login" | csrf_of)
curl -fsS -o /dev/null -b "$jar" -c "$jar" "http://127.0.0.1:$web_port/login" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "username=$VITRINE_ADMIN_EMAIL" --data-urlencode "password=$VITRINE_ADMIN_PASSWORD"
form=$(curl -fsS -b "$jar" -c "$jar" "http://127.0.0.1:$web_port/admin/profile") || fail "could not log in as the owner"
csrf=$(printf '%s' "$form" | csrf_of)
field() { printf '%s' "$form" | python3 -c 'import html,re,sys; f=sys.argv[1]; s=sys.stdin.read()
m=re.search(r"name=\"%s\"[^>]*value=\"([^\"]*)\"" % f, s) or re.search(r"name=\"%s\"[^>]*>([^<]*)</textarea>" % f, s)
print(html.unescape(m.group(1)) if m else "", end="")' "$1"; }
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" "http://127.0.0.1:$web_port/admin/profile" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "name=$(field name)" --data-urlencode "headline=$(field headline)" \
  --data-urlencode "location=$(field location)" --data-urlencode "email=$(field email)" \
  --data-urlencode "links=$(field links)" --data-urlencode "bioMarkdown=$(field bioMarkdown)" \
  --data-urlencode "resumeMarkdown=$(field resumeMarkdown)
Edited by the small-box check $(date +%s%N).")
[ "$status" = 302 ] || [ "$status" = 303 ] || fail "saving the profile answered $status"
for i in $(seq 1 240); do
  after=$(pdf_sum); [ "$after" != "$empty" ] && [ "$after" != "$before" ] && break
  [ "$i" = 240 ] && fail "the résumé was not rendered again within 120 s of the edit"
  sleep 0.5
done
say "résumé rendered again after the edit"

# --- a contact message is mailed ------------------------------------------------------------
csrf=$(curl -fsS -c "$jar" "http://127.0.0.1:$web_port/contact" | csrf_of)
token="small-box-$(date +%s%N)"
curl -sS -o /dev/null -b "$jar" -c "$jar" "http://127.0.0.1:$web_port/contact" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "name=Small Box" --data-urlencode "email=check@example.org" --data-urlencode "subject=$token" \
  --data-urlencode "message=Sent by .ci/check-small-box.sh" --data-urlencode "website="
for i in $(seq 1 120); do
  grep -q "$token" "$work/mailbox" 2>/dev/null && break
  [ "$i" = 120 ] && fail "the contact message was not mailed within 60 s"
  sleep 0.5
done
say "contact message mailed"

# --- peak memory: the cgroup's high-water mark (v2 memory.peak, v1 max_usage_in_bytes) -----------
peak_mb() {
  local c=$1 path
  path=$($engine inspect --format '{{.State.CgroupPath}}' "$c" 2>/dev/null || true)
  for f in "/sys/fs/cgroup$path/memory.peak" "/sys/fs/cgroup/memory$path/memory.max_usage_in_bytes"; do
    [ -n "$path" ] && [ -r "$f" ] && { echo $(( $(cat "$f") / 1048576 )); return; }
  done
  echo "?"
}
report=()
for svc in postgres web worker; do
  c=$(name $svc)
  [ "$($engine inspect --format '{{.State.OOMKilled}}' "$c")" = false ] || fail "$svc was killed for memory"
  [ "$($engine inspect --format '{{.State.Running}}' "$c")" = true ] || fail "$svc exited"
  say "$svc: peak $(peak_mb "$c") MB of $(limit_of $svc) MB"
  report+=("${svc}_peak_mb=$(peak_mb "$c")")
done
echo "limits_mb=$limits ${report[*]}"
