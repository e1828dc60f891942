package dev.choreo.localsuite.e2e;

import dev.choreo.localsuite.ChoreoService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP against the running services, as a person with curl would talk to them. */
final class SuiteHttp {

    record Response(int status, JsonNode body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RunningSuite suite;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SuiteHttp(RunningSuite suite) {
        this.suite = suite;
    }

    Response get(ChoreoService service, String path) {
        return send(HttpRequest.newBuilder(uri(service, path)).GET());
    }

    Response post(ChoreoService service, String path, String json) {
        return send(HttpRequest.newBuilder(uri(service, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code POST /orders} of {@code quantity} units of one SKU; returns the order id from the 201 response. */
    String placeOrder(String sku, int quantity, String paymentToken, String country) {
        Response placed = post(ChoreoService.ORDER, "/orders", """
                {"customerId": "c-42", "items": [{"sku": "%s", "quantity": %d}],
                 "paymentToken": "%s",
                 "shippingAddress": {"name": "Ada Lovelace", "street": "Main St 1", "city": "Helsinki",
                                     "postalCode": "00100", "country": "%s"}}
                """.formatted(sku, quantity, paymentToken, country));
        if (placed.status() != 201) {
            throw new AssertionError("POST /orders answered " + placed.status() + ": " + placed.body());
        }
        return placed.body().get("orderId").asString();
    }

    String orderStatus(String orderId) {
        return get(ChoreoService.ORDER, "/orders/" + orderId).body().path("status").asString();
    }

    private URI uri(ChoreoService service, String path) {
        return URI.create(suite.baseUrl(service) + path);
    }

    /** As the operator, who may see and do everything. */
    private Response send(HttpRequest.Builder request) {
        request.header("Authorization", suite.credentials().operatorAuthorization());
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Response(response.statusCode(), body == null || body.isBlank()
                    ? JSON.missingNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
