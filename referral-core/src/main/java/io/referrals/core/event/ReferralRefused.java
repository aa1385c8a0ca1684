package io.referrals.core.event;

import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;

/**
 * A capture was refused for a business reason (program not active, advocate opted out, code revoked); nothing else was written. The reason is safe to show the advocate.
 */
public record ReferralRefused(EventMetadata metadata, AdvocateSummary advocate, ProgramId programId, Reason reason) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onReferralRefused(this);
    }
}
