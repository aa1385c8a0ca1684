package io.referrals.core.storage;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The referrals area of a {@link StoreTransaction}. Checked by {@code ReferralRecordsContract} in the contract kit.
 *
 * <p>A store keeps every value of a referral and reads it back equal ({@link Referral#equals}) through every method
 * here: also its {@linkplain Referral#captured() capture receipt}, which the engine's idempotent replay returns, and a
 * referral written without one reads back without one.
 */
public interface ReferralRecords {

    /** The most keys {@link #byProspectKeys} accepts in one call. */
    int MAX_PROSPECT_KEYS = 8;

    /**
     * Stores a new referral. A store may hold this write back (see {@link StoreTransaction}).
     *
     * @throws DuplicateKeyException {@link UniqueKey#REFERRAL_ID}, or {@link UniqueKey#IDEMPOTENCY_KEY} when another
     *     referral has the same non-empty idempotency key
     */
    void insert(Referral referral);

    /**
     * Stores many new referrals at once, with the obligations of {@link #insert} for each; a store should send them
     * in batches. On a {@link DuplicateKeyException} the caller's transaction is rolled back, so the whole list is
     * written or none of it.
     */
    void insertAll(List<Referral> referrals);

    /** Replaces a referral if the stored version is exactly {@code referral.version() - 1}; else returns false. */
    boolean update(Referral referral);

    /** The referral with this id. */
    Optional<Referral> get(ReferralId id);

    /** The referral captured with this non-empty idempotency key. */
    Optional<Referral> byIdempotencyKey(String idempotencyKey);

    /** A page of referrals matching {@code query}, ordered by id. */
    List<Referral> find(ReferralQuery query);

    /**
     * Referrals whose {@link Referral#prospectEmailKey()} or {@link Referral#prospectDomainKey()} equals any of
     * {@code keys}, in any program, each at most once, newest first (by {@link Referral#submittedAt()} descending, then
     * id descending), at most {@code limit} in all: the limit keeps the newest, so claims inside a protection window
     * are never crowded out by older referrals. Keys are opaque lower-case hex strings compared exactly; empty keys
     * match nothing (referrals whose keys were erased are never returned), so an empty set, or one of empty keys only,
     * returns an empty list. Every capture calls this once, with the prospect's key and the advocate's email key, so
     * that the ownership and circular-referral checks share one query. A store should answer it from indexes on both
     * columns, and must read the latest committed rows (a locking read where the default isolation level would read
     * an older snapshot): a capture that waited for a concurrent capture's lock on the prospect's counter then sees
     * that capture's referral.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive or {@code keys} holds more than
     *     {@value #MAX_PROSPECT_KEYS} keys
     */
    List<Referral> byProspectKeys(Set<String> keys, int limit);

    /** The most rows a newest-first page may ask for. */
    int MAX_PAGE = 1000;

    /**
     * An advocate's referrals in every program, newest first (by {@link Referral#submittedAt()} descending, then id
     * descending), only those {@linkplain Before#admits after} {@code before}, at most {@code limit}. A store should
     * answer it from an index on (advocate, submitted at, id), so that any page costs one index range read.
     *
     * @throws IllegalArgumentException if {@code limit} is not between 1 and {@value #MAX_PAGE}
     */
    List<Referral> ofAdvocate(AdvocateId advocateId, Before before, int limit);
}
