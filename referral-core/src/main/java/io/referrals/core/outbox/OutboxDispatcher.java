package io.referrals.core.outbox;

import io.referrals.core.ReferralEngine;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.EventId;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxSignal;
import io.referrals.core.storage.OutboxStatistics;
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
 *
 * <p>Operations: a dispatcher built from an engine is {@linkplain #wakeUp() woken} right after each commit that stored
 * events (through the engine's {@link io.referrals.core.storage.OutboxSignal}), so delivery does not wait for the
 * next poll; polling remains the backup and covers events committed by other processes. When the store fails, the
 * outage is logged once (not on every poll) and polls back off ({@link Builder#maxStoreBackoff}). {@link #statistics()}
 * tells the backlog, {@link #lastSuccessfulPoll()} when the store last answered, an {@link OutboxListener} hears every
 * delivery, failure, parking and outage, and an {@link OutboxRetention} deletes old delivered events.
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
    private final ListenerCalls listener;
    private final StoreOutage outage;
    private final OutboxSignal signal;
    private final OutboxRetention retention;
    private final Duration retentionInterval;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Poller poller;
    private volatile OutboxSignal.Subscription subscription;
    private volatile Instant lastSuccessfulPoll;
    private Instant nextRetentionAt;

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
        this.listener = new ListenerCalls(b.listener);
        this.outage = new StoreOutage(threadName, b.pollInterval, b.maxStoreBackoff, listener);
        this.signal = b.signal;
        this.retention = b.retention;
        this.retentionInterval = b.retentionInterval;
    }

    /**
     * A builder delivering to {@code engine}'s listeners through {@link ReferralEngine#deliver}, on the engine's store
     * and clock. An event that a listener failed on counts as a failed attempt: it is delivered again (to every
     * listener) after the backoff, and parked when the attempts run out.
     */
    public static Builder builder(ReferralEngine engine) {
        Objects.requireNonNull(engine, "engine");
        Builder b = new Builder(engine.store(), event -> {
            if (!engine.deliver(event)) {
                throw new IllegalStateException("a listener failed on event " + event.metadata().id());
            }
        }).clock(engine.clock());
        b.signal = engine.outboxSignal().orElse(null);
        return b;
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
     * attempted, and their claim is released. Never throws for a failing callback; a failing store begins or continues
     * an outage (logged once, see {@link OutboxListener}) and the batch is retried after the lease.
     *
     * @return how many events were claimed (0 when none was due)
     */
    public int runOnce() {
        Instant now = clock.instant();
        List<OutboxEntry> claimed;
        try {
            claimed = store.inTransaction(tx -> tx.outbox().claimDue(now, batchSize, now.plus(lease)));
        } catch (RuntimeException e) {
            outage.failed(e, now, "claim events");
            return 0;
        }
        outage.succeeded(now);
        lastSuccessfulPoll = now;
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Outcome> outcomes = new ArrayList<>(claimed.size());
        Set<String> failedStreams = new HashSet<>();
        for (OutboxEntry entry : claimed) {
            String stream = entry.event().metadata().stream();
            if (failedStreams.contains(stream)) {
                // an earlier event of the stream failed: this one waits for it, released rather than attempted
                outcomes.add(new Outcome(entry.event(), entry.event().metadata().id(), entry.attempts(), null, null, false,
                        null, true));
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
                        tx.outbox().markFailed(o.id, describe(o.error), o.retryAt, o.park);
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            outage.failed(e, clock.instant(), "record the outcome of " + outcomes.size() + " events (they are"
                    + " delivered again after their lease)");
            return claimed.size();
        }
        for (Outcome o : outcomes) {
            if (o.skipped) {
                continue;
            }
            if (o.error == null) {
                listener.delivered(o.event, o.attempt, o.latency);
            } else if (o.park) {
                listener.parked(o.event, o.attempt, o.error);
            } else {
                listener.failed(o.event, o.attempt, o.retryAt, o.error);
            }
        }
        return claimed.size();
    }

    /**
     * What became of a claimed event: delivered, failed ({@code error}), or {@code skipped} (not attempted, because an
     * earlier event of its stream failed in the same batch).
     */
    private record Outcome(ReferralEvent event, EventId id, int attempt, RuntimeException error, Instant retryAt,
            boolean park, Duration latency, boolean skipped) {
    }

    private Outcome deliver(OutboxEntry entry) {
        ReferralEvent event = entry.event();
        int attempt = entry.attempts() + 1;
        try {
            delivery.accept(event);
            Instant done = clock.instant();
            Instant occurred = event.metadata().occurredAt();
            return new Outcome(event, event.metadata().id(), attempt, null, null, false,
                    done.isAfter(occurred) ? Duration.between(occurred, done) : Duration.ZERO, false);
        } catch (RuntimeException e) {
            int failures = attempt;
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
            return new Outcome(event, event.metadata().id(), attempt, e, delay.map(now::plus).orElse(now),
                    delay.isEmpty(), null, false);
        }
    }

    private static String describe(RuntimeException e) {
        String text = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /**
     * The outbox now: pending and parked events, and the oldest pending event's time.
     *
     * @throws io.referrals.core.error.StorageException if the store fails
     */
    public OutboxStatistics statistics() {
        return store.inTransaction(tx -> tx.outbox().statistics());
    }

    /** When a poll last reached the store (whether or not it found events); empty before the first. */
    public Optional<Instant> lastSuccessfulPoll() {
        return Optional.ofNullable(lastSuccessfulPoll);
    }

    /** True while the store fails: from a failed poll until the next successful one. */
    public boolean isStoreUnavailable() {
        return outage.isOn();
    }

    /**
     * Makes a {@linkplain #start() started} dispatcher poll now instead of at the end of its interval (or right after
     * the poll it is running); wake-ups coalesce. Does nothing before {@link #start()} or after {@link #close()}.
     * Never throws; cheap enough to call after every commit.
     */
    public void wakeUp() {
        Poller p = poller;
        if (p != null) {
            p.wakeUp();
        }
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
     * Starts polling on a daemon thread: a poll that claimed events is followed at once by the next (delivering an
     * event makes the next one of its stream claimable), otherwise the thread waits for the poll interval (longer
     * while the store is unavailable), or until {@linkplain #wakeUp() woken}.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the dispatcher was already started");
        }
        Poller p = new Poller(threadName, this::round);
        poller = p;
        if (signal != null) {
            subscription = signal.subscribe(this::wakeUp);
        }
        p.start();
        LOG.debug("outbox dispatcher {} started: batch {}, poll {}, lease {}, woken on commit {}, retention {}",
                threadName, batchSize, pollInterval, lease, signal != null,
                retention == null ? "none" : retention.keep());
    }

    /** One round of the thread: drain due events, run retention when due; returns how long to wait. */
    private Duration round() {
        Poller p = poller;
        try {
            while (!p.isStopping() && runOnce() > 0) {
                // a delivered event may have made the next one of its stream claimable: poll again until none is
            }
        } catch (RuntimeException e) {
            LOG.warn("outbox dispatcher {} failed; polling goes on", threadName, e);
        }
        if (retention != null && !p.isStopping() && !outage.isOn()) {
            Instant now = clock.instant();
            if (nextRetentionAt == null || !now.isBefore(nextRetentionAt)) {
                nextRetentionAt = now.plus(retentionInterval);
                try {
                    retention.runOnce();
                } catch (RuntimeException e) {
                    outage.failed(e, now, "delete delivered events");
                }
            }
        }
        return outage.nextDelay();
    }

    /** True between {@link #start()} and {@link #close()}. */
    public boolean isRunning() {
        Poller p = poller;
        return p != null && p.isRunning();
    }

    /**
     * Stops polling: the current batch may finish within the shutdown timeout, after which the thread is interrupted.
     * Undelivered events stay in the outbox. When it returns, the dispatcher no longer touches the store. Idempotent;
     * a dispatcher never started closes at once.
     */
    @Override
    public void close() {
        started.set(true);
        OutboxSignal.Subscription sub = subscription;
        if (sub != null) {
            sub.close();
        }
        Poller p = poller;
        if (p == null || !p.isRunning()) {
            return;
        }
        try {
            if (!p.stop(shutdownTimeout)) {
                LOG.warn("outbox dispatcher {} did not stop within {}; interrupted it", threadName, shutdownTimeout);
            }
        } catch (InterruptedException e) {
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
        private OutboxListener listener = new OutboxListener() { };
        private Duration maxStoreBackoff = Duration.ofSeconds(30);
        private OutboxSignal signal;
        private OutboxRetention retention;
        private Duration retentionInterval;

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

        /** Hears deliveries, failures, parkings and store outages; none by default. */
        public Builder listener(OutboxListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The longest wait between polls while the store is unavailable: the poll interval doubles with each failed
         * poll up to this.
         *
         * @throws IllegalArgumentException unless positive; the default is 30 seconds
         */
        public Builder maxStoreBackoff(Duration max) {
            this.maxStoreBackoff = positive(max, "maxStoreBackoff");
            return this;
        }

        /**
         * Runs {@code retention} on the dispatcher's thread after a poll, at most once per {@code interval} (and not
         * while the store is unavailable).
         *
         * @throws IllegalArgumentException unless {@code interval} is positive
         */
        public Builder retention(OutboxRetention retention, Duration interval) {
            this.retention = Objects.requireNonNull(retention, "retention");
            this.retentionInterval = positive(interval, "interval");
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
