package io.referrals.core.event;

import io.referrals.core.model.TimelineEntry;

/**
 * A referral moved to another stage; {@code transition} is the new timeline entry.
 */
public record StageChanged(EventMetadata metadata, ReferralSummary referral, TimelineEntry transition) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onStageChanged(this);
    }
}
