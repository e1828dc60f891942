package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a person sees of the services' output by default: their warnings and errors, whole, and nothing else. */
class ConsoleTest {

    private static final List<String> SERVICE_OUTPUT = List.of(
            "  .   ____          _            __ _ _",
            "2026-12-06T06:10:30.543Z  INFO 23491 --- [order-service] [main] o.s.b.StartupInfoLogger : Starting",
            "2026-12-06T06:10:30.544Z  WARN 23491 --- [order-service] [main] o.s.b.Foo : disk almost full",
            "2026-12-06T06:10:30.545Z  INFO 23491 --- [order-service] [main] o.s.b.Bar : Started in 9 s",
            "2026-12-06T06:10:31.001Z ERROR 23491 --- [order-service] [main] o.s.b.Baz : handler failed",
            "java.lang.IllegalStateException: boom",
            "\tat dev.choreo.order.Thing.run(Thing.java:42)",
            "2026-12-06T06:10:31.002Z DEBUG 23491 --- [order-service] [main] o.s.b.Qux : detail",
            "\tan indented line after a debug line");

    @Test
    void byDefaultShowsWarningsAndErrorsWithTheirStackTracesOnly() {
        List<String> shown = shown(Console.ServiceOutput.PROBLEMS);

        assertThat(shown).hasSize(4);
        assertThat(shown.get(0)).startsWith("order-service").endsWith("disk almost full");
        assertThat(shown.get(1)).endsWith("handler failed");
        assertThat(shown.get(2)).endsWith("java.lang.IllegalStateException: boom");
        assertThat(shown.get(3)).endsWith("at dev.choreo.order.Thing.run(Thing.java:42)");
    }

    @Test
    void verboseShowsEverythingAndQuietNothing() {
        assertThat(shown(Console.ServiceOutput.ALL)).hasSize(SERVICE_OUTPUT.size());
        assertThat(shown(Console.ServiceOutput.NONE)).isEmpty();
    }

    @Test
    void theLaunchersOwnLinesAreAlwaysShown() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, Console.ServiceOutput.NONE);
        console.serviceStatus("payment-service", "UP in 7.9 s");
        console.error("payment-service died unexpectedly");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2);
    }

    private static List<String> shown(Console.ServiceOutput mode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, mode);
        SERVICE_OUTPUT.forEach(line -> console.serviceOutput("order-service", line));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
