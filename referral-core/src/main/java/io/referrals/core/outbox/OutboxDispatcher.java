package io.referrals.core.outbox;

import io.referrals.core.ReferralEngine;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.EventId;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.ReferralStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events of a store's outbox (an engine built with {@link ReferralEngine.Builder#outbox()}) after they
 * are committed. Built with {@link #builder(ReferralEngine)} or {@link #builder(ReferralStore, Consumer)}; immutable
 * configuration, thread-safe.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>At least once: an event is marked delivered only after the delivery callback returned; a crash, a failed mark
 *       or a lapsed lease leads to another delivery, with the same {@link io.referrals.core.event.EventMetadata#id()}
 *       so the receiver can de-duplicate.</li>
 *   <li>In order per stream, also with several dispatchers (in one process or many) on one store: the store hands out
 *       a stream's events only from its earliest undelivered one, in sequence order, and a claim leases them so that
 *       other dispatchers pass the stream over. When a delivery fails, the events after it in its stream are not
 *       attempted in that batch; their claim is released, and they follow once the failed one is delivered. Keep the
 *       {@linkplain Builder#lease lease} longer than a batch takes to deliver.</li>
 *   <li>One pass drains what is due: a claim takes every due event of a stream (up to the batch size), so the four
 *       events of a stage change that pays points reach their listeners in one {@link #runOnce()}, not one per
 *       poll.</li>
 *   <li>Only committed events: work that rolled back left nothing in the outbox.</li>
 *   <li>A callback that throws is logged at WARN and the event retried after the {@link BackoffPolicy}'s delay; once the
 *       policy gives up, the event is parked and stays visible ({@link #parked(int)}) until the host
 *       {@linkplain #requeue requeues} it. A parked event holds back the later events of its stream.</li>
 * </ul>
 *
 * <p>Run it either with {@link #start()} (one daemon thread named after the {@linkplain Builder#threadNamePrefix
 * prefix}, polling every {@linkplain Builder#pollInterval poll interval}; {@link #close()} stops it within the
 * {@linkplain Builder#shutdownTimeout shutdown timeout}) or from the host's own scheduler by calling
 * {@link #runOnce()}.
 */
public final class OutboxDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int MAX_ERROR_LENGTH = 500;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ReferralStore store;
    private final Consumer<ReferralEvent> delivery;
    private final Clock clock;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration lease;
    private final Duration shutdownTimeout;
    private final BackoffPolicy backoff;
    private final String threadName;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    private OutboxDispatcher(Builder b) {
        this.store = b.store;
        this.delivery = b.delivery;
        this.clock = b.clock;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.lease = b.lease;
        this.shutdownTimeout = b.shutdownTimeout;
        this.backoff = b.backoff;
        this.threadName = b.threadNamePrefix + "-" + INSTANCES.incrementAndGet();
    }

    /**
     * A builder delivering to {@code engine}'s listeners through {@link ReferralEngine#deliver}, on the engine's store
     * and clock. An event that a listener failed on counts as a failed attempt: it is delivered again (to every
     * listener) after the backoff, and parked when the attempts run out.
     */
    public static Builder builder(ReferralEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return new Builder(engine.store(), event -> {
            if (!engine.deliver(event)) {
                throw new IllegalStateException("a listener failed on event " + event.metadata().id());
            }
        }).clock(engine.clock());
    }

    /**
     * A builder delivering each event to {@code delivery}; an exception thrown by it counts as a failed attempt.
     */
    public static Builder builder(ReferralStore store, Consumer<ReferralEvent> delivery) {
        return new Builder(Objects.requireNonNull(store, "store"), Objects.requireNonNull(delivery, "delivery"));
    }

    /**
     * Claims one batch of due events (all that each stream has due, up to the batch size), delivers them in claim
     * order, and records each outcome. After a failed delivery the rest of its stream's events in the batch are not
     * attempted, and their claim is released. Never throws for a failing callback; a failing store is logged at WARN
     * and the batch is retried after the lease.
     *
     * @return how many events were claimed (0 when none was due)
     */
    public int runOnce() {
        Instant now = clock.instant();
        List<OutboxEntry> claimed;
        try {
            claimed = store.inTransaction(tx -> tx.outbox().claimDue(now, batchSize, now.plus(lease)));
        } catch (RuntimeException e) {
            LOG.warn("outbox dispatcher {} could not claim events; retrying at the next poll", threadName, e);
            return 0;
        }
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Outcome> outcomes = new ArrayList<>(claimed.size());
        Set<String> failedStreams = new HashSet<>();
        for (OutboxEntry entry : claimed) {
            String stream = entry.event().metadata().stream();
            if (failedStreams.contains(stream)) {
                // an earlier event of the stream failed: this one waits for it, released rather than attempted
                outcomes.add(new Outcome(entry.event().metadata().id(), null, null, false, true));
                continue;
            }
            Outcome o = deliver(entry);
            if (o.error != null) {
                failedStreams.add(stream);
            }
            outcomes.add(o);
        }
        Instant releasedAt = clock.instant();
        try {
            store.inTransaction(tx -> {
                for (Outcome o : outcomes) {
                    if (o.skipped) {
                        tx.outbox().release(o.id, releasedAt);
                    } else if (o.error == null) {
                        tx.outbox().markDelivered(o.id);
                    } else {
                        tx.outbox().markFailed(o.id, o.error, o.retryAt, o.park);
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("outbox dispatcher {} could not record the outcome of {} events; they will be delivered again"
                    + " after their lease", threadName, outcomes.size(), e);
        }
        return claimed.size();
    }

    /** What became of a claimed event: delivered, failed ({@code error}), or {@code skipped} (not attempted). */
    private record Outcome(EventId id, String error, Instant retryAt, boolean park, boolean skipped) {
    }

    private Outcome deliver(OutboxEntry entry) {
        ReferralEvent event = entry.event();
        try {
            delivery.accept(event);
            return new Outcome(event.metadata().id(), null, null, false, false);
        } catch (RuntimeException e) {
            int failures = entry.attempts() + 1;
            Optional<Duration> delay = backoff.delayAfter(failures);
            Instant now = clock.instant();
            if (delay.isEmpty()) {
                LOG.warn("event {} (stream {}, sequence {}) failed {} times and is parked; later events of its stream"
                        + " wait until it is requeued", event.metadata().id(), event.metadata().stream(),
                        event.metadata().sequence(), failures, e);
            } else {
                LOG.warn("event {} (stream {}, sequence {}) failed (attempt {}); retrying in {}",
                        event.metadata().id(), event.metadata().stream(), event.metadata().sequence(), failures,
                        delay.get(), e);
            }
            return new Outcome(event.metadata().id(), describe(e), delay.map(now::plus).orElse(now),
                    delay.isEmpty(), false);
        }
    }

    private static String describe(RuntimeException e) {
        String text = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** Parked events, oldest first, at most {@code limit}: what the host should look at. */
    public List<OutboxEntry> parked(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return store.inTransaction(tx -> tx.outbox().parked(limit));
    }

    /** Moves a parked event back to pending, due now. Returns {@code false} if it is not parked. */
    public boolean requeue(EventId id) {
        Objects.requireNonNull(id, "id");
        Instant now = clock.instant();
        return store.inTransaction(tx -> tx.outbox().requeue(id, now));
    }

    /**
     * Starts polling on a daemon thread: a full batch is followed at once by the next, otherwise the thread waits for
     * the poll interval.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the dispatcher was already started");
        }
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        };
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(threads);
        executor = ex;
        ex.scheduleWithFixedDelay(this::drain, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS);
        LOG.debug("outbox dispatcher {} started: batch {}, poll {}, lease {}", threadName, batchSize, pollInterval,
                lease);
    }

    private void drain() {
        try {
            while (!Thread.currentThread().isInterrupted() && runOnce() == batchSize) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warn("outbox dispatcher {} failed; polling goes on", threadName, e);
        }
    }

    /** True between {@link #start()} and {@link #close()}. */
    public boolean isRunning() {
        ScheduledExecutorService ex = executor;
        return ex != null && !ex.isShutdown();
    }

    /**
     * Stops polling: the current batch may finish within the shutdown timeout, after which the thread is interrupted.
     * Undelivered events stay in the outbox. Idempotent; a dispatcher never started closes at once.
     */
    @Override
    public void close() {
        started.set(true);
        ScheduledExecutorService ex = executor;
        if (ex == null || ex.isShutdown()) {
            return;
        }
        ex.shutdown();
        try {
            if (!ex.awaitTermination(shutdownTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("outbox dispatcher {} did not stop within {}; interrupting it", threadName, shutdownTimeout);
                ex.shutdownNow();
            }
        } catch (InterruptedException e) {
            ex.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.debug("outbox dispatcher {} stopped", threadName);
    }

    /** Configures an {@link OutboxDispatcher}. Setters check their input at once. Not thread-safe. */
    public static final class Builder {
        private final ReferralStore store;
        private final Consumer<ReferralEvent> delivery;
        private Clock clock = Clock.systemUTC();
        private int batchSize = 100;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration lease = Duration.ofMinutes(1);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private BackoffPolicy backoff = BackoffPolicy.defaults();
        private String threadNamePrefix = "referrals-outbox";

        private Builder(ReferralStore store, Consumer<ReferralEvent> delivery) {
            this.store = store;
            this.delivery = delivery;
        }

        /** The clock for due times, leases and retries; the default is the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException unless 1 to 10,000; the default is 100 */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1 to 10000: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** @throws IllegalArgumentException unless positive; the default is one second */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive(pollInterval, "pollInterval");
            return this;
        }

        /**
         * How long a claimed event is reserved for this dispatcher; after it, another dispatcher may deliver it again.
         *
         * @throws IllegalArgumentException unless positive; the default is one minute
         */
        public Builder lease(Duration lease) {
            this.lease = positive(lease, "lease");
            return this;
        }

        /** @throws IllegalArgumentException unless positive; the default is ten seconds */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /** Retry delays and when to park; the default is {@link BackoffPolicy#defaults()}. */
        public Builder backoff(BackoffPolicy backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** @throws IllegalArgumentException if blank; the default is {@code referrals-outbox} */
        public Builder threadNamePrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("thread name prefix must not be blank");
            }
            this.threadNamePrefix = prefix;
            return this;
        }

        /** A dispatcher, not yet started. */
        public OutboxDispatcher build() {
            return new OutboxDispatcher(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
