package dev.choreo.security;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * One local user per role, named after it ({@code customer}, {@code operator}, {@code scraper}), with the
 * configured password or, like Spring Boot's default user, a generated one logged once. The local suite generates
 * the three passwords itself, hands them to every service and prints them.
 */
final class LocalUsers {

    private static final Logger log = LoggerFactory.getLogger(LocalUsers.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalUsers() {
    }

    static InMemoryUserDetailsManager of(ChoreoSecurityProperties.Users users, PasswordEncoder encoder) {
        List<UserDetails> details = new ArrayList<>();
        for (Role role : Role.values()) {
            String password = users.of(role).password();
            if (password == null || password.isBlank()) {
                password = generated();
                log.warn("Generated password for the local user '{}': {} (set choreo.security.users.{}.password "
                        + "to choose it; configure a JWT issuer for production)", role.roleName(), password,
                        role.roleName());
            }
            details.add(User.withUsername(role.roleName())
                    .password(encoder.encode(password))
                    .roles(role.roleName())
                    .build());
        }
        return new InMemoryUserDetailsManager(details);
    }

    /** 128 random bits, URL-safe. */
    static String generated() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
