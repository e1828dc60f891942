package dev.choreo.localsuite.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The detector of the end-to-end scan for card numbers, on its own: finds them, and not what only looks alike. */
class CardNumberScanTest {

    @Test
    void findsCardNumbersWhereverTheyStandAlone() {
        assertThat(CardNumberScan.cardNumbersIn("{\"cardNumber\":\"4242424242424242\"}"))
                .containsExactly("424242…4242 (16 digits)");
        assertThat(CardNumberScan.cardNumbersIn("paid with tok_4000056655665556, or 378282246310005 (Amex)"))
                .containsExactly("400005…5556 (16 digits)", "378282…0005 (15 digits)");
        assertThat(CardNumberScan.cardNumbersIn("name=Ada 5555555555554444\n")).hasSize(1);
    }

    @Test
    void leavesAloneWhatOnlyLooksLikeACardNumber() {
        assertThat(CardNumberScan.cardNumbersIn(String.join(" ",
                "4242424242424241",                                         // fails the Luhn check
                "1765012345678 1765012345678901234",                        // epoch millis and nanos
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // traceparent
                "4242424242424242424242",                                   // too long to be one
                "ord-00000000-0000-4000-8000-000000000001 tok_visa 4242"))) // ids, a token, last 4 digits
                .isEmpty();
    }
}
