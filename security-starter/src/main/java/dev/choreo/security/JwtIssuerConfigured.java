package dev.choreo.security;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Production: a JWT issuer, its key set or its public key is configured (Spring Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties), so the services are resource servers and have no
 * local users.
 */
class JwtIssuerConfigured extends AnyNestedCondition {

    private static final String PREFIX = "spring.security.oauth2.resourceserver.jwt";

    JwtIssuerConfigured() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty(prefix = PREFIX, name = "issuer-uri")
    static class IssuerUri {
    }

    @ConditionalOnProperty(prefix = PREFIX, name = "jwk-set-uri")
    static class JwkSetUri {
    }

    @ConditionalOnProperty(prefix = PREFIX, name = "public-key-location")
    static class PublicKeyLocation {
    }
}
