package io.referrals.core.event;

/**
 * Receives the engine's events. Every method has a no-op default, so a listener implements only what it needs and new
 * event types stay compatible.
 *
 * <p>Guarantees: a listener is called only after the change an event describes is committed; events of one referral
 * reach a listener in sequence order; a listener that throws is logged at WARN and does not fail the caller or stop
 * other listeners. Delivery is synchronous on the caller's thread unless the engine was given an
 * {@link java.util.concurrent.Executor}. With a transactional outbox (see the JDBC store) delivery is at least once,
 * so listeners should de-duplicate by {@link EventMetadata#id()}.
 */
public interface ReferralListener {

    /**
     * Called for every event, of every type, before its per-type method: for a listener that handles all events in
     * one place (forwarding them to a message bus, say).
     */
    default void onEvent(ReferralEvent event) {
    }

    /** Called for every {@link AdvocateEnrolled}. */
    default void onAdvocateEnrolled(AdvocateEnrolled event) {
    }

    /** Called for every {@link AdvocateOptedOut}. */
    default void onAdvocateOptedOut(AdvocateOptedOut event) {
    }

    /** Called for every {@link AdvocateRegistered}. */
    default void onAdvocateRegistered(AdvocateRegistered event) {
    }

    /** Called for every {@link CodeIssued}. */
    default void onCodeIssued(CodeIssued event) {
    }

    /** Called for every {@link CodeRevoked}. */
    default void onCodeRevoked(CodeRevoked event) {
    }

    /** Called for every {@link ContestEnded}. */
    default void onContestEnded(ContestEnded event) {
    }

    /** Called for every {@link PointsBalanceChanged}. */
    default void onPointsBalanceChanged(PointsBalanceChanged event) {
    }

    /** Called for every {@link ReferralRefused}. */
    default void onReferralRefused(ReferralRefused event) {
    }

    /** Called for every {@link ReferralSubmitted}. */
    default void onReferralSubmitted(ReferralSubmitted event) {
    }

    /** Called for every {@link RewardApproved}. */
    default void onRewardApproved(RewardApproved event) {
    }

    /** Called for every {@link RewardEarned}. */
    default void onRewardEarned(RewardEarned event) {
    }

    /** Called for every {@link RewardExpired}. */
    default void onRewardExpired(RewardExpired event) {
    }

    /** Called for every {@link RewardFulfilled}. */
    default void onRewardFulfilled(RewardFulfilled event) {
    }

    /** Called for every {@link RewardFulfilmentFailed}. */
    default void onRewardFulfilmentFailed(RewardFulfilmentFailed event) {
    }

    /** Called for every {@link RewardFailed}. */
    default void onRewardFailed(RewardFailed event) {
    }

    /** Called for every {@link RewardRejected}. */
    default void onRewardRejected(RewardRejected event) {
    }

    /** Called for every {@link RewardReversed}. */
    default void onRewardReversed(RewardReversed event) {
    }

    /**
     * Called for every {@link StageChanged}: one per timeline entry, the reopening of a lost referral included (its
     * transition is then of kind {@link io.referrals.core.model.TimelineEntry.Kind#REOPENED}).
     */
    default void onStageChanged(StageChanged event) {
    }

    /** Called for every {@link ReferralReopened}, after the {@link StageChanged} of the same move. */
    default void onReferralReopened(ReferralReopened event) {
    }

    /** Called for every {@link ReferralFlagged}. */
    default void onReferralFlagged(ReferralFlagged event) {
    }

    /** Called for every {@link ReferralRejected}. */
    default void onReferralRejected(ReferralRejected event) {
    }

    /** Called for every {@link ReferralReviewed}. */
    default void onReferralReviewed(ReferralReviewed event) {
    }
}
