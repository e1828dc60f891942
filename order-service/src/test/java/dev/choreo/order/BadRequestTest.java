package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.Limits;
import dev.choreo.events.Topics;
import dev.choreo.events.order.OrderPlaced;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A corpus of bad requests over real HTTP: each gets a 4xx with RFC 9457 problem details naming the field and
 * the reason, writes no order and publishes nothing. None is a 500.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadRequestTest extends OrderServiceIntegrationTest {

    static final String SKU = "SKU-BAD";
    static final String OTHER_SKU = "SKU-BAD-2";
    static final String CUSTOMER = "bad-customer";
    /** A card number that passes the Luhn check, never to be seen again once sent. */
    static final String CARD_NUMBER = "4000056655665556";

    @BeforeEach
    void stockTheCatalogue() {
        catalogue(SKU, "2.00");
        catalogue(OTHER_SKU, "3.00");
    }

    static Stream<Arguments> invalidOrders() {
        return Stream.of(
                invalid("customerId missing", body -> body.remove("customerId"), 400, "customerId"),
                invalid("customerId blank", body -> body.put("customerId", "  "), 400, "customerId"),
                invalid("customerId too long", body -> body.put("customerId", "c".repeat(Limits.ID + 1)), 400,
                        "customerId"),
                invalid("customerId with spaces", body -> body.put("customerId", "bad customer"), 400, "customerId"),
                invalid("customerId an object", body -> body.putObject("customerId"), 400, "customerId"),
                invalid("items missing", body -> body.remove("items"), 400, "items"),
                invalid("items empty", body -> body.putArray("items"), 400, "items"),
                invalid("items not an array", body -> body.put("items", SKU), 400, "items"),
                invalid("a null line", body -> items(body).addNull(), 400, "items[1]"),
                invalid("sku missing", body -> line(body).remove("sku"), 400, "items[0].sku"),
                invalid("sku blank", body -> line(body).put("sku", ""), 400, "items[0].sku"),
                invalid("sku too long", body -> line(body).put("sku", "S".repeat(Limits.ID + 1)), 400, "items[0].sku"),
                invalid("sku with markup", body -> line(body).put("sku", "<script>"), 400, "items[0].sku"),
                invalid("quantity missing", body -> line(body).remove("quantity"), 400, "items[0].quantity"),
                invalid("quantity zero", body -> line(body).put("quantity", 0), 400, "items[0].quantity"),
                invalid("quantity negative", body -> line(body).put("quantity", -3), 400, "items[0].quantity"),
                invalid("quantity absurd", body -> line(body).put("quantity", Limits.QUANTITY_PER_LINE + 1), 400,
                        "items[0].quantity"),
                invalid("quantity overflows", body -> line(body).put("quantity", 99_999_999_999L), 400,
                        "items[0].quantity"),
                invalid("quantity a fraction", body -> line(body).put("quantity", 2.5), 400, "items[0].quantity"),
                invalid("quantity not a number", body -> line(body).put("quantity", "two"), 400, "items[0].quantity"),
                invalid("duplicate SKU lines", body -> items(body).addObject().put("sku", SKU).put("quantity", 2),
                        400, "items[1].sku"),
                invalid("too many lines", body -> {
                    ArrayNode items = body.putArray("items");
                    IntStream.range(0, 51).forEach(i -> items.addObject().put("sku", "SKU-" + i).put("quantity", 1));
                }, 400, "items"),
                invalid("unknown SKU", body -> items(body).addObject().put("sku", "SKU-NOPE").put("quantity", 1),
                        422, "items[1].sku"),
                invalid("payment token missing", body -> body.remove("paymentToken"), 400, "paymentToken"),
                invalid("payment token blank", body -> body.put("paymentToken", " "), 400, "paymentToken"),
                invalid("payment token too long",
                        body -> body.put("paymentToken", "tok_" + "x".repeat(Limits.PAYMENT_TOKEN)), 400,
                        "paymentToken"),
                invalid("payment token without a provider's prefix", body -> body.put("paymentToken", "visa"), 400,
                        "paymentToken"),
                invalid("payment token with markup", body -> body.put("paymentToken", "tok_<script>"), 400,
                        "paymentToken"),
                invalid("a card number as payment token", body -> body.put("paymentToken", CARD_NUMBER), 400,
                        "paymentToken"),
                invalid("a card number inside the payment token",
                        body -> body.put("paymentToken", "tok_" + CARD_NUMBER), 400, "paymentToken"),
                invalid("address missing", body -> body.remove("shippingAddress"), 400, "shippingAddress"),
                invalid("country missing", body -> address(body).remove("country"), 400, "shippingAddress.country"),
                invalid("country unknown", body -> address(body).put("country", "XX"), 400, "shippingAddress.country"),
                invalid("country alpha-3", body -> address(body).put("country", "FIN"), 400,
                        "shippingAddress.country"),
                invalid("country lower case", body -> address(body).put("country", "fi"), 400,
                        "shippingAddress.country"),
                invalid("name too long", body -> address(body).put("name", "n".repeat(Limits.NAME + 1)), 400,
                        "shippingAddress.name"),
                invalid("street blank", body -> address(body).put("street", " "), 400, "shippingAddress.street"),
                invalid("city too long", body -> address(body).put("city", "c".repeat(Limits.NAME + 1)), 400,
                        "shippingAddress.city"),
                invalid("city with a control character", body -> address(body).put("city", "Hel\u0000sinki"), 400,
                        "shippingAddress.city"),
                invalid("postal code too long",
                        body -> address(body).put("postalCode", "1".repeat(Limits.POSTAL_CODE + 1)), 400,
                        "shippingAddress.postalCode"));
    }

    static Stream<Arguments> unreadableRequests() {
        String valid = JSON.writeValueAsString(orderBody(CUSTOMER, SKU));
        return Stream.of(
                unreadable("malformed JSON", valid.substring(0, valid.length() - 5), MediaType.APPLICATION_JSON, 400),
                unreadable("not an object", "[]", MediaType.APPLICATION_JSON, 400),
                unreadable("the JSON null", "null", MediaType.APPLICATION_JSON, 400),
                unreadable("an empty body", "", MediaType.APPLICATION_JSON, 400),
                unreadable("trailing garbage", valid + " {}", MediaType.APPLICATION_JSON, 400),
                unreadable("deeply nested", valid.replaceFirst("\\{", "{\"x\": " + "[".repeat(2000)
                        + "]".repeat(2000) + ","), MediaType.APPLICATION_JSON, 400),
                unreadable("plain text", valid, MediaType.TEXT_PLAIN, 415),
                unreadable("a form", "customerId=c-1", MediaType.APPLICATION_FORM_URLENCODED, 415),
                unreadable("an oversized body", valid.replaceFirst("\\{", "{\"padding\": \"" + "x".repeat(70_000)
                        + "\","), MediaType.APPLICATION_JSON, 413));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOrders")
    void anInvalidOrderIsRefusedNamingTheField(String name, Consumer<ObjectNode> change, int status, String field) {
        ObjectNode body = orderBody(CUSTOMER, SKU);
        change.accept(body);

        ResponseEntity<String> response = placeOrder(body);

        assertProblem(response, status);
        JsonNode problem = json(response);
        assertThat(problem.get("instance").asString()).isEqualTo("/orders");
        assertThat(problem.get("errors").valueStream())
                .as(response.getBody())
                .anySatisfy(error -> {
                    assertThat(error.get("field").asString()).isEqualTo(field);
                    assertThat(error.get("message").asString()).isNotBlank();
                });
        if (name.equals("unknown SKU")) {
            assertThat(response.getBody()).contains("SKU-NOPE");
        }
        assertNoOrderWritten();
    }

    static Stream<Arguments> cardDetails() {
        return Stream.of(
                Arguments.of("cardNumber", (Consumer<ObjectNode>) body -> body.put("cardNumber", CARD_NUMBER)),
                Arguments.of("card", (Consumer<ObjectNode>) body -> body.putObject("card").put("number", CARD_NUMBER)
                        .put("expMonth", 12).put("cvc", "123")),
                Arguments.of("payment.cardNumber",
                        (Consumer<ObjectNode>) body -> body.putObject("payment").put("cardNumber", CARD_NUMBER)),
                Arguments.of("payment.card",
                        (Consumer<ObjectNode>) body -> body.putObject("payment").put("card", CARD_NUMBER)),
                Arguments.of("payment.number",
                        (Consumer<ObjectNode>) body -> body.putObject("payment").put("number", Long.parseLong(
                                CARD_NUMBER))),
                Arguments.of("paymentToken", (Consumer<ObjectNode>) body -> body.put("paymentToken", CARD_NUMBER)),
                Arguments.of("paymentToken",
                        (Consumer<ObjectNode>) body -> body.put("paymentToken", "tok_" + CARD_NUMBER)));
    }

    /** Issue 15: the API takes a payment token; a card number is refused, wherever sent, and goes nowhere. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cardDetails")
    void aCardNumberIsRefusedAskingForATokenAndIsNeitherEchoedNorLogged(String field, Consumer<ObjectNode> change,
            CapturedOutput output) {
        ObjectNode body = orderBody(CUSTOMER, SKU);
        change.accept(body);

        ResponseEntity<String> response = placeOrder(body);

        assertProblem(response, 400);
        assertThat(json(response).get("errors").valueStream()).as(response.getBody()).anySatisfy(error -> {
            assertThat(error.get("field").asString()).isEqualTo(field);
            assertThat(error.get("message").asString()).contains("token");
        });
        assertThat(response.getBody()).doesNotContain(CARD_NUMBER);
        assertThat(output.getAll()).doesNotContain(CARD_NUMBER);
        assertNoOrderWritten();
    }

    @Test
    void aRequestOfTheOldShapeWithACardAndNoTokenIsToldToSendAToken() {
        ObjectNode body = orderBody(CUSTOMER, SKU);
        body.remove("paymentToken");
        body.putObject("payment").put("cardNumber", CARD_NUMBER);

        ResponseEntity<String> response = placeOrder(body);

        assertProblem(response, 400);
        assertThat(json(response).get("errors").valueStream()).extracting(error -> error.get("field").asString())
                .contains("payment.cardNumber", "paymentToken");
        assertThat(response.getBody()).doesNotContain(CARD_NUMBER);
        assertNoOrderWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableRequests")
    void anUnreadableRequestIsRefused(String name, String body, MediaType contentType, int status) {
        ResponseEntity<String> response = http.post().uri("/orders").contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8)).retrieve().toEntity(String.class);

        assertProblem(response, status);
        assertThat(json(response).get("errors").valueStream()).as(response.getBody())
                .anySatisfy(error -> assertThat(error.get("field").asString()).isIn("body", "Content-Type"));
        assertNoOrderWritten();
    }

    @Test
    void aBodyOfUnknownLengthIsCutOffAtTheLimit() throws Exception {
        // chunked: no Content-Length to refuse it by, so the limit applies while reading
        String padded = "{\"padding\": \"" + "x".repeat(70_000) + "\"}";

        HttpResponse<String> response = rawPost("application/json", padded, true);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
        assertThat(JSON.readTree(response.body()).get("errors").get(0).get("field").asString()).isEqualTo("body");
    }

    @Test
    void anUnknownCharsetIsRefused() throws Exception {
        HttpResponse<String> response = rawPost("application/json;charset=nope",
                JSON.writeValueAsString(orderBody(CUSTOMER, SKU)), false);

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
        assertNoOrderWritten();
    }

    /** A request exactly as given, past the client-side checks of Spring's own clients. */
    private HttpResponse<String> rawPost(String contentType, String body, boolean chunked) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", contentType)
                .POST(chunked
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                        : HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badQueriesAreRefusedAndUnknownOrdersAreNotFound() {
        assertProblem(get("/orders/{id}", "ord-never-placed"), 404);
        assertThat(json(get("/orders/{id}", "ord-never-placed")).get("detail").asString()).contains("ord-never-placed");
        assertProblem(get("/orders/{id}", "x".repeat(65)), 400);
        assertProblem(get("/orders/{id}", "ord$1"), 400);
        assertThat(json(get("/orders/{id}", "ord$1")).get("errors").get(0).get("field").asString())
                .isEqualTo("orderId");
        assertProblem(get("/orders?limit=0"), 400);
        assertProblem(get("/orders?limit=201"), 400);
        assertProblem(get("/orders?limit=ten"), 400);
        assertProblem(get("/orders?status=LOST"), 400);
        assertThat(json(get("/orders?status=LOST")).get("errors").get(0).get("message").asString())
                .contains("PLACED", "COMPLETED");
    }

    @Test
    void noBadRequestPublishedAnything() {
        // a valid order after the corpus: once its event is out, an event of a bad request would be too
        String orderId = placedOrder("good-customer", SKU).get("orderId").asString();
        await().untilAsserted(() -> assertThat(orderEvents("OrderPlaced", orderId)).hasSize(1));

        assertThat(kafka.events("OrderPlaced", Topics.ORDER_EVENTS))
                .map(e -> ((OrderPlaced) e.payload()).customerId())
                .doesNotContain(CUSTOMER);
        assertNoOrderWritten();
    }

    private void assertNoOrderWritten() {
        assertThat(jdbc.sql("SELECT count(*) FROM customer_order WHERE customer_id = ?").param(CUSTOMER)
                .query(Long.class).single()).isZero();
    }

    private static Arguments invalid(String name, Consumer<ObjectNode> change, int status, String field) {
        return Arguments.of(name, change, status, field);
    }

    private static Arguments unreadable(String name, String body, MediaType contentType, int status) {
        return Arguments.of(name, body, contentType, status);
    }

    private static ArrayNode items(ObjectNode body) {
        return (ArrayNode) body.get("items");
    }

    private static ObjectNode line(ObjectNode body) {
        return (ObjectNode) items(body).get(0);
    }

    private static ObjectNode address(ObjectNode body) {
        return (ObjectNode) body.get("shippingAddress");
    }
}
