package dev.choreo.loadgen;

import dev.choreo.events.notification.NotificationKind;

/** The kinds of order the generator places, each with the end event the choreography must reach for it. */
enum Scenario {

    /** In stock, payment token charged, ships: the happy path, ends with {@code CustomerNotified(ORDER_COMPLETED)}. */
    COMPLETED("completed", NotificationKind.ORDER_COMPLETED, "happy path"),
    /** Token tok_chargeDeclined is declined: stock released, ends with {@code CustomerNotified(ORDER_CANCELLED)}. */
    DECLINED("declined", NotificationKind.ORDER_CANCELLED, "tok_chargeDeclined declined, stock released"),
    /** A product without stock: rejected, ends with {@code CustomerNotified(ORDER_REJECTED)}. */
    SOLD_OUT("soldout", NotificationKind.ORDER_REJECTED, "out of stock, rejected"),
    /** Shipping to AQ fails: refund and release, ends with {@code CustomerNotified(ORDER_CANCELLED)}. */
    UNSHIPPABLE("unshippable", NotificationKind.ORDER_CANCELLED, "ships to AQ: refunded and released");

    private final String label;
    private final NotificationKind expectedEnd;
    private final String description;

    Scenario(String label, NotificationKind expectedEnd, String description) {
        this.label = label;
        this.expectedEnd = expectedEnd;
        this.description = description;
    }

    String label() {
        return label;
    }

    NotificationKind expectedEnd() {
        return expectedEnd;
    }

    String description() {
        return description;
    }

    static Scenario byLabel(String label) {
        for (Scenario scenario : values()) {
            if (scenario.label.equalsIgnoreCase(label) || scenario.name().equalsIgnoreCase(label)) {
                return scenario;
            }
        }
        if (label.equalsIgnoreCase("aq")) {
            return UNSHIPPABLE;
        }
        throw new IllegalArgumentException("Unknown outcome '" + label + "' in --mix; use completed, declined, soldout, unshippable");
    }
}
