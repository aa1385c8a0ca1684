package io.referrals.core.hook;

import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.storage.StoreTransaction;
import java.time.Instant;
import java.util.function.Function;

/**
 * One engine transaction, as seen by an extension. Everything written through {@link #store()} and every event
 * {@link #emit emitted} commits or rolls back together; events reach listeners only after the commit. Used by one
 * thread, only during the call that handed it out.
 */
public interface UnitOfWork {

    /** The store transaction. */
    StoreTransaction store();

    /** The time of this unit of work, read once from the engine's clock. */
    Instant now();

    /**
     * Emits an event on {@code stream}: reserves the stream's next sequence, builds the event from its metadata,
     * stores it, and schedules it for delivery after commit.
     *
     * @return the event built
     */
    <E extends ReferralEvent> E emit(String stream, Function<EventMetadata, E> factory);
}
