# shellcheck shell=bash
# Shared by the benchmarks that run the images; sourced, not run. They run them with podman
# (this machine has no Docker engine) against a throwaway PostgreSQL, started as the deploy
# tests start theirs:
#   start_test_postgres NAME PORT PASSWORD    (.ci/test-postgres.sh: user and database vitrine)
container_engine() { echo podman; }
fail() { printf '%s: FAILED: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
# shellcheck source=.ci/test-postgres.sh
. .ci/test-postgres.sh
