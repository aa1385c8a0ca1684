package io.referrals.core.model;

import java.util.UUID;

/**
 * Identifies an event. Ids are opaque strings of 1-128 characters (letters, digits and {@code ._:@-}).
 *
 * @param value the id's text
 */
public record EventId(String value) {
    public EventId {
        Checks.id(value, "EventId");
    }

    /** Wraps an existing id. */
    public static EventId of(String value) {
        return new EventId(value);
    }

    /** A new random id. */
    public static EventId random() {
        return new EventId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
