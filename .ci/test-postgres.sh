#!/usr/bin/env bash
# Sourced by the deploy tests: a throwaway PostgreSQL on the host network.
#   start_test_postgres NAME PORT PASSWORD   starts container NAME (user and database vitrine)
# from postgres:17, or the stand-in .ci/build-images.sh builds, and waits until it answers.
# Needs container_engine (deploy/deploy-lib.sh) and the caller's fail.

start_test_postgres() {
  local name=$1 port=$2 password=$3 image=postgres:17 engine _
  engine=$(container_engine)
  $engine image inspect "$image" >/dev/null 2>&1 || image=localhost/vitrine/postgres:17
  $engine image inspect "$image" >/dev/null 2>&1 \
    || fail "no PostgreSQL image: .ci/build-images.sh builds one (vitrine/postgres:17)"
  $engine run -d --name "$name" --network host -e PGPORT="$port" -e POSTGRES_USER=vitrine \
    -e POSTGRES_PASSWORD="$password" -e POSTGRES_DB=vitrine "$image" -p "$port" >/dev/null
  for _ in $(seq 1 120); do
    $engine exec "$name" pg_isready -h 127.0.0.1 -p "$port" -U vitrine >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "PostgreSQL did not become ready"
}
