package dev.choreo.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.security.test.TestUsers;
import org.junit.jupiter.api.Test;

/**
 * Who may call inventory-service over HTTP: customers and operators browse the catalogue, reservations are the
 * operators', metrics the scraper's, health anyone's.
 */
class ApiAccessTest extends InventoryServiceTestSupport {

    @Test
    void customersBrowseTheCatalogueOnlyOperatorsReadReservationsAndOnlyTheScraperOrAnOperatorReadsMetrics() {
        String url = "http://127.0.0.1:" + port;
        for (String path : new String[] {"/products", "/products/SKU-NONE"}) {
            assertThat(TestUsers.status(url, "GET", path, null)).as(path).isEqualTo(401);
            assertThat(TestUsers.status(url, "GET", path, "scraper")).as(path).isEqualTo(403);
            assertThat(TestUsers.status(url, "GET", path, "customer")).as(path).isIn(200, 404);
            assertThat(TestUsers.status(url, "GET", path, "operator")).as(path).isIn(200, 404);
        }
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/reservations/ord-1");
        TestUsers.assertMetricsNeedTheScraper(url);
    }
}
