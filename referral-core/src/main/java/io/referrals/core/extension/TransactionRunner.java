package io.referrals.core.extension;

import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.storage.StoreTransaction;
import java.util.function.Function;

/**
 * Runs an extension's work in the engine's transactions, with the engine's guarantees: everything written and every
 * event emitted in one unit of work commits or rolls back together; events are stored in the transaction and reach
 * listeners only after the commit (or through the outbox); and events of one stream reach in-process listeners in
 * sequence order. Thread-safe.
 */
public interface TransactionRunner {

    /**
     * Runs {@code work} in one transaction whose events belong to {@code stream} (see
     * {@link io.referrals.core.event.EventStreams}), holding that stream's order within this engine from before the
     * transaction begins until its events are handed to listeners, so that no other unit of work of this engine on
     * the same stream interleaves with it.
     *
     * @return what {@code work} returned
     * @throws NullPointerException if an argument is null
     */
    <T> T inStream(String stream, Function<UnitOfWork, T> work);

    /**
     * Runs {@code work} in one transaction without holding any stream's order: for work that emits no events, or
     * whose events no other unit of work emits on concurrently.
     *
     * @return what {@code work} returned
     */
    <T> T inTransaction(Function<UnitOfWork, T> work);

    /**
     * Runs {@code work} directly on the store, in one transaction without event emission: for reads, and for writes
     * that emit no events.
     *
     * @return what {@code work} returned
     */
    <T> T inStore(Function<StoreTransaction, T> work);
}
