package dev.choreo.observability;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * External programs the tests run (docker-compose, prometheus, promtool, psql). In CI (env CI=true, set by
 * .ci/run's environment or the CI system) a missing tool fails the test; on a developer machine it skips it.
 */
final class Tools {

    private Tools() {
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static Optional<Path> find(String program, String... extraLocations) {
        for (String location : extraLocations) {
            Path candidate = Path.of(location);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The program, or: fail in CI, skip elsewhere. */
    static Path require(String program, String installHint, String... extraLocations) {
        Optional<Path> found = find(program, extraLocations);
        if (found.isPresent()) {
            return found.get();
        }
        return unavailable(program + " is not installed (" + installHint + ")");
    }

    /** Fails in CI, where everything the tests need is installed by .ci/run; skips the test elsewhere. */
    static <T> T unavailable(String why) {
        if (inCi()) {
            return fail(why + "; CI must provide it");
        }
        abort(why + "; skipped outside CI (CI=true makes this a failure)");
        return null;
    }
}
