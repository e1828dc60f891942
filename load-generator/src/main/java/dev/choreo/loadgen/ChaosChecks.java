package dev.choreo.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.choreo.localsuite.ChoreoService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;

/**
 * What a chaos run must leave behind, checked from the services' own records (their REST APIs), the collector and
 * the dead-letter topics once the suite has settled:
 * <ul>
 * <li>every accepted order reached the end its scenario expects (none lost, none stuck, none ended otherwise);</li>
 * <li>no effect twice: one notification per order, no event twice in an order's history, and each service's record
 *     of the order in the state the outcome needs (charged/declined/refunded, reserved-then-shipped/released/
 *     rejected, shipped/failed);</li>
 * <li>stock conserved for every product used ({@code available + reserved + shipped = stocked}), nothing left
 *     reserved, and exactly one unit out of stock per shipment that shipping-service made (a unit shipped twice,
 *     or shipped without a shipment, shows here);</li>
 * <li>no record dead-lettered during the run;</li>
 * <li>the collector shows no STUCK or FAILED process, and flagged each stall while it lasted (watched by
 *     {@link Chaos} during each pause).</li>
 * </ul>
 */
final class ChaosChecks {

    record Stock(long available, long reserved, long shipped, long stocked) {
    }

    record Check(String name, String detail, List<String> violations) {
    }

    record Report(long orders, double settleSeconds, List<Check> checks, Map<String, Long> affected) {

        long violations() {
            return checks.stream().mapToLong(c -> c.violations().size()).sum();
        }
    }

    private static final Set<String> FINAL = Set.of("COMPLETED", "CANCELLED", "REJECTED");

    private final HttpClient http;
    private final Map<String, String> addresses;

    ChaosChecks(HttpClient http, Map<String, String> addresses) {
        this.http = http;
        this.addresses = addresses;
    }

    Map<String, Stock> stock(List<String> skus) {
        Map<String, Stock> stock = new LinkedHashMap<>();
        for (String sku : skus) {
            JsonNode product = json(url(ChoreoService.INVENTORY, "/products/" + sku))
                    .orElseThrow(() -> new IllegalStateException("No product " + sku + " in the catalogue"));
            stock.put(sku, new Stock(product.get("available").asLong(), product.get("reserved").asLong(),
                    product.get("shipped").asLong(), product.get("stocked").asLong()));
        }
        return stock;
    }

