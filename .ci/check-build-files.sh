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
# compose reads .env from the project directory (for ${...} and env_file): a copy of the
# project's files with .env.example as its .env, then with settings an operator adds
project=$tools/project
mkdir -p "$project/deploy/proxy"
cp compose.yaml "$project/"
cp deploy/proxy/Caddyfile "$project/deploy/proxy/"
cp .env.example "$project/.env"
compose_config() { "${compose[@]}" --project-directory "$project" -f "$project/compose.yaml" --profile monitor config "$@"; }
compose_config -q 2>"$tools/compose.err" || { cat "$tools/compose.err" >&2; fail "compose.yaml with .env.example"; }
compose_config --services > "$tools/services" 2>"$tools/compose.err" \
  || { cat "$tools/compose.err" >&2; fail "compose.yaml, profile monitor"; }
[ "$(sort "$tools/services" | tr '\n' ' ')" = "monitor postgres proxy web worker " ] \
  || fail "compose services are $(tr '\n' ' ' < "$tools/services")"
say "compose.yaml: valid with .env.example; services postgres, web, worker, proxy and (profile monitor) monitor"

# Settings an operator adds to .env reach every Vitrine service, and only the proxy is public.
printf '%s\n' VITRINE_JOBS_THREADS=3 VITRINE_RENDERING_MEMORY_LIMIT=700MB VITRINE_SHUTDOWN_GRACE=25s >> "$project/.env"
compose_config --format json > "$tools/compose.json" 2>"$tools/compose.err" \
  || { cat "$tools/compose.err" >&2; fail "compose.yaml config --format json"; }
python3 - "$tools/compose.json" <<'PY' || fail "compose.yaml does not pass the settings or publishes web"
import json, sys
services = json.load(open(sys.argv[1]))['services']
problems = []
added = {'VITRINE_JOBS_THREADS': '3', 'VITRINE_RENDERING_MEMORY_LIMIT': '700MB', 'VITRINE_SHUTDOWN_GRACE': '25s'}
for name in ('web', 'worker', 'monitor'):
    env = services[name].get('environment') or {}
    for key, value in added.items():
        if env.get(key) != value:
            problems.append(f"{name}: {key} from .env is {env.get(key)!r}, not {value!r}")
    if env.get('VITRINE_DB_URL') != 'jdbc:postgresql://postgres:5432/vitrine':
        problems.append(f"{name}: VITRINE_DB_URL {env.get('VITRINE_DB_URL')!r}")
for name, service in services.items():
    for port in service.get('ports') or []:
        public = port.get('host_ip') in (None, '', '0.0.0.0', '::')
        if public and name != 'proxy':
            problems.append(f"{name} publishes {port.get('published')} on every interface")
proxy, web = services['proxy'], services['web']
if sorted({str(p.get('target')) for p in proxy.get('ports') or []}) != ['443', '80']:
    problems.append(f"proxy publishes {proxy.get('ports')}")
if proxy['environment'].get('VITRINE_UPSTREAM') != 'web:8080':
    problems.append(f"proxy forwards to {proxy['environment'].get('VITRINE_UPSTREAM')}")
address = proxy['networks']['default']['ipv4_address']
if web['environment'].get('VITRINE_SITE_TRUSTED_PROXIES') != address or web['environment'].get('VITRINE_SITE_FORWARDED_HEADERS') != 'true':
    problems.append(f"web does not trust exactly the proxy ({address}): {web['environment']}")
for p in problems:
    print('  ' + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
say "compose.yaml: settings in .env reach web, worker and monitor; only the proxy is published beyond 127.0.0.1, and web trusts its address alone"
