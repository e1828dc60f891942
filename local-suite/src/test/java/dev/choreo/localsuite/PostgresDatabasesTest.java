package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;

import org.junit.jupiter.api.Test;

class PostgresDatabasesTest {

    private final PostgresDatabases postgres = PostgresDatabases.fromEnvironment();

    @Test
    void createsAndDropsADatabaseEvenWhileItIsInUse() throws Exception {
        String name = "e2e_selftest_" + Long.toHexString(System.nanoTime());
        postgres.create(name);
        try (Connection stillOpen = postgres.connect(name)) {
            assertThat(postgres.exists(name)).isTrue();
            assertThat(stillOpen.isValid(2)).isTrue();

            postgres.drop(name);

            assertThat(postgres.exists(name)).isFalse();
        }
        postgres.drop(name); // dropping a missing database is fine
    }

    @Test
    void refusesNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> postgres.create("x; DROP DATABASE postgres"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> postgres.drop("Upper"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
