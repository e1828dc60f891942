package dev.choreo.payment;

import dev.choreo.security.test.TestUsers;
import org.junit.jupiter.api.Test;

/**
 * Who may call payment-service over HTTP: its API is the operators', its metrics the scraper's, its health anyone's.
 */
class ApiAccessTest extends PaymentServiceIntegration {

    @Test
    void onlyOperatorsReadPaymentsAndOnlyTheScraperOrAnOperatorReadsMetrics() {
        String url = "http://127.0.0.1:" + port;
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/payments");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/payments/ord-1");
        TestUsers.assertMetricsNeedTheScraper(url);
    }
}
