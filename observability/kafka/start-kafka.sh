#!/bin/sh
# Entrypoint of the kafka container of docker-compose.yml (image apache/kafka): renders the broker's configuration
# from observability/kafka/server.properties and the generated passwords, formats the storage on the first start with
# a SCRAM-SHA-512 user per principal, and starts the broker. Uses only the image's bin/ scripts, not its env-to-
# properties templating (the passwords must not be in the compose file).
#
#   $SECRETS/choreo-kafka-admin/admin-password       super user admin (tools, the ACL init step, the healthcheck)
#   $SECRETS/choreo-kafka-admin/controller-password  super user controller (SASL PLAIN on the controller listener)
#   $SECRETS/choreo-kafka-<principal>/KAFKA_PASSWORD one SCRAM user per service principal (its own volume)
#
# Also writes $CLIENT_CONFIG: admin's client settings, for the healthcheck and for kafka-*.sh tools run inside the
# container (--command-config). KafkaSecurityTest runs this script with stubs for the two bin/ scripts.
set -eu
secrets="${SECRETS_ROOT:-/run/secrets}"
kafka_home="${KAFKA_HOME:-/opt/kafka}"
template="${CHOREO_KAFKA_TEMPLATE:-/opt/choreo/kafka/server.properties}"
config="${CHOREO_KAFKA_CONFIG:-/opt/kafka/config/choreo-server.properties}"
client_config="${CHOREO_KAFKA_CLIENT_CONFIG:-/opt/kafka/config/admin-client.properties}"
: "${CLUSTER_ID:?CLUSTER_ID must be set (a Kafka Uuid)}"

read_secret() {
  if [ ! -s "$1" ]; then
    echo "start-kafka.sh: missing secret $1 (did the secrets container run?)" >&2
    exit 1
  fi
  cat "$1"
}

admin_password=$(read_secret "${secrets}/choreo-kafka-admin/admin-password")
controller_password=$(read_secret "${secrets}/choreo-kafka-admin/controller-password")

umask 077
{
  cat "${template}"
  echo
  echo "# added by start-kafka.sh"
  echo "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"controller\" password=\"${controller_password}\" user_controller=\"${controller_password}\";"
  echo "listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"${admin_password}\";"
  echo "listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
} > "${config}"
{
  echo "security.protocol=SASL_PLAINTEXT"
  echo "sasl.mechanism=SCRAM-SHA-512"
  echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"${admin_password}\";"
} > "${client_config}"

# One SCRAM user per principal; formatting happens once (--ignore-formatted keeps an existing log as it is, so a
# principal added later needs kafka-configs.sh --alter --entity-type users, or docker compose down -v).
set -- --add-scram "SCRAM-SHA-512=[name=admin,password=${admin_password}]"
for dir in "${secrets}"/choreo-kafka-*/; do
  principal=$(basename "${dir}")
  principal=${principal#choreo-kafka-}
  if [ "${principal}" = admin ]; then
    continue
  fi
  password=$(read_secret "${dir}KAFKA_PASSWORD")
  set -- "$@" --add-scram "SCRAM-SHA-512=[name=${principal},password=${password}]"
done
"${kafka_home}/bin/kafka-storage.sh" format --ignore-formatted --cluster-id "${CLUSTER_ID}" --config "${config}" "$@"

exec "${kafka_home}/bin/kafka-server-start.sh" "${config}"
