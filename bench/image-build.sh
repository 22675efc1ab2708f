#!/usr/bin/env bash
# What building the images costs: a build of every target with the layers this machine already
# has (with --cold: after removing this project's images and the dangling layers they leave,
# the build cache; the Maven and apt cache mounts stay, so only a new machine is fully cold),
# then a rebuild after a one-line code change: a new class in a copy of the sources (the
# working tree is never touched).
#
#   bench/image-build.sh [--cold]
#
# Builds from a copy of the files git knows (tracked and untracked, not ignored), tagged
# localhost/vitrine-bench/TARGET:build, removed at the end. Uses podman. Prints each target's
# time for both builds, the machine and its load average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
cold=false
case ${1:-} in
  --cold) cold=true ;;
  '') ;;
  *) echo "usage: $0 [--cold]" >&2; exit 2 ;;
esac
prefix=localhost/vitrine-bench tag=build
targets=(web worker monitor distroless)
work=$(mktemp -d)
cleanup() {
  podman images --format '{{.Repository}}:{{.Tag}}' | grep "^$prefix/" | xargs -r podman rmi -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "$(nproc) cores; podman $(podman --version | awk '{print $3}'); $(date -u '+%F %H:%M') UTC; load average before: $(load)"

build=(podman build --pull=never --format docker --network host)
cacerts=${VITRINE_BUILD_CACERTS:-/etc/ssl/certs/java/cacerts}
[ -s "$cacerts" ] && build+=(--secret "id=cacerts,src=$cacerts")
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/src"

if $cold; then
  # every image of this project but the PostgreSQL stand-in, then the layers they leave
  podman images --format '{{.Repository}}:{{.Tag}}' | grep "^localhost/vitrine" | grep -v "/postgres:" \
    | xargs -r podman rmi -f >/dev/null 2>&1 || true
  for _ in 1 2 3; do podman image prune -f >/dev/null 2>&1 || true; done
fi

build_all() { # LABEL; builds every target from the copy, prints the times
  local label=$1 start=$SECONDS target_start parts=
  for target in "${targets[@]}"; do
    target_start=$SECONDS
    "${build[@]}" --target "$target" -t "$prefix/$target:$tag" "$work/src" > "$work/build.log" 2>&1 \
      || { tail -40 "$work/build.log" >&2; echo "building $target failed" >&2; exit 1; }
    parts+="${parts:+, }$target $((SECONDS - target_start)) s"
  done
  echo "$label: $((SECONDS - start)) s ($parts)"
}

build_all "$($cold && echo 'cold build' || echo 'build with the layers already here')"
# unique per run, so that no earlier run's layers can answer the rebuild
cat > "$work/src/src/main/java/dev/vitrine/RebuildMarker.java" <<EOF
package dev.vitrine;

final class RebuildMarker {

	static final String BUILT = "$(date +%s%N)";

	private RebuildMarker() {
	}

}
EOF
build_all "rebuild after a one-line change"
echo "load average after: $(load)"
