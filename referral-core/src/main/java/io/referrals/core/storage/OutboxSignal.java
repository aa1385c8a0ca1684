package io.referrals.core.storage;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells outbox dispatchers in this process that an engine has stored events in the outbox, so that they deliver them
 * right after the commit instead of at their next poll (polling stays the backup, and covers other processes). An
 * engine built with {@code ReferralEngine.Builder.outbox(signal)} calls {@link #eventsStored()} after every unit of
 * work that stored events; an {@code OutboxDispatcher} built from that engine subscribes to it. Thread-safe.
 *
 * <p>When the commit happens depends on who owns the transaction: a store that owns it has committed by the time the
 * engine's work returns ({@link #immediate()}); a store that joins the host's transaction commits only when the host
 * does, so the signal must wait for that ({@link #deferred(Consumer)}, for example through Spring's
 * {@code TransactionSynchronization.afterCommit}). Signalling too early is harmless: the dispatcher finds nothing new
 * and the next poll delivers the events.
 */
public final class OutboxSignal {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSignal.class);

    private final Consumer<Runnable> afterCommit;
    private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();

    private OutboxSignal(Consumer<Runnable> afterCommit) {
        this.afterCommit = afterCommit;
    }

    /** A signal that wakes subscribers at once: for a store that commits before the engine's work returns. */
    public static OutboxSignal immediate() {
        return new OutboxSignal(Runnable::run);
    }

    /**
     * A signal that hands the wake-up to {@code afterCommit}, which must run it once the host's transaction has
     * committed (or at once when there is none), and may drop it when the transaction rolls back.
     */
    public static OutboxSignal deferred(Consumer<Runnable> afterCommit) {
        return new OutboxSignal(Objects.requireNonNull(afterCommit, "afterCommit"));
    }

    /**
     * Called by the engine, on the thread of the unit of work, once the store's transaction that stored events has
     * returned. Never throws: a failing subscriber or deferral is logged at WARN and contained.
     */
    public void eventsStored() {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            afterCommit.accept(this::wakeSubscribers);
        } catch (RuntimeException e) {
            LOG.warn("could not defer the outbox wake-up; the next poll delivers the events", e);
        }
    }

    private void wakeSubscribers() {
        for (Runnable r : subscribers) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("an outbox wake-up failed; the next poll delivers the events", e);
            }
        }
    }

    /**
     * Runs {@code wakeUp} after every commit that stored events, until the returned handle is closed. {@code wakeUp}
     * must be quick and must not throw (a dispatcher's {@code wakeUp()} only flags a poll).
     */
    public Subscription subscribe(Runnable wakeUp) {
        Objects.requireNonNull(wakeUp, "wakeUp");
        Runnable own = () -> wakeUp.run(); // a distinct instance, so that closing removes exactly this subscription
        subscribers.add(own);
        return () -> subscribers.remove(own);
    }

    /** A subscription to an {@link OutboxSignal}; closing it (more than once is fine) ends it. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
