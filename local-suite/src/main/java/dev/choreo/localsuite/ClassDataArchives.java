package dev.choreo.localsuite;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts services from Spring Boot's CDS layout: the executable jar extracted ({@code -Djarmode=tools extract})
 * and an AppCDS archive recorded by a training run ({@code -XX:ArchiveClassesAtExit} with
 * {@code -Dspring.context.exit=onRefresh}). Six JVMs starting on two cores spend most of their time loading and
 * verifying classes; with the archive a service needs about half the CPU to start (see BENCHMARKS.md).
 *
 * <p>The extracted jar and the archives live in {@code <module>/target/cds/}, are rebuilt when the jar is newer,
 * and are keyed by the JVM options (an archive only maps into a JVM with the same GC and heap layout). The
 * training run needs no broker and no database server: local profile, throwaway H2, topic creation off. If
 * anything goes wrong the service starts from its executable jar as before, so this only ever saves time.
 */
public final class ClassDataArchives {

    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(180);

    private final RepoLayout repo;
    private final Console console;
    private final ConcurrentHashMap<Path, Object> locks = new ConcurrentHashMap<>();

    public ClassDataArchives(RepoLayout repo, Console console) {
        this.repo = repo;
        this.console = console;
    }

    /** Prepares every service's archive in parallel (the first run after a build pays about one start each). */
    public void prepare(Collection<ChoreoService> services, List<String> jvmOptions) {
        services.parallelStream().forEach(service -> command(service, jvmOptions));
    }

    /**
     * The command that starts {@code service} with these JVM options: from the extracted jar with its archive,
     * or from the executable jar when the archive cannot be made.
     */
    public JavaCommand command(ChoreoService service, List<String> jvmOptions) {
        Path execJar = repo.execJar(service);
        Path dir = execJar.resolveSibling("cds");
        Path archive = dir.resolve(service.moduleName() + "-" + optionsKey(jvmOptions) + ".jsa");
        synchronized (locks.computeIfAbsent(archive, key -> new Object())) {
            try {
                Path extractedJar = extract(service, execJar, dir);
                if (!isNewer(archive, extractedJar)) {
                    train(service, extractedJar, archive, jvmOptions);
                }
                List<String> options = new ArrayList<>(jvmOptions);
                options.add("-XX:SharedArchiveFile=" + archive);
                return JavaCommand.jar(extractedJar).withJvmOptions(options);
            } catch (IOException | RuntimeException e) {
                console.info(service.moduleName() + ": no class-data archive (" + e.getMessage()
                        + "); starting from the executable jar");
                return JavaCommand.jar(execJar).withJvmOptions(jvmOptions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return JavaCommand.jar(execJar).withJvmOptions(jvmOptions);
            }
        }
    }

    private Path extract(ChoreoService service, Path execJar, Path dir) throws IOException, InterruptedException {
        Path extractedJar = dir.resolve("app").resolve(execJar.getFileName());
        if (isNewer(extractedJar, execJar)) {
            return extractedJar;
        }
        Path fresh = Files.createDirectories(dir).resolve("app-" + ProcessHandle.current().pid());
        Directories.deleteRecursively(fresh);
        Path log = dir.resolve("extract.log");
        run(service, "extract", List.of(javaBinary(), "-Djarmode=tools", "-jar", execJar.toString(), "extract",
                "--destination", fresh.toString()), log);
        Files.delete(log);
        // an extracted jar dated like its source: a rebuilt jar is always newer, an unchanged one never
        Files.setLastModifiedTime(fresh.resolve(execJar.getFileName()), Files.getLastModifiedTime(execJar));
        Directories.deleteRecursively(dir.resolve("app"));
        moveAtomically(fresh, dir.resolve("app"));
        return extractedJar;
    }

    private void train(ChoreoService service, Path extractedJar, Path archive, List<String> jvmOptions)
            throws IOException, InterruptedException {
        console.serviceStatus(service.moduleName(), "recording its class-data archive (once per build) ...");
        Path scratch = Files.createTempDirectory("choreo-cds-" + service.moduleName());
        Path recording = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
        try {
            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            command.addAll(jvmOptions);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + recording, "-Dspring.context.exit=onRefresh",
                    "-jar", extractedJar.toString(),
                    "--spring.profiles.active=local", "--server.port=0",
                    "--choreo.local.data-dir=" + scratch,
                    "--spring.kafka.bootstrap-servers=127.0.0.1:9", "--spring.kafka.admin.auto-create=false"));
            run(service, "training run", command, archive.resolveSibling(archive.getFileName() + ".log"));
            if (!Files.isRegularFile(recording)) {
                throw new IOException("the training run wrote no archive");
            }
            moveAtomically(recording, archive);
        } finally {
            Files.deleteIfExists(recording);
            Directories.deleteRecursively(scratch);
        }
    }

    private static void run(ChoreoService service, String what, List<String> command, Path log)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(what + " of " + service.moduleName() + " took over " + TRAINING_TIMEOUT
                    + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException(what + " of " + service.moduleName() + " exited with " + process.exitValue()
                    + "; see " + log);
        }
    }

    /** Archives depend on the JVM and its options: one per combination, named by a short hash of them. */
    private static String optionsKey(List<String> jvmOptions) {
        String identity = System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|"
                + String.join(" ", jvmOptions);
        return HexFormat.of().toHexDigits(identity.hashCode());
    }

    private static boolean isNewer(Path file, Path than) throws IOException {
        return Files.isRegularFile(file)
                && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) >= 0;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Another launcher may prepare the same service at the same time: whoever moves last wins, both are whole. */
    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
