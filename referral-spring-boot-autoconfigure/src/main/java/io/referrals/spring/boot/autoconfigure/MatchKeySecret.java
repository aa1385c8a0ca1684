package io.referrals.spring.boot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads {@code referrals.match-key-secret}: plain text, or {@code base64:} and Base64. */
final class MatchKeySecret {
    private static final String BASE64 = "base64:";

    private MatchKeySecret() {
    }

    /** @throws IllegalStateException if the secret is missing, not Base64 after the prefix, or under 16 bytes */
    static byte[] decode(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("referrals.match-key-secret is required: a secret of at least 16 bytes,"
                    + " the same on every instance and stable across restarts (prospects are matched for duplicates"
                    + " under it); plain text, or base64: followed by Base64");
        }
        byte[] bytes;
        if (value.startsWith(BASE64)) {
            try {
                bytes = Base64.getDecoder().decode(value.substring(BASE64.length()).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("referrals.match-key-secret starts with base64: but is not Base64", e);
            }
        } else {
            bytes = value.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length < 16) {
            throw new IllegalStateException("referrals.match-key-secret is " + bytes.length + " bytes long; it needs"
                    + " at least 16");
        }
        return bytes;
    }
}
