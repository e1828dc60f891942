package dev.choreo.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code choreo.security.*}.
 *
 * @param users              the local users' passwords, used when no JWT issuer is configured
 *                           ({@code spring.security.oauth2.resourceserver.jwt.*}); a user without one gets a
 *                           generated password, logged once at start-up
 * @param maxRequestSize     largest request body accepted; a larger one is refused with 413 before it is read
 * @param maxRequestHeaders  largest total size of the request headers (names and values); more is refused with 431
 */
@ConfigurationProperties("choreo.security")
public record ChoreoSecurityProperties(
        @DefaultValue Users users,
        @DefaultValue("64KB") DataSize maxRequestSize,
        @DefaultValue("8KB") DataSize maxRequestHeaders) {

    public ChoreoSecurityProperties {
        if (maxRequestSize.toBytes() < 1024 || maxRequestSize.toMegabytes() > 16) {
            throw new IllegalArgumentException("choreo.security.max-request-size must be between 1KB and 16MB");
        }
        if (maxRequestHeaders.toBytes() < 1024 || maxRequestHeaders.toKilobytes() > 64) {
            throw new IllegalArgumentException("choreo.security.max-request-headers must be between 1KB and 64KB");
        }
    }

    /** One local user per role; the user's name is the role's name. */
    public record Users(@DefaultValue User customer, @DefaultValue User operator, @DefaultValue User scraper) {

        User of(Role role) {
            return switch (role) {
                case CUSTOMER -> customer;
                case OPERATOR -> operator;
                case SCRAPER -> scraper;
            };
        }
    }

    /** @param password the password; empty means generated at start-up */
    public record User(String password) {
    }
}
