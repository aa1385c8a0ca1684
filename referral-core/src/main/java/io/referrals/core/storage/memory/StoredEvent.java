package io.referrals.core.storage.memory;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import java.time.Instant;

/**
 * An event as the in-memory store keeps it: the event, its place in the order of appends (oldest first for the
 * outbox), and its delivery state, which the outbox changes in place (pushing {@link #restore} of a copy to undo).
 */
final class StoredEvent {
    final ReferralEvent event;
    final long order;
    OutboxStatus status;
    int attempts;
    Instant nextAttemptAt;
    String lastError = "";

    StoredEvent(ReferralEvent event, long order, OutboxStatus status, Instant nextAttemptAt) {
        this.event = event;
        this.order = order;
        this.status = status;
        this.nextAttemptAt = nextAttemptAt;
    }

    OutboxEntry toEntry() {
        return new OutboxEntry(event, status, attempts, nextAttemptAt, lastError);
    }

    /** Puts back the delivery state of {@code e}, a copy taken by {@link #toEntry} before a change. */
    void restore(OutboxEntry e) {
        status = e.status();
        attempts = e.attempts();
        nextAttemptAt = e.nextAttemptAt();
        lastError = e.lastError();
    }
}
