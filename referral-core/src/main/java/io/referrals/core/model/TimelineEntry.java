package io.referrals.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One stage transition of a referral. Entries are numbered from 1 without gaps, in the order they happened.
 *
 * @param referralId the referral
 * @param sequence position in the referral's timeline, from 1
 * @param from the stage left
 * @param to the stage entered
 * @param at when
 * @param cause what caused it
 * @param reason a reason safe to show the advocate, or empty
 * @param externalRef a reference in another system, such as a CRM opportunity id, or empty
 */
public record TimelineEntry(ReferralId referralId, int sequence, Stage from, Stage to, Instant at,
        TransitionCause cause, String reason, String externalRef) {
    public TimelineEntry {
        Objects.requireNonNull(referralId, "referralId");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(cause, "cause");
        reason = Checks.text(reason);
        externalRef = Checks.text(externalRef);
    }
}
