package dev.choreo.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The authenticated caller of the current request: a name (a JWT's subject, or the local user's name) and roles.
 * Controllers ask it who acts instead of trusting a name in the request body.
 */
public record Caller(String name, boolean operator, boolean customer) {

    /**
     * The caller of the request being handled.
     *
     * @throws IllegalStateException outside an authenticated request: the filter chain admits no anonymous caller
     *                               to an endpoint that asks
     */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null) {
            throw new IllegalStateException("no authenticated caller");
        }
        return new Caller(authentication.getName(),
                has(authentication, Role.OPERATOR), has(authentication, Role.CUSTOMER));
    }

    /** Whether this caller may see and act on what belongs to {@code customerId}. */
    public boolean mayActFor(String customerId) {
        return operator || (customer && name.equals(customerId));
    }

    private static boolean has(Authentication authentication, Role role) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(role.authority()::equals);
    }
}
