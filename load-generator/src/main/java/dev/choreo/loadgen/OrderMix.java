package dev.choreo.loadgen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The share of each {@link Scenario} in the load, e.g. {@code completed=85,declined=5,soldout=5,unshippable=5}.
 * Order {@code n} gets its scenario from a fixed, shuffled cycle of the weights: every window of one cycle has
 * exactly the asked proportions, interleaved, and two runs place the same sequence.
 */
final class OrderMix {

    static final String DEFAULT = "completed=85,declined=5,soldout=5,unshippable=5";

    private final Map<Scenario, Integer> weights;
    private final Scenario[] cycle;

    private OrderMix(Map<Scenario, Integer> weights) {
        this.weights = weights;
        int gcd = weights.values().stream().filter(w -> w > 0).reduce(0, OrderMix::gcd);
        List<Scenario> slots = new ArrayList<>();
        weights.forEach((scenario, weight) -> {
            for (int i = 0; i < weight / gcd; i++) {
                slots.add(scenario);
            }
        });
        Collections.shuffle(slots, new Random(42));
        this.cycle = slots.toArray(Scenario[]::new);
    }

    static OrderMix parse(String spec) {
        Map<Scenario, Integer> weights = new EnumMap<>(Scenario.class);
        for (String part : spec.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] kv = trimmed.split("[=:]", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--mix takes outcome=weight pairs, e.g. " + DEFAULT + "; not '" + part + "'");
            }
            int weight;
            try {
                weight = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix weight of " + kv[0] + " must be a whole number");
            }
            if (weight < 0) {
                throw new IllegalArgumentException("--mix weights must not be negative");
            }
            weights.merge(Scenario.byLabel(kv[0].trim()), weight, Integer::sum);
        }
        weights.values().removeIf(w -> w == 0);
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("--mix needs at least one outcome with a positive weight");
        }
        return new OrderMix(weights);
    }

    Scenario scenarioOf(long orderNumber) {
        return cycle[(int) (orderNumber % cycle.length)];
    }

    boolean includes(Scenario scenario) {
        return weights.containsKey(scenario);
    }

    /** Share of {@code scenario}, 0..1. */
    double share(Scenario scenario) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        return weights.getOrDefault(scenario, 0) / (double) total;
    }

    @Override
    public String toString() {
        return weights.entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
