package dev.choreo.security.app;

import dev.choreo.security.Caller;
import dev.choreo.security.EndpointAccess;
import dev.choreo.security.Role;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A service with one operator-only endpoint and one a customer may call, as the services use the starter. */
@SpringBootApplication
public class SecuredTestApplication {

    @Bean
    EndpointAccess customerEndpoints() {
        return rules -> rules.requestMatchers(HttpMethod.POST, "/mine")
                .hasAnyRole(Role.CUSTOMER.roleName(), Role.OPERATOR.roleName());
    }

    @RestController
    static class Endpoints {

        @GetMapping("/everything")
        Map<String, String> everything() {
            return Map.of("who", Caller.current().name());
        }

        @PostMapping("/mine")
        Map<String, Object> mine(@RequestBody String body) {
            Caller caller = Caller.current();
            return Map.of("who", caller.name(), "operator", caller.operator(), "length", body.length());
        }
    }
}
