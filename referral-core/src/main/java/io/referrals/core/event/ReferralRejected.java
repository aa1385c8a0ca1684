package io.referrals.core.event;

import io.referrals.core.model.Reason;
import java.util.List;
import java.util.Objects;

/**
 * A captured referral was recorded as rejected by the eligibility checks (self-referral, duplicate, ...): it is stored
 * with its reasons, in the program's rejected stage when the pipeline has one, and never earns rewards. Not
 * contact-leading.
 *
 * @param reasons why, safe to show the advocate
 */
public record ReferralRejected(EventMetadata metadata, ReferralSummary referral, List<Reason> reasons)
        implements ReferralEvent {
    public ReferralRejected {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(referral, "referral");
        reasons = List.copyOf(reasons);
    }

    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onReferralRejected(this);
    }
}
