package io.referrals.core.moments;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * When and whom a program may ask for a referral. Immutable.
 *
 * <p>A moment's <b>strength</b> is the weight of its kind; for an NPS answer, a 10 counts the full NPS weight, a 9
 * four fifths of it, a passive 7-8 nothing, and a detractor 0-6 minus twice the weight (a recent detractor outweighs
 * other moments, so the advocate is not asked). A moment's contribution decays with its age: {@code strength *
 * 0.5^(age / halfLife)}. An advocate's score is the sum over the moments of the last {@code lookback}; only advocates
 * with a positive score are candidates.
 *
 * @param cooldown no new ask of an advocate within this time after the last ask in the program
 * @param responseWindow a pending ask older than this is closed as {@link AskStatus#NO_RESPONSE} by
 *     {@link io.referrals.core.MomentsOfDelight#closeUnanswered}
 * @param lookback moments older than this are ignored
 * @param halfLife a moment's contribution halves after this time
 * @param weights the strength of each kind, every kind present, zero or more
 */
public record AskPolicy(Duration cooldown, Duration responseWindow, Duration lookback, Duration halfLife, Map<MomentKind, Integer> weights) {

    /** Default weights: public praise and NPS 10 = 100, result achieved 90, go-live 80, renewal 70, contract 60. */
    public static final Map<MomentKind, Integer> DEFAULT_WEIGHTS = Map.of(MomentKind.PUBLIC_PRAISE, 100,
            MomentKind.NPS_ANSWER, 100, MomentKind.RESULT_ACHIEVED, 90, MomentKind.GO_LIVE, 80,
            MomentKind.RENEWAL, 70, MomentKind.CONTRACT_SIGNED, 60);

    /**
     * 90 days' cooldown, 30 days to answer, 90 days' lookback, a 14-day half-life, {@link #DEFAULT_WEIGHTS}.
     */
    public static final AskPolicy DEFAULT = new AskPolicy(Duration.ofDays(90), Duration.ofDays(30),
            Duration.ofDays(90), Duration.ofDays(14), DEFAULT_WEIGHTS);

    public AskPolicy {
        positive(cooldown, "cooldown");
        positive(responseWindow, "responseWindow");
        positive(lookback, "lookback");
        positive(halfLife, "halfLife");
        Objects.requireNonNull(weights, "weights");
        for (MomentKind k : MomentKind.values()) {
            Integer w = weights.get(k);
            if (w == null || w < 0) {
                throw new IllegalArgumentException("every moment kind needs a weight of zero or more: " + k);
            }
        }
        weights = Map.copyOf(new EnumMap<>(weights));
    }

    /** A copy with another cooldown. */
    public AskPolicy withCooldown(Duration cooldown) {
        return new AskPolicy(cooldown, responseWindow, lookback, halfLife, weights);
    }

    /** The strength of {@code moment} before decay; negative for an NPS detractor. */
    public double strength(Moment moment) {
        int w = weights.get(moment.kind());
        if (moment.kind() != MomentKind.NPS_ANSWER) {
            return w;
        }
        int score = moment.npsScore().orElseThrow();
        if (score == 10) {
            return w;
        } else if (score == 9) {
            return w * 0.8;
        } else if (score >= 7) {
            return 0;
        }
        return -2.0 * w;
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
