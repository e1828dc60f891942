package dev.choreo.localsuite.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.e2e.SuiteHttp.Response;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The whole suite end to end: a real KRaft broker, every service in its own JVM on its own PostgreSQL database,
 * orders placed over HTTP, outcomes read back from every service's own API. One suite serves every test here
 * (starting it is the expensive part); the broker outage runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderProcessEndToEndTest {

    private static final String CHARGED = "tok_visa";
    private static final String DECLINED = "tok_chargeDeclined";
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

    private static RunningSuite suite;
    private static SuiteHttp http;
    private static final Map<String, Integer> stockedAtStart = new TreeMap<>();

    @BeforeAll
    static void startSuite() {
        suite = RunningSuite.start();
        http = new SuiteHttp(suite);
        for (JsonNode product : http.get(ChoreoService.INVENTORY, "/products").body()) {
            String sku = product.get("sku").asString();
            stockedAtStart.put(sku, stock(sku).get("stocked").asInt());
        }
        // order-service prices from its replica of the catalogue: wait until it has one
        await().atMost(PROCESS_TIMEOUT).ignoreExceptions()
                .until(() -> http.placeOrder("SKU-KEYBOARD", 1, CHARGED, "FI") != null);
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void aPlacedOrderCompletesAndEveryServiceRecordsItsPart() {
        int availableBefore = stock("SKU-MOUSE").get("available").asInt();
        Response placed = http.post(ChoreoService.ORDER, "/orders", """
                {"customerId": "c-42", "items": [{"sku": "SKU-MOUSE", "quantity": 2}],
                 "paymentToken": "tok_visa",
                 "shippingAddress": {"name": "Ada Lovelace", "street": "Main St 1", "city": "Helsinki",
                                     "postalCode": "00100", "country": "FI"}}""");
        assertThat(placed.status()).isEqualTo(201);
        String orderId = placed.body().get("orderId").asString();
        assertThat(placed.body().get("status").asString()).isEqualTo("PLACED");
        assertThat(placed.body().get("correlationId").asString()).isNotBlank();

        awaitStatus(orderId, "COMPLETED");

        JsonNode order = http.get(ChoreoService.ORDER, "/orders/" + orderId).body();
        assertThat(order.get("history").toString())
                .contains("InventoryUpdated", "OrderPayed", "OrderShipped", "CustomerNotified");
        assertThat(http.get(ChoreoService.INVENTORY, "/reservations/" + orderId).body().get("status").asString())
                .isEqualTo("SHIPPED");
        assertThat(stock("SKU-MOUSE").get("available").asInt()).isEqualTo(availableBefore - 2);
        JsonNode payment = http.get(ChoreoService.PAYMENT, "/payments/" + orderId).body();
        assertThat(payment.get("status").asString()).isEqualTo("CHARGED");
        assertThat(payment.get("amount").decimalValue()).isEqualByComparingTo(order.get("total").decimalValue());
        assertThat(payment.get("cardLast4").asString()).isEqualTo("4242");
        JsonNode shipment = http.get(ChoreoService.SHIPPING, "/shipments/" + orderId).body();
        assertThat(shipment.get("status").asString()).isEqualTo("SHIPPED");
        assertThat(shipment.get("trackingNumber").asString()).isNotBlank();
        assertThat(notificationKinds(orderId)).containsExactly("ORDER_COMPLETED");
    }

    @Test
    @Order(2)
    void anOrderForStockThatIsNotThereIsRejectedAndTheCustomerTold() {
        String orderId = http.placeOrder("SKU-SOLDOUT", 1, CHARGED, "FI");

        awaitStatus(orderId, "REJECTED");
        await().atMost(PROCESS_TIMEOUT).until(() -> notificationKinds(orderId).contains("ORDER_REJECTED"));
        assertThat(http.get(ChoreoService.PAYMENT, "/payments/" + orderId).body().path("status").asString())
                .isNotEqualTo("CHARGED");
    }

    @Test
    @Order(3)
    void aDeclinedPaymentReleasesTheStockAndCancelsTheOrder() {
        String orderId = http.placeOrder("SKU-HEADSET", 3, DECLINED, "FI");

        awaitStatus(orderId, "CANCELLED");
        assertThat(http.get(ChoreoService.PAYMENT, "/payments/" + orderId).body().get("status").asString())
                .isEqualTo("DECLINED");
        assertThat(http.get(ChoreoService.INVENTORY, "/reservations/" + orderId).body().get("status").asString())
                .isEqualTo("RELEASED");
        await().atMost(PROCESS_TIMEOUT).until(() -> notificationKinds(orderId).contains("ORDER_CANCELLED"));
    }

    @Test
    @Order(4)
    void anOrderThatCannotBeShippedIsRefundedReleasedAndCancelled() {
        String orderId = http.placeOrder("SKU-WEBCAM", 1, CHARGED, "AQ");

        awaitStatus(orderId, "CANCELLED");
        await().atMost(PROCESS_TIMEOUT).untilAsserted(() -> assertThat(
                http.get(ChoreoService.PAYMENT, "/payments/" + orderId).body().get("status").asString())
                .isEqualTo("REFUNDED"));
        assertThat(http.get(ChoreoService.SHIPPING, "/shipments/" + orderId).body().get("status").asString())
                .isEqualTo("FAILED");
        assertThat(http.get(ChoreoService.INVENTORY, "/reservations/" + orderId).body().get("status").asString())
                .isEqualTo("RELEASED");
        await().atMost(PROCESS_TIMEOUT).until(() -> notificationKinds(orderId).contains("ORDER_CANCELLED"));
    }

    @Test
    @Order(5)
    void aCancelledOrderIsCompensatedFromWhereverItWasAndAFinishedOneCannotBeCancelled() {
        List<String> cancelled = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String orderId = http.placeOrder("SKU-KEYBOARD", 1, CHARGED, "FI");
            Response cancel = http.post(ChoreoService.ORDER, "/orders/" + orderId + "/cancel",
                    "{\"reason\": \"changed my mind\"}");
            // racing the process: accepted while in flight, refused once it shipped
            assertThat(cancel.status()).isIn(202, 409);
            if (cancel.status() == 202) {
                cancelled.add(orderId);
            }
        }
        for (String orderId : cancelled) {
            // a cancellation that lost the race to shipping lets the order complete; nothing ends half-way
            await().atMost(PROCESS_TIMEOUT).until(() -> List.of("CANCELLED", "COMPLETED")
                    .contains(http.orderStatus(orderId)));
            String payment = http.get(ChoreoService.PAYMENT, "/payments/" + orderId).body().path("status").asString();
            String shipment = http.get(ChoreoService.SHIPPING, "/shipments/" + orderId).body().path("status")
                    .asString();
            if (http.orderStatus(orderId).equals("CANCELLED")) {
                assertThat(shipment).as("a cancelled order never ships").isNotEqualTo("SHIPPED");
                assertThat(payment).as("no money kept for a cancelled order").isNotEqualTo("CHARGED");
            } else {
                assertThat(shipment).isEqualTo("SHIPPED");
                assertThat(payment).as("a shipped order is paid").isEqualTo("CHARGED");
            }
        }

        String finished = http.placeOrder("SKU-KEYBOARD", 1, CHARGED, "FI");
        awaitStatus(finished, "COMPLETED");
        Response refused = http.post(ChoreoService.ORDER, "/orders/" + finished + "/cancel", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("detail").asString()).isNotBlank();
    }

    @Test
    @Order(6)
    void stockIsConservedInEveryPath() {
        await().atMost(PROCESS_TIMEOUT).untilAsserted(() -> {
            for (Map.Entry<String, Integer> product : stockedAtStart.entrySet()) {
                JsonNode stock = stock(product.getKey());
                assertThat(stock.get("available").asInt() + stock.get("reserved").asInt()
                        + stock.get("shipped").asInt()).as(product.getKey()).isEqualTo(product.getValue());
                assertThat(stock.get("reserved").asInt()).as("nothing left reserved: " + product.getKey()).isZero();
            }
        });
    }

    @Test
    @Order(7)
    void ordersAcceptedWhileTheBrokerIsDownCompleteWhenItIsBack() {
        suite.broker().stop();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accepted.add(http.placeOrder("SKU-MONITOR", 1, CHARGED, "FI"));
        }
        accepted.forEach(orderId -> assertThat(http.orderStatus(orderId)).isEqualTo("PLACED"));

        suite.broker().start();

        accepted.forEach(orderId -> await().atMost(Duration.ofSeconds(120))
                .until(() -> "COMPLETED".equals(http.orderStatus(orderId))));
    }

    /**
     * Orders in every stage when the broker's JVM is SIGKILLed: batches in the outbox relays' producers not yet
     * acknowledged, consumer batches handled but their offsets not committed. After the restart each order ends
     * once, with one charge, one shipment, one notification, and the stock adds up.
     */
    @Test
    @Order(8)
    void ordersInFlightWhenTheBrokerIsSigkilledEndOnceEach() {
        int stockedBefore = stock("SKU-WEBCAM").get("stocked").asInt();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            accepted.add(http.placeOrder("SKU-WEBCAM", 1, CHARGED, "FI"));
        }

        suite.broker().kill();
        for (int i = 0; i < 4; i++) {
            accepted.add(http.placeOrder("SKU-WEBCAM", 1, CHARGED, "FI"));
        }
        suite.broker().start();

        accepted.forEach(orderId -> await().atMost(Duration.ofSeconds(120))
                .until(() -> "COMPLETED".equals(http.orderStatus(orderId))));
        for (String orderId : accepted) {
            assertThat(notificationKinds(orderId)).as(orderId).containsExactly("ORDER_COMPLETED");
            assertThat(http.get(ChoreoService.PAYMENT, "/payments/" + orderId).body().get("status").asString())
                    .as(orderId).isEqualTo("CHARGED");
            List<String> events = new ArrayList<>();
            http.get(ChoreoService.ORDER, "/orders/" + orderId).body().get("history")
                    .forEach(entry -> events.add(entry.get("eventType").asString()));
            assertThat(events).as(orderId).doesNotHaveDuplicates();
        }
        JsonNode stock = stock("SKU-WEBCAM");
        assertThat(stock.get("stocked").asInt()).isEqualTo(stockedBefore);
        assertThat(stock.get("available").asInt() + stock.get("reserved").asInt() + stock.get("shipped").asInt())
                .isEqualTo(stockedBefore);
        assertThat(stock.get("reserved").asInt()).isZero();
    }

    /**
     * Issue 15, no card number anywhere: after orders charged and declined (and every order of the tests before),
     * nothing that looks like a card number is in any record of any topic (dead-letter topics included), any row
     * of any service's database, or any log file of the run.
     */
    @Test
    @Order(9)
    void noCardNumberIsInAnyTopicDatabaseOrLog() throws Exception {
        String charged = http.placeOrder("SKU-KEYBOARD", 1, CHARGED, "FI");
        String declined = http.placeOrder("SKU-MOUSE", 1, DECLINED, "FI");
        awaitStatus(charged, "COMPLETED");
        awaitStatus(declined, "CANCELLED");

        CardNumberScan scan = new CardNumberScan().topics(suite.bootstrapServers());
        for (ChoreoService service : ChoreoService.values()) {
            try (Connection connection = suite.connect(service)) {
                scan.database(service.moduleName(), connection);
            }
        }
        scan.files(suite.logFile(ChoreoService.ORDER).getParent());

        assertThat(scan.records()).as("records read").isPositive();
        assertThat(scan.rows()).as("rows read").isPositive();
        assertThat(scan.logBytes()).as("bytes of logs read").isPositive();
        assertThat(scan.findings()).as(scan.toString()).isEmpty();
    }

    private static void awaitStatus(String orderId, String status) {
        await().atMost(PROCESS_TIMEOUT).untilAsserted(() -> assertThat(http.orderStatus(orderId)).isEqualTo(status));
    }

    private static JsonNode stock(String sku) {
        return http.get(ChoreoService.INVENTORY, "/products/" + sku).body();
    }

    private static List<String> notificationKinds(String orderId) {
        List<String> kinds = new ArrayList<>();
        http.get(ChoreoService.NOTIFICATION, "/notifications?orderId=" + orderId).body()
                .forEach(n -> kinds.add(n.get("kind").asString()));
        return kinds;
    }
}
