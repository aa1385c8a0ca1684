package io.referrals.core.event;

import io.referrals.core.model.EventId;
import java.time.Instant;
import java.util.Objects;

/**
 * What every event carries.
 *
 * @param id a stable id, the same on every delivery, so a listener can de-duplicate
 * @param stream the stream the event belongs to: {@code referral:<id>} or {@code advocate:<id>}
 * @param sequence position in the stream, from 1 without gaps
 * @param occurredAt when the change happened, from the engine's clock
 */
public record EventMetadata(EventId id, String stream, long sequence, Instant occurredAt) {
    public EventMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
