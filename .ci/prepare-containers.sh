#!/usr/bin/env bash
# (The team's shared containers/prepare.sh, kept here so a CI clone has it.)
# Prepares this build machine for container builds with podman (daemonless, no Docker engine)
# and makes the one base image the project's Dockerfile needs, since no container registry is
# reachable here: debian:trixie-slim, built from Debian's own packages with debootstrap.
#
# Idempotent; safe to run at the start of every CI run. Needs root.
#   ../shared/containers/prepare.sh            # podman config + debian:trixie-slim
#   SUITES="trixie bookworm" ../shared/containers/prepare.sh
#
# What it leaves behind:
#   - /etc/containers/containers.conf: runtime runc (crun cannot drive this kernel's hybrid cgroups)
#     and default ulimits low enough that root podman may set them (no CAP_SYS_RESOURCE here).
#   - images docker.io/library/debian:<suite>-slim in podman's local store, so an unchanged
#     `FROM debian:trixie-slim` resolves without a pull (build with --pull=never).
#   - $CACERTS (printed): a Java truststore to pass as build secret `cacerts`, because HTTPS from
#     inside containers here goes through a TLS-intercepting proxy (apt uses plain http: unaffected).
# Never run `podman image prune -a` or `podman system reset`: nothing can be pulled back.
set -euo pipefail
SUITES=${SUITES:-trixie}
WORKDIR=${PREPARE_WORKDIR:-/var/tmp/container-bases}

if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null || [ ! -x /usr/sbin/runc ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap >/dev/null
fi

mkdir -p /etc/containers
cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=16384:16384", "nproc=16384:16384"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF

# The Debian mirror this machine's apt already uses (so nothing else is named here).
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || { echo "prepare.sh: no Debian mirror found in apt sources" >&2; exit 1; }

for suite in $SUITES; do
  tag=docker.io/library/debian:$suite-slim
  if podman image exists "$tag"; then echo "have $tag"; continue; fi
  root=$WORKDIR/$suite
  rm -rf "$root"; mkdir -p "$WORKDIR"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >/dev/null
  # slim it the way the official -slim images are
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/lintian/*' 'path-exclude /usr/share/locale/*' > "$root/etc/dpkg/dpkg.cfg.d/slim"
  echo 'APT::Install-Recommends "false"; APT::Install-Suggests "false"; Acquire::Languages "none";' \
    > "$root/etc/apt/apt.conf.d/slim"
  cat > "$root/etc/apt/sources.list" <<SRC
deb $mirror $suite main
deb $mirror $suite-updates main
SRC
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
         "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
         "$root"/var/log/* "$root"/tmp/*
  # some packages' install scripts (openjdk, postgresql) expect these folders to exist
  mkdir -p "$root/usr/share/man/man1" "$root/usr/share/man/man7" "$root/usr/share/man/man8"
  : > "$root/etc/resolv.conf"
  tar --numeric-owner -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
    podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' - "$tag" >/dev/null
  rm -rf "$root"
  echo "made $tag"
done

CACERTS=/etc/ssl/certs/java/cacerts
[ -s "$CACERTS" ] || CACERTS=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/security/cacerts
echo "CACERTS=$CACERTS"
echo "build with: podman build --pull=never --format docker --secret id=cacerts,src=\$CACERTS --target <target> ."
