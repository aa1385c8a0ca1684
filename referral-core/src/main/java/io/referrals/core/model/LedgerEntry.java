package io.referrals.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One append-only entry of an advocate's points ledger. The balance is the sum of {@code points} over all entries.
 *
 * @param id the entry's id
 * @param advocateId whose ledger
 * @param kind earned, redeemed, expired, reversed or adjusted
 * @param points signed change: positive for credits, negative for debits
 * @param rewardId the reward it belongs to, or empty
 * @param idempotencyKey unique per ledger; an entry with a key already used is not applied twice
 * @param at when
 * @param reason a reason safe to show the advocate
 */
public record LedgerEntry(LedgerEntryId id, AdvocateId advocateId, Kind kind, long points, String rewardId,
        String idempotencyKey, Instant at, String reason) {
    /** Kinds of entry. */
    public enum Kind {
        EARNED, REDEEMED, EXPIRED, REVERSED, ADJUSTED
    }

    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(kind, "kind");
        if (points == 0) {
            throw new IllegalArgumentException("a ledger entry moves at least one point");
        }
        rewardId = Checks.text(rewardId);
        Checks.required(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(at, "at");
        reason = Checks.text(reason);
    }
}
