package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.observability.Repo.SpringService;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile compose builds every service with: a Maven build stage through the wrapper that builds every
 * service module and fetches the agent version this module tests with, then a pinned JRE runtime stage that runs
 * the selected module's exec jar with the agent.
 */
class DockerfileTest {

    private final String dockerfile = Repo.read(Repo.DOCKERFILE);

    @Test
    void buildsWithTheWrapperInAJdkStageAndRunsOnAPinnedJre() {
        assertThat(dockerfile).containsPattern("(?m)^ARG JDK_IMAGE=eclipse-temurin:\\d+\\.\\d+\\.\\d+_\\d+-jdk")
                .containsPattern("(?m)^ARG JRE_IMAGE=eclipse-temurin:\\d+\\.\\d+\\.\\d+_\\d+-jre")
                .containsPattern("(?m)^FROM \\$\\{JDK_IMAGE} AS build$")
                .containsPattern("(?m)^FROM \\$\\{JRE_IMAGE}$")
                .contains("./mvnw -B -q -DskipTests package");
        // the Java feature release of the images is the build's
        String javaVersion = match("<java.version>(\\d+)</java.version>", Repo.read(Repo.ROOT.resolve("pom.xml")));
        assertThat(match("(?m)^ARG JRE_IMAGE=eclipse-temurin:(\\d+)\\.", dockerfile)).isEqualTo(javaVersion);
    }

    @Test
    void buildsEveryServiceModuleAndCopiesTheSelectedOnesExecJar() {
        List<String> built = List.of(match("-pl ([a-z,-]+) -am", dockerfile).split(","));
        assertThat(built).containsExactlyInAnyOrderElementsOf(
                Repo.springServices().stream().map(SpringService::module).toList());
        assertThat(dockerfile).contains("COPY --from=build /src/${MODULE}/target/${MODULE}-exec.jar /app/app.jar");
    }

    @Test
    void fetchesTheAgentVersionThisModuleTestsWithAndAttachesIt() {
        String tested = System.getProperty("opentelemetry-javaagent.version");
        assertThat(tested).as("system property from observability/pom.xml").isNotBlank();
        assertThat(match("(?m)^ARG OTEL_AGENT_VERSION=(\\S+)$", dockerfile)).isEqualTo(tested);
        assertThat(dockerfile)
                .contains("-Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:${OTEL_AGENT_VERSION}")
                .contains("-javaagent:/opt/otel/opentelemetry-javaagent.jar")
                .contains("COPY observability/otel/agent.properties /opt/otel/agent.properties")
                .contains("OTEL_JAVAAGENT_CONFIGURATION_FILE=/opt/otel/agent.properties");
        assertThat(Repo.AGENT_PROPERTIES).isRegularFile();
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndLocalState() {
        assertThat(Repo.read(Repo.DOCKERIGNORE).lines().map(String::trim).toList())
                .contains("**/target/", ".git", ".local-run/");
    }

    private static String match(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("/%s/ in the text", regex).isTrue();
        return matcher.group(1);
    }
}
