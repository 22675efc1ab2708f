# A stand-in for the official postgres:17 image, for machines that reach no container
# registry (scripts/verify-images.sh builds it only when postgres:17 is not present).
# It honours the same POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB variables and data
# directory, so compose.yaml works with either.
FROM debian:trixie-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-17 >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data \
 && install -d -o postgres -g postgres /run/postgresql
ENV PATH=/usr/lib/postgresql/17/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/bin/sh", "-c", "set -e; user=${POSTGRES_USER:-postgres}; db=${POSTGRES_DB:-$user}; if [ ! -s \"$PGDATA/PG_VERSION\" ]; then printf '%s' \"${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}\" > /tmp/pw; initdb -U \"$user\" --pwfile=/tmp/pw --auth-host=scram-sha-256 --auth-local=trust >/dev/null; rm /tmp/pw; echo 'host all all all scram-sha-256' >> \"$PGDATA/pg_hba.conf\"; if [ \"$db\" != postgres ]; then pg_ctl -s -w -o '-c listen_addresses=' start; createdb -U \"$user\" \"$db\"; pg_ctl -s -w stop; fi; fi; exec postgres -c listen_addresses='*' -p \"${PGPORT:-5432}\""]
