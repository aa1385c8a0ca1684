package io.referrals.core.storage;

import java.util.List;
import java.util.Objects;

/**
 * The counters area of a {@link StoreTransaction}: atomic bounded counters, which is how caps, budgets, velocity
 * limits and limited challenges are enforced across engines. Keys are {@link CounterKey}s of up to
 * {@value CounterKey#MAX_LENGTH} characters, which a store keeps exactly: two different keys never share a counter.
 * Checked by {@code CounterRecordsContract} in the contract kit.
 */
public interface CounterRecords {

    /**
     * Adds {@code amount} to the counter {@code key} (created at 0) if the result stays at or below {@code capacity};
     * otherwise writes nothing and returns {@code false}. Atomic: concurrent callers never take a counter past its
     * capacity.
     *
     * @throws IllegalArgumentException if {@code amount} is not positive
     */
    boolean tryConsume(CounterKey key, long amount, long capacity);

    /**
     * Applies each consumption as {@link #tryConsume} would, in list order, and returns, in the same order, whether
     * each was applied. Each one is atomic on its own, with the same guarantee as {@link #tryConsume}; together they
     * are not all or nothing: one that would pass its capacity writes nothing while the others apply. The counters are
     * locked in list order, as by successive calls. A store may apply them all in one statement (the engine consumes
     * the counters of one capture together); a list naming one key twice means the same as successive calls. An empty
     * list writes nothing and returns an empty list.
     */
    List<Boolean> tryConsumeEach(List<Consumption> consumptions);

    /** Subtracts {@code amount} from the counter, not below 0 (a reversed reward frees its share of a cap). */
    void release(CounterKey key, long amount);

    /** The counter's value, 0 if it was never consumed. */
    long value(CounterKey key);

    /**
     * One consumption of {@link #tryConsumeEach}: add {@code amount} to the counter {@code key} if the result stays at
     * or below {@code capacity}.
     *
     * @param key the counter
     * @param amount positive
     * @param capacity the most the counter may hold
     */
    record Consumption(CounterKey key, long amount, long capacity) {
        /**
         * @throws NullPointerException if {@code key} is null
         * @throws IllegalArgumentException if {@code amount} is not positive
         */
        public Consumption {
            Objects.requireNonNull(key, "key");
            if (amount <= 0) {
                throw new IllegalArgumentException("amount must be positive: " + amount);
            }
        }
    }
}
