package io.referrals.core.privacy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes (HMAC-SHA256 with a host-supplied secret) of normalised emails, domains and other identifiers. The
 * engine stores these instead of comparing plain values, so duplicates and self-referrals are recognised while the
 * stored key reveals nothing without the secret; once a person is erased, their keys are removed too and the person
 * is not recognised again.
 *
 * <p>Normalisation of an email, applied before hashing: surrounding white space is removed, the address is lower-cased
 * (locale-independent), a {@code +tag} in the local part is dropped ({@code jane+promo@x.com} is {@code jane@x.com}),
 * and for {@code gmail.com} and {@code googlemail.com} dots in the local part are dropped and the domain is
 * {@code gmail.com} (Gmail ignores them). Other providers' dots are kept, since they are significant there.
 *
 * <p>Immutable and thread-safe. The secret is copied; keep it stable across restarts and shared by every engine on one
 * store, or matches across them are lost.
 */
public final class MatchKeys {
    private static final Set<String> GMAIL = Set.of("gmail.com", "googlemail.com");
    private final byte[] secret;

    private MatchKeys(byte[] secret) {
        this.secret = secret;
    }

    /**
     * Match keys under {@code secret}.
     *
     * @throws IllegalArgumentException if the secret is shorter than 16 bytes
     */
    public static MatchKeys withSecret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("a match key secret needs at least 16 bytes");
        }
        return new MatchKeys(Arrays.copyOf(secret, secret.length));
    }

    /**
     * The normalised form of an email address, as described above; empty for an empty or malformed value (no
     * {@code @} between a non-empty local part and domain).
     */
    public static String normalizeEmail(String email) {
        Objects.requireNonNull(email, "email");
        String e = email.strip().toLowerCase(Locale.ROOT);
        int at = e.lastIndexOf('@');
        if (at < 1 || at == e.length() - 1) {
            return "";
        }
        String local = e.substring(0, at);
        String domain = e.substring(at + 1);
        int plus = local.indexOf('+');
        if (plus >= 0) {
            local = local.substring(0, plus);
        }
        if (GMAIL.contains(domain)) {
            local = local.replace(".", "");
            domain = "gmail.com";
        }
        return local.isEmpty() ? "" : local + '@' + domain;
    }

    /** The domain part of an email address, lower case, or empty when there is none. */
    public static String domainOf(String email) {
        Objects.requireNonNull(email, "email");
        String e = email.strip().toLowerCase(Locale.ROOT);
        int at = e.lastIndexOf('@');
        return at < 0 || at == e.length() - 1 ? "" : e.substring(at + 1);
    }

    /** The key of a person's email, or empty for an empty or malformed email. */
    public String emailKey(String email) {
        String n = normalizeEmail(email);
        return n.isEmpty() ? "" : hmac("email:" + n);
    }

    /** The key of a domain (lower-cased, white space removed), or empty for an empty domain. */
    public String domainKey(String domain) {
        Objects.requireNonNull(domain, "domain");
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return d.isEmpty() ? "" : hmac("domain:" + d);
    }

    /** The key of any other identifier (an IP address, a device id) within {@code kind}, or empty when it is empty. */
    public String key(String kind, String value) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        return v.isEmpty() ? "" : hmac(kind + ':' + v);
    }

    private String hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] d = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(d.length * 2);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "MatchKeys[HmacSHA256]";
    }
}
