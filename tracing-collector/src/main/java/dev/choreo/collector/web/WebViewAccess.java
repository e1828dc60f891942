package dev.choreo.collector.web;

import dev.choreo.security.EndpointAccess;
import dev.choreo.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The web view's files are anonymous: the page holds no data and asks the operator to sign in before it calls the
 * API. The scraper, the monitoring principal, also reads the processes (Grafana's table of stuck processes asks
 * with it): read-only, so a dashboard viewer who sends Grafana a query of their own can look, never act.
 * Everything else of the collector is the operators' (security-starter's last rule).
 */
@Configuration(proxyBeanMethods = false)
class WebViewAccess {

    @Bean
    EndpointAccess webViewFilesAreAnonymous() {
        return rules -> rules
                .requestMatchers(HttpMethod.GET, "/", "/index.html", "/app.js", "/app.css", "/deadletters.js",
                        "/favicon.ico").permitAll()
                .requestMatchers(HttpMethod.GET, "/processes", "/processes/*")
                .hasAnyRole(Role.SCRAPER.roleName(), Role.OPERATOR.roleName());
    }
}