    /** Records in every {@code *.DLT} topic, summed per topic (end offsets; 0 if the broker cannot be asked). */
    Map<String, Long> deadLetters() {
        Map<String, Long> counts = new LinkedHashMap<>();
        String bootstrap = addresses.get("kafka");
        if (bootstrap == null) {
            return counts;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> dlts = admin.listTopics().names().get().stream().filter(t -> t.endsWith(".DLT"))
                    .collect(Collectors.toSet());
            if (dlts.isEmpty()) {
                return counts;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(dlts).allTopicNames().get().forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            admin.listOffsets(latest).all().get().forEach((tp, info) -> counts.merge(tp.topic(), info.offset(), Long::sum));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the dead-letter topics on " + bootstrap + ": " + e.getMessage(), e);
        }
        return counts;
    }

    Report verify(List<Chaos.Placed> orders, Map<String, Stock> stockBefore, Map<String, Long> deadLettersBefore,
                  Duration settleTimeout, List<Chaos.Fault> faults, long startEpochMillis, Check stallsFlagged)
            throws InterruptedException {
        long settleStart = System.nanoTime();
        Map<String, JsonNode> finalOrders = awaitSettled(orders, settleTimeout);
        double settleSeconds = (System.nanoTime() - settleStart) / 1e9;

        List<String> notEnded = new ArrayList<>();
        List<String> wrongEnd = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        List<String> notifications = new ArrayList<>();
        List<String> effects = new ArrayList<>();
        Map<String, Long> shippedPerSku = new HashMap<>();
        Map<String, Long> endMillis = new HashMap<>();
        for (Chaos.Placed order : orders) {
            JsonNode view = finalOrders.get(order.orderId());
            String status = view == null ? "UNKNOWN" : view.get("status").asString();
            if (status(ChoreoService.SHIPPING, "/shipments/" + order.orderId()).equals("SHIPPED")) {
                shippedPerSku.merge(order.sku(), 1L, Long::sum);
            }
            if (!FINAL.contains(status)) {
                notEnded.add(order.orderId() + " (" + order.scenario().label() + ") is " + status);
                continue;
            }
            String expected = expectedStatus(order.scenario());
            if (!status.equals(expected)) {
                wrongEnd.add(order.orderId() + " (" + order.scenario().label() + ") ended " + status + ", expected " + expected);
            }
            Set<String> ids = new HashSet<>();
            Map<String, Integer> types = new HashMap<>();
            long last = 0;
            for (JsonNode entry : view.get("history")) {
                if (!ids.add(entry.get("eventId").asString())) {
                    duplicates.add(order.orderId() + ": event " + entry.get("eventId").asString() + " recorded twice");
                }
                types.merge(entry.get("eventType").asString(), 1, Integer::sum);
                last = Math.max(last, Instant.parse(entry.get("occurredAt").asString()).toEpochMilli());
            }
            endMillis.put(order.orderId(), last);
            types.forEach((type, count) -> {
                if (count > 1) {
                    duplicates.add(order.orderId() + ": " + type + " " + count + " times");
                }
            });
            List<String> kinds = new ArrayList<>();
            json(url(ChoreoService.NOTIFICATION, "/notifications?orderId=" + order.orderId()))
                    .ifPresent(list -> list.forEach(n -> kinds.add(n.get("kind").asString())));
            if (kinds.size() != 1 || !kinds.get(0).equals(order.scenario().expectedEnd().name())) {
                notifications.add(order.orderId() + " (" + order.scenario().label() + "): notified " + kinds);
            }
            effects.addAll(effectViolations(order));
        }

        List<Check> checks = new ArrayList<>();
        checks.add(new Check("every accepted order ended", orders.size() + " orders", notEnded));
        checks.add(new Check("each ended as its scenario expects", "", wrongEnd));
        checks.add(new Check("no event twice in an order's history", "", duplicates));
        checks.add(new Check("exactly one notification, of the right kind", "", notifications));
        checks.add(new Check("payment, reservation, shipment as expected", "", effects));
        checks.add(stockCheck(stockBefore, shippedPerSku));
        checks.add(deadLetterCheck(deadLettersBefore));
        checks.add(collectorCheck());
        checks.add(stallsFlagged);
        return new Report(orders.size(), settleSeconds, checks, affected(orders, endMillis, faults, startEpochMillis));
    }

    private Map<String, JsonNode> awaitSettled(List<Chaos.Placed> orders, Duration timeout) throws InterruptedException {
        Map<String, JsonNode> views = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Chaos.Placed> open = new ArrayList<>(orders);
        while (true) {
            List<Chaos.Placed> stillOpen = new ArrayList<>();
            for (Chaos.Placed order : open) {
                Optional<JsonNode> view = json(url(ChoreoService.ORDER, "/orders/" + order.orderId()));
                view.ifPresent(v -> views.put(order.orderId(), v));
                if (view.isEmpty() || !FINAL.contains(view.get().get("status").asString())) {
                    stillOpen.add(order);
                }
            }
            open = stillOpen;
            if (open.isEmpty() || System.nanoTime() > deadline) {
                return views;
            }
            Thread.sleep(1_000);
        }
    }

    private static String expectedStatus(Scenario scenario) {
        return switch (scenario) {
            case COMPLETED -> "COMPLETED";
            case SOLD_OUT -> "REJECTED";
            case DECLINED, UNSHIPPABLE -> "CANCELLED";
        };
    }

    /** Each service's own record of the order, in the state the outcome needs. */
    private List<String> effectViolations(Chaos.Placed order) {
        List<String> violations = new ArrayList<>();
        String payment = status(ChoreoService.PAYMENT, "/payments/" + order.orderId());
        String reservation = status(ChoreoService.INVENTORY, "/reservations/" + order.orderId());
        String shipment = status(ChoreoService.SHIPPING, "/shipments/" + order.orderId());
        switch (order.scenario()) {
            case COMPLETED -> {
                expect(violations, order, "payment", payment, Set.of("CHARGED"));
                expect(violations, order, "reservation", reservation, Set.of("SHIPPED"));
                expect(violations, order, "shipment", shipment, Set.of("SHIPPED"));
            }
            case UNSHIPPABLE -> {
                expect(violations, order, "payment", payment, Set.of("REFUNDED"));
                expect(violations, order, "reservation", reservation, Set.of("RELEASED"));
                expect(violations, order, "shipment", shipment, Set.of("FAILED"));
            }
            case DECLINED -> {
                expect(violations, order, "payment", payment, Set.of("DECLINED"));
                expect(violations, order, "reservation", reservation, Set.of("RELEASED"));
                forbid(violations, order, "shipment", shipment, Set.of("SHIPPED", "FAILED"));
            }
            case SOLD_OUT -> {
                forbid(violations, order, "payment", payment, Set.of("CHARGING", "CHARGED", "REFUNDING", "REFUNDED", "DECLINED"));
                expect(violations, order, "reservation", reservation, Set.of("REJECTED"));
                forbid(violations, order, "shipment", shipment, Set.of("SHIPPED", "FAILED"));
            }
        }
        return violations;
    }

    private static void expect(List<String> violations, Chaos.Placed order, String what, String status, Set<String> allowed) {
        if (!allowed.contains(status)) {
            violations.add(order.orderId() + " (" + order.scenario().label() + "): " + what + " " + status + ", expected " + allowed);
        }
    }

    private static void forbid(List<String> violations, Chaos.Placed order, String what, String status, Set<String> forbidden) {
        if (forbidden.contains(status)) {
            violations.add(order.orderId() + " (" + order.scenario().label() + "): " + what + " " + status);
        }
    }

    private Check stockCheck(Map<String, Stock> before, Map<String, Long> shipmentsPerSku) {
        List<String> violations = new ArrayList<>();
        Map<String, Stock> after = stock(List.copyOf(before.keySet()));
        after.forEach((sku, now) -> {
            Stock was = before.get(sku);
            if (now.available() + now.reserved() + now.shipped() != now.stocked()) {
                violations.add(sku + ": available " + now.available() + " + reserved " + now.reserved() + " + shipped "
                        + now.shipped() + " != stocked " + now.stocked());
            }
            if (now.reserved() != was.reserved()) {
                violations.add(sku + ": reserved " + was.reserved() + " before, " + now.reserved() + " after settling");
            }
            long shipped = now.shipped() - was.shipped();
            long shipments = shipmentsPerSku.getOrDefault(sku, 0L);
            if (shipped != shipments) {
                violations.add(sku + ": " + shipped + " unit(s) left the stock for " + shipments + " shipment(s)");
            }
        });
        return new Check("stock conserved, one unit per shipment",
                after.size() + " products", violations);
    }

    private Check deadLetterCheck(Map<String, Long> before) {
        List<String> violations = new ArrayList<>();
        deadLetters().forEach((topic, count) -> {
            long added = count - before.getOrDefault(topic, 0L);
            if (added > 0) {
                violations.add(topic + ": " + added + " record(s) dead-lettered during the run");
            }
        });
        return new Check("nothing dead-lettered", "", violations);
    }

    private Check collectorCheck() {
        if (!addresses.containsKey(ChoreoService.TRACING_COLLECTOR.moduleName())) {
            return new Check("collector: no STUCK or FAILED process", "collector not running: not checked", List.of());
        }
        List<String> violations = new ArrayList<>();
        for (String status : List.of("STUCK", "FAILED")) {
            Optional<JsonNode> list = json(url(ChoreoService.TRACING_COLLECTOR, "/processes?status=" + status));
            if (list.isEmpty()) {
                violations.add("GET /processes?status=" + status + " did not answer");
                continue;
            }
            JsonNode items = list.get().isArray() ? list.get() : list.get().path("processes");
            items.forEach(p -> violations.add(status + " " + p.path("correlationId").asString()));
        }
        return new Check("collector: no STUCK or FAILED process", "", violations);
    }

    /** Orders in flight while a fault lasted: placed before it was repaired, ended after it began. */
    private static Map<String, Long> affected(List<Chaos.Placed> orders, Map<String, Long> endMillis,
                                              List<Chaos.Fault> faults, long startEpochMillis) {
        Map<String, Long> affected = new LinkedHashMap<>();
        for (Chaos.Fault fault : faults) {
            long from = startEpochMillis + Math.round(fault.atSeconds() * 1000);
            long to = from + Math.round(fault.recoverySeconds() * 1000);
            long count = orders.stream().filter(o -> o.placedAtMillis() <= to
                    && endMillis.getOrDefault(o.orderId(), Long.MAX_VALUE) >= from).count();
            affected.put(fault.kind() + " " + fault.target(), count);
        }
        return affected;
    }

    private String status(ChoreoService service, String path) {
        return json(url(service, path)).map(node -> node.path("status").asString()).orElse("NONE");
    }

    private String url(ChoreoService service, String path) {
        String base = addresses.get(service.moduleName());
        if (base == null) {
            throw new IllegalStateException("The suite runs no " + service.moduleName());
        }
        return base + path;
    }

    private Optional<JsonNode> json(String url) {
        return get(http, url).map(Chaos::readJson);
    }

    /** The body of a 200 answer; empty for anything else (404, down). */
    static Optional<String> get(HttpClient http, String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
