package io.referrals.core.extension;

import io.referrals.core.hook.ReferralHook;
import java.util.Objects;

/**
 * Something that plugs into a {@link io.referrals.core.ReferralEngine}: rewards, moments of delight, program insights,
 * or a host's own fraud check. Installed once per engine with
 * {@link io.referrals.core.ReferralEngine.Builder#install}, which calls {@link #install} while the engine is built; the
 * host then reaches the service it returned with {@link io.referrals.core.ReferralEngine#extension}. Because the
 * service is only reachable through the engine it was installed on, an extension cannot be half wired: its hooks are
 * registered if and only if its service exists.
 *
 * <pre>{@code
 * RewardsEngine rules = RewardsEngine.builder().ruleSet(ruleSet).build();    // an Extension<Rewards>
 * ReferralEngine engine = ReferralEngine.builder().store(store).matchKeySecret(secret).install(rules).build();
 * Rewards rewards = engine.extension(rules);
 * }</pre>
 *
 * @param <S> the service the host calls, bound to one engine
 */
@FunctionalInterface
public interface Extension<S> {

    /**
     * Registers this extension's hooks on {@code installation} and returns its service for the engine being built.
     * Called once per engine, from {@link io.referrals.core.ReferralEngine.Builder#build()}; the service may keep
     * {@code installation.transactions()}, but must not run a transaction before {@code build()} returns.
     *
     * @return the service, not null
     */
    S install(Installation installation);

    /**
     * An extension that only registers {@code hook}; its service is the hook itself. For a host's own hook, such as a
     * fraud check that must run in the same transaction as the change.
     *
     * @throws NullPointerException if {@code hook} is null
     */
    static Extension<ReferralHook> of(ReferralHook hook) {
        Objects.requireNonNull(hook, "hook");
        return installation -> {
            installation.hook(hook);
            return hook;
        };
    }
}
