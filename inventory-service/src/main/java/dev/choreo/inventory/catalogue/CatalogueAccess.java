package dev.choreo.inventory.catalogue;

import dev.choreo.security.EndpointAccess;
import dev.choreo.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Customers browse the catalogue (products, prices, what is in stock); reservations and everything else of
 * inventory-service are the operators' (security-starter's last rule).
 */
@Configuration(proxyBeanMethods = false)
class CatalogueAccess {

    @Bean
    EndpointAccess customersBrowseTheCatalogue() {
        return rules -> rules.requestMatchers(HttpMethod.GET, "/products", "/products/*")
                .hasAnyRole(Role.CUSTOMER.roleName(), Role.OPERATOR.roleName());
    }
}
