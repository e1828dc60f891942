# syntax=docker/dockerfile:1
#
# One image per service of the suite, selected by a build argument:
#
#   docker build --build-arg MODULE=order-service -t choreo/order-service .
#
# docker-compose.yml builds all six this way. The build stage does not depend on MODULE, so BuildKit builds the
# reactor once and reuses that stage for every image; the runtime stage only copies the selected jar.

# Pinned base images (the JDK builds, the JRE runs; same Java feature release as the build's <java.version>).
ARG JDK_IMAGE=eclipse-temurin:17.0.15_6-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy

# ---------------------------------------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
# Keep in step with observability/pom.xml (<opentelemetry-javaagent.version>): a test checks that they agree.
ARG OTEL_AGENT_VERSION=2.33.1
WORKDIR /src

# The whole reactor (.dockerignore leaves out target/, .git and local run data). Resolving plugins and
# dependencies is the slow part: the cache mount keeps the local Maven repository between builds.
COPY . .

# Every service jar (<module>/target/<module>-exec.jar) plus what they depend on in the reactor; tests run in CI,
# not in image builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests package \
      -pl order-service,inventory-service,payment-service,shipping-service,notification-service,tracing-collector -am

# The OpenTelemetry Java agent from Maven Central, through the same wrapper (-N: only the root project, once).
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -N dependency:copy \
      -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:${OTEL_AGENT_VERSION} \
      -DoutputDirectory=/otel -Dmdep.stripVersion=true

# ---------------------------------------------------------------------------------------------------------------
FROM ${JRE_IMAGE}
ARG MODULE
RUN test -n "${MODULE}" || { echo "Build with --build-arg MODULE=<service module>, e.g. order-service" >&2; exit 1; }

# curl for the compose healthchecks (GET /actuator/health/readiness)
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system choreo \
    && useradd --system --gid choreo --home-dir /app --no-create-home choreo

WORKDIR /app
COPY --from=build /otel/opentelemetry-javaagent.jar /opt/otel/opentelemetry-javaagent.jar
COPY observability/otel/agent.properties /opt/otel/agent.properties
COPY --from=build /src/${MODULE}/target/${MODULE}-exec.jar /app/app.jar
USER choreo

# The agent is always attached; OTEL_JAVAAGENT_ENABLED=false switches it off without rebuilding.
# Shared agent settings live in agent.properties; environment variables (OTEL_*) override them.
ENV OTEL_SERVICE_NAME=${MODULE} \
    OTEL_JAVAAGENT_CONFIGURATION_FILE=/opt/otel/agent.properties \
    OTEL_JAVAAGENT_ENABLED=true \
    JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"

ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -javaagent:/opt/otel/opentelemetry-javaagent.jar -jar /app/app.jar \"$@\"", "--"]
