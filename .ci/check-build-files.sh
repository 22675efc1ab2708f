#!/usr/bin/env bash
# Validates docker-bake.hcl and compose.yaml with Docker's own tools, which need no engine for
# this: `docker buildx bake --print` and `docker compose config`. Part of .ci/run.
#
# Uses the docker CLI plugins when installed; otherwise takes them from Debian trixie's
# packages (docker-buildx, docker-compose) with apt inside a debian:trixie-slim container
# (podman or docker), unpacked into a temporary folder. A check that cannot run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
fail() { printf 'check-build-files: FAILED: %s\n' "$*" >&2; exit 1; }
say() { printf 'check-build-files: %s\n' "$*" >&2; }

if docker buildx version >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  buildx=(docker buildx)
  compose=(docker compose)
else
  engine=
  if command -v podman >/dev/null; then engine=(podman run --rm --network host)
  elif docker info >/dev/null 2>&1; then engine=(docker run --rm)
  else fail "no docker buildx/compose plugins and no container engine to fetch them with"; fi
  say "fetching Debian trixie's docker-buildx and docker-compose packages"
  "${engine[@]}" -v "$tools:/out" debian:trixie-slim sh -c \
    'apt-get update -qq && cd /out && apt-get download -qq docker-buildx docker-compose && chmod a+r /out/*.deb' \
    >"$tools/apt.log" 2>&1 || { cat "$tools/apt.log" >&2; fail "could not fetch the docker-buildx and docker-compose packages"; }
  for deb in "$tools"/*.deb; do dpkg-deb -x "$deb" "$tools/root"; done
  plugins=$tools/root/usr/libexec/docker/cli-plugins
  [ -x "$plugins/docker-buildx" ] && [ -x "$plugins/docker-compose" ] || fail "the packages hold no docker-buildx/docker-compose plugin"
  # the plugins also run on their own, without the docker CLI
  buildx=("$plugins/docker-buildx")
  compose=("$plugins/docker-compose")
fi
say "buildx: $("${buildx[@]}" version 2>/dev/null | head -n 1)"

# --- docker-bake.hcl ----------------------------------------------------------------------------
# Without variables: what `docker buildx bake -f docker-bake.hcl` does on a stock Docker engine
# (docker driver: one platform, no cache export). With CI's variables: registry and gha caches,
# two platforms. The CI environment's own variables must not leak into the first case.
bake() { # OUT TARGET [VAR=value...]
  local out=$1 target=$2
  shift 2
  env -u REGISTRY -u TAG -u PLATFORMS -u CACHE_TYPE -u VITRINE_BUILD_CACERTS "$@" \
    "${buildx[@]}" bake -f docker-bake.hcl --print "$target" > "$tools/$out.json" 2>"$tools/bake.err" \
    || { cat "$tools/bake.err" >&2; fail "bake --print $target $*"; }
}
bake default default
bake all all
bake ci all REGISTRY=registry.invalid/team TAG=0123abc PLATFORMS=linux/amd64,linux/arm64 CACHE_TYPE=gha
bake cacerts web VITRINE_BUILD_CACERTS=/etc/ssl/certs/java/cacerts

python3 - "$tools" <<'PY' || fail "docker-bake.hcl does not describe the images as expected"
import json, re, sys
tools = sys.argv[1]
stages = set(re.findall(r'^FROM\s+\S+\s+AS\s+(\S+)', open('Dockerfile').read(), re.M | re.I))
default = json.load(open(f'{tools}/default.json'))
every = json.load(open(f'{tools}/all.json'))
ci = json.load(open(f'{tools}/ci.json'))
problems = []
if sorted(default['group']['default']['targets']) != ['web', 'worker']:
    problems.append(f"group default is {default['group']['default']['targets']}, not web and worker")
if sorted(every['target']) != ['distroless', 'monitor', 'test', 'web', 'worker']:
    problems.append(f"group all builds {sorted(every['target'])}")
def secrets(target):
    # buildx prints a secret as "id=...,src=..." or, in newer releases, as an object
    return [s if isinstance(s, str) else ','.join(f'{k}={v}' for k, v in s.items()) for s in target.get('secret', [])]
for name, target in every['target'].items():
    if target.get('target') not in stages:
        problems.append(f"{name}: stage {target.get('target')} is not in the Dockerfile")
    # the plain command: what the docker driver can do
    if target.get('cache-to') or target.get('cache-from'):
        problems.append(f"{name}: exports or reads a cache without REGISTRY or CACHE_TYPE: {target.get('cache-to')}")
    if len(target.get('platforms', [])) > 1:
        problems.append(f"{name}: several platforms without PLATFORMS: {target.get('platforms')}")
    if secrets(target):
        problems.append(f"{name}: a secret without VITRINE_BUILD_CACERTS: {secrets(target)}")
    if name != 'test' and target.get('tags') != [f'localhost/vitrine/{name}:dev']:
        problems.append(f"{name}: tags {target.get('tags')}")
for name, target in ci['target'].items():
    caches = ' '.join(target.get('cache-from', []) + target.get('cache-to', []))
    if f'type=gha,scope=vitrine-{name}' not in caches or f'type=registry,ref=registry.invalid/team/cache:{name}' not in caches:
        problems.append(f"{name} in CI: no own gha scope and registry cache ({caches})")
    if name != 'test' and sorted(target.get('platforms', [])) != ['linux/amd64', 'linux/arm64']:
        problems.append(f"{name} in CI: platforms {target.get('platforms')}")
    if name != 'test' and target.get('tags') != [f'registry.invalid/team/{name}:0123abc']:
        problems.append(f"{name} in CI: tags {target.get('tags')}")
# the secret's contents are the truststore file, not its path (env= would send the path)
web = json.load(open(f'{tools}/cacerts.json'))['target']['web']
wanted = {'id': 'cacerts', 'src': '/etc/ssl/certs/java/cacerts'}
got = [dict(kv.split('=', 1) for kv in s.split(',')) for s in secrets(web)]
if got != [wanted]:
    problems.append(f"VITRINE_BUILD_CACERTS: secret {secrets(web)}, expected id=cacerts,src=<the file>")
for p in problems:
    print('  ' + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
say "docker-bake.hcl: groups default (web, worker) and all; plain: one platform, no cache export, no secret; CI: registry and gha caches, two platforms; VITRINE_BUILD_CACERTS is a file secret"

# --- compose.yaml -------------------------------------------------------------------------------
cp .env.example "$tools/.env"
"${compose[@]}" --project-directory . --env-file "$tools/.env" -f compose.yaml config -q 2>"$tools/compose.err" \
  || { cat "$tools/compose.err" >&2; fail "compose.yaml with .env.example"; }
"${compose[@]}" --project-directory . --env-file "$tools/.env" -f compose.yaml --profile monitor config --services \
  > "$tools/services" 2>"$tools/compose.err" || { cat "$tools/compose.err" >&2; fail "compose.yaml, profile monitor"; }
[ "$(sort "$tools/services" | tr '\n' ' ')" = "monitor postgres web worker " ] \
  || fail "compose services are $(tr '\n' ' ' < "$tools/services")"
say "compose.yaml: valid with .env.example; services postgres, web, worker and (profile monitor) monitor"
