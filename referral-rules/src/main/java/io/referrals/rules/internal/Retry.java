package io.referrals.rules.internal;

import io.referrals.core.error.ConflictException;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a unit of work again when it lost a race with a concurrent one (a few times, then gives up). */
final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    private static final int MAX_ATTEMPTS = 5;

    private Retry() {
    }

    /**
     * What {@code op} returns, run again on fresh data after a retryable conflict or a duplicate reward or event key
     * (another engine did the same work at the same time).
     *
     * @throws ConflictException when it still conflicts after the last attempt, or cannot be retried
     */
    static <T> T retrying(Supplier<T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (ConflictException e) {
                boolean raced = e.isRetryable() || e instanceof DuplicateKeyException d
                        && (d.key() == UniqueKey.REWARD || d.key() == UniqueKey.EVENT);
                if (!raced || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("retrying after a concurrent change (attempt {}): {}", attempt, e.getMessage());
            }
        }
    }
}
