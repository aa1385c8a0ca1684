package io.referrals.core.outbox;

import io.referrals.core.storage.ReferralStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes delivered events older than a set age from a store's outbox, in bounded batches of one transaction each, so
 * that the event table does not grow without end. Pending and parked events are never deleted; a deleted event is
 * gone from the engine's {@code events(stream)} history too, so keep events as long as anything reads that history.
 * Run it from the host's scheduler with {@link #runOnce()}, or let a dispatcher run it
 * ({@link OutboxDispatcher.Builder#retention}). Immutable and thread-safe; runs on several instances at once delete
 * each event once.
 */
public final class OutboxRetention {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRetention.class);

    private final ReferralStore store;
    private final Duration keep;
    private final Clock clock;
    private final int batchSize;
    private final int maxBatches;

    private OutboxRetention(Builder b) {
        this.store = b.store;
        this.keep = b.keep;
        this.clock = b.clock;
        this.batchSize = b.batchSize;
        this.maxBatches = b.maxBatches;
    }

    /**
     * A builder for retention on {@code store} that keeps delivered events for {@code keep} after they occurred.
     *
     * @throws IllegalArgumentException if {@code keep} is not positive
     */
    public static Builder builder(ReferralStore store, Duration keep) {
        return new Builder(Objects.requireNonNull(store, "store"), keep);
    }

    /** How long delivered events are kept. */
    public Duration keep() {
        return keep;
    }

    /**
     * Deletes delivered events that occurred more than {@link #keep()} ago, one batch per transaction, until a batch
     * comes back short or the maximum number of batches per run is reached.
     *
     * @return how many events were deleted
     * @throws io.referrals.core.error.StorageException if the store fails; batches already deleted stay deleted
     */
    public int runOnce() {
        Instant before = clock.instant().minus(keep);
        int total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int deleted = store.inTransaction(tx -> tx.outbox().deleteDelivered(before, batchSize));
            total += deleted;
            if (deleted < batchSize) {
                break;
            }
        }
        if (total > 0) {
            LOG.debug("outbox retention deleted {} delivered events that occurred before {}", total, before);
        }
        return total;
    }

    /** Configures an {@link OutboxRetention}. Setters check their input at once. Not thread-safe. */
    public static final class Builder {
        private final ReferralStore store;
        private final Duration keep;
        private Clock clock = Clock.systemUTC();
        private int batchSize = 500;
        private int maxBatches = 20;

        private Builder(ReferralStore store, Duration keep) {
            Objects.requireNonNull(keep, "keep");
            if (keep.isNegative() || keep.isZero()) {
                throw new IllegalArgumentException("keep must be positive: " + keep);
            }
            this.store = store;
            this.keep = keep;
        }

        /** The clock the age is measured with; the default is the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException unless 1 to 10,000; the default is 500 */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1 to 10000: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** @throws IllegalArgumentException if less than 1; the default is 20 batches per run */
        public Builder maxBatchesPerRun(int maxBatches) {
            if (maxBatches < 1) {
                throw new IllegalArgumentException("maxBatches must be at least 1: " + maxBatches);
            }
            this.maxBatches = maxBatches;
            return this;
        }

        /** The retention; it deletes nothing until run. */
        public OutboxRetention build() {
            return new OutboxRetention(this);
        }
    }
}
