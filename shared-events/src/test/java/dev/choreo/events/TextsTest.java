package dev.choreo.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void keepsWhatFitsAndCutsTheRestToTheLimit() {
        assertThat(Texts.abbreviate("short", Limits.REASON)).isEqualTo("short");
        assertThat(Texts.abbreviate(null, Limits.REASON)).isNull();
        String cut = Texts.abbreviate("order cancelled: " + "x".repeat(Limits.REASON), Limits.REASON);
        assertThat(cut).hasSize(Limits.REASON).startsWith("order cancelled: x").endsWith("…");
    }

    @Test
    void neverSplitsASurrogatePair() {
        String cut = Texts.abbreviate("ab\uD83D\uDE00cd", 4);
        assertThat(cut).isEqualTo("ab…");
    }
}
