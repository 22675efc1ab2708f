#!/usr/bin/env bash
# Tests what the deploy scripts decide, in seconds and without images: the real deploy.sh,
# rollback.sh, deploy-host.sh, deploy-caprover.sh and deploy-lib.sh run against stand-ins for
# what they drive (a container engine that keeps its containers as files, curl for the health
# gates and the proxy's admin API, the CapRover CLI, skopeo and the registry's previous tag).
# .ci/test-deploy.sh runs the same scripts for real with podman; this covers the paths that
# test cannot reach without breaking a release on purpose in more ways:
#
#   .ci/test-deploy-scripts.sh
#
#   - deploy.env: a last line without a newline, a value's trailing '=', quotes around a value;
#   - a new worker that fails only on its live port, with the old one not coming back, stays
#     as the candidate (the deploy fails) instead of leaving no worker at all;
#   - after a refused deploy (worker moved and put back), web and worker still record one
#     previous revision, on a host (state files) and on CapRover (registry tags), and a
#     rollback, of both or of the worker alone, goes to it, never to the refused release;
#   - a rollback refused at the worker's gate or at web's changes nothing, on both targets.
# Last line: deploy_script_checks=N
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf 'test-deploy-scripts: %s\n' "$*" >&2; }
fail() { printf 'test-deploy-scripts: FAILED: %s\n' "$*" >&2; exit 1; }
checks=0
# what the last command run printed, shown when a check fails
: > "$work/out.log"

# --- the stand-ins ----------------------------------------------------------------------------
mkdir -p "$work/bin"
# docker/podman: a container is a file $FAKE/containers/NAME (revision, service, management
# port, running). One whose "service:revision" is in FAKE_BROKEN exits as it starts; one in
# FAKE_LIVE_BROKEN only under its live name (not as NAME-candidate).
cat > "$work/bin/engine" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
dir=$FAKE/containers
mkdir -p "$dir"
get() { sed -n "s/^$2=//p" "$dir/$1"; }
put() { sed -i "s/^$2=.*/$2=$3/" "$dir/$1"; }
dies() {
  local id
  id="$(get "$1" service):$(get "$1" revision)"
  [[ " ${FAKE_BROKEN:-} " == *" $id "* ]] && return 0
  [[ $1 != *-candidate && " ${FAKE_LIVE_BROKEN:-} " == *" $id "* ]]
}
launch() { if dies "$1"; then put "$1" running false; else put "$1" running true; fi; }
case $1 in
  image | pull | volume) ;;
  container) # container inspect [--format F] NAME
    shift 2
    format=
    [ "$1" = --format ] && format=$2 && shift 2
    [ -f "$dir/$1" ] || exit 1
    case $format in
      *Running*) get "$1" running ;;
      *Healthcheck*) printf 'CMD\n/probe\n' ;;
      *ExitCode*) echo 1 ;;
    esac ;;
  run)
    shift
    name= revision= service= port=
    while [ $# -gt 1 ]; do
      case $1 in
        --name) name=$2 && shift ;;
        --label) case $2 in dev.vitrine.revision=*) revision=${2#*=} ;; dev.vitrine.service=*) service=${2#*=} ;; esac && shift ;;
        -e) case $2 in VITRINE_MANAGEMENT_PORT=*) port=${2#*=} ;; esac && shift ;;
      esac
      shift
    done
    [ ! -f "$dir/$name" ] || { echo "the name $name is in use" >&2; exit 125; }
    printf 'revision=%s\nservice=%s\nport=%s\nrunning=true\n' "$revision" "$service" "$port" > "$dir/$name"
    launch "$name" ;;
  start) launch "$2" ;;
  stop) put "$4" running false ;;       # stop -t N NAME
  rm) rm -f "$dir/$3" ;;                # rm -f NAME
  rename) mv "$dir/$2" "$dir/$3" ;;
  exec) [ "$(get "$2" running)" = true ] ;;
  logs) echo "(the log of ${*: -1})" ;;
  *) echo "engine stand-in: $* is not known" >&2; exit 1 ;;
esac
EOF
# curl: the proxy's admin API always answers; /actuator/info on a port tells the revision of
# the running web container with that management port; the CapRover site's /health/deploy
# tells what $FAKE/site/web and /worker hold.
cat > "$work/bin/curl" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
url=${*: -1}
case $url in
  */config/ | */health/) ;;
  */load) cat > /dev/null ;;
  */actuator/info)
    port=${url##*:} port=${port%%/*}
    for c in "$FAKE"/containers/*; do
      if grep -qx "port=$port" "$c" && grep -qx running=true "$c" && grep -qx service=web "$c"; then
        printf '{"vitrine":{"revision":"%s"}}\n' "$(sed -n 's/^revision=//p' "$c")"
        exit 0
      fi
    done
    exit 7 ;;
  */health/deploy)
    cat > /dev/null
    web=$(cat "$FAKE/site/web" 2>/dev/null || true) worker=$(cat "$FAKE/site/worker" 2>/dev/null || true)
    workers={}
    [ -z "$worker" ] || workers="{\"$worker\":1}"
    printf '{"vitrine":{"revision":"%s"},"liveWorkers":%s}\n' "$web" "$workers" ;;
  *) echo "curl stand-in: $url is not known" >&2; exit 7 ;;
