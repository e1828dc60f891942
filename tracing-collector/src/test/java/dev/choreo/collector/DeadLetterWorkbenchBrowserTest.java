package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.collector.deadletter.RedriveHeaders;
import dev.choreo.collector.deadletter.ServiceDeadLetters;
import dev.choreo.events.Topics;
import dev.choreo.events.notification.NotificationKind;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dead-letter workbench in a real headless Chromium: payment-service gave up on three orders' InventoryUpdated
 * (one reason) and on a fourth for another reason; the operator filters by the reason, previews, re-drives, and the
 * three processes complete. A stand-in for payment-service, after its fix, answers each re-driven record with the
 * events that follow it. Leaves a screenshot in target/dead-letters.png.
 */
class DeadLetterWorkbenchBrowserTest extends BrokerBackedTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final String REASON = "HANDLER_FAILED: PaymentGatewayDown";

    @Test
    void filtersByReasonPreviewsRedrivesAndTheProcessesComplete() throws Exception {
        boolean installed = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI needs Debian's chromium and chromium-driver for the browser test");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");

        List<OrderStory> failed = List.of(CollectorTestSupport.story("ord-dlt-web-1"),
                CollectorTestSupport.story("ord-dlt-web-2"), CollectorTestSupport.story("ord-dlt-web-3"));
        OrderStory other = CollectorTestSupport.story("ord-dlt-web-other");
        Map<OrderStory, ProducerRecord<byte[], byte[]>> reserved = new LinkedHashMap<>();
        Map<OrderStory, RecordMetadata> at = new LinkedHashMap<>();
        for (OrderStory story : Stream.concat(failed.stream(), Stream.of(other)).toList()) {
            publish(2, story.placed());
            reserved.put(story, OrderStory.record(story.advance(30).reserved(), 2));
            at.put(story, services.send(reserved.get(story)));
        }
        // dead-lettered once the collector has read the event (a dead letter read before it would be cleared by it)
        reserved.keySet().forEach(story -> awaitOutcome(story, "STUCK"));
        reserved.forEach((story, record) -> ServiceDeadLetters.deadLetter(services, record, at.get(story),
                story == other ? "MALFORMED_JSON" : REASON, "payment-service"));
        reserved.keySet().forEach(story -> awaitOutcome(story, "FAILED"));

        Map<String, OrderStory> byOrder = failed.stream().collect(Collectors.toMap(s -> s.orderId, Function.identity()));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread paymentService = new Thread(() -> answerRedrives(byOrder, running), "payment-service-stand-in");
        paymentService.start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,1600");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(uri("/").toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
            browser.findElement(By.name("password")).sendKeys("operator-secret");
            browser.findElement(By.id("sign-in-button")).click();

            browser.findElement(By.id("dl-reason")).sendKeys(REASON);
            browser.findElement(By.id("dl-apply")).click();
            wait.until(d -> d.findElement(By.id("dl-count")).getText().equals("3 dead letters"));
            List<String> rows = wait.until(d -> rows(d).size() == 3 ? rows(d) : null);
            assertThat(rows).allSatisfy(row -> assertThat(row).contains(REASON, "NEW", "payment-service",
                    "InventoryUpdated", "inventory-events.DLT"));

            browser.findElement(By.cssSelector("#dl-table .dl-row td:nth-child(4)")).click();
            String inspected = wait.until(d -> text(d, "dl-inspect", "Dead letter inventory-events.DLT:2:"));
            assertThat(inspected).contains("Cause: " + REASON, "from inventory-events-2@", "\"eventType\"",
                    "kafka_dlt-original-consumer-group", "payment-service");

            browser.findElement(By.id("dl-preview")).click();
            String preview = wait.until(d -> text(d, "dl-result", "Preview"));
            assertThat(preview).isEqualTo("Preview: 3 match; 3 would be re-driven; 0 parked, 0 already handled.");

            browser.findElement(By.id("dl-redrive-filter")).click();
            String done = wait.until(d -> text(d, "dl-result", "3 re-driven"));
            assertThat(done).isEqualTo("3 re-driven; 0 parked, 0 already handled.");
            rows = wait.until(d -> rows(d).stream().allMatch(row -> row.contains("REDRIVEN")) ? rows(d) : null);
            assertThat(rows).hasSize(3);

            failed.forEach(story -> awaitOutcome(story, "COMPLETED"));
            assertThat(process(other).get("outcome").asString()).isEqualTo("FAILED");
            browser.findElement(By.id("dl-redrive-filter")).click();
            String retried = wait.until(d -> text(d, "dl-result", "0 re-driven"));
            assertThat(retried).isEqualTo("0 re-driven; 0 parked, 3 already handled.");

            Path screenshot = Path.of("target", "dead-letters.png");
            browser.executeScript("document.getElementById('dead-letters').scrollIntoView()");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
            running.set(false);
            paymentService.join(5000);
        }
    }

    /** payment-service, fixed: a re-driven InventoryUpdated is paid; shipping and notification follow. */
    private void answerRedrives(Map<String, OrderStory> byOrder, AtomicBoolean running) {
        // from the beginning: whenever it joins, it sees every re-drive (and answers only those of its orders)
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG,
                "payment-service-stand-in", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.INVENTORY_EVENTS));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    OrderStory story = record.key() == null ? null
                            : byOrder.get(new String(record.key(), StandardCharsets.UTF_8));
                    if (story != null && record.headers().lastHeader(RedriveHeaders.COUNT) != null) {
                        publish(record.partition(), story.advance(50).paid(), story.advance(80).shipped(),
                                story.advance(20).notified("OrderShipped", NotificationKind.ORDER_COMPLETED));
                    }
                }
            }
        }
    }

    private static List<String> rows(WebDriver browser) {
        return browser.findElements(By.cssSelector("#dl-table .dl-row")).stream().map(WebElement::getText).toList();
    }

    private static String text(WebDriver browser, String id, String start) {
        String text = browser.findElement(By.id(id)).getText();
        return text.startsWith(start) ? text : null;
    }
}
