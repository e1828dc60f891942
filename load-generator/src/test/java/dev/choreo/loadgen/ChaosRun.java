package dev.choreo.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** One chaos run against a {@link SupervisedSuite}, its output both kept (for assertions) and shown (surefire report). */
final class ChaosRun {

    final Chaos chaos;
    final ChaosChecks.Report report;
    final String output;

    private ChaosRun(Chaos chaos, ChaosChecks.Report report, String output) {
        this.chaos = chaos;
        this.report = report;
        this.output = output;
    }

    static ChaosRun of(String... args) throws InterruptedException {
        Chaos.Plan plan = Chaos.plan(Args.parse(List.of(args), Set.of()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Chaos chaos = new Chaos(plan, new PrintStream(new Tee(bytes, System.out), true, StandardCharsets.UTF_8));
        ChaosChecks.Report report = chaos.run();
        return new ChaosRun(chaos, report, bytes.toString(StandardCharsets.UTF_8));
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
