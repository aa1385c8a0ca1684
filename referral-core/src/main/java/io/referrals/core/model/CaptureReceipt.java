package io.referrals.core.model;

import java.util.List;
import java.util.Objects;

/**
 * What the capture that recorded a referral returned, kept with the referral ({@link Referral#captured()}) so that a
 * replay of that capture (the same idempotency key and payload) returns the same result, whatever became of the
 * referral since: a referral accepted and later denied in review still replays as accepted, with the review status,
 * stage and findings it was recorded with. Holds no personal data.
 *
 * @param rejected true when the eligibility checks rejected the referral (the capture returned a rejection), false
 *     when the capture accepted it, possibly flagged for review
 * @param stage the stage the capture recorded: the pipeline's initial stage, or its rejected stage when {@code closed}
 * @param closed true when the capture moved the rejected referral to the pipeline's rejected stage (outcome
 *     {@link Outcome#REJECTED}, one timeline entry)
 * @param review the review status the capture recorded: {@link ReviewStatus#CLEAR} or {@link ReviewStatus#FLAGGED}
 *     when accepted, {@link ReviewStatus#DENIED} when rejected
 * @param findings the eligibility findings the capture recorded: why it was flagged, or the reasons of the rejection
 */
public record CaptureReceipt(boolean rejected, Stage stage, boolean closed, ReviewStatus review,
        List<Reason> findings) {

    /**
     * @throws IllegalArgumentException if the values contradict each other: a rejection that is not
     *     {@link ReviewStatus#DENIED} or has no finding, an acceptance that is not {@link ReviewStatus#CLEAR} or
     *     {@link ReviewStatus#FLAGGED}, a flag without a finding, or an acceptance that is {@code closed}
     */
    public CaptureReceipt {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(review, "review");
        findings = List.copyOf(findings);
        if (rejected && (review != ReviewStatus.DENIED || findings.isEmpty())) {
            throw new IllegalArgumentException("a rejected capture is recorded DENIED with its reasons");
        }
        if (!rejected && review != ReviewStatus.CLEAR && review != ReviewStatus.FLAGGED) {
            throw new IllegalArgumentException("an accepted capture is recorded CLEAR or FLAGGED: " + review);
        }
        if (review == ReviewStatus.FLAGGED && findings.isEmpty()) {
            throw new IllegalArgumentException("a flagged capture is recorded with its findings");
        }
        if (closed && !rejected) {
            throw new IllegalArgumentException("only a rejected capture can close the referral");
        }
    }
}
