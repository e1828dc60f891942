#!/usr/bin/env bash
# Runs the whole choreo suite on this machine, no Docker: a real Kafka broker (KRaft) on 127.0.0.1:9092 and every
# service in its own JVM with an embedded database. A JDK 17+ is the only prerequisite. Ctrl-C stops everything.
#
#   ./run-local.sh              build if sources changed, then start (fresh Kafka data and databases)
#   ./run-local.sh --rebuild    build even if the jars look up to date
#   ./run-local.sh --help       all options (--postgres, --keep-data, --verbose, --quiet, --no-<service>, ...)
#   ./run-local.sh ctl health   how the running suite is (ready, lag, stuck processes); ctl status, ctl kill-9|stop|start|restart|pause|resume <name>,
#                               ctl scale <service> <count> (see local-suite/README.md)
#
# A broker or service that dies is restarted with the same command line (--no-supervise turns that off).
set -euo pipefail

cd "$(dirname "$0")"
root="$(pwd)"

java_cmd="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_cmd="$JAVA_HOME/bin/java"
fi
if ! command -v "$java_cmd" >/dev/null 2>&1; then
  echo "run-local.sh needs a JDK 17 or newer: no 'java' on the PATH and no JAVA_HOME" >&2
  exit 1
fi
java_version="$("$java_cmd" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
if [[ -z "$java_version" || "${java_version%%.*}" -lt 17 ]]; then
  echo "run-local.sh needs a JDK 17 or newer; $java_cmd is version ${java_version:-unknown}" >&2
  exit 1
fi

if [[ "${1:-}" == "ctl" ]]; then
  shift
  if [[ ! -f local-suite/target/local-suite.jar ]]; then
    echo "run-local.sh ctl: local-suite is not built; start the suite with ./run-local.sh first" >&2
    exit 1
  fi
  exec "$java_cmd" -Xmx32m -XX:TieredStopAtLevel=1 -Dchoreo.repo.dir="$root" \
    -cp local-suite/target/local-suite.jar dev.choreo.localsuite.Ctl "$@"
fi

rebuild=false
# supervision is on unless the user's --no-supervise (which comes later, so it wins) turns it off
suite_args=(--supervise)
for arg in "$@"; do
  if [[ "$arg" == "--rebuild" ]]; then
    rebuild=true
  else
    suite_args+=("$arg")
  fi
done

artifacts=(local-suite/target/local-suite.jar)
for service in order-service inventory-service payment-service shipping-service notification-service tracing-collector; do
  artifacts+=("$service/target/$service-exec.jar")
done

# Up to date when every artifact exists and no pom or source file is newer than the last build by this script.
# (The artifacts' own ages say nothing: Maven leaves a jar or classpath.txt untouched when its content did not
# change, which made every start rebuild and re-record the class-data archives.)
build_stamp=local-suite/target/run-local.built
up_to_date() {
  local artifact
  [[ -f "$build_stamp" && -f local-suite/target/classpath.txt ]] || return 1
  for artifact in "${artifacts[@]}"; do
    [[ -f "$artifact" ]] || return 1
  done
  [[ -z "$(find . \( -name .git -o -name .local-run -o -name target -o -name node_modules \) -prune \
      -o \( -name pom.xml -o -path '*/src/*' \) -type f -newer "$build_stamp" -print -quit)" ]]
}

if [[ "$rebuild" == true ]] || ! up_to_date; then
  echo "Building choreo: ./mvnw -q -B -DskipTests package (a few minutes the first time) ..."
  started_build="$(mktemp)"
  ./mvnw -q -B -DskipTests package
  # stamped with the time the build began, so a file saved during the build counts as newer next time
  mv "$started_build" "$build_stamp"
fi

# The launcher JVM only supervises: the broker and every service run in JVMs of their own.
exec "$java_cmd" -Xmx128m -XX:+UseSerialGC -Dchoreo.repo.dir="$root" \
  -cp "local-suite/target/local-suite.jar:$(cat local-suite/target/classpath.txt)" \
  dev.choreo.localsuite.LocalSuite ${suite_args[@]+"${suite_args[@]}"}
