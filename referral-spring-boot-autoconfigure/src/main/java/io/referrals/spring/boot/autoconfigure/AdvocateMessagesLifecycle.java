package io.referrals.spring.boot.autoconfigure;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.referrals.core.AdvocateMessages;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link AdvocateMessages#runOnce()} on a daemon thread every interval from start-up, and stops it at shutdown
 * (waiting for a run in progress up to the timeout) before the connection pool closes. A failing run (the store, since
 * a failing sender is contained by {@code runOnce}) is logged once per run of failures, at WARN, and retried at the
 * next interval.
 */
final class AdvocateMessagesLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(AdvocateMessagesLifecycle.class);

    private final AdvocateMessages messages;
    private final Duration interval;
    private final Duration shutdownTimeout;
    private final ObservationRegistry observations;
    private volatile ScheduledExecutorService executor;
    private boolean failing; // only touched by the executor's single thread

    AdvocateMessagesLifecycle(AdvocateMessages messages, Duration interval, Duration shutdownTimeout,
            ObservationRegistry observations) {
        this.messages = messages;
        this.interval = interval;
        this.shutdownTimeout = shutdownTimeout;
        this.observations = observations;
    }

    @Override
    public void start() {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "referrals-messages");
            t.setDaemon(true);
            return t;
        });
        executor = ex;
        ex.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("advocate messages are sent every {}", interval);
    }

    private void runOnce() {
        try {
            int sent = Observation.createNotStarted("referrals.messages.send-due", observations)
                    .contextualName("referrals send advocate messages").observe(messages::runOnce);
            if (failing) {
                failing = false;
                LOG.info("sending advocate messages works again");
            }
            if (sent > 0) {
                LOG.debug("{} advocate messages sent", sent);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("sending advocate messages failed; retried every {} and not logged again until it works",
                        interval, e);
            }
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        ex.shutdown();
        try {
            if (!ex.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ex.shutdownNow();
            }
        } catch (InterruptedException e) {
            ex.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService ex = executor;
        return ex != null && !ex.isShutdown();
    }

    @Override
    public int getPhase() {
        return ReferralsAutoConfiguration.LIFECYCLE_PHASE;
    }
}
