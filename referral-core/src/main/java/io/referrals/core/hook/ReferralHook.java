package io.referrals.core.hook;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import io.referrals.core.model.TimelineEntry;
import java.util.List;

/**
 * Reacts to changes inside the engine's transaction, before it commits. Unlike a
 * {@link io.referrals.core.event.ReferralListener}, a hook that throws rolls the whole operation back and the
 * exception reaches the caller: hooks are for work that must happen together with the change (paying a reward,
 * recording a fraud signal). Every method has a no-op default. Hooks run in registration order.
 */
public interface ReferralHook {

    /** A referral was captured and stored in {@code work}'s transaction. */
    default void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
    }

    /** A referral moved to {@code entry.to()} in {@code work}'s transaction; {@code referral} is the new state. */
    default void afterTransition(UnitOfWork work, Program program, Advocate advocate, Referral referral,
            TimelineEntry entry) {
    }

    /**
     * The host approved or denied a flagged referral in {@code work}'s transaction; {@code referral.review()} is the
     * decision. A rewards extension releases or cancels the referral's pending rewards here.
     */
    default void afterReview(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
    }

    /**
     * A unit of work is about to commit, having emitted {@code events} (in emission order, never empty): every
     * event of any operation or extension that goes through the engine's transactions, whether it is then delivered
     * in-process or left in the outbox. Runs once per transaction attempt, after the work itself and in its
     * transaction, so what the hook writes commits or rolls back with the events. The hook must not emit events
     * itself; events it emitted anyway are stored and delivered but not passed to this method again. An advocate
     * messages extension turns events into pending messages here.
     */
    default void beforeCommit(UnitOfWork work, List<ReferralEvent> events) {
    }
}
