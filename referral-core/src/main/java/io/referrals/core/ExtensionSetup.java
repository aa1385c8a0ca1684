package io.referrals.core;

import io.referrals.core.extension.Installation;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.view.ProgressSource;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** The {@link Installation} one extension receives while the engine is built; closed when its install returns. */
final class ExtensionSetup implements Installation {
    private final List<ReferralHook> hooks;
    private final List<ProgressSource> progress;
    private final EngineTransactions transactions;
    private boolean closed;

    /**
     * @param progress the engine's progress sources: shared by every extension's setup, safe to read from any thread
     *     (a copy-on-write list)
     */
    ExtensionSetup(List<ReferralHook> hooks, List<ProgressSource> progress, EngineTransactions transactions) {
        this.hooks = hooks;
        this.progress = progress;
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
    public void progress(ProgressSource source) {
        Objects.requireNonNull(source, "source");
        if (closed) {
            throw new IllegalStateException("progress sources are registered during Extension#install only");
        }
        progress.add(source);
    }

    @Override
    public List<ProgressSource> progressSources() {
        return Collections.unmodifiableList(progress);
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
