package io.referrals.core.storage;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.LedgerEntry;
import java.util.List;

/**
 * The points ledger area of a {@link StoreTransaction}. Checked by {@code LedgerRecordsContract} in the contract kit.
 */
public interface LedgerRecords {

    /**
     * Appends a ledger entry if the advocate's balance stays at zero or above; otherwise writes nothing and returns
     * {@code false}. The check and the write are one atomic step: concurrent redemptions never take the balance below
     * zero.
     *
     * @throws DuplicateKeyException {@link UniqueKey#LEDGER_ENTRY} for a known id, or an idempotency key already used
     *     in the advocate's ledger
     */
    boolean append(LedgerEntry entry);

    /** The advocate's points balance: the sum of their ledger entries, 0 without any. */
    long balance(AdvocateId advocateId);

    /** The advocate's ledger, ordered by time then id. */
    List<LedgerEntry> entries(AdvocateId advocateId);

    /**
     * A page of the advocate's ledger, newest first (by {@link LedgerEntry#at()} descending, then id descending), only
     * entries {@linkplain Before#admits after} {@code before}, at most {@code limit}. A store should answer it from an
     * index on (advocate, at, id).
     *
     * @throws IllegalArgumentException if {@code limit} is not between 1 and {@value ReferralRecords#MAX_PAGE}
     */
    List<LedgerEntry> entries(AdvocateId advocateId, Before before, int limit);
}
