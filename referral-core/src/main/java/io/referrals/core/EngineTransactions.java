package io.referrals.core;

import io.referrals.core.error.ConflictException;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.ReferralHook;
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
import java.util.BitSet;
import java.util.Collection;
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
 *
 * <p>Stream order: a unit of work holds the stripe of every stream it emits on, from before its first event on it until
 * its events are published. Stripes of the streams it names are locked before the transaction begins, in ascending
 * stripe order. A stripe it meets while it runs is only tried: if another thread holds it, the transaction is rolled
 * back and the work runs again with that stripe named too. A thread therefore only ever waits for a stripe while it
 * holds lower ones only, which rules out deadlock between units of work; and each run again names one stripe more, so
 * there are at most as many runs again as there are stripes.
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
    private volatile List<ReferralHook> hooks = List.of();

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

    /** The hooks whose {@link ReferralHook#beforeCommit} runs before each commit; set once the extensions are in. */
    void hooks(List<ReferralHook> installed) {
        this.hooks = List.copyOf(installed);
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
        return run(new BitSet(ORDER_STRIPES), work);
    }

    @Override
    public <T> T inStream(String stream, Function<UnitOfWork, T> work) {
        Objects.requireNonNull(stream, "stream");
        BitSet stripes = new BitSet(ORDER_STRIPES);
        stripes.set(stripe(stream));
        return run(stripes, work);
    }

    @Override
    public <T> T inStreams(Collection<String> streams, Function<UnitOfWork, T> work) {
        Objects.requireNonNull(streams, "streams");
        BitSet stripes = new BitSet(ORDER_STRIPES);
        for (String stream : streams) {
            stripes.set(stripe(Objects.requireNonNull(stream, "stream")));
        }
        return run(stripes, work);
    }

    @Override
    public <T> T inStore(Function<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        return store.inTransaction(work);
    }

    private static int stripe(String stream) {
        return Math.floorMod(stream.hashCode(), ORDER_STRIPES);
    }

    /** Runs {@code work} holding {@code stripes}, and again with one more stripe each time it meets a busy one. */
    private <T> T run(BitSet stripes, Function<UnitOfWork, T> work) {
        Objects.requireNonNull(work, "work");
        while (true) {
            Held held = new Held();
            try {
                held.lock(stripes);
                return once(work, held);
            } catch (StreamBusy busy) {
                stripes.set(busy.stripe);
                LOG.debug("a unit of work met a stream another one holds; running it again holding {} stripes",
                        stripes.cardinality());
            } finally {
                held.unlock();
            }
        }
    }

    /** One transaction of {@code work}, then the delivery of its events, while {@code held} keeps their order. */
    private <T> T once(Function<UnitOfWork, T> work, Held held) {
        List<Work> done = new ArrayList<>(1);
        T result = store.inTransaction(tx -> {
            Work w = new Work(tx, clock.instant(), outbox, held);
            T r = work.apply(w);
            if (!w.events().isEmpty() && !hooks.isEmpty()) {
                List<ReferralEvent> emitted = List.copyOf(w.events());
                for (ReferralHook h : hooks) {
                    h.beforeCommit(w, emitted);
                }
            }
            // a stream found busy rolls the unit of work back even if the work caught what emit threw
            held.throwIfBusy();
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

    /** The stripes one run of a unit of work holds. Used by one thread. */
    private final class Held implements Work.StreamOrder {
        private final List<ReentrantLock> locked = new ArrayList<>();
        private int busy = -1;

        /** Waits for each stripe, in ascending order. */
        void lock(BitSet stripes) {
            for (int i = stripes.nextSetBit(0); i >= 0; i = stripes.nextSetBit(i + 1)) {
                order[i].lock();
                locked.add(order[i]);
            }
        }

        @Override
        public void hold(String stream) {
            int i = stripe(stream);
            ReentrantLock lock = order[i];
            // held already: by this run, or by a unit of work of this thread whose delivery is calling this one
            if (lock.isHeldByCurrentThread()) {
                return;
            }
            if (lock.tryLock()) {
                locked.add(lock);
                return;
            }
            busy = i;
            throw new StreamBusy(i);
        }

        void throwIfBusy() {
            if (busy >= 0) {
                throw new StreamBusy(busy);
            }
        }

        void unlock() {
            for (int k = locked.size() - 1; k >= 0; k--) {
                locked.get(k).unlock();
            }
            locked.clear();
        }
    }

    /** A unit of work met a stream another thread holds: it is rolled back and run again, holding that stream too. */
    private static final class StreamBusy extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int stripe;

        StreamBusy(int stripe) {
            super("the order of an event stream is held by another unit of work", null, false, false);
            this.stripe = stripe;
        }
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
