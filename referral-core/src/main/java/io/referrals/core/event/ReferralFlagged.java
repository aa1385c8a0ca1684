package io.referrals.core.event;

import io.referrals.core.model.Reason;
import java.util.List;
import java.util.Objects;

/**
 * A referral was held for review ({@link io.referrals.core.model.ReviewStatus#FLAGGED}), at capture or later (another
 * referral took ownership of its prospect). Its rewards stay pending until the host approves it. Not contact-leading:
 * a host should not reach out to the prospect on this event.
 *
 * @param findings why, safe to show the advocate
 */
public record ReferralFlagged(EventMetadata metadata, ReferralSummary referral, List<Reason> findings)
        implements ReferralEvent {
    public ReferralFlagged {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(referral, "referral");
        findings = List.copyOf(findings);
    }

    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onReferralFlagged(this);
    }
}
