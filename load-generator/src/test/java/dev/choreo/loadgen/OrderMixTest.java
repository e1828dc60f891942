package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OrderMixTest {

    @Test
    void everyCycleHasExactlyTheAskedProportionsInterleaved() {
        OrderMix mix = OrderMix.parse(OrderMix.DEFAULT);
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        for (long n = 0; n < 2_000; n++) {
            counts.merge(mix.scenarioOf(n), 1, Integer::sum);
        }
        assertThat(counts).containsEntry(Scenario.COMPLETED, 1_700).containsEntry(Scenario.DECLINED, 100)
                .containsEntry(Scenario.SOLD_OUT, 100).containsEntry(Scenario.UNSHIPPABLE, 100);
        // interleaved: the failures are not bunched at the end of the cycle
        assertThat(java.util.stream.LongStream.range(0, 20).mapToObj(mix::scenarioOf)).contains(Scenario.COMPLETED)
                .anyMatch(s -> s != Scenario.COMPLETED);
    }

    @Test
    void readsLabelsAndAliasesAndDropsZeroWeights() {
        OrderMix mix = OrderMix.parse("completed=1, aq=1, soldout=0");
        assertThat(mix.includes(Scenario.UNSHIPPABLE)).isTrue();
        assertThat(mix.includes(Scenario.SOLD_OUT)).isFalse();
        assertThat(mix.share(Scenario.COMPLETED)).isEqualTo(0.5);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> OrderMix.parse("lost=5")).hasMessageContaining("Unknown outcome");
        assertThatThrownBy(() -> OrderMix.parse("completed=0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> OrderMix.parse("completed")).hasMessageContaining("outcome=weight");
    }
}
