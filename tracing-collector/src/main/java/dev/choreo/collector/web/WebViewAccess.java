package dev.choreo.collector.web;

import dev.choreo.security.EndpointAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The web view's files are anonymous: the page holds no data and asks the operator to sign in before it calls the
 * API. Everything else of the collector is the operators' (security-starter's last rule).
 */
@Configuration(proxyBeanMethods = false)
class WebViewAccess {

    @Bean
    EndpointAccess webViewFilesAreAnonymous() {
        return rules -> rules.requestMatchers(HttpMethod.GET, "/", "/index.html", "/app.js", "/app.css",
                "/favicon.ico").permitAll();
    }
}
