package dev.choreo.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own access rules, added before the shared ones' last rule (everything else needs the operator
 * role). Health is anonymous and metrics need the scraper (or operator) role in every service.
 */
@FunctionalInterface
public interface EndpointAccess {

    void configure(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules);
}
