package dev.choreo.localsuite;

import java.time.Duration;
import java.util.OptionalLong;

/** One child process of the launcher (a JVM, or the database server) that the {@link Supervisor} watches and the control interface acts on. */
public interface Supervised {

    String name();

    /** Launches it and returns once it is ready (healthy, or serving requests for the broker). */
    void start();

    /** Stops it: gracefully for a JVM (SIGTERM, then SIGKILL after a grace period); see each factory below. */
    void stop();

    /** SIGKILL; returns once the process is gone. */
    void kill();

    boolean isAlive();

    OptionalLong pid();

    /** How it ended, for the message that says it died, e.g. {@code exit code 137}. */
    String exitDescription();

    /** Where it serves, e.g. {@code http://127.0.0.1:8083} or {@code 127.0.0.1:9092}. */
    String address();

    static Supervised service(ServiceProcess process, Duration startupTimeout, Duration stopGrace) {
        return new Supervised() {
            @Override
            public String name() {
                return process.name();
            }

            @Override
            public void start() {
                process.start();
                try {
                    process.awaitHealthy(startupTimeout);
                } catch (RuntimeException e) {
                    process.kill();
                    throw e;
                }
            }

            @Override
            public void stop() {
                process.stop(stopGrace);
            }

            @Override
            public void kill() {
                process.kill();
            }

            @Override
            public boolean isAlive() {
                return process.isAlive();
            }

            @Override
            public OptionalLong pid() {
                return process.pid();
            }

            @Override
            public String exitDescription() {
                OptionalLong code = process.exitCode();
                return code.isPresent() ? "exit code " + code.getAsLong() : "not started";
            }

            @Override
            public String address() {
                return process.baseUrl();
            }
        };
    }

    /** The broker or the database server; what {@code stop} means is the server's (see {@link LocalServer}). */
    static Supervised server(String name, LocalServer server) {
        return new Supervised() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {
                server.start();
            }

            @Override
            public void stop() {
                server.stop();
            }

            @Override
            public void kill() {
                server.kill();
            }

            @Override
            public boolean isAlive() {
                return server.isRunning();
            }

            @Override
            public OptionalLong pid() {
                return server.pid();
            }

            @Override
            public String exitDescription() {
                OptionalLong code = server.exitCode();
                return code.isPresent() ? "exit code " + code.getAsLong() : "not started";
            }

            @Override
            public String address() {
                return server.address();
            }
        };
    }
}
