package io.referrals.core;

import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import java.util.Objects;

/** The outcome of a capture: accepted (possibly a replay of an earlier capture) or refused with a reason. */
public sealed interface CaptureResult {

    /** True for {@link Accepted}. */
    default boolean isAccepted() {
        return this instanceof Accepted;
    }

    /**
     * The referral was stored.
     *
     * @param referral the referral
     * @param replayed true when an earlier capture with the same idempotency key and payload is being returned
     */
    record Accepted(Referral referral, boolean replayed) implements CaptureResult {
        public Accepted {
            Objects.requireNonNull(referral, "referral");
        }
    }

    /**
     * The referral was not stored, for a reason safe to show the advocate: the program is not active, the advocate
     * opted out or is not enrolled, the code is unknown or revoked.
     *
     * @param reason why
     */
    record Refused(Reason reason) implements CaptureResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
