package io.referrals.core.extension;

import io.referrals.core.hook.ReferralHook;
import java.time.Clock;

/**
 * What an {@link Extension} receives while an engine is built: where to register its hooks, and the transaction runner
 * and clock its service works with. Valid only during {@link Extension#install}, except {@link #transactions()} and
 * {@link #clock()}, which the service keeps.
 */
public interface Installation {

    /**
     * Registers a hook that runs inside the engine's transactions; hooks run in the order registered, extension by
     * extension in the order installed.
     *
     * @throws NullPointerException if {@code hook} is null
     * @throws IllegalStateException if called after {@link Extension#install} returned
     */
    void hook(ReferralHook hook);

    /** Runs the service's work in the engine's transactions, with its event delivery and per-stream order. */
    TransactionRunner transactions();

    /** The engine's clock. */
    Clock clock();
}
