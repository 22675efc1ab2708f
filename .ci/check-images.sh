#!/usr/bin/env bash
# The image checks, against the images .ci/build-images.sh built, in one Maven run (two forks,
# side by side): ImagesIT (what each image does) and SmallBoxIT (PostgreSQL, web and worker
# within compose.yaml's 1 GB of memory limits; it prints each container's peak memory). Their
# Javadoc says what they check. Runs the compiled tests, so after `mvn test-compile` (or
# during a `mvn verify` that is past it, as .ci/run runs it).
#
#   .ci/check-images.sh [TAG [MAVEN-ARGS...]]   # images localhost/vitrine/TARGET:TAG, TAG
#                                                # defaults to verify; e.g.
#                                                # -Dit.test=SmallBoxIT runs one of them
#
# Testcontainers drives the engine: DOCKER_HOST or a Docker engine if there is one, else
# podman's Docker-compatible API, started here on a socket of its own for the run (with
# Testcontainers' reaper off: its image cannot be pulled on a machine without a registry).
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-verify}
[ $# -gt 0 ] && shift
service='' socket_dir=''
cleanup() {
  [ -n "$service" ] && kill "$service" 2>/dev/null && wait "$service" 2>/dev/null
  [ -n "$socket_dir" ] && rm -rf "$socket_dir"
  return 0
}
trap cleanup EXIT

if [ -z "${DOCKER_HOST:-}" ] && ! { command -v docker >/dev/null && docker info >/dev/null 2>&1; }; then
  command -v podman >/dev/null || { echo "check-images: neither a Docker engine nor podman" >&2; exit 1; }
  socket_dir=$(mktemp -d)
  # from its own directory: podman 4.3's conmon writes a file named `oom` into its working
  # directory when a container is killed for memory (SmallBoxIT's limits)
  (cd "$socket_dir" && exec podman system service --time=0 "unix://$socket_dir/podman.sock") &
  service=$!
  for _ in $(seq 1 100); do [ -S "$socket_dir/podman.sock" ] && break; sleep 0.1; done
  [ -S "$socket_dir/podman.sock" ] || { echo "check-images: podman's API socket did not appear" >&2; exit 1; }
  export DOCKER_HOST=unix://$socket_dir/podman.sock TESTCONTAINERS_RYUK_DISABLED=true
fi
# the pom's image-checks execution: reports in target/image-checks-reports, so that this can
# run while `mvn verify` runs its own ITs (.ci/run does)
mvn -B -ntp failsafe:integration-test@image-checks failsafe:verify@image-checks \
  -Dit.test=ImagesIT,SmallBoxIT -Dvitrine.images="$tag" "$@"
