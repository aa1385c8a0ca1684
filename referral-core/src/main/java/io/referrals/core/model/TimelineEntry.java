package io.referrals.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One stage change of a referral. Entries are numbered from 1 without gaps, in the order they happened.
 *
 * @param referralId the referral
 * @param sequence position in the referral's timeline, from 1
 * @param from the stage left
 * @param to the stage entered
 * @param at when
 * @param cause what caused it, and who
 * @param reason a reason safe to show the advocate, or empty
 * @param externalRef a reference in another system, such as a CRM opportunity id, or empty
 * @param kind an ordinary move, or the reopening of a lost referral
 */
public record TimelineEntry(ReferralId referralId, int sequence, Stage from, Stage to, Instant at,
        TransitionCause cause, String reason, String externalRef, Kind kind) {

    /** Kinds of timeline entry. */
    public enum Kind {
        /** A move the pipeline allows as a transition (or the move to a rejected stage at capture or review). */
        MOVED,
        /**
         * A lost referral brought back to an open stage, as its pipeline's declared reopenings allow
         * ({@link StagePipeline#reopens}): {@code from} is the lost stage, {@code cause} says who reopened it and
         * {@code reason} why.
         */
        REOPENED
    }

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
        Objects.requireNonNull(kind, "kind");
    }

    /** An ordinary move ({@link Kind#MOVED}). */
    public TimelineEntry(ReferralId referralId, int sequence, Stage from, Stage to, Instant at, TransitionCause cause,
            String reason, String externalRef) {
        this(referralId, sequence, from, to, at, cause, reason, externalRef, Kind.MOVED);
    }

    /** True when this entry reopened a lost referral. */
    public boolean isReopening() {
        return kind == Kind.REOPENED;
    }
}
