#!/bin/sh
# One-shot container of docker-compose.yml: generates the suite's passwords on the first run, so none is committed
# or shared between installations. Later runs keep them (the volumes persist); `docker compose down -v` forgets them.
#
#   /run/secrets/choreo-db/DB_PASSWORD            the services' database roles (a file per property: the services
#                                                 read it with Spring's configtree import, postgres's init script too)
#   /run/secrets/choreo-admin/postgres-password   PostgreSQL's superuser (POSTGRES_PASSWORD_FILE)
#   /run/secrets/choreo-admin/grafana-admin-password  Grafana's admin (GF_SECURITY_ADMIN_PASSWORD__FILE)
#
# The files are readable by every user of the containers that mount them (the services, postgres and Grafana run as
# different users); each volume is mounted only where it is needed, read-only.
set -eu
# the test runs it against a temporary directory
root="${SECRETS_ROOT:-/run/secrets}"

generate() {
  file="$1"
  if [ -s "${file}" ]; then
    return 1
  fi
  # 32 characters from [A-Za-z0-9]: no quoting trouble in a JDBC URL, a shell or a SQL literal
  tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32 > "${file}.tmp"
  chmod 0444 "${file}.tmp"
  mv "${file}.tmp" "${file}"
  return 0
}

generate "${root}"/choreo-db/DB_PASSWORD && echo "generated the services' database password" || true
generate "${root}"/choreo-admin/postgres-password && echo "generated PostgreSQL's superuser password" || true
if generate "${root}"/choreo-admin/grafana-admin-password; then
  echo "generated Grafana's admin password; read it with:"
  echo "  docker compose run --rm secrets cat /run/secrets/choreo-admin/grafana-admin-password"
fi
