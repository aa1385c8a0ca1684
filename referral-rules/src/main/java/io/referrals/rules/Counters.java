package io.referrals.rules;

import io.referrals.core.storage.StoreTransaction;
import java.util.HashMap;
import java.util.Map;

/**
 * The atomic counters limits are applied with: the store's ({@link #of}) for real evaluation, or a map in memory
 * ({@link #inMemory}) for a backtest, which must write nothing to the store.
 */
interface Counters {

    /** See {@link StoreTransaction#tryConsume}. */
    boolean tryConsume(String key, long amount, long capacity);

    /** See {@link StoreTransaction#release}. */
    void release(String key, long amount);

    /** See {@link StoreTransaction#counter}. */
    long counter(String key);

    /** The store transaction's counters. */
    static Counters of(StoreTransaction tx) {
        return new Counters() {
            @Override
            public boolean tryConsume(String key, long amount, long capacity) {
                return tx.tryConsume(key, amount, capacity);
            }

            @Override
            public void release(String key, long amount) {
                tx.release(key, amount);
            }

            @Override
            public long counter(String key) {
                return tx.counter(key);
            }
        };
    }

    /** Counters kept in a map, for one thread. */
    static Counters inMemory() {
        Map<String, Long> values = new HashMap<>();
        return new Counters() {
            @Override
            public boolean tryConsume(String key, long amount, long capacity) {
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
            public void release(String key, long amount) {
                values.put(key, Math.max(0, values.getOrDefault(key, 0L) - amount));
            }

            @Override
            public long counter(String key) {
                return values.getOrDefault(key, 0L);
            }
        };
    }
}
