package io.referrals.spring.boot.autoconfigure;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.referrals.rules.Rewards;
import io.referrals.rules.result.ProcessReport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link Rewards#processDue()} on a daemon thread every interval from start-up, and stops it at shutdown (waiting
 * for a run in progress up to the timeout) before the connection pool closes. A failing run is logged once per run of
 * failures, at WARN, and retried at the next interval.
 */
final class DueRewardsLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DueRewardsLifecycle.class);

    private final Rewards rewards;
    private final Duration interval;
    private final Duration shutdownTimeout;
    private final ObservationRegistry observations;
    private volatile ScheduledExecutorService executor;
    private boolean failing;

    DueRewardsLifecycle(Rewards rewards, Duration interval, Duration shutdownTimeout,
            ObservationRegistry observations) {
        this.rewards = rewards;
        this.interval = interval;
        this.shutdownTimeout = shutdownTimeout;
        this.observations = observations;
    }

    @Override
    public void start() {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "referrals-rewards");
            t.setDaemon(true);
            return t;
        });
        executor = ex;
        ex.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("due rewards are processed every {}", interval);
    }

    private void runOnce() {
        try {
            ProcessReport report = Observation.createNotStarted("referrals.rewards.process-due", observations)
                    .contextualName("referrals process due rewards").observe(rewards::processDue);
            if (failing) {
                failing = false;
                LOG.info("processing due rewards works again");
            }
            LOG.debug("due rewards processed: {}", report);
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("processing due rewards failed; retried every {} and not logged again until it works", interval,
                        e);
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
