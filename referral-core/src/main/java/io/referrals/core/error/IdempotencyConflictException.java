package io.referrals.core.error;

/** An idempotency key was used again with a different payload; the first result stands and nothing was written. */
public final class IdempotencyConflictException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public IdempotencyConflictException(String key) {
        super("idempotencyKey", "idempotency key '" + key + "' was already used with a different payload", false);
    }
}
