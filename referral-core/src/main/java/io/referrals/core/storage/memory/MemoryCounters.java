package io.referrals.core.storage.memory;

import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CounterRecords} of an in-memory transaction: counters by {@link CounterKey#value()}, absent until first
 * consumed. Transactions run one at a time, so each check and write is atomic.
 */
final class MemoryCounters implements CounterRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryCounters(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public boolean tryConsume(CounterKey key, long amount, long capacity) {
        undo.check();
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amount);
        }
        long current = state.counters.getOrDefault(key.value(), 0L);
        if (current + amount > capacity) {
            return false;
        }
        undo.put(state.counters, key.value(), current + amount);
        return true;
    }

    @Override
    public List<Boolean> tryConsumeEach(List<Consumption> consumptions) {
        undo.check();
        List<Boolean> applied = new ArrayList<>(consumptions.size());
        for (Consumption c : consumptions) {
            applied.add(tryConsume(c.key(), c.amount(), c.capacity()));
        }
        return List.copyOf(applied);
    }

    @Override
    public void release(CounterKey key, long amount) {
        undo.check();
        long current = state.counters.getOrDefault(key.value(), 0L);
        undo.put(state.counters, key.value(), Math.max(0, current - amount));
    }

    @Override
    public long value(CounterKey key) {
        undo.check();
        return state.counters.getOrDefault(key.value(), 0L);
    }
}
