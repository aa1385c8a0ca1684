package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.outbox.OutboxListener;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.ObjectProvider;

/** The dispatcher's listener: forwards to every {@link OutboxListener} bean, looked up on each call. */
final class BeanOutboxListeners implements OutboxListener {
    private final ObjectProvider<OutboxListener> listeners;

    BeanOutboxListeners(ObjectProvider<OutboxListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void onDelivered(ReferralEvent event, int attempt, Duration sinceOccurred) {
        listeners.orderedStream().forEach(l -> l.onDelivered(event, attempt, sinceOccurred));
    }

    @Override
    public void onFailed(ReferralEvent event, int attempt, Instant retryAt, RuntimeException error) {
        listeners.orderedStream().forEach(l -> l.onFailed(event, attempt, retryAt, error));
    }

    @Override
    public void onParked(ReferralEvent event, int attempts, RuntimeException error) {
        listeners.orderedStream().forEach(l -> l.onParked(event, attempts, error));
    }

    @Override
    public void onStoreUnavailable(RuntimeException error) {
        listeners.orderedStream().forEach(l -> l.onStoreUnavailable(error));
    }

    @Override
    public void onStoreRecovered(int failedPolls, Duration outage) {
        listeners.orderedStream().forEach(l -> l.onStoreRecovered(failedPolls, outage));
    }
}
