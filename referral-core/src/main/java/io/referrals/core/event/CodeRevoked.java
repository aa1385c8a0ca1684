package io.referrals.core.event;

import io.referrals.core.model.ProgramId;

/**
 * A referral code was revoked; referrals using it are refused.
 */
public record CodeRevoked(EventMetadata metadata, AdvocateSummary advocate, ProgramId programId, String code) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onCodeRevoked(this);
    }
}
