package io.referrals.core.view;

import java.util.Objects;

/**
 * How far an advocate is toward something in a program: the next reward, the next tier, or a rank in a contest.
 *
 * @param kind what is measured
 * @param title what it is toward, safe to show the advocate (a rule's, tier's or contest's name)
 * @param current where the advocate is: a count toward {@code target}, or their rank in a contest (1 = first;
 *     0 = not ranked yet)
 * @param target the count that reaches it, or the rank that wins a prize in a contest
 * @param text a sentence for the advocate in the view's language, for example "2 of 3 won referrals for the next
 *     bonus"
 */
public record Progress(Kind kind, String title, long current, long target, String text) {

    /** What a progress measures. */
    public enum Kind {
        /** Referrals counted toward the next reward of a rule (for example every third won referral). */
        NEXT_REWARD,
        /** Referrals counted toward the next tier this year. */
        TIER,
        /** The advocate's rank in a running contest, against the number of prizes. */
        CONTEST_RANK
    }

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code current} or {@code target} is negative
     */
    public Progress {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        if (current < 0 || target < 0) {
            throw new IllegalArgumentException("current and target are not negative: " + current + ", " + target);
        }
    }
}
