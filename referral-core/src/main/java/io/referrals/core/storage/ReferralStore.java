package io.referrals.core.storage;

import java.util.function.Function;

/**
 * Where the engine keeps its data. Implementations must be thread-safe; several engines, in one process or many, may
 * share one store.
 *
 * <p>Obligations:
 * <ul>
 *   <li>{@link #inTransaction} runs {@code work} as one atomic unit: either everything it wrote is committed when it
 *       returns, or, when it throws, nothing it wrote is visible to anyone, ever.</li>
 *   <li>Reads inside a transaction see the transaction's own writes.</li>
 *   <li>The exception thrown by {@code work} is rethrown unchanged after the rollback.</li>
 *   <li>A failure of the store itself surfaces as {@link io.referrals.core.error.StorageException} (keeping the
 *       SQLState where there is one), never as a raw driver exception.</li>
 *   <li>Correctness under concurrency comes from unique keys and conditional writes of {@link StoreTransaction}, not
 *       from the isolation level: a store at READ COMMITTED is acceptable.</li>
 * </ul>
 */
public interface ReferralStore {

    /**
     * Runs {@code work} in one transaction and returns its result.
     *
     * @throws io.referrals.core.error.StorageException if the store fails; the transaction is rolled back
     */
    <T> T inTransaction(Function<StoreTransaction, T> work);
}
