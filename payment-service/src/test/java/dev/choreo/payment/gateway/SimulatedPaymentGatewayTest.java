package dev.choreo.payment.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.payment.PaymentProperties;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatedPaymentGatewayTest {

    private static final String OTHER_CARD = "5555555555554444";

    @Test
    void chargesTheSandboxsChargedCardEvenWhenEveryOtherCardIsDeclined() {
        var gateway = gateway(1.0);

        assertThat(gateway.charge(request("pay-1", SimulatedPaymentGateway.CHARGED_CARD)))
                .isInstanceOf(ChargeResult.Charged.class);
    }

    @Test
    void declinesTheSandboxsDeclinedCardEvenWhenNothingElseIsDeclined() {
        var gateway = gateway(0.0);

        assertThat(gateway.charge(request("pay-1", SimulatedPaymentGateway.DECLINED_CARD)))
                .isEqualTo(new ChargeResult.Declined("card declined"));
    }

    @Test
    void declinesEveryOtherCardAtADeclineRateOf1() {
        var gateway = gateway(1.0);

        assertThat(IntStream.range(0, 50).mapToObj(i -> gateway.charge(request("pay-" + i, OTHER_CARD))))
                .allSatisfy(result -> assertThat(result).isEqualTo(
                        new ChargeResult.Declined(SimulatedPaymentGateway.RANDOMLY_DECLINED)));
    }

    @Test
    void chargesEveryOtherCardAtADeclineRateOf0() {
        var gateway = gateway(0.0);

        assertThat(IntStream.range(0, 50).mapToObj(i -> gateway.charge(request("pay-" + i, OTHER_CARD))))
                .allSatisfy(result -> assertThat(result).isInstanceOf(ChargeResult.Charged.class));
    }

    @Test
    void answersARepeatedCallWithTheFirstAnswer() {
        var gateway = gateway(0.0);

        ChargeResult first = gateway.charge(request("pay-1", OTHER_CARD));
        assertThat(gateway.charge(request("pay-1", OTHER_CARD))).isEqualTo(first);
        assertThat(gateway.charge(request("pay-2", OTHER_CARD))).isNotEqualTo(first);

        var refund = new RefundRequest("pay-1", ((ChargeResult.Charged) first).reference(), BigDecimal.TEN, "EUR");
        assertThat(gateway.refund(refund)).startsWith("re_sim_").isEqualTo(gateway.refund(refund));
    }

    @Test
    void neverShowsTheFullCardNumberOfARequest() {
        assertThat(request("pay-1", SimulatedPaymentGateway.CHARGED_CARD).toString())
                .contains("****4242")
                .doesNotContain(SimulatedPaymentGateway.CHARGED_CARD);
    }

    private static SimulatedPaymentGateway gateway(double declineRate) {
        return new SimulatedPaymentGateway(
                new PaymentProperties(new PaymentProperties.Gateway(declineRate, Duration.ZERO, 1)));
    }

    private static ChargeRequest request(String paymentId, String card) {
        return new ChargeRequest(paymentId, new BigDecimal("10.00"), "EUR", card);
    }
}
