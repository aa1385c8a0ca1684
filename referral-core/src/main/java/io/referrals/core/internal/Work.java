package io.referrals.core.internal;

import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.EventId;
import io.referrals.core.storage.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The engine's {@link UnitOfWork}: a store transaction, its time, the events it emitted, and the order of the streams
 * it emits on.
 */
public final class Work implements UnitOfWork {
    private final StoreTransaction store;
    private final Instant now;
    private final boolean outbox;
    private final StreamOrder order;
    private final List<ReferralEvent> events = new ArrayList<>();

    /** Holds the in-process order of the streams a unit of work emits on. */
    public interface StreamOrder {
        /**
         * Takes {@code stream}'s order for the unit of work, if it does not hold it yet; called before each event is
         * emitted. Throws (an unchecked exception that rolls the unit of work back) when it cannot take it at once.
         */
        void hold(String stream);
    }

    /**
     * @param outbox true to store events as pending for an outbox dispatcher; false to store them as delivered
     *     in-process after commit
     * @param order takes the order of each stream before the first event on it
     */
    public Work(StoreTransaction store, Instant now, boolean outbox, StreamOrder order) {
        this.store = store;
        this.now = now;
        this.outbox = outbox;
        this.order = Objects.requireNonNull(order, "order");
    }

    @Override
    public StoreTransaction store() {
        return store;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public <E extends ReferralEvent> E emit(String stream, Function<EventMetadata, E> factory) {
        Objects.requireNonNull(stream, "stream");
        order.hold(stream);
        long seq = store.events().nextSequence(stream);
        E event = Objects.requireNonNull(factory.apply(new EventMetadata(EventId.random(), stream, seq, now)),
                "event");
        if (!event.metadata().stream().equals(stream) || event.metadata().sequence() != seq) {
            throw new IllegalArgumentException("an event must carry the metadata it was built with");
        }
        store.events().append(event, outbox, now);
        events.add(event);
        return event;
    }

    /** Events emitted so far, in order. */
    public List<ReferralEvent> events() {
        return events;
    }
}
