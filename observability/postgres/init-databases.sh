#!/usr/bin/env bash
# PostgreSQL init script (docker-entrypoint-initdb.d): one database and one login role per service, each role owning
# only its own database; nobody else may connect to it. Runs once, when the data directory is created.
#
#   CHOREO_DATABASES    space-separated names, each used for the database and its role (e.g. "order_service ...")
#   CHOREO_DB_PASSWORD       the roles' password, or
#   CHOREO_DB_PASSWORD_FILE  a file holding it (compose: the one its secrets container generated on the first run)
#
# psql connects as POSTGRES_USER to POSTGRES_DB; PGHOST/PGPORT apply as usual (the test runs this script against a
# local server that way).
set -euo pipefail

: "${CHOREO_DATABASES:?CHOREO_DATABASES must list the databases to create}"
if [[ -n "${CHOREO_DB_PASSWORD_FILE:-}" ]]; then
  CHOREO_DB_PASSWORD="$(< "${CHOREO_DB_PASSWORD_FILE}")"
fi
: "${CHOREO_DB_PASSWORD:?CHOREO_DB_PASSWORD or CHOREO_DB_PASSWORD_FILE must be set}"

for name in ${CHOREO_DATABASES}; do
  if [[ ! "${name}" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "init-databases: '${name}' is not a plain lower-case identifier" >&2
    exit 1
  fi
  echo "init-databases: database and role ${name}"
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
       --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
       --set name="${name}" --set password="${CHOREO_DB_PASSWORD}" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
