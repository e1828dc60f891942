package dev.choreo.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Every service's HTTP security: health is anonymous, metrics need the scraper or operator role, the rest of the
 * actuator is closed, the service's own {@link EndpointAccess} rules come next and everything else needs the
 * operator role. Callers authenticate with a JWT when an issuer is configured, with HTTP Basic as a local user
 * otherwise. Stateless: no session, no cookie (see {@link AccessProblems} for why that makes CSRF tokens moot).
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web."
            + "OAuth2ResourceServerWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ChoreoSecurityProperties.class)
public class ServiceSecurityAutoConfiguration {

    @Bean
    FilterRegistrationBean<RequestLimitsFilter> choreoRequestLimitsFilter(ChoreoSecurityProperties properties) {
        FilterRegistrationBean<RequestLimitsFilter> registration =
                new FilterRegistrationBean<>(new RequestLimitsFilter(properties));
        // before Spring Security's filter chain (-100): an oversized request is refused before anything reads it
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    /** A request Spring Security's firewall refuses (say a {@code ;} in the path) is a 400 problem too. */
    @Bean
    RequestRejectedHandler choreoRequestRejectedHandler() {
        return (request, response, rejected) -> Problems.write(request, response, HttpStatus.BAD_REQUEST,
                "Request rejected", rejected.getMessage(), null, null);
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(JwtIssuerConfigured.class)
    static class ResourceServer {

        @Bean
        SecurityFilterChain choreoSecurityFilterChain(HttpSecurity http, ObjectProvider<EndpointAccess> rules)
                throws Exception {
            AccessProblems problems = new AccessProblems(true);
            authorize(http, rules, problems);
            http.oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems));
            return http.build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(NoJwtIssuerConfigured.class)
    static class LocalUsersWithBasic {

        @Bean
        PasswordEncoder choreoPasswordEncoder() {
            return new SecretDigestPasswordEncoder();
        }

        @Bean
        InMemoryUserDetailsManager choreoLocalUsers(ChoreoSecurityProperties properties, PasswordEncoder encoder) {
            return LocalUsers.of(properties.users(), encoder);
        }

        @Bean
        SecurityFilterChain choreoSecurityFilterChain(HttpSecurity http, ObjectProvider<EndpointAccess> rules)
                throws Exception {
            AccessProblems problems = new AccessProblems(false);
            authorize(http, rules, problems);
            http.httpBasic(basic -> basic.authenticationEntryPoint(problems));
            return http.build();
        }
    }

    private static void authorize(HttpSecurity http, ObjectProvider<EndpointAccess> serviceRules,
            AccessProblems problems) throws Exception {
        http.authorizeHttpRequests(rules -> {
            rules.requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll();
            rules.requestMatchers("/actuator/prometheus")
                    .hasAnyRole(Role.SCRAPER.roleName(), Role.OPERATOR.roleName());
            rules.requestMatchers("/actuator", "/actuator/**").denyAll();
            // the API's description, not its data
            rules.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                    .permitAll();
            serviceRules.orderedStream().forEach(service -> service.configure(rules));
            rules.anyRequest().hasRole(Role.OPERATOR.roleName());
        });
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems));
    }
}
