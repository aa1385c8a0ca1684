package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.outbox.OutboxDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the outbox dispatcher once the context is refreshed (so after the database is initialised) and stops it at
 * shutdown before the connection pool closes, waiting for the batch being delivered up to the shutdown timeout. Its
 * phase is below the web server's, so it also stops only after the server has stopped taking requests.
 */
final class OutboxLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxLifecycle.class);

    private final OutboxDispatcher dispatcher;
    private final boolean enabled;
    private volatile boolean stopped;

    OutboxLifecycle(OutboxDispatcher dispatcher, boolean enabled) {
        this.dispatcher = dispatcher;
        this.enabled = enabled;
    }

    @Override
    public void start() {
        if (!enabled) {
            LOG.info("referrals.outbox.dispatcher-enabled is false: this instance delivers no events");
            return;
        }
        if (stopped) {
            LOG.warn("the outbox dispatcher cannot be started again after a stop; restart the application");
            return;
        }
        dispatcher.start();
    }

    @Override
    public void stop() {
        stopped = true;
        dispatcher.close();
    }

    @Override
    public boolean isRunning() {
        return dispatcher.isRunning();
    }

    @Override
    public int getPhase() {
        return ReferralsAutoConfiguration.LIFECYCLE_PHASE;
    }
}
