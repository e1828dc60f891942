package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against a copy of the real shipping-service jar in a scratch repository, so target/cds stays untouched. */
class ClassDataArchivesTest {

    private static final ChoreoService SERVICE = ChoreoService.SHIPPING;

    @TempDir
    Path root;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private RepoLayout scratchRepo;
    private ClassDataArchives archives;

    @BeforeEach
    void setUp() {
        scratchRepo = new RepoLayout(root);
        archives = new ClassDataArchives(scratchRepo, new Console(new PrintStream(output, true), false, Console.ServiceOutput.NONE));
    }

    @Test
    void startsTheServiceFromItsExtractedJarWithAnArchiveThatTheJvmMaps() throws Exception {
        copyBuiltJar();

        JavaCommand command = archives.command(SERVICE, ChoreoService.DEFAULT_JVM_OPTIONS);

        Path archive = archiveOf(command);
        assertThat(archive).isRegularFile().isNotEmptyFile();
        assertThat(command.target()).containsExactly("-jar",
                scratchRepo.execJar(SERVICE).resolveSibling("cds/app/" + SERVICE.moduleName() + "-exec.jar").toString());
        assertThat(output.toString()).contains("recording its class-data archive");

        // -Xshare:on makes the JVM fail instead of silently ignoring an archive it cannot use
        List<String> options = new ArrayList<>(command.jvmOptions());
        options.addAll(List.of("-Xshare:on", "-Dspring.context.exit=onRefresh"));
        List<String> line = command.withJvmOptions(options).withArgs(List.of("--spring.profiles.active=local",
                "--server.port=0", "--choreo.local.data-dir=" + root.resolve("data"),
                "--spring.kafka.admin.auto-create=false")).commandLine();
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(root.resolve("run.log").toFile()).start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the service started and stopped").isTrue();
            assertThat(process.exitValue()).as(Files.readString(root.resolve("run.log"))).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void recordsOncePerBuildAndOptions() throws Exception {
        copyBuiltJar();
        Path first = archiveOf(archives.command(SERVICE, ChoreoService.DEFAULT_JVM_OPTIONS));
        FileTime recorded = Files.getLastModifiedTime(first);

        Path again = archiveOf(archives.command(SERVICE, ChoreoService.DEFAULT_JVM_OPTIONS));
        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(again)).isEqualTo(recorded);

        List<String> otherOptions = List.of("-Xmx200m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        Path other = archiveOf(archives.command(SERVICE, otherOptions));
        assertThat(other).isNotEqualTo(first).isRegularFile();
    }

    @Test
    void startsFromTheExecutableJarWhenNoArchiveCanBeMade() throws IOException {
        Path notABootJar = scratchRepo.execJar(SERVICE);
        Files.createDirectories(notABootJar.getParent());
        Files.writeString(notABootJar, "not a jar");

        JavaCommand command = archives.command(SERVICE, ChoreoService.DEFAULT_JVM_OPTIONS);

        assertThat(command.target()).containsExactly("-jar", notABootJar.toString());
        assertThat(command.jvmOptions()).isEqualTo(ChoreoService.DEFAULT_JVM_OPTIONS);
        assertThat(output.toString()).contains("no class-data archive");
    }

    private void copyBuiltJar() throws IOException {
        Path built = RepoLayout.locate().execJar(SERVICE);
        assertThat(built).as("build the services first: ./mvnw -DskipTests package").isRegularFile();
        Files.createDirectories(scratchRepo.execJar(SERVICE).getParent());
        Files.copy(built, scratchRepo.execJar(SERVICE));
    }

    private static Path archiveOf(JavaCommand command) {
        return command.jvmOptions().stream()
                .filter(option -> option.startsWith("-XX:SharedArchiveFile="))
                .map(option -> Path.of(option.substring("-XX:SharedArchiveFile=".length())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no archive in " + command.jvmOptions()));
    }
}
