package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderRequestsTest {

    private static final String PRODUCTS = """
            [{"sku":"SKU-KEYBOARD","name":"Keyboard","price":89.90,"currency":"EUR","available":1000},
             {"sku":"SKU-MOUSE","name":"Mouse","price":29.90,"currency":"EUR","available":5000},
             {"sku":"SKU-DOCK","name":"Dock","price":129.00,"currency":"EUR","available":5},
             {"sku":"SKU-SOLDOUT","name":"Console","price":199.00,"currency":"EUR","available":0}]""";

    @Test
    void ordersWhatIsInStockAndTheSoldOutProductForRejections() {
        OrderRequests requests = OrderRequests.fromProductsJson(PRODUCTS, null);

        assertThat(requests.inStockSkus()).containsExactly("SKU-MOUSE", "SKU-KEYBOARD");
        assertThat(requests.soldOutSku()).isEqualTo("SKU-SOLDOUT");
        assertThat(requests.availableUnits()).isEqualTo(6_000);
        assertThat(requests.body(Scenario.SOLD_OUT, 3)).contains("\"sku\":\"SKU-SOLDOUT\"", "\"paymentToken\":\"tok_visa\"");
        assertThat(requests.body(Scenario.DECLINED, 3)).contains("\"paymentToken\":\"tok_chargeDeclined\"", "\"country\":\"FI\"");
        assertThat(requests.body(Scenario.UNSHIPPABLE, 3)).contains("\"country\":\"AQ\"", "\"paymentToken\":\"tok_visa\"");
        assertThat(requests.body(Scenario.COMPLETED, 0)).contains("\"sku\":\"SKU-MOUSE\"", "\"quantity\":1");
    }

    @Test
    void findsTheOrderIdInTheResponse() {
        assertThat(OrderRequests.orderIdOf("{\"orderId\" : \"ord-123\",\"correlationId\":\"c\"}")).isEqualTo("ord-123");
        assertThat(OrderRequests.orderIdOf("{\"status\":\"PLACED\"}")).isNull();
    }
}
