package dev.choreo.localsuite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** Where things are in the repository checkout: the service jars the build produces, the local run directory. */
public record RepoLayout(Path root) {

    /** Set by {@code run-local.sh}; otherwise the nearest directory upwards that holds this module. */
    public static final String ROOT_PROPERTY = "choreo.repo.dir";

    public RepoLayout {
        root = root.toAbsolutePath().normalize();
    }

    public static RepoLayout locate() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null) {
            return new RepoLayout(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("local-suite/pom.xml"))) {
                return new RepoLayout(dir);
            }
        }
        throw new IllegalStateException("Cannot find the choreo repository above " + Path.of("").toAbsolutePath()
                + "; run from inside it or pass -D" + ROOT_PROPERTY + "=<dir>");
    }

    /** The runnable Spring Boot jar: the root pom names it {@code <module>/target/<module>-exec.jar}. */
    public Path execJar(ChoreoService service) {
        return root.resolve(service.moduleName()).resolve("target").resolve(service.moduleName() + "-exec.jar");
    }

    /** Fails with the list of jars that are not built yet and the command that builds them. */
    public void requireBuilt(Collection<ChoreoService> services) {
        List<Path> missing = services.stream().map(this::execJar).filter(jar -> !Files.isRegularFile(jar)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Service jars not built yet: " + missing
                    + System.lineSeparator() + "Build them with: ./mvnw -B -DskipTests package  (in " + root + ")");
        }
    }

    /** Kafka data, service databases and logs of {@code run-local.sh}; ignored by git. */
    public Path localRunDir() {
        return root.resolve(".local-run");
    }
}
