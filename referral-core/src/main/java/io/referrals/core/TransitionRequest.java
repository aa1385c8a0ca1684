package io.referrals.core;

import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import java.util.Objects;

/**
 * A request to move a referral to another stage.
 *
 * @param referralId the referral
 * @param to the stage to enter
 * @param cause what causes the move
 * @param reason a reason safe to show the advocate, or empty
 * @param externalRef a reference such as a CRM opportunity id, or empty
 */
public record TransitionRequest(ReferralId referralId, Stage to, TransitionCause cause, String reason,
        String externalRef) {
    public TransitionRequest {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cause, "cause");
        reason = reason == null ? "" : reason;
        externalRef = externalRef == null ? "" : externalRef;
    }

    public static TransitionRequest of(ReferralId referralId, Stage to, TransitionCause cause) {
        return new TransitionRequest(referralId, to, cause, "", "");
    }
}
