package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.security.test.TestUsers;
import org.junit.jupiter.api.Test;

/**
 * Who may call the collector: the map, the actions and the dead-letter workbench are the operators', metrics and
 * reading the processes the scraper's too, health and the web view's files anyone's (the page signs the operator in
 * before it calls the API).
 */
class CollectorAccessTest extends BrokerBackedTest {

    @Test
    void onlyOperatorsSeeProcessesAndActAndTheWebViewFilesAreAnonymous() {
        String url = "http://localhost:" + port;
        // the scraper reads the processes (Grafana's table of stuck ones), read-only
        for (String path : new String[] {"/processes", "/processes/some-process"}) {
            assertThat(TestUsers.status(url, "GET", path, null)).as(path).isEqualTo(401);
            assertThat(TestUsers.status(url, "GET", path, "customer")).as(path).isEqualTo(403);
            assertThat(TestUsers.status(url, "GET", path, "scraper")).as(path).isIn(200, 404);
            assertThat(TestUsers.status(url, "GET", path, "operator")).as(path).isIn(200, 404);
        }
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/processes/some-process/redrive");
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/processes/some-process/cancel");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/choreography");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/dead-letters");
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/dead-letters/redrive");
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/dead-letters/discard");
        TestUsers.assertMetricsNeedTheScraper(url);
        for (String file : new String[] {"/", "/index.html", "/app.js", "/app.css", "/deadletters.js"}) {
            assertThat(TestUsers.status(url, "GET", file, null)).as(file).isEqualTo(200);
        }
    }
}
