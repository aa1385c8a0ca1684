package io.referrals.core;

import io.referrals.core.extension.Installation;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.ReferralHook;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** The {@link Installation} one extension receives while the engine is built; closed when its install returns. */
final class ExtensionSetup implements Installation {
    private final List<ReferralHook> hooks;
    private final EngineTransactions transactions;
    private boolean closed;

    ExtensionSetup(List<ReferralHook> hooks, EngineTransactions transactions) {
        this.hooks = hooks;
        this.transactions = transactions;
    }

    @Override
    public void hook(ReferralHook hook) {
        Objects.requireNonNull(hook, "hook");
        if (closed) {
            throw new IllegalStateException("hooks are registered during Extension#install only");
        }
        hooks.add(hook);
    }

    @Override
    public TransactionRunner transactions() {
        return transactions;
    }

    @Override
    public Clock clock() {
        return transactions.clock();
    }

    void close() {
        closed = true;
    }
}
