package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.notification.NotificationKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * GET /processes by business key (the shipped search fields: customerId from the payloads' $.customerId, sku from
 * $.lines[*].sku) combined with outcome, step and time range, against the real broker; and a process that left
 * memory (out of a history of five) is no longer found by its keys.
 */
@TestPropertySource(properties = "choreo.collector.history-size=5")
class SearchIntegrationTest extends BrokerBackedTest {

    @Test
    void findsProcessesByCustomerAndSkuWithOutcomeStepAndTimeRange() {
        String ada = "c-ada-" + UUID.randomUUID();
        String bob = "c-bob-" + UUID.randomUUID();
        String mouse = "SKU-MOUSE-" + UUID.randomUUID();
        String desk = "SKU-DESK-" + UUID.randomUUID();
        Instant twoHoursAgo = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant anHourAgo = twoHoursAgo.plus(1, ChronoUnit.HOURS);

        OrderStory adaDone = new OrderStory("ord-ada-1", twoHoursAgo);
        publish(1, adaDone.placed(ada, mouse), adaDone.advance(5).reserved(), adaDone.advance(5).paid(),
                adaDone.advance(5).shipped(), adaDone.advance(5).notified("OrderShipped", NotificationKind.ORDER_COMPLETED));
        // payment-service does not consume here: stuck at charge-payment
        OrderStory adaStuck = new OrderStory("ord-ada-2", anHourAgo);
        publish(0, adaStuck.placed(ada, mouse, desk), adaStuck.advance(5).reserved());
        // inventory-service neither: stuck at reserve-stock
        OrderStory bobStuck = new OrderStory("ord-bob-1", anHourAgo);
        publish(0, bobStuck.placed(bob, desk));
        awaitOutcome(adaDone, "COMPLETED");
        awaitOutcome(adaStuck, "STUCK");
        awaitOutcome(bobStuck, "STUCK");

        assertThat(ids("/processes?customerId=" + ada)).containsExactlyInAnyOrder(adaDone.correlationId,
                adaStuck.correlationId);
        assertThat(ids("/processes?customerId=" + ada + "&status=COMPLETED")).containsExactly(adaDone.correlationId);
        assertThat(ids("/processes?sku=" + desk)).containsExactlyInAnyOrder(adaStuck.correlationId,
                bobStuck.correlationId);
        assertThat(ids("/processes?sku=" + desk + "&customerId=" + ada)).containsExactly(adaStuck.correlationId);
        assertThat(ids("/processes?sku=" + mouse + "&status=STUCK")).containsExactly(adaStuck.correlationId);
        assertThat(ids("/processes?sku=" + desk + "&step=reserve-stock")).containsExactly(bobStuck.correlationId);
        assertThat(ids("/processes?customerId=" + ada + "&startedFrom=" + anHourAgo))
                .containsExactly(adaStuck.correlationId);
        assertThat(ids("/processes?customerId=" + ada + "&startedFrom=" + twoHoursAgo + "&startedTo=" + anHourAgo))
                .containsExactly(adaDone.correlationId);
        assertThat(ids("/processes?customerId=" + ada + "&activeFrom=" + anHourAgo.plusSeconds(1))).isEmpty();
        assertThat(ids("/processes?orderId=ord-bob-1")).containsExactly(bobStuck.correlationId);
        assertThat(ids("/processes?correlationId=" + adaDone.correlationId + "&status=COMPLETED"))
                .containsExactly(adaDone.correlationId);
        // without a key: the filters alone, through the lists
        assertThat(ids("/processes?status=STUCK&step=charge-payment&startedFrom=" + anHourAgo))
                .contains(adaStuck.correlationId).doesNotContain(bobStuck.correlationId);
    }

    @Test
    void anUnknownFilterIsRefusedNamingTheAllowedOnes() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/processes?customerID=c-1")).build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("allowed").toString()).contains("customerId", "sku", "status");
    }

    @Test
    void aProcessThatLeftMemoryIsNoLongerFoundByItsKeys() {
        String customer = "c-gone-" + UUID.randomUUID();
        String sku = "SKU-GONE-" + UUID.randomUUID();
        OrderStory gone = CollectorTestSupport.story("ord-gone");
        completed(gone.placed(customer, sku), gone);
        awaitOutcome(gone, "COMPLETED");
        assertThat(ids("/processes?customerId=" + customer + "&sku=" + sku)).containsExactly(gone.correlationId);

        // five more ended processes push it out of the history (size 5): it leaves memory, and the index
        List<OrderStory> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OrderStory story = CollectorTestSupport.story("ord-later-" + i);
            completed(story.placed("c-later", "SKU-LATER"), story);
            later.add(story);
        }
        later.forEach(story -> awaitOutcome(story, "COMPLETED"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(process(gone)).isNull());
        assertThat(ids("/processes?customerId=" + customer)).isEmpty();
        assertThat(ids("/processes?sku=" + sku)).isEmpty();
        assertThat(ids("/processes?customerId=c-later")).hasSize(5);
    }

    private void completed(dev.choreo.events.EventEnvelope<?> placed, OrderStory story) {
        publish(2, placed, story.advance(5).reserved(), story.advance(5).paid(), story.advance(5).shipped(),
                story.advance(5).notified("OrderShipped", NotificationKind.ORDER_COMPLETED));
    }

    private List<String> ids(String path) {
        List<String> ids = new ArrayList<>();
        get(path).forEach(item -> ids.add(item.get("correlationId").asString()));
        return ids;
    }
}
