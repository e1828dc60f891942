package dev.choreo.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.choreo.events.EventJson;
import tools.jackson.databind.JsonNode;

/**
 * The {@code POST /orders} bodies of each {@link Scenario}. The SKUs come from inventory's live catalogue: the
 * in-stock products with the most units for the orders that must get through, a product with no stock for the
 * sold-out ones. Quantity 1 per order, so the stock lasts as long as possible.
 */
final class OrderRequests {

    /** The payment-service sandbox's tokens (no card number ever enters the suite). */
    static final String CHARGED_TOKEN = "tok_visa";
    static final String DECLINED_TOKEN = "tok_chargeDeclined";
    static final String UNSHIPPABLE_COUNTRY = "AQ";

    private final List<String> inStockSkus;
    private final String soldOutSku;
    private final long availableUnits;

    OrderRequests(List<String> inStockSkus, String soldOutSku, long availableUnits) {
        if (inStockSkus.isEmpty()) {
            throw new IllegalStateException("The catalogue has no product in stock: no order could complete");
        }
        this.inStockSkus = List.copyOf(inStockSkus);
        this.soldOutSku = soldOutSku;
        this.availableUnits = availableUnits;
    }

    /**
     * Reads {@code GET /products}, retrying while inventory-service is not answering yet.
     *
     * @param soldOutSku the product to order for {@link Scenario#SOLD_OUT}; {@code null}: any product with no stock
     */
    static OrderRequests fromCatalogue(HttpClient http, URI inventoryUrl, String soldOutSku, Duration patience)
            throws InterruptedException {
        URI products = inventoryUrl.resolve("/products");
        long deadline = System.nanoTime() + patience.toNanos();
        String lastProblem;
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(products).timeout(Duration.ofSeconds(5))
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return fromProductsJson(response.body(), soldOutSku);
                }
                lastProblem = "HTTP " + response.statusCode();
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Cannot read the catalogue at " + products + ": " + lastProblem);
            }
            Thread.sleep(500);
        }
    }

    static OrderRequests fromProductsJson(String json, String soldOutSku) {
        JsonNode root = EventJson.mapper().readTree(json);
        record Product(String sku, long available) {
        }
        List<Product> products = new ArrayList<>();
        for (JsonNode node : root) {
            products.add(new Product(node.get("sku").asString(), node.get("available").asLong()));
        }
        // products with a handful of units (the demo's SKU-DOCK) would run out at once: need a real stock
        List<Product> stocked = products.stream().filter(p -> p.available() >= 100)
                .sorted(Comparator.comparingLong(Product::available).reversed()).toList();
        String soldOut = soldOutSku != null ? soldOutSku
                : products.stream().filter(p -> p.available() == 0).map(Product::sku).findFirst().orElse(null);
        return new OrderRequests(stocked.stream().map(Product::sku).toList(), soldOut,
                stocked.stream().mapToLong(Product::available).sum());
    }

    /** Units available over the SKUs used for orders that must get through. */
    long availableUnits() {
        return availableUnits;
    }

    List<String> inStockSkus() {
        return inStockSkus;
    }

    String soldOutSku() {
        return soldOutSku;
    }

    /** The JSON body of order number {@code n}. */
    String body(Scenario scenario, long n) {
        String sku = switch (scenario) {
            case SOLD_OUT -> requireSoldOutSku();
            default -> inStockSkus.get((int) (n % inStockSkus.size()));
        };
        String token = scenario == Scenario.DECLINED ? DECLINED_TOKEN : CHARGED_TOKEN;
        String country = scenario == Scenario.UNSHIPPABLE ? UNSHIPPABLE_COUNTRY : "FI";
        return "{\"customerId\":\"load-c-" + (n % 10_000) + "\","
                + "\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}],"
                + "\"paymentToken\":\"" + token + "\","
                + "\"shippingAddress\":{\"name\":\"Load Tester " + (n % 100) + "\",\"street\":\"1 Benchmark Road\","
                + "\"city\":\"Helsinki\",\"postalCode\":\"00100\",\"country\":\"" + country + "\"}}";
    }

    private String requireSoldOutSku() {
        if (soldOutSku == null) {
            throw new IllegalStateException("No product without stock in the catalogue for the sold-out orders;"
                    + " name one with --soldout-sku or drop soldout from --mix");
        }
        return soldOutSku;
    }

    /** The order id in a {@code 201} body ({@code {"orderId":"ord-...",...}}), without parsing the whole order. */
    static String orderIdOf(String body) {
        int key = body.indexOf("\"orderId\"");
        if (key < 0) {
            return null;
        }
        int open = body.indexOf('"', body.indexOf(':', key) + 1);
        int close = open < 0 ? -1 : body.indexOf('"', open + 1);
        return close < 0 ? null : body.substring(open + 1, close);
    }
}
