package io.referrals.core.storage.memory;

import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link ReferralStore} in memory. Thread-safe: transactions run one at a time (serialisable), and a transaction
 * that throws is undone completely before the exception propagates. Nothing survives the JVM.
 */
public final class InMemoryReferralStore implements ReferralStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final MemoryState state = new MemoryState();

    /** An empty store. */
    public InMemoryReferralStore() {
    }

    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            MemoryTransaction tx = new MemoryTransaction(state);
            try {
                T result = work.apply(tx);
                tx.commit();
                return result;
            } catch (RuntimeException | Error e) {
                tx.rollback();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** False: the data lives in this object and is gone with it. */
    @Override
    public boolean isPersistent() {
        return false;
    }

    /** False: every transaction is the store's own and has committed when {@code inTransaction} returns. */
    @Override
    public boolean joinsHostTransactions() {
        return false;
    }
}
