package io.referrals.core;

import io.referrals.core.privacy.MatchKeys;
import io.referrals.core.storage.ReferralStore;
import java.security.SecureRandom;

/** What {@link ReferralEngine.Builder#build()} refuses: configurations that would lose or leak a guarantee. */
final class BuildChecks {
    private BuildChecks() {
    }

    /**
     * The match keys of an engine on {@code store}: the configured ones, or for a store that keeps nothing beyond
     * this process a random secret of the engine's own.
     *
     * @throws IllegalStateException if none is configured and the store is {@linkplain ReferralStore#isPersistent()
     *     persistent}: a random secret would differ after a restart and on every other engine, and the same prospect
     *     would then be accepted again
     */
    static MatchKeys matchKeys(ReferralStore store, MatchKeys configured) {
        if (configured != null) {
            return configured;
        }
        if (store.isPersistent()) {
            throw new IllegalStateException("the store " + store.getClass().getName() + " keeps its data across "
                    + "restarts, so prospects must be matched under a stable secret: set one with "
                    + "ReferralEngine.builder().matchKeySecret(bytes), at least 16 bytes, kept secret, the same for "
                    + "every engine on the store and across restarts (for example from the host's secret store)");
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return MatchKeys.withSecret(secret);
    }

    /**
     * @throws IllegalStateException if {@code store} {@linkplain ReferralStore#joinsHostTransactions() joins host
     *     transactions} and the engine would deliver events in process: listeners would hear of work before the host
     *     commits it, and of work the host then rolls back
     */
    static void delivery(ReferralStore store, boolean outbox) {
        if (store.joinsHostTransactions() && !outbox) {
            throw new IllegalStateException("the store " + store.getClass().getName() + " joins host transactions, "
                    + "which commit after the engine's work returns: in-process delivery would tell listeners about "
                    + "work the host may still roll back. Build the engine with ReferralEngine.builder().outbox() and "
                    + "deliver with an OutboxDispatcher, which sees events only once the host has committed");
        }
    }
}
