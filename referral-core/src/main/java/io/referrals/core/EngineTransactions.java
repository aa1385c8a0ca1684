package io.referrals.core;

import io.referrals.core.error.ConflictException;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.internal.EventPublisher;
import io.referrals.core.internal.Work;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxSignal;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link TransactionRunner}: one store transaction per unit of work, events stored in it and handed to
 * listeners after the commit (or left in the outbox), and a striped lock per stream that keeps one stream's events in
 * order within this engine. Also the retry of operations that lost a race. Thread-safe.
 */
final class EngineTransactions implements TransactionRunner {
    static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ReferralEngine.class);
    private static final int ORDER_STRIPES = 64;

    private final ReferralStore store;
    private final Clock clock;
    private final EventPublisher publisher;
    private final boolean outbox;
    private final OutboxSignal signal;
    private final ReentrantLock[] order = new ReentrantLock[ORDER_STRIPES];

    EngineTransactions(ReferralStore store, Clock clock, EventPublisher publisher, boolean outbox,
            OutboxSignal signal) {
        this.store = store;
        this.clock = clock;
        this.publisher = publisher;
        this.outbox = outbox;
        this.signal = signal;
        for (int i = 0; i < ORDER_STRIPES; i++) {
            order[i] = new ReentrantLock();
        }
    }

    ReferralStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    boolean outbox() {
        return outbox;
    }

    /** The outbox signal, or null without the outbox. */
    OutboxSignal signal() {
        return signal;
    }

    @Override
    public <T> T inTransaction(Function<UnitOfWork, T> work) {
        Objects.requireNonNull(work, "work");
        List<Work> done = new ArrayList<>(1);
        T result = store.inTransaction(tx -> {
            Work w = new Work(tx, clock.instant(), outbox);
            T r = work.apply(w);
            done.add(w);
            return r;
        });
        if (!outbox) {
            publisher.publish(done.get(0).events());
        } else if (!done.get(0).events().isEmpty()) {
            signal.eventsStored();
        }
        return result;
    }

    @Override
    public <T> T inStream(String stream, Function<UnitOfWork, T> work) {
        Objects.requireNonNull(stream, "stream");
        ReentrantLock lock = order[Math.floorMod(stream.hashCode(), ORDER_STRIPES)];
        lock.lock();
        try {
            return inTransaction(work);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T inStore(Function<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        return store.inTransaction(work);
    }

    /**
     * Runs {@code op} again, up to {@link #MAX_ATTEMPTS} times in all, while it loses a race: a retryable
     * {@link ConflictException}, or a duplicate key that a concurrent writer of the same row causes.
     */
    static <T> T retrying(Supplier<T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (ConflictException e) {
                boolean raced = e.isRetryable() || e instanceof DuplicateKeyException d
                        && (d.key() == UniqueKey.ENROLMENT || d.key() == UniqueKey.TIMELINE_ENTRY
                        || d.key() == UniqueKey.EVENT || d.key() == UniqueKey.REWARD
                        || d.key() == UniqueKey.LEDGER_ENTRY);
                if (!raced || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("retrying after a concurrent update (attempt {}): {}", attempt, e.getMessage());
            }
        }
    }
}
