#!/usr/bin/env bash
# Builds every image target of the Dockerfile, tagged localhost/vitrine/TARGET:verify (or the
# tag in IMAGE_TAG), and the PostgreSQL stand-in (src/test/fixtures/postgres.Dockerfile) when
# no postgres:17 image is present. What the images do is checked by .ci/check-images.sh
# (ImagesIT); deploy and rollback with them by .ci/test-deploy.sh; what a build costs is
# bench/image-build.sh.
#
#   .ci/build-images.sh                 # web, worker, monitor, distroless
#   .ci/build-images.sh --with-test     # also the `test` target (the whole suite in a container)
#   .ci/build-images.sh --low-priority  # the build's RUN steps at the lowest CPU weight: .ci/run
#                                       # builds this way while its tests run
#
# Uses docker when a Docker engine answers, else podman (--pull=never: this machine reaches no
# registry). Layers of earlier builds are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=false
low_priority=false
for arg in "$@"; do
  case $arg in
    --with-test) with_test=true ;;
    --low-priority) low_priority=true ;;
    *) echo "usage: $0 [--with-test] [--low-priority]" >&2; exit 2 ;;
  esac
done

prefix=localhost/vitrine
tag=${IMAGE_TAG:-verify}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
say() { printf 'build-images: %s\n' "$*" >&2; }

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  engine=docker
  build=(docker build)
else
  command -v podman >/dev/null || { say "neither a Docker engine nor podman is available"; exit 1; }
  engine=podman
  # no registry to pull from; HEALTHCHECK needs the docker image format
  build=(podman build --pull=never --format docker --network host)
  # RUN steps get a cgroup of their own, where the caller's nice value does not count
  $low_priority && build+=(--cpu-shares=2)
fi
cacerts=${VITRINE_BUILD_CACERTS:-/etc/ssl/certs/java/cacerts}
[ -s "$cacerts" ] && build+=(--secret "id=cacerts,src=$cacerts")
say "engine: $engine ($($engine --version | head -n 1))"

version=$(sed -n 's:.*<version>\(.*SNAPSHOT\|[0-9.]*\)</version>.*:\1:p' pom.xml | head -n 1)
targets=(web worker monitor distroless)
$with_test && targets+=(test)
for target in "${targets[@]}"; do
  say "building $target"
  start=$SECONDS
  "${build[@]}" --target "$target" -t "$prefix/$target:$tag" --build-arg VERSION="$version" \
    --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" . > "$log" 2>&1 \
    || { tail -40 "$log" >&2; say "FAILED: building $target"; exit 1; }
  say "  $target built in $((SECONDS - start)) s"
done

# the official image by its full name: podman takes the short name postgres:17 for any
# .../postgres:17, the stand-in too, which then was never built again after its Dockerfile
# changed (the layer cache makes an unchanged one a no-op)
if ! $engine image inspect docker.io/library/postgres:17 >/dev/null 2>&1; then
  say "no postgres:17 image here; building a stand-in from Debian (src/test/fixtures/postgres.Dockerfile)"
  "${build[@]}" -f src/test/fixtures/postgres.Dockerfile -t "$prefix/postgres:17" src/test/fixtures > "$log" 2>&1 \
    || { tail -20 "$log" >&2; say "FAILED: building the PostgreSQL stand-in"; exit 1; }
fi
say "built ${targets[*]} as $prefix/TARGET:$tag"
