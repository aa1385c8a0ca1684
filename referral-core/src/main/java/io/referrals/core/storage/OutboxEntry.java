package io.referrals.core.storage;

import io.referrals.core.event.ReferralEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored event and its delivery state.
 *
 * @param event the event
 * @param status delivery state
 * @param attempts failed delivery attempts so far
 * @param nextAttemptAt when the event is next due (for a claimed event, when the claim lapses)
 * @param lastError a short description of the last failure, or empty
 */
public record OutboxEntry(ReferralEvent event, OutboxStatus status, int attempts, Instant nextAttemptAt,
        String lastError) {
    public OutboxEntry {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        lastError = lastError == null ? "" : lastError;
    }
}
