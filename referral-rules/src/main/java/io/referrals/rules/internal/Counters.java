package io.referrals.rules.internal;

import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords;
import io.referrals.core.storage.StoreTransaction;
import java.util.HashMap;
import java.util.Map;

/**
 * The atomic counters limits are applied with: the store's ({@link #of}) for real evaluation, or a map in memory
 * ({@link #inMemory}) for a backtest, which must write nothing to the store.
 */
interface Counters {

    /** See {@link CounterRecords#tryConsume}. */
    boolean tryConsume(CounterKey key, long amount, long capacity);

    /** See {@link CounterRecords#release}. */
    void release(CounterKey key, long amount);

    /** See {@link CounterRecords#value}. */
    long counter(CounterKey key);

    /** The store transaction's counters. */
    static Counters of(StoreTransaction tx) {
        return new Counters() {
            @Override
            public boolean tryConsume(CounterKey key, long amount, long capacity) {
                return tx.counters().tryConsume(key, amount, capacity);
            }

            @Override
            public void release(CounterKey key, long amount) {
                tx.counters().release(key, amount);
            }

            @Override
            public long counter(CounterKey key) {
                return tx.counters().value(key);
            }
        };
    }

    /** Counters kept in a map, for one thread. */
    static Counters inMemory() {
        Map<CounterKey, Long> values = new HashMap<>();
        return new Counters() {
            @Override
            public boolean tryConsume(CounterKey key, long amount, long capacity) {
                if (amount < 1) {
                    throw new IllegalArgumentException("amount must be positive: " + amount);
                }
                long now = values.getOrDefault(key, 0L);
                if (amount > capacity - now) {
                    return false;
                }
                values.put(key, now + amount);
                return true;
            }

            @Override
            public void release(CounterKey key, long amount) {
                values.put(key, Math.max(0, values.getOrDefault(key, 0L) - amount));
            }

            @Override
            public long counter(CounterKey key) {
                return values.getOrDefault(key, 0L);
            }
        };
    }
}
