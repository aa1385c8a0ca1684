package io.referrals.core.messages;

import java.util.Set;

/**
 * What a message to an advocate is about. Each topic comes from one kind of engine event and has its own template,
 * with the placeholders listed here (every template may also use {@code {advocateName}} and {@code {programName}}).
 * A prospect appears in a message only by its company name ({@code {company}}).
 */
public enum MessageTopic {
    /** A referral of the advocate was captured ({@code ReferralSubmitted}). Placeholders: {@code company}. */
    REFERRAL_RECEIVED(Set.of("company")),
    /**
     * A referral moved to an open stage ({@code StageChanged}), or a lost one was reopened. Placeholders:
     * {@code company}, {@code stage} (the stage's label from the bundle, {@code stage.<name>}, or its name).
     */
    REFERRAL_PROGRESSED(Set.of("company", "stage")),
    /** A referral reached a stage whose outcome is won. Placeholders: {@code company}. */
    REFERRAL_WON(Set.of("company")),
    /**
     * A referral reached a stage whose outcome is lost. Placeholders: {@code company}, {@code reason} (the
     * advocate-safe wording the CRM loss reason is mapped to; never the CRM's own text).
     */
    REFERRAL_LOST(Set.of("company", "reason")),
    /** A reward was earned, possibly still held ({@code RewardEarned}). Placeholders: {@code reward}. */
    REWARD_EARNED(Set.of("reward")),
    /** A reward was approved after its hold or review ({@code RewardApproved}). Placeholders: {@code reward}. */
    REWARD_APPROVED(Set.of("reward")),
    /** A reward was fulfilled: paid, credited or sent ({@code RewardFulfilled}). Placeholders: {@code reward}. */
    REWARD_FULFILLED(Set.of("reward")),
    /**
     * The advocate's points balance changed for a reward of the program ({@code PointsBalanceChanged}).
     * Placeholders: {@code points} (the change, signed), {@code balance}.
     */
    POINTS_CHANGED(Set.of("points", "balance"));

    private final Set<String> placeholders;

    MessageTopic(Set<String> placeholders) {
        this.placeholders = placeholders;
    }

    /** The placeholders this topic's template may use besides {@code advocateName} and {@code programName}. */
    public Set<String> placeholders() {
        return placeholders;
    }

    /** The bundle key prefix of this topic's templates: {@code topic.referral_received}, for example. */
    public String key() {
        return "topic." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
