package io.referrals.core.outbox;

import io.referrals.core.event.ReferralEvent;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls an {@link OutboxListener}, logging at WARN and containing whatever it throws. */
final class ListenerCalls {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final OutboxListener listener;

    ListenerCalls(OutboxListener listener) {
        this.listener = listener;
    }

    void delivered(ReferralEvent event, int attempt, Duration latency) {
        call(() -> listener.onDelivered(event, attempt, latency), "onDelivered");
    }

    void failed(ReferralEvent event, int attempt, Instant retryAt, RuntimeException error) {
        call(() -> listener.onFailed(event, attempt, retryAt, error), "onFailed");
    }

    void parked(ReferralEvent event, int attempts, RuntimeException error) {
        call(() -> listener.onParked(event, attempts, error), "onParked");
    }

    void storeUnavailable(RuntimeException error) {
        call(() -> listener.onStoreUnavailable(error), "onStoreUnavailable");
    }

    void storeRecovered(int failedPolls, Duration outage) {
        call(() -> listener.onStoreRecovered(failedPolls, outage), "onStoreRecovered");
    }

    private void call(Runnable r, String method) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("outbox listener {} failed in {}; the dispatcher goes on", listener.getClass().getName(), method,
                    e);
        }
    }
}
