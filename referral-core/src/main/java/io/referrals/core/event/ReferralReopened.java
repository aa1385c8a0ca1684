package io.referrals.core.event;

import io.referrals.core.model.TimelineEntry;
import java.util.Objects;

/**
 * A lost referral was reopened: moved back from its lost stage to an open stage, as its program's pipeline allows.
 * Emitted right after the {@link StageChanged} of the same move. {@code transition} is the new timeline entry, of
 * kind {@link TimelineEntry.Kind#REOPENED}: its {@code from} is the lost stage, its {@code cause} says who reopened
 * the referral and its {@code reason} why (safe to show the advocate).
 *
 * @param metadata id, stream, sequence and time
 * @param referral the referral after the move
 * @param transition the reopening's timeline entry
 */
public record ReferralReopened(EventMetadata metadata, ReferralSummary referral, TimelineEntry transition)
        implements ReferralEvent {
    public ReferralReopened {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(referral, "referral");
        Objects.requireNonNull(transition, "transition");
        if (!transition.isReopening()) {
            throw new IllegalArgumentException("the transition of a ReferralReopened is a reopening");
        }
    }

    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onReferralReopened(this);
    }
}
