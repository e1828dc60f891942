package dev.choreo.security;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** The security defaults, with the lowest precedence so a service or its operator can override each. */
class SecurityDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("choreoSecurityDefaults", Map.of(
                // nothing else of the actuator is reachable over HTTP
                "management.endpoints.web.exposure.include", "health,prometheus",
                // a JWT's roles claim, e.g. "roles": ["operator"], becomes ROLE_operator, as for local users
                "spring.security.oauth2.resourceserver.jwt.authorities-claim-name", "roles",
                "spring.security.oauth2.resourceserver.jwt.authority-prefix", "ROLE_",
                // Tomcat's own limit is only the backstop: RequestLimitsFilter answers 431 with problem details
                "server.max-http-request-header-size", "64KB")));
    }
}
