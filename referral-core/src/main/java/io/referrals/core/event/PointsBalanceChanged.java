package io.referrals.core.event;

import io.referrals.core.model.LedgerEntry;

/**
 * An advocate's points balance changed by {@code entry}; {@code balance} is the balance after it.
 */
public record PointsBalanceChanged(EventMetadata metadata, AdvocateSummary advocate, LedgerEntry entry, long balance) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onPointsBalanceChanged(this);
    }
}
