package io.referrals.storage.jdbc.simulation;

import io.referrals.core.CaptureResult;
import io.referrals.core.TransitionResult;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Money;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.rules.result.ContestResult;
import io.referrals.rules.result.Standing;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulation's invariants, checked against the {@link Model} after every step (the cheap ones) and in a full
 * sweep every {@value #SWEEP_EVERY} steps and at the end. A violation throws an {@link AssertionError} that says which
 * invariant broke, and, where one is known, which defect of issue 11 it points to.
 */
final class Invariants {
    static final int SWEEP_EVERY = 25;
    /** How long a reward may stay due after the scheduler ran: its backoff bound. */
    static final Duration STUCK_BOUND = Duration.ofDays(1);
    static final Duration PROTECTION_WINDOW = Duration.ofDays(89);
    /** Polls a drain may take while defect 8 holds a stream to one event per poll. */
    static final int DRAIN_POLLS = 2_000;

    private final Simulation sim;
    private final Model model;
    private Instant lastCrash = Instant.MIN;
    private List<String> firstPrizes;

    Invariants(Simulation sim) {
        this.sim = sim;
        this.model = sim.model;
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    // ---- after every step -----------------------------------------------------------------------------------------

    void afterStep() {
        if (sim.outbox) {
            dispatch();
        }
        List<String> commits = sim.deliveries.takeCommitProblems();
        if (!commits.isEmpty()) {
            fail("committed event sequences have gaps: " + commits);
        }
        List<String> phantoms = sim.deliveries.takePhantoms();
        if (!phantoms.isEmpty()) {
            fail("listeners heard events of work that did not commit (defect 2 on a joined store, defect 1 on a"
                    + " transaction-aware DataSource): " + phantoms);
        }
        List<String> order = sim.deliveries.takeOrderProblems();
        if (!order.isEmpty()) {
            fail("events reached listeners out of stream order (defect 5 for in-process delivery): " + order);
        }
        List<ReferralEvent> undelivered = sim.deliveries.undelivered();
        boolean leased = lastCrash.plus(Simulation.LEASE).isAfter(sim.now());
        if (!undelivered.isEmpty() && !leased) {
            fail(undelivered.size() + " committed events were not delivered " + (sim.outbox
                    ? "by one dispatcher pass (defect 8: the outbox delivers one event per stream per poll)"
                    : "after their unit of work") + ", first: " + describe(undelivered.get(0)));
        }
        if (sim.step % SWEEP_EVERY == 0) {
            fullSweep();
        }
    }

    private static String describe(ReferralEvent e) {
        return e.getClass().getSimpleName() + " #" + e.metadata().sequence() + " of " + e.metadata().stream();
    }

    /** One pass of a dispatcher (or, while defect 8 is tolerated, passes until nothing is due); sometimes it dies. */
    private void dispatch() {
        Simulation.Instance in = sim.anyInstance();
        if (sim.random.nextInt(100) < 4) {
            in.crashIn.set(1 + sim.random.nextInt(4));
        }
        try {
            if (Known.DEFECT_8_OUTBOX_ONE_PER_POLL.checked()) {
                in.dispatcher.runOnce();
            } else {
                for (int i = 0; i < DRAIN_POLLS && in.dispatcher.runOnce() > 0; i++) {
                    // drain: one event per stream per poll (the backfill puts 1,200 on one stream)
                }
            }
        } catch (Simulation.SimulatedCrash crash) {
            lastCrash = sim.now();
            sim.log("the dispatcher of " + in + " died in the middle of a batch; restarted");
            in.restartDispatcher();
        } finally {
            in.crashIn.set(0);
        }
    }

    // ---- captures and replays -------------------------------------------------------------------------------------

    /** What the model predicts of a capture: refused for an opted-out advocate; a live duplicate is never accepted. */
    void capture(Simulation.Instance in, Model.Adv a, int prospect, CaptureResult r) {
        if (a.optedOut && !(r instanceof CaptureResult.Refused)) {
            fail("a capture by opted-out advocate " + a.number + " was not refused: " + Model.summary(r));
        }
        if (!(r instanceof CaptureResult.Accepted accepted) || accepted.replayed()) {
            return;
        }
        for (Model.Ref e : model.byProspect.getOrDefault(prospect, List.of())) {
            boolean live = !e.rejectedAtCapture && e.open() && e.adv.program.equals(a.program)
                    && (e.review == ReviewStatus.CLEAR || e.review == ReviewStatus.APPROVED)
                    && e.submittedAt.plus(PROTECTION_WINDOW).isAfter(sim.now());
            if (live && !e.id.equals(accepted.referral().id())) {
                List<String> forgetful = sim.instances.stream().filter(x -> x.forgetful).map(x -> x.name).toList();
                fail("prospect " + prospect + " was accepted again (advocate " + a.number + ", " + in + ") while "
                        + e + " by advocate " + e.adv.number + " owns it"
                        + (forgetful.isEmpty() ? "" : "; engines built without a match-key secret, each with a"
                        + " random one of its own (defect 3): " + forgetful));
            }
        }
    }

    void replay(Model.Capture c, CaptureResult again) {
        String now = Model.summary(again);
        if (Known.DEFECT_6_REPLAY_DIFFERS.checked() && !now.equals(c.first())) {
            fail("an idempotent replay of " + c.request().idempotencyKey() + " returned '" + now
                    + "', the first call returned '" + c.first() + "' (defect 6)");
        }
        boolean replayed = again instanceof CaptureResult.Accepted x ? x.replayed()
                : again instanceof CaptureResult.Rejected y && y.replayed();
        if (!replayed) {
            fail("a repeat of capture " + c.request().idempotencyKey() + " was not a replay: " + now);
        }
    }

    void redemptionReplay(String key, String first, String again) {
        if (!first.equals(again)) {
            fail("a repeated redemption " + key + " returned '" + again + "', the first '" + first + "'");
        }
    }

    // ---- referrals ------------------------------------------------------------------------------------------------

    void transition(Simulation.Instance in, Model.Ref r, TransitionResult t) {
        if (t instanceof TransitionResult.Moved m) {
            r.update(m.referral());
        } else if (t instanceof TransitionResult.Unchanged u) {
            r.update(u.referral());
        }
        stillAt(in, r);
    }

    /** The store holds the referral as the model knows it (stage, review and version). */
    void stillAt(Simulation.Instance in, Model.Ref r) {
        Referral stored = in.engine.referral(r.id).orElse(null);
        if (stored == null) {
            fail(r + " is not in the store");
        }
        if (!stored.stage().equals(r.stage) || stored.review() != r.review || stored.version() != r.version) {
            fail("the store holds referral " + r.id.value() + " at " + stored.stage().name() + ", " + stored.review()
                    + ", v" + stored.version() + "; the model at " + r.stage.name() + ", " + r.review + ", v"
                    + r.version);
        }
    }

    // ---- nothing half-written -------------------------------------------------------------------------------------

    /** What an operation on a referral and an advocate can change, as read back from the store. */
    record Footprint(Map<String, Object> parts) {
    }

    Footprint footprint(Simulation.Instance in, Model.Ref r, Model.Adv a) {
        Map<String, Object> parts = new TreeMap<>();
        var engine = in.engine;
        var rewards = in.rewards;
        if (r != null) {
            parts.put("referral", engine.referral(r.id).map(x -> x.stage().name() + "/" + x.review() + "/v"
                    + x.version() + "/" + x.dealValue().map(Money::toString).orElse("")).orElse("absent"));
            parts.put("timeline", engine.timeline(r.id).size());
            parts.put("referral rewards", rewardStates(rewards.rewardsOf(r.id)));
            parts.put("referral events", engine.events(EventStreams.of(r.id)).size());
        }
        if (a != null) {
            parts.put("advocate referrals", engine.referrals(ReferralQuery.builder().advocate(a.id).limit(1000)
                    .build()).size());
            parts.put("ledger", rewards.ledger(a.id).size());
            parts.put("balance", rewards.balance(a.id));
            parts.put("advocate rewards", rewardStates(rewards.rewardsOf(a.id)));
            parts.put("advocate events", engine.events(EventStreams.of(a.id)).size());
        }
        return new Footprint(parts);
    }

    private static Map<String, String> rewardStates(List<Reward> rewards) {
        Map<String, String> out = new TreeMap<>();
        rewards.forEach(x -> out.put(x.id().value(), x.status() + "/v" + x.version()));
        return out;
    }

    void unchanged(String what, Footprint before, Footprint after) {
        if (!before.equals(after)) {
            Map<String, String> diff = new TreeMap<>();
            before.parts().forEach((k, v) -> {
                if (!Objects.equals(v, after.parts().get(k))) {
                    diff.put(k, v + " -> " + after.parts().get(k));
                }
            });
            fail(what + ", but left writes behind (nothing may be half-written): " + diff);
        }
    }

    // ---- rewards --------------------------------------------------------------------------------------------------

    /** Right after the scheduler drained the due rewards, none may still be due since before the bound (defect 4). */
    void noStuckRewards(Simulation.Instance in) {
        if (!Known.DEFECT_4_STALLED_REWARDS.checked()) {
            return;
        }
        Instant bound = sim.now().minus(STUCK_BOUND);
        List<Reward> stuck = new ArrayList<>();
        in.engine.store().inTransaction(tx -> {
            stuck.addAll(tx.rewards().due(RewardStatus.PENDING, bound, 20));
            stuck.addAll(tx.rewards().due(RewardStatus.APPROVED, bound, 20));
            return null;
        });
        if (!stuck.isEmpty()) {
            Reward r = stuck.get(0);
            fail(stuck.size() + " rewards are still due more than " + STUCK_BOUND.toHours() + " hours after their due"
                    + " time although the scheduler just ran (defect 4: deferred approvals and used-up fulfilments"
                    + " stay at the head of the queue); first: reward " + r.id().value() + " (" + r.ruleId() + ", "
                    + r.status() + ", due " + r.holdUntil() + ", fulfiller " + (sim.fulfiller.inOutage() ? "down"
                    : "up") + ")");
        }
    }

    /** Balance equals the sum of the ledger, never below zero; a reward is credited at most once, taken back at most
     * what was credited. */
    void ledger(Simulation.Instance in, Model.Adv a) {
        List<LedgerEntry> entries = in.rewards.ledger(a.id);
        long sum = entries.stream().mapToLong(LedgerEntry::points).sum();
        long balance = in.rewards.balance(a.id);
        if (sum != balance || balance < 0) {
            fail("advocate " + a.number + ": balance " + balance + ", ledger sum " + sum);
        }
        Map<String, Long> earned = new HashMap<>();
        Map<String, Long> takenBack = new HashMap<>();
        for (LedgerEntry e : entries) {
            if (e.kind() == LedgerEntry.Kind.EARNED) {
                if (earned.put(e.rewardId(), e.points()) != null) {
                    fail("reward " + e.rewardId() + " of advocate " + a.number + " was credited twice");
                }
            } else if (e.kind() == LedgerEntry.Kind.REVERSED || e.kind() == LedgerEntry.Kind.EXPIRED) {
                takenBack.merge(e.rewardId(), -e.points(), Long::sum);
            }
        }
        Map<String, Reward> rewards = new HashMap<>();
        in.rewards.rewardsOf(a.id).forEach(r -> rewards.put(r.id().value(), r));
        earned.forEach((id, points) -> {
            Reward r = rewards.get(id);
            if (r == null || !(r.incentive() instanceof Incentive.Points p) || p.points() != points
                    || r.status() == RewardStatus.PENDING || r.status() == RewardStatus.REJECTED) {
                fail("ledger credit of " + points + " for reward " + id + " does not match it: " + r);
            }
        });
        takenBack.forEach((id, points) -> {
            if (!earned.containsKey(id) && !id.isEmpty() || points > earned.getOrDefault(id, points)) {
                fail("reward " + id + " of advocate " + a.number + ": " + points + " points taken back, "
                        + earned.get(id) + " credited");
            }
        });
    }

    // ---- contests -------------------------------------------------------------------------------------------------

    void contest(Simulation.Instance in, ContestResult r) {
        if (r instanceof ContestResult.Ended ended) {
            List<String> prizes = ended.prizes().stream().map(x -> x.advocateId().value()).toList();
            if (firstPrizes != null) {
                fail("a contest ended twice: prizes " + firstPrizes + " and then " + prizes);
            }
            firstPrizes = prizes;
            if (prizes.size() > World.CONTEST_TOP) {
                fail("a contest paid " + prizes.size() + " prizes to its top " + World.CONTEST_TOP);
            }
            for (Model.Ref ref : model.referrals) {
                in.engine.referral(ref.id).ifPresent(ref::update);
            }
            for (Standing s : ended.leaderboard()) {
                long upper = 0;
                long lower = 0;
                for (Model.Ref ref : model.referrals) {
                    if (!ref.adv.id.equals(s.advocateId()) || !ref.adv.program.equals(World.CUSTOMERS)
                            || ref.submittedAt.isBefore(World.CONTEST_START)
                            || !ref.submittedAt.isBefore(World.CONTEST_END)) {
                        continue;
                    }
                    upper += ref.rejectedAtCapture ? 0 : 1;
                    lower += ref.review == ReviewStatus.CLEAR || ref.review == ReviewStatus.APPROVED ? 1 : 0;
                }
                if (s.score() < lower) {
                    fail("contest score " + s.score() + " of " + s.advocateId().value() + " is below its " + lower
                            + " referrals in the window");
                }
                if (Known.DEFECT_11_CONTESTS_COUNT_REJECTED.checked() && s.score() > upper) {
                    fail("contest score " + s.score() + " of " + s.advocateId().value() + " counts more than its "
                            + upper + " referrals not rejected in the window (defect 11: contests count rejected"
                            + " referrals)");
                }
            }
        } else if (r instanceof ContestResult.AlreadyEnded again && firstPrizes != null) {
            List<String> prizes = again.prizes().stream().map(x -> x.advocateId().value()).toList();
            if (!prizes.equals(firstPrizes)) {
                fail("a contest ended again reports prizes " + prizes + ", first " + firstPrizes);
            }
        }
    }

    // ---- host transactions ----------------------------------------------------------------------------------------

    void hostTransaction(String order, boolean committed, boolean joined, String key, Model.Adv a,
            boolean recorded) {
        boolean orderStored = sim.host.orderExists(order);
        boolean referralStored = sim.instances.get(0).engine.referrals(ReferralQuery.builder().advocate(a.id)
                .limit(1000).build()).stream().anyMatch(r -> r.idempotencyKey().equals(key));
        if (!committed && orderStored) {
            fail("the host rolled its transaction " + order + " back, but its own write is stored: the store"
                    + " committed the host's transaction (defect 1: a store on a plain DataSource that hands out a"
                    + " connection with auto-commit off commits a transaction it did not begin)");
        }
        if (!committed && referralStored) {
            fail("the host rolled its transaction " + order + " back, but the referral captured in it is stored ("
                    + (joined ? "joined store" : "defect 1") + ")");
        }
        if (committed && (!orderStored || referralStored != recorded)) {
            fail("the host committed " + order + " but its order (" + orderStored + ") or referral ("
                    + referralStored + ") is missing");
        }
    }

    // ---- the full sweep -------------------------------------------------------------------------------------------

    void fullSweep() {
        Simulation.Instance in = sim.anyInstance();
        Map<String, Long> welcomes = new HashMap<>();
        long budget = 0;
        Set<String> webinarWinners = new HashSet<>();
        Map<String, BigDecimal> commissions = new HashMap<>();
        int prizes = 0;
        for (Model.Adv a : model.advocates) {
            ledger(in, a);
            int stored = in.engine.referrals(ReferralQuery.builder().advocate(a.id).limit(1000).build()).size();
            if (stored != model.referralsOf.getOrDefault(a.id, 0)) {
                fail("advocate " + a.number + " has " + stored + " referrals in the store, "
                        + model.referralsOf.getOrDefault(a.id, 0) + " in the model (half-written or lost captures)");
            }
            for (Reward r : in.rewards.rewardsOf(a.id)) {
                boolean counts = r.status() != RewardStatus.REVERSED && r.status() != RewardStatus.REJECTED;
                if (r.source().kind() == RewardSource.Kind.CONTEST) {
                    prizes++;
                }
                if (!counts) {
                    continue;
                }
                switch (r.ruleId()) {
                    case "welcome" -> welcomes.merge(a.number + "@" + YearMonth.from(r.createdAt()
                            .atOffset(ZoneOffset.UTC)), 1L, Long::sum);
                    case "customer" -> budget += r.beneficiary() == Beneficiary.ADVOCATE
                            && r.incentive() instanceof Incentive.Points p ? p.points() : 0;
                    case "webinar" -> webinarWinners.add(a.id.value());
                    case "commission" -> commissions.merge(a.account + "@" + r.createdAt().atOffset(ZoneOffset.UTC)
                            .getYear(), ((Incentive.Cash) r.incentive()).amount().amount(), BigDecimal::add);
                    default -> { }
                }
                if (r.status() == RewardStatus.FULFILLED && !(r.incentive() instanceof Incentive.Points)
                        && r.source().kind() == RewardSource.Kind.REFERRAL && !r.ruleId().equals("backfill")
                        && !sim.fulfiller.fulfilled.containsKey(r.id().value())) {
                    fail("reward " + r.id().value() + " (" + r.ruleId() + ") is fulfilled, but the fulfiller never"
                            + " issued it");
                }
            }
        }
        welcomes.forEach((k, n) -> {
            if (n > World.MONTHLY_WELCOMES) {
                fail("advocate " + k + " got " + n + " welcome rewards in one month, the cap is "
                        + World.MONTHLY_WELCOMES);
            }
        });
        if (budget > World.BUDGET_POINTS) {
            fail("the customer rewards paid " + budget + " points, the budget is " + World.BUDGET_POINTS);
        }
        if (webinarWinners.size() > World.CHALLENGE_WINNERS) {
            fail(webinarWinners.size() + " advocates completed the webinar challenge, at most "
                    + World.CHALLENGE_WINNERS + " may");
        }
        commissions.forEach((k, v) -> {
            if (v.compareTo(World.COMMISSION_CAP.amount()) > 0) {
                fail("partner account " + k + " earned " + v + " in commissions, the yearly cap is "
                        + World.COMMISSION_CAP.amount());
            }
        });
        if (prizes > World.CONTEST_TOP) {
            fail(prizes + " contest prizes were paid, to the top " + World.CONTEST_TOP);
        }
        if (model.redeemed > 25) {
            fail(model.redeemed + " swag boxes were redeemed from a stock of 25");
        }
        Set<String> attempts = new HashSet<>();
        synchronized (sim.fulfiller) {
            for (String call : sim.fulfiller.calls) {
                if (!attempts.add(call)) {
                    fail("the fulfiller was called twice for the same attempt " + call);
                }
            }
        }
        for (Model.Ref r : model.referrals) {
            stillAt(in, r);
        }
    }

    /** At the end: every committed event is delivered once the dispatchers have drained the outbox. */
    void atEnd() {
        if (sim.outbox) {
            sim.clock.advance(Duration.ofMinutes(5));
            for (Simulation.Instance in : sim.instances) {
                for (int i = 0; i < DRAIN_POLLS && in.dispatcher.runOnce() > 0; i++) {
                    // drain
                }
            }
        }
        List<ReferralEvent> left = sim.deliveries.undelivered();
        if (!left.isEmpty()) {
            fail(left.size() + " committed events were never delivered, first " + describe(left.get(0)));
        }
    }
}
