package dev.choreo.security;

import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Conditional;

/** The local run and the tests: no JWT issuer configured, so the local users authenticate with HTTP Basic. */
class NoJwtIssuerConfigured extends NoneNestedConditions {

    NoJwtIssuerConfigured() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @Conditional(JwtIssuerConfigured.class)
    static class Issuer {
    }
}
