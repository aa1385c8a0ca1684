package io.referrals.core.extension;

import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.storage.StoreTransaction;
import java.util.Collection;
import java.util.function.Function;

/**
 * Runs an extension's work in the engine's transactions, with the engine's guarantees: everything written and every
 * event emitted in one unit of work commits or rolls back together; events are stored in the transaction and reach
 * listeners only after the commit (or through the outbox); and events of one stream reach in-process listeners in
 * sequence order. Thread-safe.
 *
 * <p>Stream order: a unit of work holds the order of every stream it emits on (see
 * {@link io.referrals.core.event.EventStreams}) within this engine, from before its first event on that stream until
 * its events are handed to listeners, so no other unit of work of this engine emits on the same stream in between. The
 * streams a unit of work names are taken before its transaction begins, waiting for any other unit of work that holds
 * one. A stream it does not name is taken when its first event on that stream is emitted, if no other unit of work
 * holds it; if one does, the transaction is rolled back and {@code work} runs again, after taking every stream it
 * emitted on. Streams are always waited for in one fixed order, and a stream taken during a transaction is never waited
 * for, so units of work do not deadlock. Naming the streams a unit of work will emit on saves those runs again.
 *
 * <p>So {@code work} may run more than once: it must have no effect outside the unit of work it is given (the same
 * holds for the retries after a conflict that the engine's own operations make).
 */
public interface TransactionRunner {

    /**
     * Runs {@code work} in one transaction whose events belong to {@code stream} (see
     * {@link io.referrals.core.event.EventStreams}), taking that stream's order within this engine before the
     * transaction begins, so that no other unit of work of this engine on the same stream interleaves with it. Other
     * streams it emits on are taken as the class documentation describes.
     *
     * @return what {@code work} returned
     * @throws NullPointerException if an argument is null
     */
    <T> T inStream(String stream, Function<UnitOfWork, T> work);

    /**
     * Runs {@code work} in one transaction that emits on {@code streams} (see
     * {@link io.referrals.core.event.EventStreams}), taking the order of all of them within this engine, in a fixed
     * order, before the transaction begins: for work whose events belong to several streams, such as a referral's
     * and its advocate's. Other streams it emits on are taken as the class documentation describes.
     *
     * @return what {@code work} returned
     * @throws NullPointerException if {@code streams}, one of them, or {@code work} is null
     */
    <T> T inStreams(Collection<String> streams, Function<UnitOfWork, T> work);

    /**
     * Runs {@code work} in one transaction naming no stream up front: for work that emits no events, or on streams
     * it cannot know before it reads the store. Each stream it emits on is taken as the class documentation
     * describes, so per-stream order holds for its events too.
     *
     * @return what {@code work} returned
     * @throws NullPointerException if {@code work} is null
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
