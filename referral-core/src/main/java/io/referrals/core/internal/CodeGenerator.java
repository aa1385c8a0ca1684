package io.referrals.core.internal;

import java.util.random.RandomGenerator;

/**
 * Generates referral codes of 14 symbols from a 31-symbol alphabet without the ambiguous 0, O, 1, I and L:
 * 14 x log2(31) = 69.4 bits of entropy. Formatted in groups, for example {@code K7QD-MX2P-RT9H-WB}.
 */
public final class CodeGenerator {
    /** The alphabet: digits 2-9 and letters without I, L and O. */
    public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public static final int LENGTH = 14;

    private final RandomGenerator random;

    public CodeGenerator(RandomGenerator random) {
        this.random = random;
    }

    public String next() {
        StringBuilder sb = new StringBuilder(LENGTH + 3);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Bits of entropy of a generated code. */
    public static double entropyBits() {
        return LENGTH * (Math.log(ALPHABET.length()) / Math.log(2));
    }
}
