package io.referrals.storage.jdbc.simulation;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.IdempotencyConflictException;
import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.StorageException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.rules.result.ContestResult;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.result.RedemptionResult;
import io.referrals.storage.jdbc.JdbcReferralStore;
import io.referrals.storage.jdbc.MigrationMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** The steps of the simulated program's life, chosen by weight from the seed's random source. */
final class Workload {
    private static final String[] SALESFORCE = {"Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
        "Id. Decision Makers", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"};
    private static final String[] HUBSPOT = {"appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
        "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"};
    private static final Reason REFUNDED = Reason.of("refunded", "The deal was refunded.");

    private final Simulation sim;
    private final Model model;
    private final int bigTransactionAt;
    private Instant lastProcess = World.START;
    private int orders;
    private int events;
    private boolean hostRefused;
    private boolean launched;
    private Simulation.Instance awareHost;
    private Simulation.Instance joinedHost;

    Workload(Simulation sim) {
        this.sim = sim;
        this.model = sim.model;
        this.bigTransactionAt = sim.steps / 4 + sim.random.nextInt(Math.max(1, sim.steps / 4));
    }

    void step() {
        advanceClock();
        if (model.advocates.size() < 8) {
            registerAdvocate();
            return;
        }
        if (!launched) {
            // launch day: the first referrals of every advocate arrive at once
            launched = true;
            burst();
            return;
        }
        if (sim.step == bigTransactionAt) {
            largeTransaction();
            return;
        }
        if (Duration.between(lastProcess, sim.now()).toHours() >= 6) {
            processDue();
        }
        int roll = sim.random.nextInt(160);
        if (roll < 8) {
            registerAdvocate();
        } else if (roll < 36) {
            captureNew();
        } else if (roll < 44) {
            captureKnownProspect();
        } else if (roll < 50) {
            captureByCode();
        } else if (roll < 58) {
            replay();
        } else if (roll < 60) {
            idempotencyConflict();
        } else if (roll < 82) {
            crmStorm();
        } else if (roll < 86) {
            dealValue();
        } else if (roll < 90) {
            reverse();
        } else if (roll < 96) {
            review();
        } else if (roll < 104) {
            processDue();
        } else if (roll < 108) {
            redeem();
        } else if (roll < 110) {
            expire();
        } else if (roll < 113) {
            webinar();
        } else if (roll < 116) {
            endContest();
        } else if (roll < 117) {
            optOut();
        } else if (roll < 120) {
            restart();
        } else if (roll < 122) {
            sim.fulfiller.outage(Duration.ofDays(1 + sim.random.nextInt(4)));
            sim.log("the fulfiller's billing system goes down for days");
        } else if (roll < 128) {
            hostTransaction();
        } else if (roll < 136) {
            interleave();
        } else if (roll < 140) {
            burst();
        } else if (roll < 146) {
            takeover();
        } else {
            captureNew();
        }
    }

    private void advanceClock() {
        int r = sim.random.nextInt(100);
        Duration d = r < 70 ? Duration.ofMinutes(5 + sim.random.nextInt(295))
                : r < 95 ? Duration.ofHours(4 + sim.random.nextInt(12)) : Duration.ofDays(1 + sim.random.nextInt(3));
        sim.clock.advance(d);
    }

    // ---- faults ---------------------------------------------------------------------------------------------------

    /**
     * Runs one single-transaction operation, sometimes with a storage failure armed at a random call or, on a
     * database, a connection kill at a random statement. When the operation fails for it, nothing it did may remain.
     */
    private <T> T faultable(Simulation.Instance in, Model.Ref ref, Model.Adv adv, String what, Supplier<T> op) {
        int roll = sim.random.nextInt(100);
        boolean storeFault = roll < 6;
        boolean kill = roll >= 6 && roll < 10 && sim.faulty != null;
        if (!storeFault && !kill) {
            return op.get();
        }
        int at = 1 + sim.random.nextInt(kill ? 10 : 14);
        Invariants.Footprint before = sim.check.footprint(in, ref, adv);
        if (kill) {
            sim.faulty.armKill(at);
        } else {
            in.store.armFault(at);
        }
        try {
            T out = op.get();
            sim.log(what + (disarm(in, kill) ? " (armed fault did not fire)" : " (survived a fault)"));
            return out;
        } catch (RuntimeException e) {
            boolean fired = !disarm(in, kill);
            if (!causedBy(e, StorageException.class)) {
                if (fired) {
                    throw new AssertionError(what + " failed under an injected " + (kill ? "connection kill"
                            : "storage failure") + " with " + e + " instead of a StorageException", e);
                }
                // a business refusal before the fault's turn: it writes nothing either
                sim.check.unchanged(what + " was refused", before, sim.check.footprint(in, ref, adv));
                throw e;
            }
            sim.log(what + " failed: " + (kill ? "connection killed" : "storage failure") + " at call " + at);
            sim.check.unchanged(what + " failed midway", before, sim.check.footprint(in, ref, adv));
            return null;
        }
    }

    private boolean disarm(Simulation.Instance in, boolean kill) {
        return kill ? sim.faulty.disarm() : in.store.disarm();
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    // ---- advocates ------------------------------------------------------------------------------------------------

    private void registerAdvocate() {
        boolean partner = sim.random.nextInt(4) == 0;
        Model.Adv a = sim.register(sim.anyInstance(), partner);
        sim.log("registered " + (partner ? "partner" : "customer") + " advocate " + a.number);
    }

    private void optOut() {
        Model.Adv a = pickAdvocate();
        if (a.optedOut || model.advocates.size() < 10) {
            return;
        }
        sim.anyInstance().engine.optOut(a.id);
        a.optedOut = true;
        sim.log("advocate " + a.number + " opts out");
    }

    private Model.Adv pickAdvocate() {
        return model.advocates.get(sim.random.nextInt(model.advocates.size()));
    }

    // ---- captures -------------------------------------------------------------------------------------------------

    private void captureNew() {
        capture(pickAdvocate(), ++model.prospects, "new prospect");
    }

    /** A prospect referred before: a duplicate, a partner taking a prospect over, or a re-referral. */
    private void captureKnownProspect() {
        if (model.prospects == 0) {
            return;
        }
        int p = 1 + sim.random.nextInt(model.prospects);
        List<Model.Ref> earlier = model.byProspect.getOrDefault(p, List.of());
        Model.Adv a = !earlier.isEmpty() && sim.random.nextBoolean() ? earlier.get(0).adv : pickAdvocate();
        capture(a, p, "known prospect " + p);
    }

    /** A partner refers a prospect a customer referred first: the partner takes it over, the customer's is flagged. */
    private void takeover() {
        Model.Ref owned = pickReferral(x -> x.open() && !x.adv.partner && x.review == ReviewStatus.CLEAR);
        List<Model.Adv> partners = model.advocates.stream().filter(x -> x.partner && !x.optedOut).toList();
        if (owned == null || partners.isEmpty()) {
            captureNew();
            return;
        }
        capture(partners.get(sim.random.nextInt(partners.size())), owned.prospect, "partner takeover of prospect "
                + owned.prospect);
    }

    private void captureByCode() {
        Model.Adv a = pickAdvocate();
        int p = ++model.prospects;
        CaptureRequest request = CaptureRequest.builder().code(a.code.toLowerCase(java.util.Locale.ROOT))
                .prospect(Simulation.prospect(p)).channel(Channel.LINK_OR_CODE)
                .consent(ConsentBasis.ADVOCATE_INTRODUCTION).build();
        Simulation.Instance in = sim.anyInstance();
        CaptureResult r = faultable(in, null, a, "capture by code", () -> in.engine.capture(request));
        if (r != null) {
            captured(in, a, p, request, r, "by code");
        }
    }

    private void capture(Model.Adv a, int p, String what) {
        String key = sim.random.nextInt(10) < 7 ? "cap-" + sim.seed + "-" + sim.step : "";
        CaptureRequest request = sim.request(a, p, key).build();
        Simulation.Instance in = sim.anyInstance();
        CaptureResult r = faultable(in, null, a, "capture of prospect " + p + " by advocate " + a.number,
                () -> in.engine.capture(request));
        if (r != null) {
            captured(in, a, p, request, r, what);
        }
    }

    void captured(Simulation.Instance in, Model.Adv a, int p, CaptureRequest request, CaptureResult r, String what) {
        sim.log("capture (" + what + ") of prospect " + p + " by advocate " + a.number + " on " + in + ": "
                + Model.summary(r) + (r instanceof CaptureResult.Accepted x ? " " + x.referral().review() : ""));
        sim.check.capture(in, a, p, r);
        if (!request.idempotencyKey().isEmpty() && !(r instanceof CaptureResult.Refused)) {
            model.captures.putIfAbsent(request.idempotencyKey(), new Model.Capture(request, a, p, Model.summary(r)));
        }
        r.recorded().ifPresent(ref -> model.add(ref, a, p, r instanceof CaptureResult.Rejected));
        // a capture may flag an earlier referral of the prospect (ownership passed to a partner)
        for (Model.Ref other : model.byProspect.getOrDefault(p, List.of())) {
            if (r.recorded().map(x -> !x.id().equals(other.id)).orElse(true)) {
                in.engine.referral(other.id).ifPresent(other::update);
            }
        }
    }

    private void replay() {
        if (model.captures.isEmpty()) {
            return;
        }
        List<Model.Capture> all = new ArrayList<>(model.captures.values());
        // replays of referrals whose review changed since are the ones worth repeating most
        List<Model.Capture> changed = all.stream().filter(c -> c.first().startsWith("accepted ")).filter(c -> {
            Model.Ref ref = model.byId.get(io.referrals.core.model.ReferralId.of(c.first().substring(9)));
            return ref != null && ref.review != ReviewStatus.CLEAR;
        }).toList();
        List<Model.Capture> from = !changed.isEmpty() && sim.random.nextBoolean() ? changed : all;
        Model.Capture c = from.get(sim.random.nextInt(from.size()));
        Simulation.Instance in = sim.anyInstance();
        CaptureResult again = in.engine.capture(c.request());
        sim.log("replay of " + c.request().idempotencyKey() + " on " + in + ": " + Model.summary(again));
        sim.check.replay(c, again);
    }

    private void idempotencyConflict() {
        if (model.captures.isEmpty()) {
            return;
        }
        List<Model.Capture> all = new ArrayList<>(model.captures.values());
        Model.Capture c = all.get(sim.random.nextInt(all.size()));
        Simulation.Instance in = sim.anyInstance();
        Invariants.Footprint before = sim.check.footprint(in, null, c.adv());
        CaptureRequest other = sim.request(c.adv(), ++model.prospects, c.request().idempotencyKey()).build();
        try {
            CaptureResult r = in.engine.capture(other);
            throw new AssertionError("a capture reusing idempotency key " + c.request().idempotencyKey()
                    + " with another payload was not refused: " + Model.summary(r));
        } catch (IdempotencyConflictException expected) {
            sim.log("idempotency key " + c.request().idempotencyKey() + " reused with another payload: refused");
        }
        sim.check.unchanged("a refused idempotency conflict", before, sim.check.footprint(in, null, c.adv()));
    }

    // ---- stages, deal values, refunds, reviews --------------------------------------------------------------------

    private Model.Ref pickReferral(java.util.function.Predicate<Model.Ref> filter) {
        List<Model.Ref> candidates = new ArrayList<>();
        int from = Math.max(0, model.referrals.size() - 60);
        for (int i = from; i < model.referrals.size(); i++) {
            if (filter.test(model.referrals.get(i))) {
                candidates.add(model.referrals.get(i));
            }
        }
        return candidates.isEmpty() ? null : candidates.get(sim.random.nextInt(candidates.size()));
    }

    /** A burst of CRM stage updates: mostly forward, with repeats, steps back, skips and a close. */
    private void crmStorm() {
        Model.Ref r = pickReferral(Model.Ref::open);
        if (r == null) {
            return;
        }
        String[] names = sim.random.nextBoolean() ? SALESFORCE : HUBSPOT;
        int at = sim.random.nextInt(3);
        int n = 2 + sim.random.nextInt(5);
        Simulation.Instance in = sim.anyInstance();
        for (int i = 0; i < n; i++) {
            int roll = sim.random.nextInt(10);
            int idx = roll < 6 ? Math.min(names.length - 3, at + sim.random.nextInt(2))
                    : roll < 7 ? Math.max(0, at - 1 - sim.random.nextInt(2))
                    : roll < 9 ? names.length - 2 : names.length - 1;
            if (idx == names.length - 1 && sim.random.nextInt(3) > 0) {
                idx = names.length - 2;
            }
            at = Math.max(at, idx);
            String crm = names[idx];
            try {
                TransitionResult t = faultable(in, r, r.adv, "CRM stage '" + crm + "' on " + r,
                        () -> in.engine.applyCrmStage(r.id, crm, TransitionCause.crm("crm"), "opp-" + r.id.value()
                                .substring(0, 8)));
                if (t != null) {
                    sim.log("CRM stage '" + crm + "' on " + r + ": " + t.getClass().getSimpleName());
                    sim.check.transition(in, r, t);
                }
            } catch (IllegalTransitionException e) {
                sim.log("CRM stage '" + crm + "' on " + r + " refused: " + e.getMessage());
                sim.check.stillAt(in, r);
            }
        }
    }

    private void dealValue() {
        Model.Ref r = pickReferral(Model.Ref::open);
        if (r == null) {
            return;
        }
        Money value = Money.of((1000 + sim.random.nextInt(90)) * 1000 + ".00", "USD");
        Simulation.Instance in = sim.anyInstance();
        Referral x = faultable(in, r, r.adv, "deal value of " + r, () -> in.engine.recordDealValue(r.id, value));
        if (x != null) {
            r.update(x);
            sim.log("deal value " + value.amount() + " on " + r);
        }
    }

    private void reverse() {
        Model.Ref r = pickReferral(x -> !x.rejectedAtCapture && !x.backfilled && !Stage.SUBMITTED.equals(x.stage));
        if (r == null) {
            return;
        }
        Simulation.Instance in = sim.anyInstance();
        List<Reward> reversed = faultable(in, r, r.adv, "clawback of " + r, () -> in.rewards.reverse(r.id, REFUNDED));
        if (reversed != null) {
            sim.log("refund: clawback of " + r + " reversed " + reversed.size() + " rewards");
            sim.check.ledger(in, r.adv);
        }
    }

    private void review() {
        Model.Ref r = pickReferral(x -> x.review == ReviewStatus.FLAGGED);
        if (r == null) {
            return;
        }
        boolean approve = sim.random.nextInt(3) > 0;
        Simulation.Instance in = sim.anyInstance();
        Referral x = faultable(in, r, r.adv, (approve ? "approval of " : "denial of ") + r,
                () -> approve ? in.engine.approveReferral(r.id, "reviewer-1", "")
                        : in.engine.denyReferral(r.id, "reviewer-1", "looks like a duplicate"));
        if (x != null) {
            r.update(x);
            sim.log((approve ? "approved " : "denied ") + r);
            sim.check.stillAt(in, r);
        }
    }

    // ---- rewards --------------------------------------------------------------------------------------------------

    /** The host's scheduler: runs the due processing until a run finds nothing more to do (at most ten runs). */
    void processDue() {
        Simulation.Instance in = sim.anyInstance();
        int runs = 0;
        ProcessReport total = new ProcessReport(0, 0, 0, 0, 0);
        for (; runs < 10; runs++) {
            ProcessReport r = in.rewards.processDue();
            total = new ProcessReport(total.approved() + r.approved(), total.rejected() + r.rejected(),
                    total.deferred() + r.deferred(), total.fulfilled() + r.fulfilled(), total.failed() + r.failed());
            if (r.approved() + r.rejected() + r.deferred() + r.fulfilled() + r.failed() == 0) {
                break;
            }
        }
        lastProcess = sim.now();
        sim.log("processDue on " + in + " (" + runs + " runs): " + total);
        sim.check.noStuckRewards(in);
    }

    private void redeem() {
        Model.Adv a = pickAdvocate();
        if (a.partner) {
            return;
        }
        Simulation.Instance in = sim.anyInstance();
        boolean again = !model.redemptions.isEmpty() && sim.random.nextInt(3) == 0;
        String key = again ? new ArrayList<>(model.redemptions.keySet()).get(sim.random.nextInt(
                model.redemptions.size())) : "redeem-" + sim.seed + "-" + sim.step;
        Model.Adv who = again ? model.advocates.stream().filter(x -> key.endsWith("#" + x.number)).findFirst()
                .orElse(a) : a;
        String fullKey = again ? key : key + "#" + who.number;
        RedemptionResult r = faultable(in, null, who, "redemption " + fullKey,
                () -> in.rewards.redeem(who.id, World.CUSTOMERS, "swag", fullKey));
        if (r == null) {
            return;
        }
        String summary = r instanceof RedemptionResult.Redeemed x ? "redeemed " + x.reward().id().value()
                : "refused " + ((RedemptionResult.Refused) r).reason().code();
        sim.log("redemption " + fullKey + " by advocate " + who.number + ": " + summary);
        String first = model.redemptions.get(fullKey);
        if (first == null && r instanceof RedemptionResult.Redeemed) {
            model.redemptions.put(fullKey, summary);
            model.redeemed++;
        } else if (first != null) {
            sim.check.redemptionReplay(fullKey, first, summary);
        }
        sim.check.ledger(in, who);
    }

    private void expire() {
        Model.Adv a = pickAdvocate();
        Simulation.Instance in = sim.anyInstance();
        Long expired = faultable(in, null, a, "expiry of advocate " + a.number + "'s points",
                () -> in.rewards.expirePoints(a.id, a.program));
        if (expired != null) {
            sim.log("expired " + expired + " points of advocate " + a.number);
            sim.check.ledger(in, a);
        }
    }

    private void webinar() {
        Model.Adv a = pickAdvocate();
        if (a.partner) {
            return;
        }
        Simulation.Instance in = sim.anyInstance();
        String id = "webinar-" + (++events);
        var outcomes = faultable(in, null, a, "webinar by advocate " + a.number,
                () -> in.rewards.recordEvent(a.id, World.CUSTOMERS, "webinar_hosted", id));
        if (outcomes != null) {
            sim.log("advocate " + a.number + " hosted a webinar: " + outcomes.stream().map(o -> o.status().name())
                    .toList());
        }
    }

    private void endContest() {
        if (sim.now().isBefore(World.CONTEST_END)) {
            return;
        }
        Simulation.Instance in = sim.anyInstance();
        ContestResult r = in.rewards.endContest(World.CUSTOMERS, World.CONTEST);
        sim.log("end of contest on " + in + ": " + r.getClass().getSimpleName());
        sim.check.contest(in, r);
    }

    // ---- instances ------------------------------------------------------------------------------------------------

    /** A service instance restarts (new store object and caches, new engine); or its outbox dispatcher restarts. */
    private void restart() {
        int i = sim.random.nextInt(sim.instances.size());
        if (sim.outbox && sim.random.nextBoolean()) {
            sim.instances.get(i).restartDispatcher();
            sim.log("dispatcher of " + sim.instances.get(i) + " restarted");
            return;
        }
        boolean forgetful = sim.faulty != null && Known.DEFECT_3_NO_STABLE_MATCH_KEY_SECRET.checked()
                && sim.random.nextInt(3) == 0;
        Simulation.Instance old = sim.instances.get(i);
        if (old.dispatcher != null) {
            old.dispatcher.close();
        }
        sim.retiredFaults += old.store.faultsInjected();
        Simulation.Instance next = sim.newInstance(forgetful);
        sim.instances.set(i, next);
        sim.log(old + " restarted as " + next + (next.forgetful ? " without a match-key secret" : ""));
    }

    // ---- host transactions ----------------------------------------------------------------------------------------

    /**
     * The host calls the engine inside its own transaction (defects 1 and 2): through a transaction-aware plain
     * DataSource, or through a store that joins host transactions; then commits or rolls back.
     */
    private void hostTransaction() {
        if (sim.host == null) {
            return;
        }
        boolean joined = sim.random.nextBoolean();
        if (joined && !Known.DEFECT_2_LISTENERS_HEAR_ROLLED_BACK_WORK.checked()
                || !joined && !Known.DEFECT_1_STORE_COMMITS_HOST_TRANSACTION.checked()) {
            return;
        }
        Simulation.Instance in = joined ? joinedHost() : awareHost();
        if (in == null) {
            return;
        }
        Model.Adv a = pickAdvocate();
        int p = ++model.prospects;
        String order = "order-" + (++orders);
        boolean commit = sim.random.nextBoolean();
        List<io.referrals.core.event.ReferralEvent> stored = new ArrayList<>();
        in.store.onCommit(stored::addAll);
        CaptureRequest request = sim.request(a, p, "host-" + order).build();
        CaptureResult r;
        RuntimeException failed = null;
        try {
            r = sim.host.inHostTransaction(order, commit, () -> in.engine.capture(request));
        } catch (RuntimeException e) {
            r = null;
            failed = e;
        }
        boolean committed = commit && failed == null;
        sim.log("host transaction " + order + " (" + (joined ? "joined store" : "transaction-aware DataSource")
                + ") capturing prospect " + p + ": " + (failed != null ? "failed: " + failed.getMessage()
                : Model.summary(r)) + ", host " + (committed ? "commits" : "rolls back"));
        if (committed) {
            sim.deliveries.committed(stored);
            captured(in, a, p, request, r, "in a host transaction");
        } else {
            sim.deliveries.rolledBack(stored);
        }
        sim.check.hostTransaction(order, committed, joined, request.idempotencyKey(), a,
                r != null && r.recorded().isPresent());
    }

    private Simulation.Instance awareHost() {
        if (awareHost == null) {
            awareHost = hostInstance("host-aware", JdbcReferralStore.builder(sim.host.transactionAware())
                    .migration(MigrationMode.VALIDATE).build());
        }
        return awareHost;
    }

    private Simulation.Instance joinedHost() {
        if (joinedHost == null && !hostRefused) {
            try {
                joinedHost = hostInstance("host-joined", JdbcReferralStore.builder(sim.host.joining())
                        .migration(MigrationMode.VALIDATE).build());
            } catch (IllegalStateException | IllegalArgumentException refused) {
                // the library refuses in-process delivery on a store that joins host transactions (fix of defect 2)
                hostRefused = true;
                sim.note("an engine delivering in-process on a store that joins host transactions was refused: "
                        + refused.getMessage());
            }
        }
        return joinedHost;
    }

    private Simulation.Instance hostInstance(String name, io.referrals.core.storage.ReferralStore base) {
        SimStore store = new SimStore(base);
        var rules = sim.rulesEngine();
        var engine = sim.engineBuilder(store, rules, name).matchKeySecret(World.SECRET).build();
        return sim.new Instance(name, store, engine, engine.extension(rules), false);
    }

    // ---- concurrency ----------------------------------------------------------------------------------------------

    /**
     * Two units of work of one engine on one referral's stream, interleaved (defect 5): a stage change commits and is
     * held before its events reach listeners, while another unit of work on the same stream (a clawback, the due
     * processing, or a partner's capture that flags the referral) runs. Per-stream order must hold: the second waits
     * for the first's delivery, or is delivered after it.
     */
    private void interleave() {
        if (sim.outbox || !Known.DEFECT_5_EVENTS_OUT_OF_ORDER.checked()) {
            return;
        }
        Model.Ref r = pickReferral(x -> x.open() && !Stage.OPPORTUNITY.equals(x.stage) && !x.backfilled);
        if (r == null) {
            return;
        }
        Stage next = null;
        Stage[] open = {Stage.SUBMITTED, Stage.CONTACTED, Stage.MEETING_HELD, Stage.QUALIFIED, Stage.OPPORTUNITY};
        for (int i = 0; i + 1 < open.length; i++) {
            if (open[i].equals(r.stage)) {
                next = open[i + 1];
            }
        }
        if (next == null) {
            return;
        }
        Simulation.Instance in = sim.anyInstance();
        int which = sim.random.nextInt(3);
        Model.Adv partner = model.advocates.stream().filter(x -> x.partner && !x.optedOut).findFirst().orElse(null);
        if (which == 2 && (partner == null || r.adv.partner)) {
            which = 0;
        }
        Stage to = next;
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread a = new Thread(() -> first.set(call(() -> in.engine.transition(TransitionRequest.of(r.id, to,
                TransitionCause.rep("rep-7"))))), "sim-interleave-a");
        SimStore.Pause pause = in.store.pauseAfterCommit(a);
        int op = which;
        Model.Adv taker = partner;
        CaptureRequest takeover = op == 2 ? sim.request(taker, r.prospect, "").build() : null;
        Thread b = new Thread(() -> second.set(call(() -> switch (op) {
            case 0 -> in.rewards.reverse(r.id, REFUNDED);
            case 1 -> in.rewards.processDue();
            default -> in.engine.capture(takeover);
        })), "sim-interleave-b");
        a.start();
        try {
            while (a.isAlive() && !pause.reached.await(1, TimeUnit.MILLISECONDS)) {
                // until the stage change has committed and is held, or has ended (refused)
            }
            if (pause.reached.getCount() == 0) {
                b.start();
                awaitDoneOrBlocked(b);
            }
            in.store.release(pause);
            a.join(60_000);
            if (!b.isAlive() && b.getState() == Thread.State.NEW) {
                b.start();
            }
            b.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        sim.log("interleaved on " + in + ": stage change of " + r + " to " + to.name() + " and "
                + (op == 0 ? "a clawback" : op == 1 ? "the due processing" : "a partner's capture of its prospect")
                + " -> " + first.get() + " / " + summary(second.get()));
        if (first.get() instanceof Throwable t && !(t instanceof ConflictException)) {
            throw new AssertionError("the interleaved stage change failed", t);
        }
        if (second.get() instanceof CaptureResult c) {
            captured(in, taker, r.prospect, takeover, c, "interleaved takeover");
        } else if (second.get() instanceof Throwable t && !(t instanceof ConflictException)) {
            throw new AssertionError("the interleaved unit of work failed", t);
        }
        // the second unit of work may have changed the referral after the first: the store's latest is the model's
        in.engine.referral(r.id).ifPresent(r::update);
        sim.check.stillAt(in, r);
    }

    private static Object summary(Object o) {
        return o instanceof CaptureResult c ? Model.summary(c) : o instanceof List<?> l ? l.size() + " reversed" : o;
    }

    private static Object call(Supplier<?> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Waits until {@code t} ends, or stays parked on a lock (the stream's order), at most 30 seconds. */
    private static void awaitDoneOrBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int parked = 0;
        while (t.isAlive() && System.nanoTime() < deadline) {
            Object blocker = LockSupport.getBlocker(t);
            boolean onLock = blocker != null && blocker.getClass().getName()
                    .startsWith("java.util.concurrent.locks.ReentrantLock");
            parked = onLock ? parked + 1 : 0;
            if (parked >= 50) {
                return;
            }
            t.join(1);
        }
    }

    /**
     * Concurrent captures of different prospects by different advocates (defect 9): every one must succeed. While
     * defect 9 is tolerated the simulated host retries a retryable conflict, as the README asks.
     */
    private void burst() {
        List<Model.Adv> who = new ArrayList<>();
        for (Model.Adv a : model.advocates) {
            if (!a.optedOut && who.size() < 8 && sim.random.nextInt(3) > 0) {
                who.add(a);
            }
        }
        if (who.size() < 2) {
            return;
        }
        int per = 4;
        int base = model.prospects;
        model.prospects += who.size() * per;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        Object[][] results = new Object[who.size()][per];
        CaptureRequest[][] requests = new CaptureRequest[who.size()][per];
        Simulation.Instance[] on = new Simulation.Instance[who.size()];
        for (int i = 0; i < who.size(); i++) {
            int t = i;
            on[t] = sim.anyInstance();
            for (int j = 0; j < per; j++) {
                requests[t][j] = sim.request(who.get(t), base + t * per + j + 1, "burst-" + sim.seed + "-" + sim.step
                        + "-" + t + "-" + j).build();
            }
            threads.add(new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int j = 0; j < per; j++) {
                    CaptureRequest req = requests[t][j];
                    results[t][j] = call(() -> captureRetrying(on[t], req));
                }
            }, "sim-burst-" + t));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            try {
                t.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        sim.log("burst of " + who.size() * per + " concurrent captures by " + who.size() + " advocates");
        for (int t = 0; t < who.size(); t++) {
            for (int j = 0; j < per; j++) {
                Object r = results[t][j];
                if (r instanceof Throwable e) {
                    throw new AssertionError("a concurrent capture of a new prospect failed: " + e, e);
                }
                captured(on[t], who.get(t), base + t * per + j + 1, requests[t][j], (CaptureResult) r, "burst");
            }
        }
    }

    private CaptureResult captureRetrying(Simulation.Instance in, CaptureRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return in.engine.capture(request);
            } catch (ConflictException e) {
                if (Known.DEFECT_9_CONCURRENT_CAPTURES_DEADLOCK.checked() || !e.isRetryable() || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * A host unit of work far larger than any engine operation (defect 7): a loyalty backfill that grants an
     * anniversary perk per milestone of one referral, with an event for every seventeenth, in one transaction
     * through the engine's transaction runner. It must commit on every store.
     */
    private void largeTransaction() {
        Model.Ref r = pickReferral(x -> !x.rejectedAtCapture);
        if (r == null) {
            return;
        }
        Simulation.Instance in = sim.anyInstance();
        int n = 1700;
        try {
            in.engine.transactions().inStream(EventStreams.of(r.id), w -> {
                Advocate a = w.store().advocates().get(r.adv.id).orElseThrow();
                for (int i = 1; i <= n; i++) {
                    Reward perk = new Reward(RewardId.random(), r.adv.program, r.adv.id, Beneficiary.ADVOCATE,
                            RewardSource.referral(r.id), "backfill", 1, "anniversary:" + i,
                            new Incentive.Perk("anniversary", "An anniversary perk"), RewardStatus.FULFILLED, w.now(),
                            w.now(), w.now(), List.of(Reason.of("backfill", "A thank-you for your referral.")), 1);
                    w.store().rewards().insert(perk);
                    if (i % 17 == 0) {
                        w.emit(EventStreams.of(r.id), m -> new RewardEarned(m, AdvocateSummary.of(a), perk));
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (Known.DEFECT_7_LARGE_TRANSACTION_FAILS.checked()) {
                throw new AssertionError("a transaction of " + n + " reward inserts and " + n / 17 + " events did"
                        + " not commit (defect 7): " + e, e);
            }
            sim.note("a transaction of " + n + " rewards and events failed (defect 7, tolerated): " + e.getMessage());
            sim.check.stillAt(in, r);
            return;
        }
        r.backfilled = true;
        sim.log("a backfill of " + n + " perks and " + n / 17 + " events on " + r + " committed in one transaction");
    }
}
