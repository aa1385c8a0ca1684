package io.referrals.core.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The name of a counter in {@link CounterRecords}: caps, budgets, velocity limits and one-shot markers each own one.
 * Built from parts with {@link #of}, the one place counter keys are assembled. A key is at most {@value #MAX_LENGTH}
 * characters: {@link #of} hashes a longer one (keeping a readable prefix and a SHA-256 of the whole), so two different
 * part lists never share a counter, whatever their length, and a store that keeps {@value #MAX_LENGTH} characters
 * keeps every key exactly.
 *
 * @param value the key as stored, 1 to {@value #MAX_LENGTH} characters
 */
public record CounterKey(String value) {

    /** The longest key, in characters; every store keeps keys of this length exactly. */
    public static final int MAX_LENGTH = 200;

    private static final int HASH_CHARS = 64;

    /**
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is blank or longer than {@value #MAX_LENGTH} characters
     */
    public CounterKey {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a counter key must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a counter key has at most " + MAX_LENGTH + " characters, was "
                    + value.length() + "; build long keys with CounterKey.of, which hashes them");
        }
    }

    /**
     * The key of a kind of counter and its parts, such as {@code of("cap", programId, ruleKey, advocateId)}. Parts are
     * joined with {@code ':'} after escaping {@code '%'} and {@code ':'} in each, so different part lists give
     * different keys; a result longer than {@value #MAX_LENGTH} characters becomes its first characters, {@code '#'}
     * and the SHA-256 of the whole in hex.
     *
     * @throws NullPointerException if {@code kind} or a part is null
     * @throws IllegalArgumentException if {@code kind} is blank
     */
    public static CounterKey of(String kind, String... parts) {
        Objects.requireNonNull(kind, "kind");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("a counter kind must not be blank");
        }
        StringBuilder key = new StringBuilder(escape(kind));
        for (String part : parts) {
            key.append(':').append(escape(Objects.requireNonNull(part, "part")));
        }
        if (key.length() <= MAX_LENGTH) {
            return new CounterKey(key.toString());
        }
        String whole = key.toString();
        return new CounterKey(whole.substring(0, MAX_LENGTH - HASH_CHARS - 1) + '#' + sha256(whole));
    }

    private static String escape(String part) {
        return part.indexOf('%') < 0 && part.indexOf(':') < 0 ? part
                : part.replace("%", "%25").replace(":", "%3A");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
