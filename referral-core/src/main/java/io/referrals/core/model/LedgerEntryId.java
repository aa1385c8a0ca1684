package io.referrals.core.model;

import java.util.UUID;

/**
 * Identifies a ledger entry. Ids are opaque strings of 1-128 characters (letters, digits and {@code ._:@-}).
 *
 * @param value the id's text
 */
public record LedgerEntryId(String value) {
    public LedgerEntryId {
        Checks.id(value, "LedgerEntryId");
    }

    /** Wraps an existing id. */
    public static LedgerEntryId of(String value) {
        return new LedgerEntryId(value);
    }

    /** A new random id. */
    public static LedgerEntryId random() {
        return new LedgerEntryId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
