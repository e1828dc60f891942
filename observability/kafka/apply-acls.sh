#!/bin/sh
# One-shot init step of docker-compose.yml (container kafka-acls, image apache/kafka): applies the ACLs declared in
# observability/kafka/acls.txt to the broker as the super user admin, after the broker is healthy and before any
# service starts. Adding an ACL that exists is a no-op, so every `docker compose up` runs it again safely. A line
# removed from the file is not removed from the broker: kafka-acls.sh --remove, or docker compose down -v.
#
# One kafka-acls.sh run (one JVM) per principal, operation and pattern type, with every resource of those lines.
# KafkaSecurityTest runs this script with a stub for kafka-acls.sh and applies what it asked for to a real broker.
set -eu
secrets="${SECRETS_ROOT:-/run/secrets}"
acls="${CHOREO_KAFKA_ACLS:-/opt/choreo/kafka/acls.txt}"
kafka_acls="${KAFKA_ACLS_COMMAND:-/opt/kafka/bin/kafka-acls.sh}"
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-kafka:19092}"
client_config="${CHOREO_KAFKA_CLIENT_CONFIG:-/tmp/admin-client.properties}"

if [ ! -s "${secrets}/choreo-kafka-admin/admin-password" ]; then
  echo "apply-acls.sh: missing ${secrets}/choreo-kafka-admin/admin-password" >&2
  exit 1
fi
umask 077
{
  echo "security.protocol=SASL_PLAINTEXT"
  echo "sasl.mechanism=SCRAM-SHA-512"
  echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(cat "${secrets}/choreo-kafka-admin/admin-password")\";"
} > "${client_config}"

# principal operation pattern --topic a --group b ... (one line per run)
awk '
  /^[[:space:]]*(#|$)/ { next }
  NF != 5 { printf "acls.txt line %d: expected 5 columns, got %d: %s\n", NR, NF, $0 > "/dev/stderr"; failed = 1; exit 1 }
  $3 != "topic" && $3 != "group" { printf "acls.txt line %d: resource type %s (topic or group)\n", NR, $3 > "/dev/stderr"; failed = 1; exit 1 }
  {
    key = $1 " " $2 " " $5
    if (!(key in args)) { order[++count] = key; args[key] = "" }
    n = split($4, names, ",")
    for (i = 1; i <= n; i++) args[key] = args[key] " --" $3 " " names[i]
  }
  END { if (!failed) for (i = 1; i <= count; i++) print order[i] args[order[i]] }
' "${acls}" > "${client_config}.runs"

count=0
while read -r principal operation pattern resources; do
  # shellcheck disable=SC2086 # resources: "--topic a --group b", names without spaces
  "${kafka_acls}" --bootstrap-server "${bootstrap}" --command-config "${client_config}" --add \
    --allow-principal "User:${principal}" --operation "${operation}" --resource-pattern-type "${pattern}" \
    ${resources} > /dev/null
  count=$((count + 1))
  echo "applied: User:${principal} ${operation} (${pattern}) ${resources}"
done < "${client_config}.runs"
rm -f "${client_config}.runs"
echo "applied ${count} ACL groups from ${acls}"
