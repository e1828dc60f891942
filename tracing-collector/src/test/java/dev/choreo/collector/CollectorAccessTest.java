package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.security.test.TestUsers;
import org.junit.jupiter.api.Test;

/**
 * Who may call the collector: the processes, the map and the actions are the operators', metrics the scraper's,
 * health and the web view's files anyone's (the page signs the operator in before it calls the API).
 */
class CollectorAccessTest extends BrokerBackedTest {

    @Test
    void onlyOperatorsSeeProcessesAndActAndTheWebViewFilesAreAnonymous() {
        String url = "http://localhost:" + port;
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/processes");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/processes/some-process");
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/processes/some-process/redrive");
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/processes/some-process/cancel");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/choreography");
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/dead-letters");
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/dead-letters/redrive");
        TestUsers.assertOnlyOperatorsMay(url, "POST", "/dead-letters/discard");
        TestUsers.assertMetricsNeedTheScraper(url);
        for (String file : new String[] {"/", "/index.html", "/app.js", "/app.css"}) {
            assertThat(TestUsers.status(url, "GET", file, null)).as(file).isEqualTo(200);
        }
    }
}
