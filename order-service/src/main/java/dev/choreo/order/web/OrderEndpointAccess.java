package dev.choreo.order.web;

import dev.choreo.security.EndpointAccess;
import dev.choreo.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Customers use the orders API too (their own orders only: {@link OrderController} checks whose order it is);
 * everything else of order-service is the operators' (security-starter's last rule).
 */
@Configuration(proxyBeanMethods = false)
class OrderEndpointAccess {

    @Bean
    EndpointAccess customersUseTheOrdersApi() {
        String[] customerOrOperator = {Role.CUSTOMER.roleName(), Role.OPERATOR.roleName()};
        return rules -> rules
                .requestMatchers(HttpMethod.POST, "/orders", "/orders/*/cancel").hasAnyRole(customerOrOperator)
                .requestMatchers(HttpMethod.GET, "/orders", "/orders/*").hasAnyRole(customerOrOperator);
    }
}
