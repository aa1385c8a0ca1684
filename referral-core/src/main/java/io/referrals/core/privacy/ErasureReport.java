package io.referrals.core.privacy;

/**
 * What an erasure changed. Counts only: the report itself holds no personal data.
 *
 * @param referrals referrals whose personal data was removed
 * @param advocates advocate records pseudonymised (0 or 1)
 * @param events stored events (delivered or pending in the outbox) rewritten
 */
public record ErasureReport(int referrals, int advocates, int events) {
    public ErasureReport {
        if (referrals < 0 || advocates < 0 || events < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
