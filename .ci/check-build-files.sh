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
"${buildx[@]}" bake -f docker-bake.hcl --print default > "$tools/default.json" 2>"$tools/bake.err" || { cat "$tools/bake.err" >&2; fail "bake --print default"; }
"${buildx[@]}" bake -f docker-bake.hcl --print all > "$tools/all.json" 2>"$tools/bake.err" || { cat "$tools/bake.err" >&2; fail "bake --print all"; }
REGISTRY=registry.invalid/team TAG=0123abc PLATFORMS=linux/amd64 \
  "${buildx[@]}" bake -f docker-bake.hcl --print web > "$tools/vars.json" 2>"$tools/bake.err" || { cat "$tools/bake.err" >&2; fail "bake --print with variables"; }

python3 - "$tools" <<'PY' || fail "docker-bake.hcl does not describe the images as expected"
import json, re, sys
tools = sys.argv[1]
stages = set(re.findall(r'^FROM\s+\S+\s+AS\s+(\S+)', open('Dockerfile').read(), re.M | re.I))
default = json.load(open(f'{tools}/default.json'))
every = json.load(open(f'{tools}/all.json'))
problems = []
if sorted(default['group']['default']['targets']) != ['web', 'worker']:
    problems.append(f"group default is {default['group']['default']['targets']}, not web and worker")
if sorted(every['target']) != ['distroless', 'monitor', 'test', 'web', 'worker']:
    problems.append(f"group all builds {sorted(every['target'])}")
for name, target in every['target'].items():
    if target.get('target') not in stages:
        problems.append(f"{name}: stage {target.get('target')} is not in the Dockerfile")
    caches = ' '.join(target.get('cache-from', []) + target.get('cache-to', []))
    if f'scope=vitrine-{name}' not in caches or 'type=registry' not in caches:
        problems.append(f"{name}: no own cache scope and registry cache ({caches})")
    if name != 'test' and sorted(target.get('platforms', [])) != ['linux/amd64', 'linux/arm64']:
        problems.append(f"{name}: platforms {target.get('platforms')}")
    if name != 'test' and target.get('tags') != [f'localhost/vitrine/{name}:dev']:
        problems.append(f"{name}: tags {target.get('tags')}")
web = json.load(open(f'{tools}/vars.json'))['target']['web']
if web['tags'] != ['registry.invalid/team/web:0123abc'] or web['platforms'] != ['linux/amd64']:
    problems.append(f"variables REGISTRY, TAG, PLATFORMS not applied: {web['tags']} {web['platforms']}")
for p in problems:
    print('  ' + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
say "docker-bake.hcl: groups default (web, worker) and all; stages, cache scopes, platforms and tags check out"

# --- compose.yaml -------------------------------------------------------------------------------
cp .env.example "$tools/.env"
"${compose[@]}" --project-directory . --env-file "$tools/.env" -f compose.yaml config -q 2>"$tools/compose.err" \
  || { cat "$tools/compose.err" >&2; fail "compose.yaml with .env.example"; }
"${compose[@]}" --project-directory . --env-file "$tools/.env" -f compose.yaml --profile monitor config --services \
  > "$tools/services" 2>"$tools/compose.err" || { cat "$tools/compose.err" >&2; fail "compose.yaml, profile monitor"; }
[ "$(sort "$tools/services" | tr '\n' ' ')" = "monitor postgres web worker " ] \
  || fail "compose services are $(tr '\n' ' ' < "$tools/services")"
say "compose.yaml: valid with .env.example; services postgres, web, worker and (profile monitor) monitor"
