#!/usr/bin/env bash
# Tests that a CapRover rollback finds the previous revision from any later run or machine:
# deploy/deploy-caprover.sh keeps it in the registry (the tag web:previous), not in the files
# of the run that deployed. From the images .ci/build-images.sh built (vitrine/web:verify):
#
#   .ci/test-deploy-caprover.sh [WEB_IMAGE]
#
# A real registry (Debian's docker-registry, on 127.0.0.1) holds releases A and C of web; a
# throwaway PostgreSQL and the real app serve the site. CapRover itself needs a Docker Swarm,
# which this machine cannot run, so a stand-in for its CLI does what CapRover does with a
# captain-definition: pulls the image it names and replaces the app's container with it. Each
# step runs as a fresh CI runner would, with an empty VITRINE_DEPLOY_STATE:
#   1. deploy A; 2. deploy C (the site says A served, so web:previous becomes A);
#   3. rollback.sh --caprover: finds A in the registry and deploys it (web:previous becomes C);
#   4. rollback.sh --caprover again: back to C.
# Last line: caprover_steps=4 previous_after_rollback=<sha>
set -euo pipefail
cd "$(dirname "$0")/.."

web_base=${1:-localhost/vitrine/web:verify}
base=${CAPROVER_TEST_PORT_BASE:-28480}
registry_port=$((base + 5)) site_port=$base management_port=$((base + 1)) pg_port=$((base + 6))
name=vitrine-caprovertest
work=$(mktemp -d)
registry_pid=

export VITRINE_DEPLOY_CONFIG=/dev/null
# shellcheck source=deploy/deploy-lib.sh
. deploy/deploy-lib.sh
# shellcheck source=.ci/test-postgres.sh
. .ci/test-postgres.sh
say() { printf 'test-deploy-caprover: %s\n' "$*" >&2; }
fail() { printf 'test-deploy-caprover: FAILED: %s\n' "$*" | tee "$work/failure" >&2; exit 1; }

engine=$(container_engine)
command -v skopeo >/dev/null || fail "skopeo is missing (apt-get install skopeo)"
$engine image inspect "$web_base" >/dev/null 2>&1 || fail "no image $web_base: run .ci/build-images.sh first"

cleanup() {
  local status=$?
  # a second stop (the whole group signalled again) must not cut the clean-up short; the
  # podman commands below inherit this
  trap '' TERM INT
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null
  if [ $status -ne 0 ]; then
    $engine logs --tail 30 "$name-app" >&2 2>&1 || true
    [ -f "$work/failure" ] && cat "$work/failure" >&2
  fi
  $engine rm -f "$name-app" "$name-postgres" >/dev/null 2>&1 || true
  $engine images --format '{{.Repository}}:{{.Tag}}' | grep -E "^(localhost/$name|127.0.0.1:$registry_port)/" \
    | xargs -r $engine rmi -f >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
# stopped (.ci/run stops its background work when a step fails): clean up all the same
trap 'exit 143' TERM INT

# --- a registry ----------------------------------------------------------------------------------
registry=$(command -v docker-registry || true)
if [ -z "$registry" ]; then
  (cd "$work" && apt-get download docker-registry >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get download docker-registry >/dev/null; }) || fail "cannot fetch Debian's docker-registry"
  dpkg-deb -x "$work"/docker-registry_*.deb "$work/root"
  registry=$work/root/usr/bin/docker-registry
fi
cat > "$work/registry.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$registry_port
EOF
"$registry" serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for i in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$registry_port/v2/" 2>/dev/null && break
  [ "$i" = 50 ] && { cat "$work/registry.log" >&2; fail "the registry did not start"; }
  sleep 0.2
done
# plain HTTP on loopback, for the scripts' skopeo, in this test only
printf '[[registry]]\nlocation = "127.0.0.1:%s"\ninsecure = true\n' "$registry_port" > "$work/registries.conf"
export CONTAINERS_REGISTRIES_CONF=$work/registries.conf
prefix=127.0.0.1:$registry_port/you/vitrine

# --- releases A and C in the registry -----------------------------------------------------------
A=$(printf 'a%.0s' {1..39})1 C=$(printf 'c%.0s' {1..39})3
for revision in $A $C; do
  mkdir -p "$work/$revision"
  printf 'FROM %s\nENV VITRINE_REVISION=%s\n' "$web_base" "$revision" > "$work/$revision/Dockerfile"
  if [ "$engine" = docker ]; then build=(docker build); else build=(podman build --pull=never --format docker); fi
  "${build[@]}" -t "localhost/$name/web:$revision" "$work/$revision" > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "building release $revision"; }
  if [ "$engine" = docker ]; then
    # Docker talks plain HTTP to a registry on 127.0.0.1 by itself
    { docker tag "localhost/$name/web:$revision" "$prefix/web:$revision" && docker push "$prefix/web:$revision"; } > "$work/push.log" 2>&1
  else
    podman push --tls-verify=false "localhost/$name/web:$revision" "docker://$prefix/web:$revision" > "$work/push.log" 2>&1
  fi || { cat "$work/push.log" >&2; fail "pushing release $revision"; }
