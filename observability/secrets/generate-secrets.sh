#!/bin/sh
# One-shot container of docker-compose.yml: generates the suite's passwords on the first run, so none is committed
# or shared between installations. Later runs keep them (the volumes persist); `docker compose down -v` forgets them.
#
#   /run/secrets/choreo-db/DB_PASSWORD            the services' database roles (a file per property: the services
#                                                 read it with Spring's configtree import, postgres's init script too)
#   /run/secrets/choreo-admin/postgres-password   PostgreSQL's superuser (POSTGRES_PASSWORD_FILE)
#   /run/secrets/choreo-admin/grafana-admin-password  Grafana's admin (GF_SECURITY_ADMIN_PASSWORD__FILE)
#   /run/secrets/choreo-kafka-admin/admin-password       Kafka's super user admin (SCRAM; tools, the ACL init step)
#   /run/secrets/choreo-kafka-admin/controller-password  Kafka's controller listener (SASL PLAIN, super user)
#   /run/secrets/choreo-kafka-<principal>/KAFKA_PASSWORD  one Kafka SCRAM user per service, in a volume of its own:
#                                                 every choreo-kafka-* directory mounted here gets one; the service
#                                                 mounts only its own and reads it as the property KAFKA_PASSWORD
#   /run/secrets/choreo-http/choreo.security.users.<user>.password  the services' HTTP users customer, operator and
#                                                 scraper (files named like the properties: configtree import)
#   /run/secrets/choreo-scraper/scraper-password  a copy of the scraper's password, the only file Prometheus sees
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

# Kafka: the super users, then one SCRAM user per service principal (the directories compose mounts)
if [ -d "${root}"/choreo-kafka-admin ]; then
  generate "${root}"/choreo-kafka-admin/admin-password && echo "generated Kafka's admin password" || true
  generate "${root}"/choreo-kafka-admin/controller-password && echo "generated Kafka's controller password" || true
fi
for dir in "${root}"/choreo-kafka-*/; do
  [ -d "${dir}" ] || continue
  principal=$(basename "${dir}")
  principal=${principal#choreo-kafka-}
  [ "${principal}" = admin ] && continue
  generate "${dir}KAFKA_PASSWORD" && echo "generated the Kafka password of ${principal}" || true
done

# HTTP users of every service (Spring Security, local users); Prometheus gets a copy of the scraper's only
if [ -d "${root}"/choreo-http ]; then
  for user in customer operator scraper; do
    generate "${root}/choreo-http/choreo.security.users.${user}.password" \
      && echo "generated the HTTP password of ${user}" || true
  done
fi
if [ -d "${root}"/choreo-scraper ] && [ -s "${root}"/choreo-http/choreo.security.users.scraper.password ]; then
  if ! cmp -s "${root}"/choreo-http/choreo.security.users.scraper.password "${root}"/choreo-scraper/scraper-password; then
    cp "${root}"/choreo-http/choreo.security.users.scraper.password "${root}"/choreo-scraper/scraper-password.tmp
    chmod 0444 "${root}"/choreo-scraper/scraper-password.tmp
    mv "${root}"/choreo-scraper/scraper-password.tmp "${root}"/choreo-scraper/scraper-password
    echo "copied the scraper's HTTP password for Prometheus"
  fi
fi
