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
 *       SQLState where there is one), never as a raw driver exception. A transaction that lost a race at the database
 *       (deadlock victim, serialisation failure, write conflict) surfaces as a retryable
 *       {@link io.referrals.core.error.ConflictException} instead: the engine reruns the operation only then.</li>
 *   <li>Correctness under concurrency comes from unique keys and conditional writes of {@link StoreTransaction}, not
 *       from the isolation level: a store at READ COMMITTED is acceptable.</li>
 *   <li>Unless it {@linkplain #joinsHostTransactions() joins host transactions}, {@code inTransaction} has committed
 *       when it returns; it never commits or rolls back a transaction it did not begin.</li>
 * </ul>
 */
public interface ReferralStore {

    /**
     * Runs {@code work} in one transaction and returns its result.
     *
     * @throws io.referrals.core.error.StorageException if the store fails; the transaction is rolled back
     */
    <T> T inTransaction(Function<StoreTransaction, T> work);

    /**
     * Whether what this store writes outlives this object: a database that engines in other processes, or in this
     * process after a restart, read again. The engine then refuses to build without a stable match-key secret
     * ({@link io.referrals.core.ReferralEngine.Builder#matchKeySecret}), since a random one would stop matching
     * prospects the moment it changed. True unless the store keeps its data in this object only, as the in-memory
     * store does.
     *
     * @return true if the data outlives this object (the default), false if it lives in this object only
     */
    default boolean isPersistent() {
        return true;
    }

    /**
     * Whether {@link #inTransaction} may run inside a transaction that the host began and commits or rolls back
     * later, after {@code inTransaction} has returned (for example a JDBC store given a connection that is in the
     * host's transaction). For such a store a return from {@code inTransaction} is not a commit: the work can still be
     * undone by the host. The engine then refuses to deliver events in process, which would announce work the host
     * may roll back, and requires the outbox ({@link io.referrals.core.ReferralEngine.Builder#outbox()}), whose events
     * become visible to a dispatcher only with the host's commit. A store that always commits its own transactions
     * answers false. The answer is fixed for the life of the store. A store that decorates another (to count, trace
     * or inject faults) must pass this and {@link #isPersistent()} on from the store it wraps, or the engine's checks
     * will not see what the wrapped store does.
     *
     * @return true if the store may join transactions it does not commit, false (the default) if every
     *     {@code inTransaction} that returns has committed
     */
    default boolean joinsHostTransactions() {
        return false;
    }
}
