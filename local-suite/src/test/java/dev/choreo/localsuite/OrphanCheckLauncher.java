package dev.choreo.localsuite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A launcher for {@link LauncherDeathTest}, run in its own JVM: the broker, two stand-in services and (where
 * installed) the PostgreSQL server started exactly as {@link LocalSuite} starts them ({@link KafkaBroker},
 * {@link ServiceProcess}, {@link PostgresServer}), then it waits to be killed. Prints {@code READY} once everything
 * is up.
 */
public final class OrphanCheckLauncher {

    private OrphanCheckLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path runDir = Path.of(args[0]);
        Console console = new Console(System.out, false, Console.ServiceOutput.NONE);
        KafkaBroker broker = new KafkaBroker(runDir.resolve("kafka"), 0).logTo(runDir.resolve("logs/kafka.log"));
        broker.start();
        if (PostgresServer.installed()) {
            new PostgresServer(PostgresServer.clusterDirFor(runDir), 0, runDir.resolve("logs/postgres.log")).start();
        }
        SuiteLauncher services = new SuiteLauncher(console, Duration.ofSeconds(60), Duration.ofSeconds(5));
        for (String name : List.of("order-service", "payment-service")) {
            int port = FreePorts.pick();
            services.add(new ServiceProcess(name, port, StandIns.command().withArgs(List.of("--server.port=" + port)),
                    runDir, console));
        }
        services.startAll();
        System.out.println("READY");
        Thread.currentThread().join();
    }
}
