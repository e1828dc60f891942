package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.notification.NotificationKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * The web view in a real headless Chromium (Debian's chromium and chromium-driver), against the running
 * collector fed with real events: what a person sees. Leaves a screenshot in target/web-view.png.
 */
class WebViewBrowserTest extends BrokerBackedTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @Test
    void showsStuckProcessesFirstWithTheDiagnosisTheTimelineInSwimlanesAndTheLearnedMap() throws Exception {
        boolean installed = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI needs Debian's chromium and chromium-driver for the browser test");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");

        OrderStory completed = CollectorTestSupport.story("ord-web-completed");
        publish(1, completed.placed(), completed.advance(35).reserved(), completed.advance(120).paid(),
                completed.advance(240).shipped(),
                completed.advance(15).notified("OrderShipped", NotificationKind.ORDER_COMPLETED));
        OrderStory rejected = CollectorTestSupport.story("ord-web-rejected");
        publish(1, rejected.placed(), rejected.advance(20).rejected(),
                rejected.advance(30).notified("InventoryRejected", NotificationKind.ORDER_REJECTED));
        OrderStory stuck = CollectorTestSupport.story("ord-web-stuck");
        publish(0, stuck.placed(), stuck.advance(40).reserved());
        awaitOutcome(stuck, "STUCK");
        awaitOutcome(completed, "COMPLETED");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(uri("/?process=" + stuck.correlationId).toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            wait.ignoring(StaleElementReferenceException.class);

            // the API answers 401 without a Basic challenge, so the page asks for the operator's credentials
            wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
            browser.findElement(By.name("password")).sendKeys("operator-secret");
            browser.findElement(By.id("sign-in-button")).click();

            // the page re-renders every two seconds: read within the wait, which retries stale elements
            String attention = wait.until(d -> rowText(d, "#attention-list .process-row", "ord-web-stuck"));
            assertThat(attention).contains("STUCK", "service down", "payment-service");

            String diagnosis = wait.until(d -> d.findElement(By.id("diagnosis")).getText());
            assertThat(diagnosis).contains("SERVICE DOWN", "suspect: payment-service", "payment-service looks down");
            List<String> lanes = wait.until(d -> d.findElements(By.cssSelector("#timeline .lane-label")).stream()
                    .map(WebElement::getText).toList());
            assertThat(lanes).containsExactly("order-service", "inventory-service");
            String steps = wait.until(d -> d.findElement(By.id("steps")).getText());
            assertThat(steps).contains("charge-payment", "STUCK", "waiting for OrderPayed | PaymentDeclined");
            Boolean actionsShown = wait.until(d -> d.findElement(By.id("redrive")).isDisplayed());
            assertThat(actionsShown).isTrue();

            String map = wait.until(d -> d.findElements(By.cssSelector("#choreography-map .node")).size() >= 5
                    ? d.findElement(By.id("choreography-map")).getText() : null);
            assertThat(map).contains("OrderPlaced", "InventoryUpdated", "CustomerNotified", "inventory-service");
            // every edge caption reads whole at the default window size: full size, no node or other caption over it
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> captions = (List<Map<String, Object>>) browser.executeScript("""
                    const nodes = [...document.querySelectorAll('#choreography-map .node rect')]
                        .map(r => r.getBoundingClientRect());
                    return [...document.querySelectorAll('#choreography-map .edge-caption')].map(c => {
                      const b = c.getBoundingClientRect();
                      const covered = nodes.some(n => b.left < n.right && b.right > n.left
                          && b.top < n.bottom && b.bottom > n.top);
                      const others = [...document.querySelectorAll('#choreography-map .edge-caption')]
                        .filter(o => o !== c).map(o => o.getBoundingClientRect());
                      const crossed = others.some(o => b.left < o.right && b.right > o.left
                          && b.top < o.bottom && b.bottom > o.top);
                      return {text: c.textContent, height: b.height, covered: covered || crossed};
                    });""");
            assertThat(captions).isNotEmpty().allSatisfy(caption -> {
                assertThat(caption.get("text").toString()).matches("\\d+× · p50 .+");
                assertThat(((Number) caption.get("height")).doubleValue()).as("%s", caption).isGreaterThanOrEqualTo(10);
                assertThat(caption.get("covered")).as("%s", caption).isEqualTo(false);
            });

            String recent = wait.until(d -> rowText(d, "#recent-list .process-row", "ord-web-completed"));
            assertThat(recent).contains("COMPLETED");

            // the operator's action from the page works and is recorded under the signed-in operator
            wait.until(d -> d.findElement(By.id("redrive"))).click();
            String redriven = wait.until(d -> {
                String text = d.findElement(By.id("action-result")).getText();
                return text.startsWith("redrive: published") ? text : null;
            });
            assertThat(redriven).contains("InventoryUpdated");

            Path screenshot = Path.of("target", "web-view.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(screenshot)).isPositive();

            // another site's page, in the browser the operator is signed in with, posting to the cancel action:
            // the browser has no cookie and no remembered credentials to add, so the collector refuses it
            browser.get("data:text/html,<form id='f' method='post' action='"
                    + uri("/processes/" + stuck.correlationId + "/cancel") + "'></form>"
                    + "<script>document.getElementById('f').submit()</script>");
            wait.until(d -> d.getPageSource().contains("Authentication required"));
            assertThat(process(stuck).get("timeline").toString()).doesNotContain("ProcessCancellationRequested");
        } finally {
            browser.quit();
        }
    }

    private static String rowText(WebDriver browser, String css, String containing) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText)
                .filter(text -> text.contains(containing)).findFirst().orElse(null);
    }
}
