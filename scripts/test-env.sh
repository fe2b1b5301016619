#!/usr/bin/env bash
# Prepares what the integration tests use: the local PostgreSQL 15 cluster, a role `candor`
# (password `candor`) and a database `candor_test` owned by it, and Debian's Chromium + ChromeDriver for the
# dashboard's browser tests, and Debian's python3-xgboost for the TreeSHAP reference check. Idempotent: safe to run
# when all is up.
# Run as root (it starts the cluster and switches to the `postgres` OS user). Used by CI too.
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
PG_HOST=127.0.0.1
PG_PORT=5432
ROLE=candor
PASSWORD=candor
DATABASE=candor_test

say() { echo "test-env: $*"; }
fail() { echo "test-env: ERROR: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "run as root (sudo bash scripts/test-env.sh): it starts PostgreSQL and switches to the postgres user"
command -v pg_ctlcluster >/dev/null || fail "pg_ctlcluster not found: PostgreSQL ${PG_VERSION} is expected to be installed (Debian package postgresql-${PG_VERSION})"

as_postgres() { runuser -u postgres -- "$@"; }
psql_pg() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -tA "$@"; }

# 1. Start the cluster unless it already runs.
if pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
  say "PostgreSQL ${PG_VERSION}/${PG_CLUSTER} already running"
else
  say "starting PostgreSQL ${PG_VERSION}/${PG_CLUSTER}"
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start \
    || fail "pg_ctlcluster ${PG_VERSION} ${PG_CLUSTER} start failed: see /var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log"
fi

# 2. Wait until it accepts connections on TCP (the tests connect through 127.0.0.1, not the socket).
for i in $(seq 1 60); do
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then break; fi
  [[ $i -eq 60 ]] && fail "PostgreSQL did not accept connections on ${PG_HOST}:${PG_PORT} within 30 s: see /var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log"
  sleep 0.5
done
say "PostgreSQL ready on ${PG_HOST}:${PG_PORT}"

# 3. The role (LOGIN, with the password the tests use).
if [[ $(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'") == 1 ]]; then
  say "role ${ROLE} exists"
else
  psql_pg -c "CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'"
  say "role ${ROLE} created"
fi

# 4. The database, owned by the role.
if [[ $(psql_pg -c "SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'") == 1 ]]; then
  say "database ${DATABASE} exists"
else
  psql_pg -c "CREATE DATABASE ${DATABASE} OWNER ${ROLE}"
  say "database ${DATABASE} created"
fi

# 5. Check what the tests will do: log in with the password over TCP.
PGPASSWORD="$PASSWORD" psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$ROLE" -d "$DATABASE" -tA -c "SELECT 1" >/dev/null \
  || fail "cannot log in as ${ROLE} to ${DATABASE} on ${PG_HOST}:${PG_PORT} with the password: check pg_hba.conf allows md5/scram on 127.0.0.1"
say "login as ${ROLE} to jdbc:postgresql://${PG_HOST}:${PG_PORT}/${DATABASE} works"

# 6. Chromium and ChromeDriver from Debian, for the dashboard's browser tests.
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  say "chromium and chromedriver present ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
else
  say "installing Debian's chromium and chromium-driver (for the dashboard's browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed: the browser tests need Debian's chromium and chromium-driver packages"
  apt-get install -y -qq chromium chromium-driver >/dev/null || fail "apt-get install chromium chromium-driver failed"
  say "installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
fi

# 7. Python's xgboost from Debian, for the TreeSHAP reference check against XGBoost's own pred_contribs
#    (stages: XGBoostTreeShapReferenceTest runs scripts/xgboost_reference.py with /usr/bin/python3).
if /usr/bin/python3 -c "import xgboost" >/dev/null 2>&1; then
  say "python3-xgboost present ($(/usr/bin/python3 -c 'import xgboost; print(xgboost.__version__)'))"
else
  say "installing Debian's python3-xgboost (for the TreeSHAP reference check)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed: the TreeSHAP reference check needs Debian's python3-xgboost package"
  apt-get install -y -qq python3-xgboost >/dev/null || fail "apt-get install python3-xgboost failed"
  say "installed python3-xgboost $(/usr/bin/python3 -c 'import xgboost; print(xgboost.__version__)')"
fi