done
say "releases $A and $C of web in the registry at $prefix"

# --- PostgreSQL and the app's settings ------------------------------------------------------------
start_test_postgres "$name-postgres" "$pg_port" caprover-test
deploy_token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat > "$work/app.env" <<EOF
VITRINE_DB_URL=jdbc:postgresql://127.0.0.1:$pg_port/vitrine
VITRINE_DB_USER=vitrine
VITRINE_DB_PASSWORD=caprover-test
SERVER_PORT=$site_port
VITRINE_MANAGEMENT_PORT=$management_port
VITRINE_DEPLOY_TOKEN=$deploy_token
EOF
# the schema, as the worker app migrates it on CapRover: web processes wait for it, never migrate
$engine run --rm --network host --env-file "$work/app.env" "$web_base" migrate > "$work/migrate.log" 2>&1 \
  || { cat "$work/migrate.log" >&2; fail "migrating the database with $web_base"; }

# --- the stand-in for the CapRover CLI -------------------------------------------------------------
cat > "$work/caprover" <<EOF
#!/usr/bin/env bash
# CAPROVER_APP_TOKEN=T caprover deploy --caproverUrl U --caproverApp APP --tarFile FILE
set -euo pipefail
while [ \$# -gt 0 ]; do case \$1 in --tarFile) tar=\$2; shift 2 ;; *) shift ;; esac; done
image=\$(tar -xOf "\$tar" captain-definition | sed -n 's/.*"imageName": *"\\([^"]*\\)".*/\\1/p')
$([ "$engine" = docker ] && echo 'docker pull "$image"' || echo 'podman pull --tls-verify=false "docker://$image"') >/dev/null
$engine rm -f $name-app >/dev/null 2>&1 || true
$engine run -d --name $name-app --network host --env-file $work/app.env "\$image" >/dev/null
echo "stand-in CapRover: $name-app runs \$image"
EOF
chmod +x "$work/caprover"
export CAPROVER_CLI=$work/caprover CAPROVER_URL=https://captain.invalid CAPROVER_WEB_TOKEN=app-token \
  VITRINE_IMAGE_PREFIX=$prefix VITRINE_PUBLIC_URL=http://127.0.0.1:$site_port VITRINE_DEPLOY_TOKEN=$deploy_token \
  VITRINE_HEALTH_TIMEOUT=180

serving() {
  printf 'header = "Authorization: Bearer %s"\n' "$deploy_token" \
    | curl -fsS --max-time 5 -K - "http://127.0.0.1:$site_port/health/deploy" 2>/dev/null | info_revision
}
registry_has_previous() { registry_previous "$prefix" web; }
step() { # state-dir command...: a fresh runner each time
  local state=$work/$1
  shift
  VITRINE_DEPLOY_STATE=$state "$@" > "$work/out.log" 2>&1 || { cat "$work/out.log" >&2; fail "$*"; }
}

say "1. deploy $A"
step run1 deploy/deploy-caprover.sh web $A
[ "$(serving)" = $A ] || fail "the site serves '$(serving)' after deploying $A"
[ -z "$(registry_has_previous)" ] || fail "a first deploy recorded a previous revision: $(registry_has_previous)"

say "2. deploy $C from a fresh runner"
step run2 deploy/deploy-caprover.sh web $C
[ "$(serving)" = $C ] || fail "the site serves '$(serving)' after deploying $C"
[ "$(registry_has_previous)" = $A ] || { cat "$work/out.log" >&2; fail "web:previous names '$(registry_has_previous)', expected $A"; }

say "3. roll back from another fresh runner"
step run3 deploy/rollback.sh --caprover web
grep -q "rolling back \(from [0-9a-f]* \)\?to $A" "$work/out.log" || { cat "$work/out.log" >&2; fail "the rollback did not go to $A"; }
[ "$(serving)" = $A ] || fail "the site serves '$(serving)' after the rollback, expected $A"
[ "$(registry_has_previous)" = $C ] || fail "after the rollback web:previous names '$(registry_has_previous)', expected $C"

say "4. roll back again: back to $C"
step run4 deploy/rollback.sh --caprover web
[ "$(serving)" = $C ] || fail "the site serves '$(serving)' after rolling back twice, expected $C"

say "every step ran with its own empty state; the registry kept the previous revision between them"
echo "caprover_steps=4 previous_after_rollback=$(registry_has_previous)"
