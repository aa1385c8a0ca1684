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
 * claim moves the next attempt of every event it takes to the lease's end, so later transactions pass the stream over
 * until then.
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
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        // per stream, the run of due events from its earliest undelivered one (delivered events in between are passed)
        List<List<StoredEvent>> runs = new ArrayList<>();
        for (TreeMap<Long, EventId> stream : state.streams.values()) {
            List<StoredEvent> run = new ArrayList<>();
            for (EventId id : stream.values()) {
                StoredEvent e = state.events.get(id);
                if (e.status == OutboxStatus.DELIVERED) {
                    continue;
                }
                if (e.status != OutboxStatus.PENDING || e.nextAttemptAt.isAfter(now)) {
                    break;
                }
                run.add(e);
            }
            if (!run.isEmpty()) {
                runs.add(run);
            }
        }
        // the earliest event of each stream first, oldest first; then the events after them, oldest first
        runs.sort(Comparator.comparingLong(r -> r.get(0).order));
        List<StoredEvent> taken = new ArrayList<>();
        for (List<StoredEvent> run : runs.subList(0, Math.min(limit, runs.size()))) {
            taken.add(run.get(0));
        }
        List<StoredEvent> later = new ArrayList<>();
        for (List<StoredEvent> run : runs.subList(0, taken.size())) {
            later.addAll(run.subList(1, run.size()));
        }
        later.sort(Comparator.comparingLong(e -> e.order));
        taken.addAll(later.subList(0, Math.min(limit - taken.size(), later.size())));
        taken.sort(Comparator.comparingLong(e -> e.order));
        List<OutboxEntry> claimed = new ArrayList<>(taken.size());
        for (StoredEvent e : taken) {
            saveForRollback(e);
            e.nextAttemptAt = leaseUntil;
            claimed.add(e.toEntry());
        }
        return claimed;
    }

    @Override
    public boolean release(EventId id, Instant dueAt) {
        undo.check();
        StoredEvent e = state.events.get(id);
        if (e == null || e.status != OutboxStatus.PENDING) {
            return false;
        }
        saveForRollback(e);
        e.nextAttemptAt = dueAt;
        return true;
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
