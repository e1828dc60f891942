package dev.choreo.notification;

import dev.choreo.security.test.TestUsers;
import org.junit.jupiter.api.Test;

/**
 * Who may call notification-service over HTTP: its API is the operators', its metrics the scraper's, its health anyone's.
 */
class ApiAccessTest extends NotificationIntegrationTest {

    @Test
    void onlyOperatorsReadNotificationsAndOnlyTheScraperOrAnOperatorReadsMetrics() {
        String url = "http://127.0.0.1:" + port;
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/notifications");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/notifications/n-1");
        TestUsers.assertMetricsNeedTheScraper(url);
    }
}
