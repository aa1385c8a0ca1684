package io.referrals.core.error;

/**
 * Root of every exception this library throws for an error that is not a programming mistake. Programming mistakes
 * (a {@code null} argument, a negative page size) are reported with the JDK's own {@link NullPointerException},
 * {@link IllegalArgumentException} and {@link IllegalStateException}.
 *
 * <p>Messages carry ids and codes, never a prospect's email, name or phone number.
 */
public abstract class ReferralException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ReferralException(String message) {
        super(message);
    }

    protected ReferralException(String message, Throwable cause) {
        super(message, cause);
    }
}
