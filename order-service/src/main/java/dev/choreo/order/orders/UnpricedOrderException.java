package dev.choreo.order.orders;

import java.util.List;

/** The order cannot be priced from the catalogue (unknown SKUs, mixed currencies, a total too large); nothing was written. */
public class UnpricedOrderException extends RuntimeException {

    /**
     * @param field where in the request, e.g. {@code items[1].sku}
     * @param message why, for the client
     */
    public record Problem(String field, String message) {
    }

    private final List<Problem> problems;

    UnpricedOrderException(List<Problem> problems) {
        super("the order cannot be priced: " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
