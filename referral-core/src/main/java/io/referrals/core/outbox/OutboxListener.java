package io.referrals.core.outbox;

import io.referrals.core.event.ReferralEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * Hears what an {@link OutboxDispatcher} does: each event delivered, each failed attempt, each event parked, and
 * outages of the store. For metrics and alerts; register one with {@link OutboxDispatcher.Builder#listener}. One no-op
 * default method per occurrence, so that adding one later stays compatible.
 *
 * <p>Called on the dispatcher's thread, after the outcome is recorded in the store (an outcome that could not be
 * recorded is not reported: the event is delivered again after its lease). A listener that throws is logged at WARN
 * and contained. Must be thread-safe and quick.
 */
public interface OutboxListener {

    /**
     * {@code event} reached its receiver.
     *
     * @param attempt 1 for the first attempt
     * @param sinceOccurred from the event's occurrence (its transaction's time, just before the commit) to the end of
     *     the delivery, as the dispatcher's clock tells it: the delivery latency
     */
    default void onDelivered(ReferralEvent event, int attempt, Duration sinceOccurred) {
    }

    /**
     * An attempt to deliver {@code event} failed and is retried at {@code retryAt}.
     *
     * @param attempt 1 for the first attempt
     */
    default void onFailed(ReferralEvent event, int attempt, Instant retryAt, RuntimeException error) {
    }

    /** {@code event} failed {@code attempts} times and is parked until the host requeues it. */
    default void onParked(ReferralEvent event, int attempts, RuntimeException error) {
    }

    /** The store failed on a poll after working (or at the first poll): an outage begins. Once per outage. */
    default void onStoreUnavailable(RuntimeException error) {
    }

    /** A poll succeeded after an outage of {@code failedPolls} failed polls over {@code outage}. Once per outage. */
    default void onStoreRecovered(int failedPolls, Duration outage) {
    }
}
