package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardFailed;
import io.referrals.core.event.RewardFulfilmentFailed;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * More rewards that the scheduled run has to put off (the approver defers them) or give up on (every fulfilment
 * attempt fails) than one run handles: the newer rewards behind them are still processed, and the others come back
 * after a bounded backoff or leave the queue with a status and an event.
 */
@DisplayName("The scheduled run does not stall on rewards it has to put off or give up on")
class ProcessDueBacklogTest {
    private static final int BATCH = 3;
    private static final int STUCK = 5;

    private final Map<RewardId, AtomicInteger> asked = new ConcurrentHashMap<>();
    private AdvocateId slow;

    private static ProcessReport sum(ProcessReport a, ProcessReport b) {
        return new ProcessReport(a.approved() + b.approved(), a.rejected() + b.rejected(),
                a.deferred() + b.deferred(), a.fulfilled() + b.fulfilled(), a.failed() + b.failed());
    }

    private static List<Reward> won(Fixture f, Advocate a, int referrals) {
        List<Reward> rewards = new ArrayList<>();
        for (int i = 0; i < referrals; i++) {
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "won");
            rewards.addAll(f.rewards.rewardsOf(r.id()));
        }
        return rewards;
    }

    private static Reward now(Fixture f, Reward r) {
        return f.rewards.rewardsOf(r.advocateId()).stream().filter(x -> x.id().equals(r.id())).findFirst()
                .orElseThrow();
    }

    private static List<String> types(Fixture f, Reward r) {
        return f.engine.events(EventStreams.of(io.referrals.core.model.ReferralId.of(r.source().id()))).stream()
                .map(OutboxEntry::event).map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    @DisplayName("rewards the approver defers, more than a batch, make way for newer ones and are asked again after a "
            + "backoff of at most the maximum")
    void deferredApprovals() {
        Fixture f = new Fixture(b -> b.batchSize(BATCH).approver(reward -> {
            asked.computeIfAbsent(reward.id(), k -> new AtomicInteger()).incrementAndGet();
            return reward.advocateId().equals(slow) ? RewardApprover.Verdict.DEFER : RewardApprover.Verdict.APPROVE;
        }), Fixture.load("gift-cards.yaml"));
        Advocate waiting = f.advocate("slow", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        slow = waiting.id();
        List<Reward> deferred = won(f, waiting, STUCK);
        f.clock.advance(Duration.ofMinutes(1));
        List<Reward> newer = won(f, f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS), 2);

        ProcessReport runs = new ProcessReport(0, 0, 0, 0, 0);
        for (int run = 0; run < 4; run++) {
            runs = sum(runs, f.rewards.processDue());
            f.clock.advance(Duration.ofSeconds(1));
        }

        assertThat(runs.approved()).isEqualTo(2);
        assertThat(newer).allSatisfy(r -> assertThat(now(f, r).status()).isEqualTo(RewardStatus.APPROVED));
        assertThat(runs.deferred()).isEqualTo(STUCK);
        Instant afterFirstRuns = f.clock.instant();
        for (Reward r : deferred) {
            Reward x = now(f, r);
            assertThat(x.status()).isEqualTo(RewardStatus.PENDING);
            assertThat(x.holdUntil()).as("the holding period stays as it was").isEqualTo(r.holdUntil());
            assertThat(x.nextAttemptAt()).as("the first backoff: between half and all of a minute")
                    .isAfter(afterFirstRuns.plusSeconds(20)).isBefore(afterFirstRuns.plusSeconds(60));
        }

        // put off again and again: each is asked at least once an hour (the default maximum), however long it waits
        for (int hour = 0; hour < 12; hour++) {
            f.clock.advance(Duration.ofHours(1));
            Instant run = f.clock.instant();
            for (int i = 0; i < 2; i++) {
                f.rewards.processDue();
            }
            for (Reward r : deferred) {
                assertThat(now(f, r).nextAttemptAt()).isAfter(run).isBeforeOrEqualTo(run.plus(Duration.ofHours(1)));
            }
        }
        assertThat(deferred).allSatisfy(r -> assertThat(asked.get(r.id())).hasValueGreaterThanOrEqualTo(13));
    }

    @Test
    @DisplayName("rewards whose fulfilment attempts are used up, more than a batch, leave the queue as FAILED with "
            + "RewardFailed, and newer rewards are fulfilled")
    void exhaustedFulfilments() {
        Map<RewardId, List<Integer>> attempts = new ConcurrentHashMap<>();
        Fixture f = new Fixture(b -> b.batchSize(BATCH).maxFulfilmentAttempts(2)
                .retryBackoff(Duration.ofMinutes(1), Duration.ofMinutes(5)).fulfiller(request -> {
                    attempts.computeIfAbsent(request.reward().id(), k -> new ArrayList<>()).add(request.attempt());
                    return request.reward().advocateId().equals(slow)
                            ? RewardFulfiller.Result.failed("gift card service refused the order")
                            : RewardFulfiller.Result.fulfilled();
                }), Fixture.load("gift-cards.yaml"));
        Advocate broken = f.advocate("broken", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        slow = broken.id();
        List<Reward> failing = won(f, broken, STUCK);
        for (int run = 0; run < 6; run++) {
            f.rewards.processDue();
            f.clock.advance(Duration.ofMinutes(5));
        }
        List<Reward> newer = won(f, f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS), 2);

        ProcessReport later = new ProcessReport(0, 0, 0, 0, 0);
        for (int run = 0; run < 3; run++) {
            later = sum(later, f.rewards.processDue());
            f.clock.advance(Duration.ofSeconds(1));
        }

        assertThat(later.fulfilled()).isEqualTo(2);
        assertThat(newer).allSatisfy(r -> assertThat(now(f, r).status()).isEqualTo(RewardStatus.FULFILLED));
        for (Reward r : failing) {
            Reward x = now(f, r);
            assertThat(x.status()).isEqualTo(RewardStatus.FAILED);
            assertThat(x.explanation()).extracting(Reason::code).contains("fulfilment_failed");
            assertThat(attempts.get(r.id())).containsExactly(1, 2);
            assertThat(types(f, r)).containsSubsequence(RewardFulfilmentFailed.class.getSimpleName(),
                    RewardFailed.class.getSimpleName()).containsOnlyOnce(RewardFailed.class.getSimpleName());
        }
        assertThat(f.rewards.processDue()).isEqualTo(new ProcessReport(0, 0, 0, 0, 0));

        Reward byHand = f.rewards.markFulfilled(failing.get(0).id(), "");
        assertThat(byHand.status()).isEqualTo(RewardStatus.FULFILLED);
        assertThat(attempts.get(failing.get(0).id())).containsExactly(1, 2);
    }
}
