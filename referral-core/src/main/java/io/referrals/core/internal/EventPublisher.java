package io.referrals.core.internal;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers committed events to listeners. A listener that throws is logged at WARN and contained. Without an executor,
 * delivery runs on the caller's thread. With one, events are spread over serial lanes by stream, so events of one
 * stream are delivered one after another in the order they were published, and different streams in parallel.
 */
public final class EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final int LANES = 32;

    private final List<ReferralListener> listeners;
    private final Lane[] lanes;
    /** Events still to deliver on this thread, while a synchronous delivery runs on it (listeners may re-enter). */
    private final ThreadLocal<Deque<ReferralEvent>> delivering = new ThreadLocal<>();

    public EventPublisher(List<ReferralListener> listeners, Executor executor) {
        this.listeners = List.copyOf(listeners);
        if (executor == null) {
            this.lanes = null;
        } else {
            this.lanes = new Lane[LANES];
            for (int i = 0; i < LANES; i++) {
                lanes[i] = new Lane(executor);
            }
        }
    }

    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Delivers {@code events}, which must be in commit order. */
    public void publish(List<ReferralEvent> events) {
        if (listeners.isEmpty() || events.isEmpty()) {
            return;
        }
        if (lanes == null) {
            deliverInOrder(events);
            return;
        }
        Map<Lane, List<ReferralEvent>> byLane = new LinkedHashMap<>();
        for (ReferralEvent e : events) {
            Lane lane = lanes[Math.floorMod(e.metadata().stream().hashCode(), LANES)];
            byLane.computeIfAbsent(lane, k -> new ArrayList<>()).add(e);
        }
        byLane.forEach(Lane::enqueue);
    }

    /**
     * Delivers on the caller's thread. A listener that changes something through the engine publishes again on this
     * thread; those events are queued behind the ones being delivered, so every listener sees each stream in order.
     */
    private void deliverInOrder(List<ReferralEvent> events) {
        Deque<ReferralEvent> pending = delivering.get();
        if (pending != null) {
            pending.addAll(events);
            return;
        }
        pending = new ArrayDeque<>(events);
        delivering.set(pending);
        try {
            ReferralEvent e;
            while ((e = pending.poll()) != null) {
                deliver(e);
            }
        } finally {
            delivering.remove();
        }
    }

    /** Delivers one event to every listener, containing failures; true when none failed. */
    public boolean deliver(ReferralEvent event) {
        boolean allDelivered = true;
        for (ReferralListener l : listeners) {
            try {
                l.onEvent(event);
                event.dispatchTo(l);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                allDelivered = false;
                LOG.warn("listener {} failed on event {} (stream {}, sequence {}); other listeners still run",
                        l.getClass().getName(), event.metadata().id(), event.metadata().stream(),
                        event.metadata().sequence(), e);
            }
        }
        return allDelivered;
    }

    /** Runs its tasks one at a time, in order, on a shared executor. */
    private final class Lane implements Runnable {
        private final Executor executor;
        private final Queue<ReferralEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Lane(Executor executor) {
            this.executor = executor;
        }

        void enqueue(List<ReferralEvent> events) {
            queue.addAll(events);
            schedule();
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    executor.execute(this);
                } catch (RejectedExecutionException e) {
                    scheduled.set(false);
                    LOG.warn("event executor rejected delivery; delivering {} queued events on the caller's thread",
                            queue.size());
                    run();
                }
            }
        }

        @Override
        public void run() {
            try {
                ReferralEvent e;
                while ((e = queue.poll()) != null) {
                    deliver(e);
                }
            } finally {
                scheduled.set(false);
                if (!queue.isEmpty()) {
                    schedule();
                }
            }
        }
    }
}
