package dev.choreo.messaging.it;

import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The test service in a JVM of its own, for {@link CrashWindowsTest} to kill with SIGKILL. Arguments: JDBC URL,
 * brokers, how many orders to place, their id prefix. It prints {@code placed <id>} once each order's transaction
 * committed, then {@code done}, and runs until it is killed.
 */
public final class CrashWindowsChild {

    private CrashWindowsChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        var context = new SpringApplicationBuilder(MessagingTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + args[0],
                        "spring.datasource.username=postgres",
                        "spring.kafka.bootstrap-servers=" + args[1],
                        "spring.embedded.kafka.brokers=" + args[1],
                        "choreo.messaging.outbox.lease=3s",
                        "logging.level.root=WARN")
                .run();
        var placing = context.getBean(MessagingTestApplication.OrderPlacing.class);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            String orderId = args[3] + i;
            placing.place(new OrderPlaced(orderId, "c-42", List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))),
                    new BigDecimal("10.00"), "EUR", new PaymentMethod("tok_visa"),
                    new ShippingAddress("Ada", "Main St 1", "Helsinki", "00100", "FI")));
            System.out.println("placed " + orderId);
        }
        System.out.println("done");
        Thread.currentThread().join();
    }
}
