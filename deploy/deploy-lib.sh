# shellcheck shell=bash
# Shared by deploy-host.sh, deploy-caprover.sh and rollback.sh; sourced, not run.
#
# State: for each service, the revision that serves now and the one before it, one line each
# in $VITRINE_DEPLOY_STATE/<service>.current and <service>.previous. rollback.sh reads them.

# Host-wide settings, e.g. VITRINE_IMAGE_PREFIX and the ports, one KEY=value per line (an
# `export ` before it is allowed); what the environment sets wins. One pair of matching quotes
# around a whole value is dropped (KEY="a b" is a b), as a shell or compose's .env reads it;
# anything else is kept as written. Blank lines and # comments are skipped; any other line is
# skipped with a warning that names it.
deploy_config=${VITRINE_DEPLOY_CONFIG:-/etc/vitrine/deploy.env}
if [ -r "$deploy_config" ]; then
  line_number=0
  # the whole line split at its first '=': read's own split would drop a value's one trailing
  # '=', and without the || a last line with no newline after it would be lost
  while IFS= read -r line || [ -n "$line" ]; do
    line_number=$((line_number + 1))
    # a file saved on Windows: its \r would end up in image names and ports, its byte order
    # mark in the first key
    line=${line%$'\r'}
    [ "$line_number" -eq 1 ] && line=${line#$'\xEF\xBB\xBF'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^export[[:space:]]+(.*)$ ]] && line=${BASH_REMATCH[1]}
    key=${line%%=*} value=${line#*=}
    if [[ $line != *=* || ! $key =~ ^[A-Z_][A-Z0-9_]*$ ]]; then
      # the line itself is not shown: it may hold a secret
      printf 'deploy: %s line %d ignored: not KEY=value with KEY in upper case, digits and _\n' \
        "$deploy_config" "$line_number" >&2
      continue
    fi
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    [ -n "${!key+x}" ] || export "$key=$value"
  done < "$deploy_config"
fi

deploy_state=${VITRINE_DEPLOY_STATE:-/var/lib/vitrine/deploy}
# shellcheck disable=SC2034 # read by the scripts that source this
health_timeout=${VITRINE_HEALTH_TIMEOUT:-120}

say() { printf 'deploy: %s\n' "$*" >&2; }
fail() { printf 'deploy: FAILED: %s\n' "$*" >&2; exit 1; }
refuse() { printf 'deploy: REFUSED: %s\n' "$*" >&2; exit 3; }

# Sets service and revision from a deploy script's arguments, or prints its usage and exits.
service_and_revision() { # SCRIPT ARGS...
  local script=$1
  shift
  [ $# -eq 2 ] || { echo "usage: $script web|worker REVISION" >&2; exit 2; }
  check_service "$1"
  check_revision "$2"
  service=$1 revision=$2
}

# Which deploy script serves the target a wrapper's first argument names (--caprover or none).
deploy_script() {
  if [ "${1:-}" = --caprover ]; then echo deploy/deploy-caprover.sh; else echo deploy/deploy-host.sh; fi
}

# The container engine: VITRINE_ENGINE, else docker when a Docker engine answers, else podman.
container_engine() {
  if [ -n "${VITRINE_ENGINE:-}" ]; then
    echo "$VITRINE_ENGINE"
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    echo docker
  else
    echo podman
  fi
}

check_service() {
  case $1 in
    web | worker) ;;
    *) fail "unknown service '$1': expected web or worker" ;;
  esac
}

# A full commit SHA and nothing else: the revision ends up in image names, labels, state files
# and, from the deploy workflow, a remote shell's command line.
check_revision() {
  [[ $1 =~ ^[0-9a-f]{40}$ ]] \
    || fail "'$1' is not a revision: a full commit SHA is 40 lowercase hex digits (git rev-parse gives it)"
}

state_get() { # service current|previous
  local file="$deploy_state/$1.$2"
  [ -s "$file" ] && head -n 1 "$file" || true
}

# Records that $2 now serves $1; the revision it replaces becomes the one to roll back to.
state_record() {
  local service=$1 revision=$2 current
  mkdir -p "$deploy_state" || fail "cannot create the state directory $deploy_state (VITRINE_DEPLOY_STATE)"
  current=$(state_get "$service" current)
  if [ -n "$current" ] && [ "$current" != "$revision" ]; then
    printf '%s\n' "$current" > "$deploy_state/$service.previous"
  fi
  printf '%s\n' "$revision" > "$deploy_state/$service.current"
}

# After deploy.sh put service $2 back on $3, the revision it ran before a deploy that was
# refused, makes $4 (empty: none) again the revision it rolls back to: the deploy that put it
# back recorded the refused revision as that, and a rollback would then take this service to
# the refused release and the other one to the revision before.
restore_previous() { # host|--caprover service current previous
  local service=$2 current=$3 previous=$4
  if [ -n "$previous" ]; then
    printf '%s\n' "$previous" > "$deploy_state/$service.previous"
  else
    rm -f "$deploy_state/$service.previous"
  fi
  [ "$1" = --caprover ] || return 0
  # a registry tag cannot be removed on its own (a delete goes by digest and would take the
  # release's own tag with it): with none before, the tag names what serves, not the refused one
  registry_record_previous "$VITRINE_IMAGE_PREFIX" "$service" "${previous:-$current}" \
    || say "WARNING: could not tag $VITRINE_IMAGE_PREFIX/$service:${previous:-$current} as $service:previous again: it names the refused revision; roll back by SHA (deploy/deploy.sh --caprover SHA)"
}

# CapRover keeps no history that a deploy token can read, and a CI runner's files are gone
# after its run: so the revision each service ran before the last CapRover deploy is kept in
# the registry, as the tag <service>:previous on a copy of that revision's image (skopeo copy:
# manifests only, the layers are there already). Any later run, on any machine with access to
# the registry, reads it back from that image's VITRINE_REVISION.
# skopeo, told about CONTAINERS_REGISTRIES_CONF when it is set (older skopeo ignores the variable)
skopeo_() {
  if [ -n "${CONTAINERS_REGISTRIES_CONF:-}" ]; then
    skopeo --registries-conf "$CONTAINERS_REGISTRIES_CONF" "$@"
  else
    skopeo "$@"
  fi
}

registry_previous() { # prefix service
  skopeo_ inspect --format '{{range .Env}}{{println .}}{{end}}' "docker://$1/$2:previous" 2>/dev/null \
    | sed -n 's/^VITRINE_REVISION=//p' | head -n 1
}

registry_record_previous() { # prefix service revision
  skopeo_ copy --all --quiet "docker://$1/$2:$3" "docker://$1/$2:previous" >/dev/null
}

# The revision to roll service $2 back to: on a host ($1 "host") from VITRINE_DEPLOY_STATE;
# on CapRover ($1 "--caprover") from the registry, else from VITRINE_DEPLOY_STATE. Empty when
# none is known; stops if what is recorded is not a commit SHA.
previous_revision() { # host|--caprover service
  local previous=
  if [ "$1" = --caprover ]; then
    command -v skopeo >/dev/null || fail "skopeo is needed: the previous revision is kept in the registry (apt-get install skopeo)"
    previous=$(registry_previous "${VITRINE_IMAGE_PREFIX:?set VITRINE_IMAGE_PREFIX to where the images are}" "$2")
  fi
  [ -n "$previous" ] || previous=$(state_get "$2" previous)
  [ -z "$previous" ] || check_revision "$previous"
  printf '%s' "$previous"
}

# Prints the value of "revision" in the "vitrine" part of an /actuator/info answer.
info_revision() {
  sed -n 's/.*"vitrine":{[^}]*"revision":"\([^"]*\)".*/\1/p'
}

# Prints how many live workers run revision $1, from an /actuator/info answer.
info_live_workers() {
  sed -n "s/.*\"liveWorkers\":{[^}]*\"$1\":\([0-9]*\).*/\1/p"
}
