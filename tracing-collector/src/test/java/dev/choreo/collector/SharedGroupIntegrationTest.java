package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.events.notification.NotificationKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two instances in one consumer group share the partitions: the range assignor gives each the same partition
 * numbers of every topic, so each process is whole on exactly one instance. Either instance answers every query
 * (it forwards what it does not hold to the owner, and merges the lists); an instance that gave partitions away no
 * longer serves their ended processes; when one leaves, the other takes its partitions over and answers alone.
 */
@EmbeddedKafka(partitions = 4, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "order-events.DLT", "inventory-events",
    "inventory-events.DLT", "payment-events", "payment-events.DLT", "shipping-events", "shipping-events.DLT",
    "notification-events", "notification-events.DLT", "operations-events", "operations-events.DLT"})
class SharedGroupIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String FORWARDED_BY = "Choreo-Forwarded-By";
    private static final String ANSWERED_BY = "Choreo-Answered-By";

    @Test
    void eitherInstanceAnswersEveryQuery(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        List<OrderStory> ended = new ArrayList<>();
        List<OrderStory> running = new ArrayList<>();
        try (ServiceProducer services = new ServiceProducer(brokers);
                ConfigurableApplicationContext first = start(brokers)) {
            ProcessStore one = first.getBean(ProcessStore.class);
            await().atMost(PATIENCE).until(() -> one.ownedPartitions().size() == 4);
            for (int partition = 0; partition < 4; partition++) {
                OrderStory rejected = CollectorTestSupport.story("ord-shared-ended-" + partition);
                services.publish(rejected.placed(), partition);
                services.publish(rejected.rejected(), partition);
                services.publish(rejected.notified("InventoryRejected", NotificationKind.ORDER_REJECTED), partition);
                ended.add(rejected);
                // awaits shipping for 60 s: stays RUNNING through the test
                OrderStory paid = CollectorTestSupport.story("ord-shared-running-" + partition);
                services.publish(paid.placed(), partition);
                services.publish(paid.reserved(), partition);
                services.publish(paid.paid(), partition);
                running.add(paid);
            }
            List<OrderStory> all = new ArrayList<>(ended);
            all.addAll(running);
            // the first instance alone holds them all, ended ones in its history
            await().atMost(PATIENCE).until(() -> all.stream().allMatch(story -> one.find(story.correlationId)
                    .filter(process -> !process.timeline().isEmpty()).isPresent())
                    && ended.stream().allMatch(story -> one.find(story.correlationId).orElseThrow().outcome().isEnd()));

            try (ConfigurableApplicationContext second = start(brokers)) {
                ProcessStore two = second.getBean(ProcessStore.class);
                await().atMost(PATIENCE).until(() -> one.ownedPartitions().size() == 2 && two.ownedPartitions().size() == 2);
                SortedSet<Integer> partitions = new TreeSet<>(one.ownedPartitions());
                partitions.addAll(two.ownedPartitions());
                assertThat(partitions).containsExactly(0, 1, 2, 3);
                String urlOne = url(first);
                String urlTwo = url(second);

                await().atMost(PATIENCE).untilAsserted(() -> {
                    for (OrderStory story : all) {
                        int partition = partitionOf(story, all);
                        boolean onTwo = two.ownedPartitions().contains(partition);
                        // held whole on exactly one: the first no longer serves what it gave away, ended ones included
                        assertThat(one.find(story.correlationId).isPresent()).as(story.orderId).isEqualTo(!onTwo);
                        assertThat(two.find(story.correlationId).isPresent()).as(story.orderId).isEqualTo(onTwo);
                        HttpResponse<String> fromOne = get(urlOne, "/processes/" + story.correlationId);
                        HttpResponse<String> fromTwo = get(urlTwo, "/processes/" + story.correlationId);
                        assertThat(fromOne.statusCode()).as(fromOne.body()).isEqualTo(200);
                        assertThat(fromTwo.statusCode()).as(fromTwo.body()).isEqualTo(200);
                        assertThat(withoutClockFields(fromOne.body())).isEqualTo(withoutClockFields(fromTwo.body()));
                        // the instance that does not hold it relayed the owner's answer
                        assertThat(fromOne.headers().firstValue(ANSWERED_BY)).isEqualTo(
                                onTwo ? Optional.of(urlTwo) : Optional.empty());
                        assertThat(fromTwo.headers().firstValue(ANSWERED_BY)).isEqualTo(
                                onTwo ? Optional.empty() : Optional.of(urlOne));
                    }
                    for (String query : List.of("/processes?limit=1000", "/processes?status=COMPENSATED",
                            "/processes?status=RUNNING&limit=3")) {
                        JsonNode listOne = JSON.readTree(get(urlOne, query).body());
                        JsonNode listTwo = JSON.readTree(get(urlTwo, query).body());
                        assertThat(listOne).as(query).isEqualTo(listTwo);
                    }
                    assertThat(JSON.readTree(get(urlOne, "/processes?limit=1000").body())).hasSize(all.size());
                    assertThat(JSON.readTree(get(urlTwo, "/processes?status=COMPENSATED").body())).hasSize(ended.size());
                    assertThat(JSON.readTree(get(urlTwo, "/processes?status=RUNNING&limit=3").body())).hasSize(3);
                    // the filters travel with the request: the other instance's list is filtered too
                    for (String query : List.of("/processes?customerId=c-42&sku=SKU-KEYBOARD&status=RUNNING",
                            "/processes?customerId=c-nobody")) {
                        JsonNode listOne = JSON.readTree(get(urlOne, query).body());
                        assertThat(listOne).as(query).isEqualTo(JSON.readTree(get(urlTwo, query).body()));
                        assertThat(listOne).as(query).hasSize(query.contains("nobody") ? 0 : running.size());
                    }
                });

                // a forwarded request is answered from what the instance holds, never forwarded again
                OrderStory heldByTwo = all.stream().filter(story -> two.find(story.correlationId).isPresent())
                        .filter(running::contains).findFirst().orElseThrow();
                HttpResponse<String> notForwardedAgain = send(HttpRequest.newBuilder(
                        URI.create(urlOne + "/processes/" + heldByTwo.correlationId)).header(FORWARDED_BY, "test").build());
                assertThat(notForwardedAgain.statusCode()).isEqualTo(404);
                assertThat(JSON.readTree(get(urlOne, "/processes/no-such-process").body()).get("detail").asString())
                        .contains("on any live collector instance");

                // an action goes to the owner too
                HttpResponse<String> cancelled = send(HttpRequest.newBuilder(
                        URI.create(urlOne + "/processes/" + heldByTwo.correlationId + "/cancel"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test\"}")).build());
                assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
                assertThat(cancelled.headers().firstValue(ANSWERED_BY)).contains(urlTwo);
                assertThat(JSON.readTree(cancelled.body()).get("partition").asInt())
                        .isEqualTo(two.find(heldByTwo.correlationId).orElseThrow().partition());
                await().atMost(PATIENCE).until(() -> JSON.readTree(get(urlOne, "/processes/" + heldByTwo.correlationId)
                        .body()).get("timeline").findValuesAsString("eventType").contains("ProcessCancellationRequested"));
            }

            // the second left: the first answers everything alone
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(one.ownedPartitions()).containsExactly(0, 1, 2, 3);
                for (OrderStory story : all) {
                    HttpResponse<String> answer = get(url(first), "/processes/" + story.correlationId);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    assertThat(answer.headers().firstValue(ANSWERED_BY)).isEmpty();
                }
                assertThat(JSON.readTree(get(url(first), "/processes?limit=1000").body())).hasSize(all.size());
            });
        }
    }

    /** The partition the story was published on (its index in the list of one kind). */
    private static int partitionOf(OrderStory story, List<OrderStory> all) {
        return all.indexOf(story) % 4;
    }

    /** An open process's duration counts up to now: not part of what two instances must agree on. */
    private static JsonNode withoutClockFields(String body) {
        ObjectNode process = (ObjectNode) JSON.readTree(body);
        process.remove("durationMillis");
        return process;
    }

    private static String url(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    private static HttpResponse<String> get(String base, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(BrokerBackedTest.asOperator(request), HttpResponse.BodyHandlers.ofString());
    }

    private static ConfigurableApplicationContext start(String brokers) {
        return new SpringApplicationBuilder(CollectorApplication.class).run("--spring.kafka.bootstrap-servers=" + brokers,
                "--server.port=0");
    }
}
