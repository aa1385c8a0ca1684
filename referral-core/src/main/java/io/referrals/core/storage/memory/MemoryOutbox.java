package io.referrals.core.storage.memory;

import io.referrals.core.model.EventId;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxRecords;
import io.referrals.core.storage.OutboxStatistics;
import io.referrals.core.storage.OutboxStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link OutboxRecords} of an in-memory transaction: changes the delivery state of the {@link StoredEvent}s in place,
 * pushing a copy of the state before each change to undo. Transactions run one at a time, so no two claim at once; a
 * claim moves the next attempt to the lease's end, so later transactions pass the event over until then.
 */
final class MemoryOutbox implements OutboxRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryOutbox(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public List<OutboxEntry> claimDue(Instant now, int limit, Instant leaseUntil) {
        undo.check();
        List<StoredEvent> due = new ArrayList<>();
        for (TreeMap<Long, EventId> stream : state.streams.values()) {
            for (EventId id : stream.values()) {
                StoredEvent e = state.events.get(id);
                if (e.status == OutboxStatus.DELIVERED) {
                    continue;
                }
                if (e.status == OutboxStatus.PENDING && !e.nextAttemptAt.isAfter(now)) {
                    due.add(e);
                }
                break; // only the earliest undelivered event of a stream is claimable
            }
        }
        due.sort(Comparator.comparingLong(e -> e.order));
        List<OutboxEntry> claimed = new ArrayList<>();
        for (StoredEvent e : due.subList(0, Math.min(limit, due.size()))) {
            saveForRollback(e);
            e.nextAttemptAt = leaseUntil;
            claimed.add(e.toEntry());
        }
        return claimed;
    }

    @Override
    public boolean markDelivered(EventId id) {
        undo.check();
        StoredEvent e = state.events.get(id);
        if (e == null || e.status != OutboxStatus.PENDING) {
            return false;
        }
        saveForRollback(e);
        e.status = OutboxStatus.DELIVERED;
        return true;
    }

    @Override
    public boolean markFailed(EventId id, String error, Instant retryAt, boolean park) {
        undo.check();
        StoredEvent e = state.events.get(id);
        if (e == null || e.status != OutboxStatus.PENDING) {
            return false;
        }
        saveForRollback(e);
        e.attempts++;
        e.lastError = error == null ? "" : error;
        e.nextAttemptAt = retryAt;
        if (park) {
            e.status = OutboxStatus.PARKED;
        }
        return true;
    }

    @Override
    public List<OutboxEntry> parked(int limit) {
        undo.check();
        return state.events.values().stream().filter(e -> e.status == OutboxStatus.PARKED)
                .sorted(Comparator.comparingLong(e -> e.order)).limit(limit).map(StoredEvent::toEntry).toList();
    }

    @Override
    public boolean requeue(EventId id, Instant dueAt) {
        undo.check();
        StoredEvent e = state.events.get(id);
        if (e == null || e.status != OutboxStatus.PARKED) {
            return false;
        }
        saveForRollback(e);
        e.status = OutboxStatus.PENDING;
        e.nextAttemptAt = dueAt;
        return true;
    }

    @Override
    public OutboxStatistics statistics() {
        undo.check();
        long pending = 0;
        long parked = 0;
        Instant oldest = null;
        for (StoredEvent e : state.events.values()) {
            if (e.status == OutboxStatus.PARKED) {
                parked++;
            } else if (e.status == OutboxStatus.PENDING) {
                pending++;
                Instant at = e.event.metadata().occurredAt();
                if (oldest == null || at.isBefore(oldest)) {
                    oldest = at;
                }
            }
        }
        return pending == 0 ? OutboxStatistics.nonePending(parked) : OutboxStatistics.of(pending, parked, oldest);
    }

    @Override
    public int deleteDelivered(Instant occurredBefore, int limit) {
        undo.check();
        Objects.requireNonNull(occurredBefore, "occurredBefore");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<StoredEvent> old = state.events.values().stream()
                .filter(e -> e.status == OutboxStatus.DELIVERED
                        && e.event.metadata().occurredAt().isBefore(occurredBefore))
                .sorted(Comparator.comparingLong(e -> e.order)).limit(limit).toList();
        for (StoredEvent e : old) {
            String stream = e.event.metadata().stream();
            TreeMap<Long, EventId> s = state.streams.get(stream);
            undo.remove(s, e.event.metadata().sequence());
            if (s.isEmpty()) {
                undo.remove(state.streams, stream);
            }
            undo.remove(state.events, e.event.metadata().id());
        }
        return old.size();
    }

    private void saveForRollback(StoredEvent e) {
        OutboxEntry before = e.toEntry();
        undo.onRollback(() -> e.restore(before));
    }
}
