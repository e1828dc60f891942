#!/usr/bin/env bash
# The choreo benchmark, one command: builds if needed, starts the suite (the launcher's real KRaft broker + one JVM
# per service with its embedded H2 database, on free loopback ports), warms it up, measures it at a fixed rate and
# as fast as it goes, measures the ceiling (a bare five-relay chain of plain Kafka clients on the same broker),
# prints the table with the ratios and the targets, and stops everything. Bounded in time (BENCH_TIMEOUT).
#
#   ./benchmark.sh                      the full benchmark, ~9 minutes: 60 s warm-up, 60 s at 100 orders/s,
#                                       60 s as fast as the suite takes orders, then the ceiling
#   ./benchmark.sh --quick              a short run (~4 minutes): 20 s warm-up, 20 s phases, 10 s ceiling runs
#   ./benchmark.sh --rate 500 ...       any option of the generator's `bench` command (see --help)
#   ./benchmark.sh --help               those options
#
# Environment:
#   BENCH_JVM_OPTS   JVM options of every service (default: the launcher's, as ./run-local.sh runs them:
#                    -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1; BENCHMARKS.md compares others)
#   BENCH_SERVICE_ARGS  extra Spring Boot arguments for every service, e.g. "--logging.level.root=WARN"
#   BENCH_STACK_ARGS more options of the generator's `stack` command, e.g. "--no-tracing-collector" or
#                    "--args-payment-service --choreo.payment.gateway.latency=5ms"
#   BENCH_TIMEOUT    seconds the whole run may take, build excluded (default 1500)
#   BENCH_OUT        where results go (default load-generator/target/bench-results/<time>)
# Results: <BENCH_OUT>/bench.txt (the table), bench.json (for machines), stack.log; service logs in
# load-generator/target/bench-run/logs. Exit status: the generator's (0: every order ended as expected).
set -euo pipefail

cd "$(dirname "$0")"
root="$(pwd)"

java_cmd="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_cmd="$JAVA_HOME/bin/java"
fi
if ! command -v "$java_cmd" >/dev/null 2>&1; then
  echo "benchmark.sh needs a JDK 17 or newer: no 'java' on the PATH and no JAVA_HOME" >&2
  exit 1
fi

jar="load-generator/target/load-generator-exec.jar"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
  if [[ -f "$jar" ]]; then
    echo
    "$java_cmd" -jar "$jar" --help
  fi
  exit 0
fi

quick=()
bench_args=()
for arg in "$@"; do
  if [[ "$arg" == "--quick" ]]; then
    quick=(--warmup 20s --duration 20s --max-duration 20s --ceiling-warmup 10s --ceiling-duration 10s
           --ceiling-rate-duration 10s)
  else
    bench_args+=("$arg")
  fi
done

jvm_opts="${BENCH_JVM_OPTS:-}"
timeout_s="${BENCH_TIMEOUT:-1500}"
out="${BENCH_OUT:-load-generator/target/bench-results/$(date +%Y%m%d-%H%M%S)}"
run_dir="load-generator/target/bench-run"

# Build when a jar is missing or a pom or source is newer than the oldest jar (as run-local.sh does).
artifacts=("$jar" local-suite/target/local-suite.jar)
for service in order-service inventory-service payment-service shipping-service notification-service tracing-collector; do
  artifacts+=("$service/target/$service-exec.jar")
done
up_to_date() {
  local oldest="" artifact
  for artifact in "${artifacts[@]}"; do
    [[ -f "$artifact" ]] || return 1
    if [[ -z "$oldest" || "$artifact" -ot "$oldest" ]]; then
      oldest="$artifact"
    fi
  done
  [[ -z "$(find . \( -name .git -o -name .local-run -o -name target -o -name node_modules \) -prune \
      -o \( -name pom.xml -o -path '*/src/*' \) -type f -newer "$oldest" -print -quit)" ]]
}
if ! up_to_date; then
  echo "Building choreo: ./mvnw -q -B -DskipTests package ..."
  ./mvnw -q -B -DskipTests package
  touch "${artifacts[@]}" # Maven leaves an unchanged jar's date alone: without this, every run would rebuild
fi

mkdir -p "$out"
started=$(date +%s)
stack_pid=""
stop_stack() {
  if [[ -n "$stack_pid" ]] && kill -0 "$stack_pid" 2>/dev/null; then
    echo "Stopping the suite ..."
    kill -TERM "$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$stack_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$stack_pid" 2>/dev/null || true
    wait "$stack_pid" 2>/dev/null || true
  fi
  stack_pid=""
  # the broker's data of a load test is gigabytes: keep the logs, drop the data
  rm -rf "$run_dir/kafka" "$run_dir/data"
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

echo "Machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM, $("$java_cmd" -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Services' JVM options: ${jvm_opts:-the launcher defaults (as run-local.sh)}"
echo "Starting the suite (broker + services; logs in $run_dir/logs) ..."
stack_cmd=("$java_cmd" -Xmx1g -Dchoreo.repo.dir="$root" -jar "$jar" stack --run-dir "$run_dir" --free-ports
           --stack-file "$out/stack.properties")
if [[ -n "$jvm_opts" ]]; then
  stack_cmd+=(--jvm-opts "$jvm_opts")
fi
if [[ -n "${BENCH_SERVICE_ARGS:-}" ]]; then
  stack_cmd+=(--service-args "$BENCH_SERVICE_ARGS")
fi
if [[ -n "${BENCH_STACK_ARGS:-}" ]]; then
  read -r -a extra_stack_args <<<"$BENCH_STACK_ARGS"
  stack_cmd+=("${extra_stack_args[@]}")
fi
"${stack_cmd[@]}" >"$out/stack.log" 2>&1 &
stack_pid=$!

while ! grep -q "STACK READY" "$out/stack.log" 2>/dev/null; do
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "The suite did not start:" >&2
    tail -n 40 "$out/stack.log" >&2
    exit 3
  fi
  if (( $(date +%s) - started > timeout_s / 3 )); then
    echo "The suite was not ready within $((timeout_s / 3)) s:" >&2
    tail -n 40 "$out/stack.log" >&2
    exit 3
  fi
  sleep 1
done
grep -E "UP in|STACK READY" "$out/stack.log"

remaining=$(( timeout_s - ($(date +%s) - started) ))
status=0
timeout --foreground --signal=TERM --kill-after=30 "$remaining" \
  "$java_cmd" -Xms256m -Xmx1g -jar "$jar" bench --stack "$out/stack.properties" --json-out "$out/bench.json" \
  ${quick[@]+"${quick[@]}"} ${bench_args[@]+"${bench_args[@]}"} | tee "$out/bench.txt" || status=${PIPESTATUS[0]}
if [[ $status -eq 124 ]]; then
  echo "The benchmark did not finish within BENCH_TIMEOUT=${timeout_s} s" >&2
fi
echo "Results: $out/bench.txt, $out/bench.json"
exit "$status"
