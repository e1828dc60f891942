package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.RepoLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load generator's smoke run in CI: the real suite (broker + service JVMs, H2, free ports, as the bench stack
 * runs it), a few seconds of orders at a low rate with every outcome of the mix, and a short ceiling run. Asserts
 * that every order ended with the outcome its scenario expects. Performance is measured by benchmark.sh, never here.
 */
class LoadGeneratorSmokeTest {

    private static BenchStack stack;

    @BeforeAll
    static void startSuite() {
        // the collector reads every topic but decides no outcome: left out to keep CI quick
        EnumSet<ChoreoService> services = EnumSet.allOf(ChoreoService.class);
        services.remove(ChoreoService.TRACING_COLLECTOR);
        BenchStack.Options options = BenchStack.Options.defaults(Path.of("target/smoke-run"))
                .withServices(services)
                .withFreePorts(true);
        stack = BenchStack.start(options, RepoLayout.locate(), System.out);
    }

    @AfterAll
    static void stopSuite() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyOrderOfTheMixEndsWithItsExpectedOutcome() throws Exception {
        OrderMix mix = OrderMix.parse("completed=7,declined=1,soldout=1,unshippable=1");
        LoadGenerator.Phase phase = new LoadGenerator.Phase("smoke", 20, Duration.ofSeconds(5), 0, Duration.ofSeconds(60));
        Benchmark.Plan plan = new Benchmark.Plan(mix, List.of(phase), null, 64, 1_000, null, Duration.ofSeconds(120),
                5, 2, Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(2), 1_000, false, false,
                Duration.ofSeconds(60));

        Benchmark.Results results = new Benchmark(stack.info(), plan, System.out).run();
        Report report = new Report(results);
        System.out.println(report.table());

        PhaseStats smoke = results.phase("smoke");
        assertThat(smoke.accepted.sum()).isEqualTo(100);
        assertThat(smoke.errors()).isEmpty();
        assertThat(smoke.notEnded()).as("orders that never reached an end event: %s", smoke.notEndedSample()).isZero();
        assertThat(smoke.unexpected()).as("orders that ended otherwise than expected").isEmpty();
        for (Scenario scenario : Scenario.values()) {
            assertThat(smoke.endedAs(scenario)).as(scenario.label()).isEqualTo(smoke.placed(scenario)).isPositive();
        }
        assertThat(results.allOrdersEndedAsExpected()).isTrue();
        assertThat(smoke.endToEnd().count()).isEqualTo(100);

        // memory was sampled from every service JVM
        assertThat(results.usage().get("smoke").processes()).containsKeys("order-service", "notification-service");
        // the ceiling ran on the same broker with records sized like a real OrderPlaced
        assertThat(results.recordSizes().templateBytes()).isGreaterThan(200);
        assertThat(results.ceiling()).extracting(RelayChain.Result::name).contains(Benchmark.CEILING_MAX, "ceiling at 20/s");
        assertThat(results.ceiling()).allSatisfy(run -> assertThat(run.received()).isEqualTo(run.sent()).isPositive());

        Map<String, Object> json = report.json();
        assertThat(json).containsKeys("phases", "ceiling", "ratios", "recordSizes", "allOrdersEndedAsExpected");
        assertThat(json.get("allOrdersEndedAsExpected")).isEqualTo(true);
    }
}
