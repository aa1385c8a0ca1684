package io.referrals.spring.boot.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.referrals.core.event.PointsBalanceChanged;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralFlagged;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralRejected;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.RewardApproved;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.event.RewardExpired;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.RewardFulfilmentFailed;
import io.referrals.core.event.RewardRejected;
import io.referrals.core.event.RewardReversed;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reward;
import io.referrals.core.outbox.OutboxListener;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The starter's meters (every one is listed in the starter's README). Counters of business events are counted when
 * the event is delivered by the outbox, that is after its transaction committed; delivery is at least once, so a
 * redelivery after a crash may count an event twice. Gauges read the outbox through {@link OutboxMonitor}.
 */
public final class ReferralMetrics implements MeterBinder, ReferralListener, OutboxListener, ListenerFailures {
    private final OutboxMonitor monitor;
    private volatile MeterRegistry registry;

    ReferralMetrics(OutboxMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        Gauge.builder("referrals.outbox.pending", monitor, OutboxMonitor::pending)
                .description("Events waiting in the outbox for delivery").baseUnit("events").register(r);
        Gauge.builder("referrals.outbox.parked", monitor, OutboxMonitor::parked)
                .description("Events parked after failing too often; they wait for a requeue").baseUnit("events")
                .register(r);
        TimeGauge.builder("referrals.outbox.oldest.age", monitor, TimeUnit.SECONDS,
                OutboxMonitor::oldestPendingAgeSeconds)
                .description("How long the oldest pending event has waited since it occurred").register(r);
        Timer.builder("referrals.outbox.delivery.latency")
                .description("From an event's occurrence (its commit) to the end of its delivery to the listeners")
                .register(r);
        this.registry = r;
    }

    private void count(String name, String description, String... tags) {
        MeterRegistry r = registry;
        if (r != null) {
            Counter.builder(name).description(description).tags(tags).register(r).increment();
        }
    }

    private static String program(ProgramId id) {
        return id.value();
    }

    // ---- business events -----------------------------------------------------------------------------------------

    @Override
    public void onReferralSubmitted(ReferralSubmitted e) {
        capture("accepted", e.referral().programId());
    }

    @Override
    public void onReferralFlagged(ReferralFlagged e) {
        capture("flagged", e.referral().programId());
    }

    @Override
    public void onReferralRejected(ReferralRejected e) {
        capture("rejected", e.referral().programId());
    }

    @Override
    public void onReferralRefused(ReferralRefused e) {
        capture("refused", e.programId());
    }

    private void capture(String outcome, ProgramId program) {
        count("referrals.captures", "Referrals captured, by outcome", "outcome", outcome, "program", program(program));
    }

    @Override
    public void onStageChanged(StageChanged e) {
        count("referrals.stage.changes", "Stage changes of referrals, by the stage reached", "program",
                program(e.referral().programId()), "stage", e.transition().to().name());
    }

    @Override
    public void onRewardEarned(RewardEarned e) {
        reward("earned", e.reward());
    }

    @Override
    public void onRewardApproved(RewardApproved e) {
        reward("approved", e.reward());
    }

    @Override
    public void onRewardFulfilled(RewardFulfilled e) {
        reward("fulfilled", e.reward());
    }

    @Override
    public void onRewardFulfilmentFailed(RewardFulfilmentFailed e) {
        reward("fulfilment_failed", e.reward());
    }

    @Override
    public void onRewardRejected(RewardRejected e) {
        reward("rejected", e.reward());
    }

    @Override
    public void onRewardReversed(RewardReversed e) {
        reward("reversed", e.reward());
    }

    @Override
    public void onRewardExpired(RewardExpired e) {
        reward("expired", e.reward());
    }

    private void reward(String status, Reward reward) {
        count("referrals.rewards", "Reward lifecycle changes, by the status reached", "status", status, "program",
                program(reward.programId()));
    }

    @Override
    public void onPointsBalanceChanged(PointsBalanceChanged e) {
        MeterRegistry r = registry;
        if (r != null && e.entry().kind() == LedgerEntry.Kind.EARNED && e.entry().points() > 0) {
            Counter.builder("referrals.points.issued").description("Points credited to advocates").baseUnit("points")
                    .register(r).increment(e.entry().points());
        }
    }

    // ---- outbox --------------------------------------------------------------------------------------------------

    @Override
    public void onDelivered(ReferralEvent event, int attempt, Duration sinceOccurred) {
        MeterRegistry r = registry;
        if (r != null) {
            r.timer("referrals.outbox.delivery.latency").record(sinceOccurred);
        }
        delivery("delivered");
    }

    @Override
    public void onFailed(ReferralEvent event, int attempt, Instant retryAt, RuntimeException error) {
        delivery("failed");
    }

    @Override
    public void onParked(ReferralEvent event, int attempts, RuntimeException error) {
        delivery("parked");
    }

    private void delivery(String outcome) {
        count("referrals.outbox.deliveries", "Delivery attempts of outbox events, by outcome", "outcome", outcome);
    }

    @Override
    public void failed(ReferralListener listener, ReferralEvent event, RuntimeException error) {
        count("referrals.listener.failures", "Failures of listener beans on events", "listener",
                listener.getClass().getSimpleName());
    }
}
