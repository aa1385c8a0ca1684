package io.referrals.core.storage.memory;

import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.EventId;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.EventRecords;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/**
 * {@link EventRecords} of an in-memory transaction: events by id, each stream's event ids by sequence, and the last
 * sequence reserved per stream.
 */
final class MemoryEvents implements EventRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryEvents(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public long nextSequence(String stream) {
        undo.check();
        long next = state.sequences.getOrDefault(stream, 0L) + 1;
        undo.put(state.sequences, stream, next);
        return next;
    }

    @Override
    public void append(ReferralEvent event, boolean pending, Instant dueAt) {
        undo.check();
        EventId id = event.metadata().id();
        String stream = event.metadata().stream();
        long seq = event.metadata().sequence();
        if (state.events.containsKey(id) || state.streams.getOrDefault(stream, new TreeMap<>()).containsKey(seq)) {
            throw new DuplicateKeyException(UniqueKey.EVENT);
        }
        TreeMap<Long, EventId> s = state.streams.get(stream);
        if (s == null) {
            s = new TreeMap<>();
            undo.put(state.streams, stream, s);
        }
        undo.put(s, seq, id);
        long order = ++state.eventOrder;
        undo.onRollback(() -> state.eventOrder--);
        undo.put(state.events, id, new StoredEvent(event, order,
                pending ? OutboxStatus.PENDING : OutboxStatus.DELIVERED, dueAt));
    }

    @Override
    public List<OutboxEntry> ofStream(String stream) {
        undo.check();
        return state.streams.getOrDefault(stream, new TreeMap<>()).values().stream()
                .map(id -> state.events.get(id).toEntry()).toList();
    }

    @Override
    public boolean replace(ReferralEvent event) {
        undo.check();
        EventMetadata m = event.metadata();
        StoredEvent old = state.events.get(m.id());
        if (old == null) {
            return false;
        }
        EventMetadata was = old.event.metadata();
        if (!was.stream().equals(m.stream()) || was.sequence() != m.sequence()
                || !was.occurredAt().equals(m.occurredAt())) {
            throw new IllegalArgumentException("a replacement must keep the event's stream, sequence and time");
        }
        StoredEvent replaced = new StoredEvent(event, old.order, old.status, old.nextAttemptAt);
        replaced.attempts = old.attempts;
        replaced.lastError = old.lastError;
        undo.put(state.events, m.id(), replaced);
        return true;
    }
}