esac
EOF
# the CapRover CLI: the app runs the image its captain-definition names, which then reports
# its revision on the site, unless that "service:revision" is in FAKE_BROKEN (nothing reports)
cat > "$work/bin/caprover" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
while [ $# -gt 0 ]; do case $1 in --tarFile) tar=$2 && shift ;; --caproverApp) app=$2 && shift ;; esac; shift; done
image=$(tar -xOf "$tar" captain-definition | sed -n 's/.*"imageName": *"\([^"]*\)".*/\1/p')
service=${app#vitrine-} revision=${image##*:}
mkdir -p "$FAKE/site"
if [[ " ${FAKE_BROKEN:-} " == *" $service:$revision "* ]]; then : > "$FAKE/site/$service"; else echo "$revision" > "$FAKE/site/$service"; fi
EOF
# skopeo: the registry's tag SERVICE:previous is the file $FAKE/registry/SERVICE.previous
cat > "$work/bin/skopeo" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
[ "$1" = --registries-conf ] && shift 2
mkdir -p "$FAKE/registry"
refs=()
for arg in "$@"; do [[ $arg == docker://* ]] && refs+=("${arg##*/}"); done
case $1 in
  inspect)
    service=${refs[0]%%:*}
    [ -s "$FAKE/registry/$service.previous" ] || exit 1
    echo "VITRINE_REVISION=$(cat "$FAKE/registry/$service.previous")" ;;
  copy) echo "${refs[0]##*:}" > "$FAKE/registry/${refs[1]%%:*}.previous" ;;
esac
EOF
chmod +x "$work/bin"/*
export PATH=$work/bin:$PATH FAKE=$work/fake VITRINE_DEPLOY_CONFIG=/dev/null

# full commit SHAs: O the oldest, then A; B is the release refused
O=$(printf 'e%.0s' {1..39})0 A=$(printf 'a%.0s' {1..39})1 B=$(printf 'b%.0s' {1..39})2

# Runs a command, its output in $work/out.log; stops unless it exits with $1.
run() { # status command...
  local expected=$1 status=0
  shift
  "$@" > "$work/out.log" 2>&1 || status=$?
  [ "$status" = "$expected" ] || { cat "$work/out.log" >&2; fail "$* exited with $status, expected $expected"; }
}
check() { # what actual expected
  [ "$2" = "$3" ] || { cat "$work/out.log" >&2; fail "$1: '$2', expected '$3'"; }
  checks=$((checks + 1))
}

# --- deploy.env -------------------------------------------------------------------------------
say "deploy.env: quotes, a trailing '=', a last line without a newline"
printf '%s\n' 'T_PLAIN=x' 'T_QUOTED="a b"' "T_SINGLE='c'" 'T_HALF="d' 'T_EQUALS=e=' '# T_COMMENT=no' > "$work/deploy.env"
printf 'T_LAST=g' >> "$work/deploy.env"
# shellcheck disable=SC2016 # expanded by the inner shell, after deploy-lib.sh read the file
read_back='. deploy/deploy-lib.sh; printf "%s|" "$T_PLAIN" "$T_QUOTED" "$T_SINGLE" "$T_HALF" "$T_EQUALS" "${T_COMMENT-unset}" "${T_LAST-unset}"'
check "deploy.env read as" "$(VITRINE_DEPLOY_CONFIG=$work/deploy.env bash -c "$read_back")" 'x|a b|c|"d|e=|unset|g|'

# --- a host -----------------------------------------------------------------------------------
: > "$work/vitrine.env"
host_env=(env VITRINE_ENGINE="$work/bin/engine" VITRINE_IMAGE_PREFIX=localhost/t VITRINE_ENV_FILE="$work/vitrine.env"
  VITRINE_DEPLOY_NAME=t VITRINE_DEPLOY_NETWORK=host VITRINE_DEPLOY_STATE="$work/state" VITRINE_HEALTH_TIMEOUT=5
  VITRINE_PROXY_SITE=http://:1 VITRINE_PROXY_ADMIN=127.0.0.1:1 VITRINE_PROXY_DRAIN=0 VITRINE_STOP_TIMEOUT=0)
new_host() { rm -rf "$FAKE" "$work/state"; }
host() { "${host_env[@]}" "$@"; }
# what container t-SERVICE runs (none when it is not running), what the state records
serves() { [ "$(sed -n 's/^running=//p' "$FAKE/containers/t-$1" 2>/dev/null)" = true ] && sed -n 's/^revision=//p' "$FAKE/containers/t-$1" || echo none; }
recorded() { cat "$work/state/$1.$2" 2>/dev/null || echo none; }

say "host: a worker that fails on its live port, the old one not coming back"
new_host
run 0 host deploy/deploy-host.sh worker "$A"
run 3 host FAKE_LIVE_BROKEN="worker:$B" deploy/deploy-host.sh worker "$B"
check "the old worker back, it runs" "$(serves worker)" "$A"
check "the old worker back, the candidate is" "$(ls "$FAKE/containers/t-worker-candidate" 2>/dev/null || echo removed)" removed
run 1 host FAKE_LIVE_BROKEN="worker:$B worker:$A" deploy/deploy-host.sh worker "$B"
check "neither back, the candidate runs" "$(sed -n 's/^running=//p' "$FAKE/containers/t-worker-candidate" 2>/dev/null || echo removed)" true
check "neither back, the candidate's revision" "$(sed -n 's/^revision=//p' "$FAKE/containers/t-worker-candidate")" "$B"
grep -q "t-worker-candidate ($B) is the one worker left" "$work/out.log" || { cat "$work/out.log" >&2; fail "the failure does not say which worker is left"; }

say "host: $O, $A, then $B refused at web's gate; the worker's record is put back"
new_host
run 0 host deploy/deploy.sh "$O"
run 0 host deploy/deploy.sh "$A"
run 3 host FAKE_BROKEN="web:$B" deploy/deploy.sh "$B"
check "after the refused deploy, web serves" "$(serves web)" "$A"
check "after the refused deploy, the worker runs" "$(serves worker)" "$A"
check "after the refused deploy, web's previous revision" "$(recorded web previous)" "$O"
check "after the refused deploy, the worker's previous revision" "$(recorded worker previous)" "$O"
check "after the refused deploy, the worker's current revision" "$(recorded worker current)" "$A"
run 0 host deploy/rollback.sh worker
check "the worker alone rolled back runs" "$(serves worker)" "$O"
# read before every deploy now, for the put-back: a broken record must not stop one
echo not-a-sha > "$work/state/worker.previous"
run 0 host deploy/deploy.sh "$A"

say "host: a rollback refused at the worker's gate, then at web's, changes nothing"
new_host
run 0 host deploy/deploy.sh "$O"
run 0 host deploy/deploy.sh "$A"
run 3 host FAKE_BROKEN="worker:$O" deploy/rollback.sh
check "after the rollback refused at the worker, web serves" "$(serves web)" "$A"
check "after the rollback refused at the worker, the worker runs" "$(serves worker)" "$A"
run 3 host FAKE_BROKEN="web:$O" deploy/rollback.sh
check "after the rollback refused at web, web serves" "$(serves web)" "$A"
check "after the rollback refused at web, the worker runs" "$(serves worker)" "$A"
check "after the rollback refused at web, the worker's previous revision" "$(recorded worker previous)" "$O"
run 0 host deploy/rollback.sh
check "rolled back, web serves" "$(serves web)" "$O"
check "rolled back, the worker runs" "$(serves worker)" "$O"
run 0 host deploy/rollback.sh
check "rolled back twice, web serves" "$(serves web)" "$A"
check "rolled back twice, the worker runs" "$(serves worker)" "$A"

# --- CapRover: each step a fresh CI runner, with its own empty state -------------------------
caprover_env=(env CAPROVER_CLI=caprover CAPROVER_URL=https://captain.invalid CAPROVER_WEB_TOKEN=t CAPROVER_WORKER_TOKEN=t
  VITRINE_IMAGE_PREFIX=registry.invalid/you/vitrine VITRINE_PUBLIC_URL=http://site.invalid VITRINE_DEPLOY_TOKEN=t
  VITRINE_HEALTH_TIMEOUT=1)
runner=0
caprover() { runner=$((runner + 1)); "${caprover_env[@]}" VITRINE_DEPLOY_STATE="$work/runner$runner" "$@"; }
site() { cat "$FAKE/site/$1"; }
tag() { cat "$FAKE/registry/$1.previous" 2>/dev/null || echo none; }

say "CapRover: $O, then $B refused at web's gate: the worker's tag names no refused release"
rm -rf "$FAKE"
run 0 caprover deploy/deploy.sh --caprover "$O"
run 3 caprover FAKE_BROKEN="web:$B" deploy/deploy.sh --caprover "$B"
check "the worker's tag, with none before" "$(tag worker)" "$O"

say "CapRover: $A, then $B refused at web's gate"
run 0 caprover deploy/deploy.sh --caprover "$A"
run 3 caprover FAKE_BROKEN="web:$B" deploy/deploy.sh --caprover "$B"
check "after the refused deploy, the site's web" "$(site web)" "$A"
check "after the refused deploy, the site's worker" "$(site worker)" "$A"
check "after the refused deploy, the tag web:previous" "$(tag web)" "$O"
check "after the refused deploy, the tag worker:previous" "$(tag worker)" "$O"

say "CapRover: a rollback refused at the worker's gate changes nothing"
run 3 caprover FAKE_BROKEN="worker:$O" deploy/rollback.sh --caprover
check "after the rollback refused at the worker, the site's web" "$(site web)" "$A"
check "after the rollback refused at the worker, the site's worker" "$(site worker)" "$A"

say "CapRover: rollback"
run 0 caprover deploy/rollback.sh --caprover
check "rolled back, the site's web" "$(site web)" "$O"
check "rolled back, the site's worker" "$(site worker)" "$O"

say "$checks checks passed"
echo "deploy_script_checks=$checks"
