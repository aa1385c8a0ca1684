package io.referrals.core.outbox;

import io.referrals.core.error.StorageException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's health as one dispatcher sees it: an outage begins with a failed poll and ends with the next successful
 * one. It is logged once at WARN when it begins (with the exception) and once at INFO when it ends; the failed polls in
 * between are logged at DEBUG only. While it lasts, polls back off: the poll interval doubles with each failure, up to
 * the configured maximum. Used by the dispatcher's thread, and by hosts calling {@link OutboxDispatcher#runOnce()}:
 * synchronised.
 */
final class StoreOutage {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int MAX_DOUBLINGS = 16;

    private final String name;
    private final Duration pollInterval;
    private final Duration maxBackoff;
    private final ListenerCalls listener;
    private int failures;
    private Instant since;

    StoreOutage(String name, Duration pollInterval, Duration maxBackoff, ListenerCalls listener) {
        this.name = name;
        this.pollInterval = pollInterval;
        this.maxBackoff = maxBackoff.compareTo(pollInterval) < 0 ? pollInterval : maxBackoff;
        this.listener = listener;
    }

    /** Records a failed store call at {@code now}. */
    void failed(RuntimeException e, Instant now, String doing) {
        boolean first;
        synchronized (this) {
            first = failures == 0;
            failures++;
            if (first) {
                since = now;
            }
        }
        if (first) {
            LOG.warn("outbox dispatcher {} could not {}: the store is unavailable ({}); polls back off up to every {}"
                    + " and this outage is not logged again until it ends", name, doing, describe(e), maxBackoff, e);
            listener.storeUnavailable(e);
        } else {
            LOG.debug("outbox dispatcher {} could not {}: the store is still unavailable ({})", name, doing,
                    describe(e));
        }
    }

    /** Records a successful store call at {@code now}, ending an outage if one is on. */
    void succeeded(Instant now) {
        int failed;
        Instant began;
        synchronized (this) {
            if (failures == 0) {
                return;
            }
            failed = failures;
            began = since;
            failures = 0;
            since = null;
        }
        Duration lasted = now.isAfter(began) ? Duration.between(began, now) : Duration.ZERO;
        LOG.info("outbox dispatcher {} reaches the store again after {} failed polls over {}", name, failed, lasted);
        listener.storeRecovered(failed, lasted);
    }

    /** True while an outage is on. */
    synchronized boolean isOn() {
        return failures > 0;
    }

    /** How long to wait before the next poll: the poll interval, or during an outage a doubling of it up to the maximum. */
    synchronized Duration nextDelay() {
        if (failures == 0) {
            return pollInterval;
        }
        Duration d = pollInterval;
        for (int i = 1; i < Math.min(failures, MAX_DOUBLINGS) && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private static String describe(RuntimeException e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (e instanceof StorageException s && s.sqlState().isPresent()) {
            text += " (SQLState " + s.sqlState().get() + ")";
        }
        return text;
    }
}
