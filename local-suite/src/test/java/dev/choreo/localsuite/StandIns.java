package dev.choreo.localsuite;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Launches {@link StandInService} as a "service" in its own small JVM. */
public final class StandIns {

    private StandIns() {
    }

    public static JavaCommand command() {
        return JavaCommand.mainClass(testClasses(), StandInService.class.getName())
                .withJvmOptions(List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }

    private static String testClasses() {
        try {
            return Path.of(StandInService.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
