package io.referrals.core.model;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A code that attributes referrals to an advocate in a program. Codes are compared by their {@link #key()}:
 * upper case, without hyphens or spaces, so {@code jane-acme}, {@code JANE ACME} and {@code JANEACME} are one code.
 *
 * @param code the code as issued, for display
 * @param advocateId whose code it is
 * @param programId the program it refers into
 * @param vanity true for a host-chosen code, false for a generated one
 * @param status active or revoked
 * @param issuedAt when it was issued
 * @param statusChangedAt when the status last changed (the issue time while active)
 */
public record ReferralCode(String code, AdvocateId advocateId, ProgramId programId, boolean vanity,
        CodeStatus status, Instant issuedAt, Instant statusChangedAt) {

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9]+([- ][A-Za-z0-9]+)*");

    /** Shortest and longest {@link #key()} of a vanity code. */
    public static final int MIN_VANITY_LENGTH = 4;
    public static final int MAX_VANITY_LENGTH = 32;

    public ReferralCode {
        Objects.requireNonNull(code, "code");
        if (!isWellFormed(code)) {
            throw new IllegalArgumentException("malformed referral code");
        }
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(statusChangedAt, "statusChangedAt");
    }

    /** The lookup key of this code. */
    public String key() {
        return normalize(code);
    }

    public boolean isActive() {
        return status == CodeStatus.ACTIVE;
    }

    /** A copy revoked at {@code at}. */
    public ReferralCode revoke(Instant at) {
        return new ReferralCode(code, advocateId, programId, vanity, CodeStatus.REVOKED, issuedAt, at);
    }

    /** The lookup key of any typed code: upper case, hyphens and spaces removed, surrounding blanks trimmed. */
    public static String normalize(String typed) {
        Objects.requireNonNull(typed, "typed");
        StringBuilder sb = new StringBuilder(typed.length());
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c != '-' && c != ' ') {
                sb.append(c);
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * True for 4-32 ASCII letters and digits, optionally grouped by single hyphens or spaces: {@code JANE-ACME}.
     */
    public static boolean isWellFormed(String code) {
        if (code == null || code.length() > 2 * MAX_VANITY_LENGTH || !WELL_FORMED.matcher(code).matches()) {
            return false;
        }
        int len = normalize(code).length();
        return len >= MIN_VANITY_LENGTH && len <= MAX_VANITY_LENGTH;
    }
}
