package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void readsValuesFlagsDurationsAndPrefixedOptions() {
        Args args = Args.parse(List.of("--rate", "1000", "--duration=90s", "--max", "--warmup", "500ms",
                "--args-payment-service", "--choreo.payment.gateway.latency=5ms", "--no-tracing-collector"), Set.of("max"));

        assertThat(args.decimal("rate", 1)).isEqualTo(1000);
        assertThat(args.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(args.duration("warmup", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(args.flag("max")).isTrue();
        assertThat(args.withPrefix("args-")).containsEntry("payment-service", "--choreo.payment.gateway.latency=5ms");
        assertThat(args.negated()).containsExactly("tracing-collector");
        args.requireAllRead();
    }

    @Test
    void refusesUnknownOptionsAndBadValues() {
        Args args = Args.parse(List.of("--rtae", "5"), Set.of());
        assertThatThrownBy(args::requireAllRead).hasMessageContaining("--rtae");
        assertThatThrownBy(() -> Args.parseDuration("duration", "soon")).hasMessageContaining("duration");
        assertThat(Args.parseDuration("d", "2m")).isEqualTo(Duration.ofMinutes(2));
    }
}
