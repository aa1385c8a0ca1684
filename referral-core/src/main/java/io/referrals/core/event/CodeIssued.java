package io.referrals.core.event;

import io.referrals.core.model.ProgramId;

/**
 * A referral code was issued. {@code link} is the landing URL with the code, or empty when the engine has no link builder.
 */
public record CodeIssued(EventMetadata metadata, AdvocateSummary advocate, ProgramId programId, String code, String link) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onCodeIssued(this);
    }
}
