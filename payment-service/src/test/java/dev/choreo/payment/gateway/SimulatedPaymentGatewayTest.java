package dev.choreo.payment.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.payment.PaymentProperties;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatedPaymentGatewayTest {

    /** A test token of the sandbox with no fixed answer: the decline rate decides. */
    private static final String OTHER_TOKEN = "tok_mastercard";

    @Test
    void chargesTheSandboxsChargedTokenEvenWhenEveryOtherTokenIsDeclined() {
        var gateway = gateway(1.0);

        assertThat(gateway.charge(request("pay-1", SimulatedPaymentGateway.CHARGED_TOKEN)))
                .isInstanceOfSatisfying(ChargeResult.Charged.class,
                        charged -> assertThat(charged.cardLast4()).isEqualTo("4242"));
    }

    @Test
    void declinesTheSandboxsDeclinedTokenEvenWhenNothingElseIsDeclined() {
        var gateway = gateway(0.0);

        assertThat(gateway.charge(request("pay-1", SimulatedPaymentGateway.DECLINED_TOKEN)))
                .isEqualTo(new ChargeResult.Declined("card declined"));
    }

    @Test
    void declinesEveryOtherTestTokenAtADeclineRateOf1() {
        var gateway = gateway(1.0);

        assertThat(IntStream.range(0, 50).mapToObj(i -> gateway.charge(request("pay-" + i, OTHER_TOKEN))))
                .allSatisfy(result -> assertThat(result).isEqualTo(
                        new ChargeResult.Declined(SimulatedPaymentGateway.RANDOMLY_DECLINED)));
    }

    @Test
    void chargesEveryOtherTestTokenAtADeclineRateOf0() {
        var gateway = gateway(0.0);

        assertThat(IntStream.range(0, 50).mapToObj(i -> gateway.charge(request("pay-" + i, OTHER_TOKEN))))
                .allSatisfy(result -> assertThat(result).isInstanceOf(ChargeResult.Charged.class));
    }

    @Test
    void answersARepeatedCallWithTheFirstAnswer() {
        var gateway = gateway(0.0);

        ChargeResult first = gateway.charge(request("pay-1", OTHER_TOKEN));
        assertThat(gateway.charge(request("pay-1", OTHER_TOKEN))).isEqualTo(first);
        assertThat(gateway.charge(request("pay-2", OTHER_TOKEN))).isNotEqualTo(first);

        var refund = new RefundRequest("pay-1", ((ChargeResult.Charged) first).reference(), BigDecimal.TEN, "EUR");
        assertThat(gateway.refund(refund)).startsWith("re_sim_").isEqualTo(gateway.refund(refund));
    }

    @Test
    void declinesATokenItDoesNotKnowAsAProviderWould() {
        var gateway = gateway(0.0);

        assertThat(gateway.charge(request("pay-1", "tok_neverIssued")))
                .isEqualTo(new ChargeResult.Declined(SimulatedPaymentGateway.NO_SUCH_TOKEN));
    }

    private static SimulatedPaymentGateway gateway(double declineRate) {
        return new SimulatedPaymentGateway(
                new PaymentProperties(new PaymentProperties.Gateway(declineRate, Duration.ZERO, 1)));
    }

    private static ChargeRequest request(String paymentId, String token) {
        return new ChargeRequest(paymentId, new BigDecimal("10.00"), "EUR", token);
    }
}
