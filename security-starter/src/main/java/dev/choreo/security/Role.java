package dev.choreo.security;

import java.util.Locale;

/**
 * Who may do what over HTTP. A JWT names its roles in the {@code roles} claim in lower case ({@code "operator"});
 * local users get the same authorities, so both paths are checked by the same rules.
 */
public enum Role {

    /** Places orders and reads and cancels their own; their customer id is their principal name. */
    CUSTOMER,
    /** Lists everything, cancels any order, runs the collector's actions. */
    OPERATOR,
    /** Reads metrics. */
    SCRAPER;

    /** The authority this role is granted as, e.g. {@code ROLE_operator}. */
    public String authority() {
        return "ROLE_" + roleName();
    }

    /** The role's name in a token's {@code roles} claim and in {@code hasRole} checks, e.g. {@code operator}. */
    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
