package io.referrals.core.event;

import io.referrals.core.model.ProgramId;

/**
 * An advocate joined a program.
 */
public record AdvocateEnrolled(EventMetadata metadata, AdvocateSummary advocate, ProgramId programId, String programName) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onAdvocateEnrolled(this);
    }
}
