package dev.choreo.shipping;

import dev.choreo.security.test.TestUsers;
import org.junit.jupiter.api.Test;

/**
 * Who may call shipping-service over HTTP: its API is the operators', its metrics the scraper's, its health anyone's.
 */
class ApiAccessTest extends ShippingIntegrationTest {

    @Test
    void onlyOperatorsReadShipmentsAndOnlyTheScraperOrAnOperatorReadsMetrics() {
        String url = "http://127.0.0.1:" + port;
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/shipments");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/shipments/ord-1");
        TestUsers.assertMetricsNeedTheScraper(url);
    }
}
