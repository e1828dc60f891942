package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The fault schedule drawn from the seed: what the chaos command will inject, and when. */
class ChaosScheduleTest {

    private static final Map<String, Chaos.Unit> SUITE_ON_POSTGRES = units("postgres", "kafka", "order-service",
            "inventory-service", "payment-service", "shipping-service", "notification-service", "tracing-collector");

    @Test
    void oneRoundSpreadEvenlyHoldsEachFaultOnce() {
        List<Chaos.Fault> faults = schedule("--duration", "2m");

        assertThat(faults).extracting(Chaos.Fault::kind).containsOnly("kill", "kill-kafka", "pause", "scale", "db-outage");
        assertThat(faults).filteredOn(f -> f.kind().equals("kill")).extracting(Chaos.Fault::target)
                .containsExactlyInAnyOrder("order-service", "inventory-service", "payment-service", "shipping-service",
                        "notification-service", "tracing-collector");
        assertThat(faults).filteredOn(f -> f.kind().equals("db-outage")).singleElement()
                .extracting(Chaos.Fault::target).isEqualTo("postgres");
        assertThat(faults).hasSize(10);
        assertThat(faults.get(0).atSeconds()).isEqualTo(120.0 / 11, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void theLongRunRepeatsRoundsOneFaultPerInterval() {
        List<Chaos.Fault> faults = schedule("--duration", "10m", "--fault-every", "20s");

        assertThat(faults).hasSize(29);
        assertThat(faults).extracting(Chaos.Fault::atSeconds).startsWith(20.0, 40.0, 60.0).endsWith(580.0);
        assertThat(faults).filteredOn(f -> f.kind().equals("db-outage")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(faults).filteredOn(f -> f.kind().equals("pause")).extracting(Chaos.Fault::target)
                .allMatch(target -> Set.of("inventory-service", "payment-service", "shipping-service",
                        "notification-service").contains(target));
    }

    @Test
    void aSeedGivesTheSameScheduleAgainAndNoDatabaseOutageOnH2() {
        assertThat(schedule("--duration", "2m")).isEqualTo(schedule("--duration", "2m"));

        Map<String, Chaos.Unit> onH2 = new LinkedHashMap<>(SUITE_ON_POSTGRES);
        onH2.remove("postgres");
        assertThat(chaos("--duration", "2m").schedule(onH2)).extracting(Chaos.Fault::kind).doesNotContain("db-outage");
    }

    @Test
    void refusesFaultsItDoesNotKnow() {
        assertThatThrownBy(() -> chaos("--faults", "pause-order-service"))
                .hasMessageContaining("Unknown fault 'pause-order-service'");
        assertThat(Chaos.targetOf("pause-payment-service")).hasValue("payment-service");
        assertThat(Chaos.targetOf("kill-tracing-collector")).hasValue("tracing-collector");
    }

    private static List<Chaos.Fault> schedule(String... args) {
        return chaos(args).schedule(SUITE_ON_POSTGRES);
    }

    private static Chaos chaos(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--seed", "5", "--control-port", "1"));
        all.addAll(List.of(args));
        return new Chaos(Chaos.plan(Args.parse(all, Set.of())), new PrintStream(OutputStream.nullOutputStream()));
    }

    private static Map<String, Chaos.Unit> units(String... names) {
        Map<String, Chaos.Unit> units = new LinkedHashMap<>();
        for (String name : names) {
            units.put(name, new Chaos.Unit(name, "UP", 1, "http://127.0.0.1:1"));
        }
        return units;
    }
}
