package dev.choreo.localsuite;

import java.lang.instrument.Instrumentation;
import java.util.Optional;

/**
 * Makes a child JVM die with the launcher that started it: a daemon thread watches the parent process (the pid in
 * {@code -Dchoreo.parent-pid}) and halts this JVM as soon as the parent is gone, however it went (Ctrl-C, SIGKILL,
 * a crash). A SIGKILLed launcher runs no shutdown hook, so this is what keeps a killed launcher from leaving
 * orphaned brokers and services behind.
 *
 * <p>The broker's main ({@link KafkaBrokerMain}) calls {@link #startFromSystemProperty()}; a service jar is not
 * ours to change, so {@link ServiceProcess} loads this class as a Java agent ({@link ParentWatchAgent} writes the
 * one-class agent jar). JDK classes only, no lambdas capturing other classes of ours: the agent jar holds this
 * class alone.
 */
public final class ParentWatch {

    public static final String PARENT_PID_PROPERTY = "choreo.parent-pid";
    /** Exit status of a JVM halted because its launcher is gone (128 + SIGHUP, like a shell's children). */
    static final int ORPHANED_EXIT_CODE = 129;
    private static final long POLL_MILLIS = 250;

    private ParentWatch() {
    }

    /** Java agent entry point: {@code -javaagent:<agent jar>} together with {@code -Dchoreo.parent-pid=<pid>}. */
    public static void premain(String agentArgs, Instrumentation instrumentation) {
        startFromSystemProperty();
    }

    public static void premain(String agentArgs) {
        startFromSystemProperty();
    }

    /** Starts watching the pid in {@code -Dchoreo.parent-pid}; does nothing without it. */
    public static void startFromSystemProperty() {
        String pid = System.getProperty(PARENT_PID_PROPERTY);
        if (pid != null && !pid.isBlank()) {
            watch(Long.parseLong(pid.trim()));
        }
    }

    /** Halts this JVM once process {@code parentPid} has ended (at once if it already has). */
    public static void watch(long parentPid) {
        // the handle remembers the process's start time, so a recycled pid does not count as our parent
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            orphaned(parentPid);
        }
        ProcessHandle handle = parent.get();
        Thread watcher = new Thread(() -> {
            while (handle.isAlive()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            orphaned(parentPid);
        }, "choreo-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void orphaned(long parentPid) {
        System.err.println("choreo: launcher (pid " + parentPid + ") is gone; stopping this JVM");
        System.err.flush();
        // halt, not exit: a graceful shutdown could wait forever on a broker or database that died with the launcher
        Runtime.getRuntime().halt(ORPHANED_EXIT_CODE);
    }
}
