package dev.choreo.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * SHA-256 of the password, compared in constant time. The local users' passwords are generated 128-bit secrets
 * (or set by whoever runs the suite) and every request authenticates again (no sessions), so a deliberately slow
 * hash such as bcrypt would cost tens of milliseconds of CPU per request while protecting nothing that a random
 * 128-bit secret needs: a slow hash defends low-entropy human passwords against offline guessing. Production runs
 * with JWTs from an issuer and has no local users.
 */
final class SecretDigestPasswordEncoder implements PasswordEncoder {

    @Override
    public String encode(CharSequence rawPassword) {
        return Base64.getEncoder().encodeToString(digest(rawPassword));
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(encodedPassword);
        } catch (IllegalArgumentException notOurs) {
            return false;
        }
        return MessageDigest.isEqual(digest(rawPassword), expected);
    }

    private static byte[] digest(CharSequence password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
