package io.referrals.core.event;

import io.referrals.core.model.ReviewStatus;
import java.util.Objects;

/**
 * The host decided on a flagged referral. {@link ReviewStatus#APPROVED} releases it (its pending rewards may proceed)
 * and is contact-leading: it is not emitted for a referral captured without a consent basis.
 * {@link ReviewStatus#DENIED} means it never earns rewards.
 *
 * @param decision {@link ReviewStatus#APPROVED} or {@link ReviewStatus#DENIED}
 * @param reviewer who decided (the host's user id), or empty
 * @param note the reviewer's note, or empty
 */
public record ReferralReviewed(EventMetadata metadata, ReferralSummary referral, ReviewStatus decision,
        String reviewer, String note) implements ReferralEvent {
    public ReferralReviewed {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(referral, "referral");
        Objects.requireNonNull(decision, "decision");
        if (decision != ReviewStatus.APPROVED && decision != ReviewStatus.DENIED) {
            throw new IllegalArgumentException("a review decision is APPROVED or DENIED");
        }
        reviewer = reviewer == null ? "" : reviewer;
        note = note == null ? "" : note;
    }

    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onReferralReviewed(this);
    }
}
