package dev.choreo.payment.gateway;

import dev.choreo.payment.PaymentProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * A payment provider's sandbox, in process. Follows the providers' test-token convention (Stripe's names):
 * {@value #CHARGED_TOKEN} is always charged, {@value #DECLINED_TOKEN} always declined ("card declined"); the other
 * test tokens ({@code tok_mastercard}, {@code tok_amex}) are declined at random with the configured decline rate; a
 * token the sandbox does not know is declined ("no such payment token"), as a provider would. A charge answers
 * with the last 4 digits of the token's test card. Each call takes the configured latency, like a remote call would.
 * Answers are remembered per idempotency key (the most recent {@value #REMEMBERED_KEYS}), so a repeated call gets
 * the first answer, as with a real provider.
 */
@Component
public class SimulatedPaymentGateway implements PaymentGateway {

    public static final String CHARGED_TOKEN = "tok_visa";
    public static final String DECLINED_TOKEN = "tok_chargeDeclined";
    public static final String CARD_DECLINED = "card declined";
    public static final String NO_SUCH_TOKEN = "no such payment token";
    public static final String RANDOMLY_DECLINED = "card declined by the issuer (simulated decline rate)";

    static final int REMEMBERED_KEYS = 10_000;

    /** The sandbox's tokens and the last 4 digits of their test cards. */
    private static final Map<String, String> TEST_CARDS = Map.of(
            CHARGED_TOKEN, "4242",
            DECLINED_TOKEN, "0002",
            "tok_mastercard", "4444",
            "tok_amex", "8431");

    private final double declineRate;
    private final Duration latency;
    private final Map<String, ChargeResult> charges = recentlyUsed();
    private final Map<String, String> refunds = recentlyUsed();

    public SimulatedPaymentGateway(PaymentProperties properties) {
        this.declineRate = properties.gateway().declineRate();
        this.latency = properties.gateway().latency();
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
        simulateLatency();
        synchronized (charges) {
            return charges.computeIfAbsent(request.idempotencyKey(), key -> decide(request.paymentToken()));
        }
    }

    @Override
    public String refund(RefundRequest request) {
        simulateLatency();
        synchronized (refunds) {
            return refunds.computeIfAbsent(request.idempotencyKey(), key -> "re_sim_" + UUID.randomUUID());
        }
    }

    private ChargeResult decide(String token) {
        String cardLast4 = TEST_CARDS.get(token);
        if (cardLast4 == null) {
            return new ChargeResult.Declined(NO_SUCH_TOKEN);
        }
        if (CHARGED_TOKEN.equals(token)) {
            return charged(cardLast4);
        }
        if (DECLINED_TOKEN.equals(token)) {
            return new ChargeResult.Declined(CARD_DECLINED);
        }
        // nextDouble() is in [0, 1): a rate of 0 never declines, a rate of 1 always does
        return ThreadLocalRandom.current().nextDouble() < declineRate
                ? new ChargeResult.Declined(RANDOMLY_DECLINED)
                : charged(cardLast4);
    }

    private static ChargeResult charged(String cardLast4) {
        return new ChargeResult.Charged("ch_sim_" + UUID.randomUUID(), cardLast4);
    }

    /** A map that forgets its least recently used entries beyond {@link #REMEMBERED_KEYS}. */
    private static <V> Map<String, V> recentlyUsed() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED_KEYS;
            }
        };
    }

    private void simulateLatency() {
        if (latency.isZero()) {
            return;
        }
        try {
            // the one legitimate sleep: it stands for the round trip to a remote provider (bounded by validation)
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaymentGatewayException("interrupted while waiting for the payment gateway", e);
        }
    }
}
