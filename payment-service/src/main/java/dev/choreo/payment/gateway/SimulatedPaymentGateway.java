package dev.choreo.payment.gateway;

import dev.choreo.payment.PaymentProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * A payment provider's sandbox, in process. Follows the providers' test-card convention: {@value #CHARGED_CARD}
 * is always charged, {@value #DECLINED_CARD} always declined ("card declined"); any other card is declined at
 * random with the configured decline rate. Each call takes the configured latency, like a remote call would.
 * Answers are remembered per idempotency key (the most recent {@value #REMEMBERED_KEYS}), so a repeated call gets
 * the first answer, as with a real provider.
 */
@Component
public class SimulatedPaymentGateway implements PaymentGateway {

    public static final String CHARGED_CARD = "4242424242424242";
    public static final String DECLINED_CARD = "4000000000000002";
    public static final String CARD_DECLINED = "card declined";
    public static final String RANDOMLY_DECLINED = "card declined by the issuer (simulated decline rate)";

    static final int REMEMBERED_KEYS = 10_000;

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
            return charges.computeIfAbsent(request.idempotencyKey(), key -> decide(request.cardNumber()));
        }
    }

    @Override
    public String refund(RefundRequest request) {
        simulateLatency();
        synchronized (refunds) {
            return refunds.computeIfAbsent(request.idempotencyKey(), key -> "re_sim_" + UUID.randomUUID());
        }
    }

    private ChargeResult decide(String cardNumber) {
        if (CHARGED_CARD.equals(cardNumber)) {
            return charged();
        }
        if (DECLINED_CARD.equals(cardNumber)) {
            return new ChargeResult.Declined(CARD_DECLINED);
        }
        // nextDouble() is in [0, 1): a rate of 0 never declines, a rate of 1 always does
        return ThreadLocalRandom.current().nextDouble() < declineRate
                ? new ChargeResult.Declined(RANDOMLY_DECLINED)
                : charged();
    }

    private static ChargeResult charged() {
        return new ChargeResult.Charged("ch_sim_" + UUID.randomUUID());
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
