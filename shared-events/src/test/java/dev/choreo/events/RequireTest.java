package dev.choreo.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequireTest {

    @Test
    void textIsBoundedAndTheMessageNamesTheFieldNotTheValue() {
        assertThat(Require.text("x".repeat(Limits.REASON), "reason", Limits.REASON)).hasSize(Limits.REASON);
        assertThatThrownBy(() -> Require.text("secret".repeat(100), "reason", Limits.REASON))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reason must not be longer than 500 characters");
        assertThatThrownBy(() -> Require.text(" ", "reason", Limits.REASON)).hasMessage("reason must not be blank");
    }

    @Test
    void moneyIsNotNegativeAtMostTheMaximumAndInCents() {
        assertThat(Require.money(Limits.MAX_AMOUNT, "total")).isEqualByComparingTo(Limits.MAX_AMOUNT);
        assertThat(Require.money(new BigDecimal("10.500"), "total")).isEqualByComparingTo("10.5");
        assertThat(Require.money(new BigDecimal("1E+3"), "total")).isEqualByComparingTo("1000");
        assertThatThrownBy(() -> Require.money(Limits.MAX_AMOUNT.add(new BigDecimal("0.01")), "total"))
                .hasMessage("total must not exceed 9999999999.99");
        assertThatThrownBy(() -> Require.money(new BigDecimal("1e999999999"), "total"))
                .hasMessage("total must not exceed 9999999999.99");
        assertThatThrownBy(() -> Require.money(new BigDecimal("1e-999999999"), "total"))
                .hasMessage("total must not have more than 2 decimals");
        assertThatThrownBy(() -> Require.money(new BigDecimal("0.001"), "total"))
                .hasMessage("total must not have more than 2 decimals");
        assertThatThrownBy(() -> Require.money(new BigDecimal("-0.01"), "total"))
                .hasMessage("total must not be negative");
    }

    @Test
    void listsAreBoundedWithoutNulls() {
        List<String> most = Collections.nCopies(Limits.LINES_PER_ORDER, "SKU");
        assertThat(Require.nonEmpty(most, "lines", Limits.LINES_PER_ORDER)).hasSize(Limits.LINES_PER_ORDER);
        assertThatThrownBy(() -> Require.nonEmpty(Collections.nCopies(10_000, "SKU"), "lines",
                Limits.LINES_PER_ORDER)).hasMessage("lines must not have more than 50 elements");
        assertThatThrownBy(() -> Require.nonEmpty(List.of(), "lines", 1)).hasMessage("lines must not be empty");
        assertThatThrownBy(() -> Require.optionalList(java.util.Arrays.asList("a", null), "skus", 5))
                .hasMessage("skus must not contain null");
        assertThat(Require.optionalList(null, "skus", 5)).isEmpty();
    }

    @Test
    void quantitiesAreBounded() {
        assertThat(Require.positive(Limits.QUANTITY_PER_LINE, "quantity", Limits.QUANTITY_PER_LINE)).isEqualTo(100);
        assertThatThrownBy(() -> Require.positive(0, "quantity", Limits.QUANTITY_PER_LINE))
                .hasMessage("quantity must be between 1 and 100");
        assertThatThrownBy(() -> Require.positive(101, "quantity", Limits.QUANTITY_PER_LINE))
                .hasMessage("quantity must be between 1 and 100");
    }
}
