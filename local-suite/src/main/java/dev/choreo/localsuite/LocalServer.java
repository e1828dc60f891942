package dev.choreo.localsuite;

import java.util.OptionalLong;

/** A server the launcher runs in a process of its own and supervises: the Kafka broker, the PostgreSQL server. */
public interface LocalServer {

    /** Launches it and returns once it serves; does nothing if it is running. */
    void start();

    /** Stops it (what that means is the server's own: see each one). */
    void stop();

    /** SIGKILL; returns once the process is gone. */
    void kill();

    boolean isRunning();

    OptionalLong pid();

    /** How its last process ended; empty while it runs or before it ever ran. */
    OptionalLong exitCode();

    /** Where clients reach it, e.g. {@code 127.0.0.1:9092}. */
    String address();
}
