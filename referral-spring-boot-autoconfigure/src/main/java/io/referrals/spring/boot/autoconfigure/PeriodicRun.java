package io.referrals.spring.boot.autoconfigure;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one of the library's periodic jobs (due rewards, advocate messages) on a daemon thread every interval from
 * start-up, observed under a Micrometer name, and stops it at shutdown (waiting for a run in progress up to the
 * timeout) before the connection pool closes. A failing run is logged once per run of failures, at WARN, and retried
 * at the next interval.
 *
 * @param <T> what a run returns
 */
final class PeriodicRun<T> implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicRun.class);

    private final Job<T> job;
    private final Duration interval;
    private final Duration shutdownTimeout;
    private final ObservationRegistry observations;
    private volatile ScheduledExecutorService executor;
    private boolean failing; // only touched by the executor's single thread

    /**
     * A periodic job.
     *
     * @param activity what it does, for the log ("processing due rewards")
     * @param thread the name of its thread
     * @param observation the Micrometer observation name of a run
     * @param contextualName the observation's contextual name
     * @param run one run
     * @param summary the DEBUG line after a run, or empty for none
     * @param <T> what a run returns
     */
    record Job<T>(String activity, String thread, String observation, String contextualName, Supplier<T> run,
            Function<T, Optional<String>> summary) {
        Job {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(summary, "summary");
        }
    }

    PeriodicRun(Job<T> job, Duration interval, Duration shutdownTimeout, ObservationRegistry observations) {
        this.job = job;
        this.interval = interval;
        this.shutdownTimeout = shutdownTimeout;
        this.observations = observations;
    }

    @Override
    public void start() {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, job.thread());
            t.setDaemon(true);
            return t;
        });
        executor = ex;
        ex.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("{}: every {}", job.activity(), interval);
    }

    private void runOnce() {
        try {
            T result = Observation.createNotStarted(job.observation(), observations)
                    .contextualName(job.contextualName()).observe(job.run());
            if (failing) {
                failing = false;
                LOG.info("{} works again", job.activity());
            }
            job.summary().apply(result).ifPresent(LOG::debug);
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("{} failed; retried every {} and not logged again until it works", job.activity(), interval,
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
