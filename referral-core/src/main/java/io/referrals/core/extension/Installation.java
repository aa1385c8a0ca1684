package io.referrals.core.extension;

import io.referrals.core.hook.ReferralHook;
import io.referrals.core.view.ProgressSource;
import java.time.Clock;
import java.util.List;

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

    /**
     * Registers a source of advocates' progress (toward the next reward, tier or contest rank) that the advocate's
     * view ({@link io.referrals.core.AdvocateViews}) shows on each program card; sources are asked in the order
     * registered.
     *
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalStateException if called after {@link Extension#install} returned
     */
    void progress(ProgressSource source);

    /**
     * Every progress source registered on this engine, by every extension, in the order registered: a live,
     * unmodifiable list that is complete once the engine is built, so read it when serving, not during install.
     */
    List<ProgressSource> progressSources();

    /** Runs the service's work in the engine's transactions, with its event delivery and per-stream order. */
    TransactionRunner transactions();

    /** The engine's clock. */
    Clock clock();
}
