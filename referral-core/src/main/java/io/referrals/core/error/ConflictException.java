package io.referrals.core.error;

/**
 * A write collided with existing data: an external id, a vanity code or an idempotency key that is already taken, or
 * a row changed by someone else since it was read. Retrying the whole operation may succeed where
 * {@link #isRetryable()} says so.
 */
public class ConflictException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final String subject;
    private final boolean retryable;

    public ConflictException(String subject, String message, boolean retryable) {
        super(message);
        this.subject = subject;
        this.retryable = retryable;
    }

    /** What collided, for example {@code advocate.externalId}, {@code code} or {@code referral.version}. */
    public String subject() {
        return subject;
    }

    /** True when the collision was with a concurrent update and repeating the operation may succeed. */
    public boolean isRetryable() {
        return retryable;
    }
}
