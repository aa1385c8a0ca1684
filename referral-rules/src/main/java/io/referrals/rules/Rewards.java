package io.referrals.rules;

import io.referrals.core.ReferralEngine;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.ContestEnded;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.event.RewardExpired;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.RewardFulfilmentFailed;
import io.referrals.core.event.RewardReversed;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of a {@link RewardsEngine} over one {@link ReferralEngine}: the scheduled approval and fulfilment
 * run, clawback, the points ledger and its catalogue, host-defined events, contests, and explanations. Every write
 * runs in one engine transaction with its events delivered after commit. Immutable and thread-safe; several
 * instances (in one process or many) may work on one store at once.
 */
public final class Rewards {
    private static final Logger LOG = LoggerFactory.getLogger(Rewards.class);
    private static final int MAX_ATTEMPTS = 5;
    /** How long a reward held for a review waits before the scheduled run looks at it again. */
    /** The cause the engine records when eligibility checks reject a referral at capture. */
    private static final TransitionCause ELIGIBILITY = TransitionCause.host("eligibility");
    private static final Duration REVIEW_RECHECK = Duration.ofHours(1);

    private final RewardsEngine rules;
    private final ReferralEngine engine;

    Rewards(RewardsEngine rules, ReferralEngine engine) {
        this.rules = rules;
        this.engine = engine;
    }

    // ---- approval and fulfilment -------------------------------------------------------------------------------------

    /**
     * The scheduled run: asks the approver about pending rewards whose holding period is over and approves (crediting
     * points) or rejects them; then hands approved rewards that are not points to the fulfiller, retrying earlier
     * failures until the attempt limit. Call it periodically; concurrent runs are safe (a reward changes state once).
     *
     * <p>Review: a reward of a referral flagged for review is neither approved nor fulfilled while the flag stands; it
     * stays pending with the reason {@code review_pending} and is looked at again later (a referral flagged after
     * its rewards were earned, because another referral took over its prospect, is held the same way). A reward of a
     * denied referral is rejected.
     *
     * <p>Exactly-once fulfilment: before calling the fulfiller, a run claims the reward with a conditional update of
     * its version that moves its due time to the end of a lease ({@link RewardsEngine.Builder#fulfilmentLease}); only
     * the run whose update succeeds calls the fulfiller, so runs of several engines or instances never issue the same
     * reward twice for one attempt. A run that dies before recording the result leaves the claim to lapse: the reward
     * is due again when the lease ends and the same attempt is made again (hence the fulfiller's idempotency on the
     * reward id). A failed attempt makes the reward due again at once.
     */
    public ProcessReport processDue() {
        Instant now = engine.clock().instant();
        int approved = 0;
        int rejected = 0;
        int deferred = 0;
        List<Reward> due = engine.store().inTransaction(tx -> tx.rewardsDue(RewardStatus.PENDING, now,
                rules.batchSize));
        for (Reward r : due) {
            Step gate = r.source().kind() == RewardSource.Kind.REFERRAL
                    ? retrying(() -> engine.inTransaction(w -> reviewGate(w, r))) : Step.OPEN;
            if (gate != Step.OPEN) {
                deferred += gate == Step.HELD ? 1 : 0;
                rejected += gate == Step.REJECTED ? 1 : 0;
                continue;
            }
            RewardApprover.Verdict verdict = review(r);
            if (verdict instanceof RewardApprover.Verdict.Defer) {
                deferred++;
                continue;
            }
            Step done = retrying(() -> engine.inTransaction(w -> {
                Step again = reviewGate(w, r);
                if (again != Step.OPEN) {
                    return again;
                }
                Reward current = w.store().reward(r.id()).orElseThrow();
                if (current.status() != RewardStatus.PENDING) {
                    return Step.SKIPPED;
                }
                Advocate a = advocate(w.store(), current.advocateId());
                if (verdict instanceof RewardApprover.Verdict.Reject reject) {
                    Payer.reject(w, rules.version(current.programId(), current.ruleVersion()), current, a,
                            reject.reason());
                    return Step.REJECTED;
                }
                Payer.approve(w, current, a, ruleName(current));
                return Step.APPROVED;
            }));
            approved += done == Step.APPROVED ? 1 : 0;
            rejected += done == Step.REJECTED ? 1 : 0;
            deferred += done == Step.HELD ? 1 : 0;
        }
        int fulfilled = 0;
        int failed = 0;
        if (rules.fulfiller != null) {
            List<Reward> toFulfil = engine.store().inTransaction(tx -> tx.rewardsDue(RewardStatus.APPROVED, now,
                    rules.batchSize));
            for (Reward r : toFulfil) {
                Claim claim = retrying(() -> engine.inTransaction(w -> claim(w, r)));
                if (claim == null) {
                    continue;
                }
                RewardFulfiller.Result result = fulfil(new RewardFulfiller.Request(claim.reward(), pool(r),
                        claim.attempt()));
                Boolean ok = retrying(() -> engine.inTransaction(w -> recordFulfilment(w, claim.reward(), result)));
                if (Boolean.TRUE.equals(ok)) {
                    fulfilled++;
                } else if (Boolean.FALSE.equals(ok)) {
                    failed++;
                }
            }
        }
        return new ProcessReport(approved, rejected, deferred, fulfilled, failed);
    }

    /** What a step of the scheduled run did with one reward. */
    private enum Step { OPEN, APPROVED, REJECTED, HELD, SKIPPED }

    /** A reward this run claimed for one fulfilment attempt: the claimed version, and the attempt's number. */
    private record Claim(Reward reward, int attempt) {
    }

    /**
     * Whether the review of {@code r}'s referral lets it proceed: {@link Step#OPEN}; or, while the referral is
     * flagged, holds it (due again after {@link #REVIEW_RECHECK}, so that it does not crowd out other due rewards)
     * and returns {@link Step#HELD}; or rejects it when the referral was denied ({@link Step#REJECTED}).
     * {@link Step#SKIPPED} when the reward changed meanwhile.
     */
    private Step reviewGate(UnitOfWork w, Reward r) {
        if (r.source().kind() != RewardSource.Kind.REFERRAL) {
            return Step.OPEN;
        }
        Reward current = w.store().reward(r.id()).orElseThrow();
        if (current.status() != r.status()) {
            return Step.SKIPPED;
        }
        ReviewStatus review = w.store().referral(ReferralId.of(current.source().id())).map(Referral::review)
                .orElse(ReviewStatus.CLEAR);
        if (review == ReviewStatus.FLAGGED) {
            Reward held = Payer.revise(current, current.status(), w.now().plus(REVIEW_RECHECK),
                    Payer.awaitingReview(current) ? null : Payer.reviewPending(), w.now());
            update(w.store(), held);
            return Step.HELD;
        }
        if (review == ReviewStatus.DENIED) {
            Payer.reject(w, rules.version(current.programId(), current.ruleVersion()), current,
                    advocate(w.store(), current.advocateId()), RewardsEngine.REFERRAL_DENIED);
            return Step.REJECTED;
        }
        return Step.OPEN;
    }

    /**
     * Claims an approved reward for one fulfilment attempt, or returns {@code null} when this run must not call the
     * fulfiller: another run holds a claim on it, it is no longer approved, its attempts are used up, or its referral
     * is under review or denied. The claim is the conditional version update that pushes its due time to the end of
     * the lease: of concurrent runs, exactly one succeeds.
     */
    private Claim claim(UnitOfWork w, Reward listed) {
        StoreTransaction tx = w.store();
        Reward current = tx.reward(listed.id()).orElseThrow();
        if (current.status() != RewardStatus.APPROVED || current.holdUntil().isAfter(w.now())) {
            return null;
        }
        if (reviewGate(w, current) != Step.OPEN) {
            return null;
        }
        long failures = tx.counter(Keys.fulfilmentAttempts(current.id().value()));
        if (failures >= rules.maxFulfilmentAttempts) {
            return null;
        }
        Reward claimed = Payer.revise(current, RewardStatus.APPROVED, w.now().plus(rules.fulfilmentLease), null,
                w.now());
        if (!tx.updateReward(claimed)) {
            return null;
        }
        return new Claim(claimed, (int) failures + 1);
    }

    /**
     * Records that the host fulfilled an approved reward outside {@link RewardFulfiller} ({@code code}: the discount
     * code handed out, or empty). Recording it twice changes nothing.
     *
     * @throws NotFoundException if there is no such reward
     * @throws IllegalStateException if the reward is neither approved nor fulfilled
     */
    public Reward markFulfilled(RewardId id, String code) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(code, "code");
        return retrying(() -> engine.inTransaction(w -> {
            Reward r = w.store().reward(id).orElseThrow(() -> new NotFoundException("reward", id.value()));
            if (r.status() == RewardStatus.FULFILLED) {
                return r;
            }
            if (r.status() != RewardStatus.APPROVED) {
                throw new IllegalStateException("reward " + id + " is " + r.status() + ", not approved");
            }
            recordFulfilment(w, r, new RewardFulfiller.Result.Fulfilled(code));
            return w.store().reward(id).orElseThrow();
        }));
    }

    private Boolean recordFulfilment(UnitOfWork w, Reward r, RewardFulfiller.Result result) {
        Reward current = w.store().reward(r.id()).orElseThrow();
        if (current.status() != RewardStatus.APPROVED) {
            return null;
        }
        Advocate a = advocate(w.store(), current.advocateId());
        if (result instanceof RewardFulfiller.Result.Fulfilled f) {
            Incentive incentive = current.incentive();
            if (incentive instanceof Incentive.Discount d && !f.code().isEmpty()) {
                incentive = new Incentive.Discount(d.percentOff(), d.amountOff(), f.code());
            }
            Reward x = copy(current, RewardStatus.FULFILLED, w.now(), incentive, null);
            update(w.store(), x);
            w.emit(Payer.stream(x), m -> new RewardFulfilled(m, AdvocateSummary.of(a), x));
            return Boolean.TRUE;
        }
        w.store().tryConsume(Keys.fulfilmentAttempts(current.id().value()), 1, rules.maxFulfilmentAttempts);
        if (current.version() == r.version() && current.holdUntil().isAfter(w.now())) {
            // our claim still stands: give it up, so that the next run tries again
            update(w.store(), Payer.revise(current, RewardStatus.APPROVED, w.now(), null, w.now()));
        }
        LOG.warn("fulfilment of reward {} failed: {}", current.id(), ((RewardFulfiller.Result.Failed) result).error());
        w.emit(Payer.stream(current), m -> new RewardFulfilmentFailed(m, AdvocateSummary.of(a), current));
        return Boolean.FALSE;
    }

    private RewardApprover.Verdict review(Reward r) {
        if (rules.approver == null) {
            return RewardApprover.Verdict.APPROVE;
        }
        try {
            return Objects.requireNonNull(rules.approver.review(r), "verdict");
        } catch (RuntimeException e) {
            LOG.warn("the approver failed on reward {}; asking again on the next run", r.id(), e);
            return RewardApprover.Verdict.DEFER;
        }
    }

    private RewardFulfiller.Result fulfil(RewardFulfiller.Request request) {
        try {
            return Objects.requireNonNull(rules.fulfiller.fulfil(request), "result");
        } catch (RuntimeException e) {
            LOG.warn("the fulfiller failed on reward {}", request.reward().id(), e);
            return new RewardFulfiller.Result.Failed(e.getClass().getSimpleName());
        }
    }

    private String pool(Reward r) {
        CompiledRuleSet crs = rules.version(r.programId(), r.ruleVersion());
        CompiledRule rule = crs == null ? null : crs.byId.get(r.ruleId());
        if (rule != null && rule.rule.grant(r.beneficiary()).map(Grant::give).orElse(null) instanceof Give.Discount d) {
            return d.pool();
        }
        return "";
    }

    // ---- clawback --------------------------------------------------------------------------------------------------

    /**
     * Claws back a referral's rewards (the won deal was refunded, or the customer churned): every reward still inside
     * its rule's clawback window is reversed; points already credited are taken back by a compensating ledger entry
     * (as many as the balance allows; the shortfall is stated in the reward's explanation), never by deleting
     * history; the limits it used are freed. Rewards outside the window, or already final, are left alone. Calling it
     * again reverses nothing twice.
     *
     * @return the rewards reversed now
     */
    public List<Reward> reverse(ReferralId referralId, Reason why) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(why, "why");
        return retrying(() -> engine.inTransaction(w -> {
            StoreTransaction tx = w.store();
            List<Reward> reversed = new ArrayList<>();
            for (Reward r : tx.rewardsOfReferral(referralId)) {
                if (r.status().isFinal()) {
                    continue;
                }
                CompiledRuleSet crs = rules.version(r.programId(), r.ruleVersion());
                CompiledRule rule = crs == null ? null : crs.byId.get(r.ruleId());
                Duration window = rule == null ? Duration.ZERO : rule.rule.clawbackWithin();
                if (window.isZero() || !w.now().isBefore(r.createdAt().plus(window))) {
                    continue;
                }
                Advocate a = advocate(tx, r.advocateId());
                Reason shortfall = null;
                if (r.status() == RewardStatus.FULFILLED && r.incentive() instanceof Incentive.Points p
                        && r.beneficiary() == Beneficiary.ADVOCATE) {
                    // The balance read only sizes the entry; the append checks it atomically. If a concurrent
                    // redemption spent the points in between, the append is refused and the whole reversal retried.
                    long take = Math.min(p.points(), tx.pointsBalance(r.advocateId()));
                    if (take > 0 && !Payer.appendLedger(w, new LedgerEntry(LedgerEntryId.random(), r.advocateId(),
                            LedgerEntry.Kind.REVERSED, -take, r.id().value(), "reverse:" + r.id().value(), w.now(),
                            why.text()), a)) {
                        throw balanceChanged(r.advocateId());
                    }
                    if (take < p.points()) {
                        shortfall = Reason.of("clawback_partial", (p.points() - take)
                                + " points could not be taken back: they were already spent.");
                    }
                }
                Reward x = copy(r, RewardStatus.REVERSED, w.now(), r.incentive(), why);
                if (shortfall != null) {
                    x = copy(x, RewardStatus.REVERSED, w.now(), r.incentive(), shortfall);
                    x = new Reward(x.id(), x.programId(), x.advocateId(), x.beneficiary(), x.source(), x.ruleId(),
                            x.ruleVersion(), x.milestone(), x.incentive(), x.status(), x.createdAt(), x.holdUntil(),
                            x.updatedAt(), x.explanation(), r.version() + 1);
                }
                update(tx, x);
                Payer.releaseLimits(tx, crs, x, a);
                Reward done = x;
                w.emit(Payer.stream(done), m -> new RewardReversed(m, AdvocateSummary.of(a), done));
                reversed.add(done);
            }
            return reversed;
        }));
    }

    // ---- ledger, catalogue, expiry ---------------------------------------------------------------------------------

    /** The advocate's points balance: the sum of their ledger entries. */
    public long balance(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return engine.store().inTransaction(tx -> tx.pointsBalance(advocateId));
    }

    /** The advocate's ledger, oldest first. */
    public List<LedgerEntry> ledger(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return engine.store().inTransaction(tx -> tx.ledger(advocateId));
    }

    /** A referral's rewards, oldest first. */
    public List<Reward> rewardsOf(ReferralId referralId) {
        Objects.requireNonNull(referralId, "referralId");
        return engine.store().inTransaction(tx -> tx.rewardsOfReferral(referralId));
    }

    /** An advocate's rewards, oldest first. */
    public List<Reward> rewardsOf(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return engine.store().inTransaction(tx -> tx.rewardsOfAdvocate(advocateId));
    }

    /**
     * Exchanges points for an item of the program's catalogue. The debit never takes the balance below zero, even
     * under concurrent redemptions; stock is never oversold. Repeating a call with the same {@code idempotencyKey}
     * returns the first redemption.
     *
     * @throws NotFoundException if the advocate does not exist
     */
    public RedemptionResult redeem(AdvocateId advocateId, ProgramId programId, String itemId, String idempotencyKey) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank");
        }
        return retrying(() -> engine.inTransaction(w -> {
            StoreTransaction tx = w.store();
            Advocate a = advocate(tx, advocateId);
            CompiledRuleSet crs = rules.pinned(programId, w.now(), w.now());
            Optional<CatalogueItem> found = crs == null ? Optional.empty() : crs.ruleSet.item(itemId);
            if (found.isEmpty()) {
                return new RedemptionResult.Refused(Reason.of("unknown_item", "This item is not in the catalogue."));
            }
            CatalogueItem item = found.get();
            Incentive incentive = CompiledRule.fixedIncentive(item.give());
            RewardSource source = new RewardSource(RewardSource.Kind.REDEMPTION, idempotencyKey);
            Reward reward = new Reward(RewardId.random(), programId, advocateId, Beneficiary.ADVOCATE, source,
                    "catalogue." + item.id(), crs.ruleSet.version(), "redemption", incentive, RewardStatus.PENDING,
                    w.now(), w.now(), w.now(), List.of(Reason.of("redeemed", "Exchanged " + item.cost()
                            + " points for '" + item.name() + "'.")), 1);
            Optional<Reward> earlier = tx.rewardByDedupeKey(reward.dedupeKey());
            if (earlier.isPresent()) {
                return new RedemptionResult.Redeemed(earlier.get(), tx.pointsBalance(advocateId), true);
            }
            String stock = Keys.stock(programId, item.id());
            if (item.stock() != CatalogueItem.UNLIMITED && !tx.tryConsume(stock, 1, item.stock())) {
                return new RedemptionResult.Refused(Reason.of("out_of_stock", "'" + item.name()
                        + "' is out of stock."));
            }
            LedgerEntry debit = new LedgerEntry(LedgerEntryId.random(), advocateId, LedgerEntry.Kind.REDEEMED,
                    -item.cost(), reward.id().value(), "redeem:" + item.id() + ":" + idempotencyKey, w.now(),
                    "Exchanged for '" + item.name() + "'.");
            if (!Payer.appendLedger(w, debit, a)) {
                if (item.stock() != CatalogueItem.UNLIMITED) {
                    tx.release(stock, 1);
                }
                return new RedemptionResult.Refused(Reason.of("insufficient_points", "You need " + item.cost()
                        + " points for '" + item.name() + "'."));
            }
            tx.insertReward(reward);
            w.emit(Payer.stream(reward), m -> new RewardEarned(m, AdvocateSummary.of(a), reward));
            Reward approved = Payer.approve(w, reward, a, item.name());
            return new RedemptionResult.Redeemed(approved, tx.pointsBalance(advocateId), false);
        }));
    }

    /**
     * Expires the advocate's points older than the program's {@code pointsExpireAfter}, first in first out: points
     * already spent or taken back are counted against the oldest credits. Rewards whose points all expired become
     * {@link RewardStatus#EXPIRED}. Running it again at once expires nothing more.
     *
     * @return the points expired now
     */
    public long expirePoints(AdvocateId advocateId, ProgramId programId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        return retrying(() -> engine.inTransaction(w -> {
            CompiledRuleSet crs = rules.pinned(programId, w.now(), w.now());
            if (crs == null || crs.ruleSet.pointsExpireAfter().isZero()) {
                return 0L;
            }
            StoreTransaction tx = w.store();
            Instant cutoff = w.now().minus(crs.ruleSet.pointsExpireAfter());
            List<LedgerEntry> ledger = tx.ledger(advocateId);
            long debits = 0;
            for (LedgerEntry e : ledger) {
                debits += e.points() < 0 ? -e.points() : 0;
            }
            long expire = 0;
            List<String> expiredRewards = new ArrayList<>();
            List<String> expiredCredits = new ArrayList<>();
            for (LedgerEntry e : ledger) {
                if (e.points() <= 0) {
                    continue;
                }
                long used = Math.min(e.points(), debits);
                debits -= used;
                long left = e.points() - used;
                if (e.at().isBefore(cutoff) && left > 0) {
                    expire += left;
                    expiredCredits.add(e.id().value());
                    if (left == e.points() && !e.rewardId().isEmpty()) {
                        expiredRewards.add(e.rewardId());
                    }
                }
            }
            if (expire == 0) {
                return 0L;
            }
            // Each credit expires once: its mark is taken atomically, so two concurrent runs (at different instants)
            // cannot both expire it; the loser's transaction is retried and then finds nothing left to expire.
            for (String credit : expiredCredits) {
                if (!tx.tryConsume(Keys.expired(advocateId, credit), 1, 1)) {
                    throw balanceChanged(advocateId);
                }
            }
            Advocate a = advocate(tx, advocateId);
            if (!Payer.appendLedger(w, new LedgerEntry(LedgerEntryId.random(), advocateId, LedgerEntry.Kind.EXPIRED,
                    -expire, "", "expire:" + w.now().toEpochMilli(), w.now(), "Points older than "
                    + crs.ruleSet.pointsExpireAfter().toDays() + " days expired."), a)) {
                throw balanceChanged(advocateId);
            }
            for (String id : expiredRewards) {
                Optional<Reward> r = tx.reward(RewardId.of(id));
                if (r.isPresent() && r.get().status() == RewardStatus.FULFILLED) {
                    Reward x = copy(r.get(), RewardStatus.EXPIRED, w.now(), r.get().incentive(),
                            Reason.of("points_expired", "These points expired unused."));
                    update(tx, x);
                    w.emit(Payer.stream(x), m -> new RewardExpired(m, AdvocateSummary.of(a), x));
                }
            }
            return expire;
        }));
    }

    // ---- host-defined events ---------------------------------------------------------------------------------------

    /**
     * Records a host-defined event of an advocate (a review written, a certification completed, a challenge done)
     * and pays the rules it triggers, once per advocate (or once per {@code eventId} for repeatable events), in one
     * transaction.
     *
     * @return what each triggered rule did
     * @throws NotFoundException if the advocate or the program does not exist
     */
    public List<RuleOutcome> recordEvent(AdvocateId advocateId, ProgramId programId, String type, String eventId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        Names.requireName(type, "type");
        Objects.requireNonNull(eventId, "eventId");
        if (eventId.isBlank()) {
            throw new IllegalArgumentException("eventId must not be blank");
        }
        return retrying(() -> engine.inTransaction(w -> {
            StoreTransaction tx = w.store();
            Advocate a = advocate(tx, advocateId);
            Program p = tx.program(programId).orElseThrow(() -> new NotFoundException("program", programId.value()));
            CompiledRuleSet crs = rules.pinned(programId, w.now(), w.now());
            if (crs == null) {
                return List.of();
            }
            RuleContext ctx = rules.context(tx, crs, p, a, null, w.now());
            Facts facts = new Facts(ctx, crs);
            List<RuleOutcome> outcomes = new ArrayList<>();
            Reason trigger = Reason.of("trigger", "You completed '" + type + "'.");
            for (CompiledRule rule : crs.onEvent.getOrDefault(type, List.of())) {
                Trigger.CustomEvent t = (Trigger.CustomEvent) rule.rule.trigger();
                RewardSource source = new RewardSource(RewardSource.Kind.CUSTOM_EVENT,
                        t.repeatable() ? eventId : advocateId.value());
                outcomes.add(rules.judge(w, crs, rule, facts, "event:" + type, trigger, source));
            }
            return outcomes;
        }));
    }

    // ---- contests --------------------------------------------------------------------------------------------------

    /** The contest's leaderboard now, best first. @throws NotFoundException if the program has no such contest */
    public List<Standing> leaderboard(ProgramId programId, String contestId) {
        Contest contest = contest(programId, contestId);
        return engine.store().inTransaction(tx -> standings(tx, programId, contest));
    }

    /**
     * Ends a contest whose window is over and awards its prizes to the top {@code topN} of the final leaderboard,
     * exactly once however many engines call it; emits {@link ContestEnded}.
     *
     * @throws NotFoundException if the program has no such contest
     */
    public ContestResult endContest(ProgramId programId, String contestId) {
        Contest contest = contest(programId, contestId);
        Instant end = contest.window().endsAt();
        if (engine.clock().instant().isBefore(end)) {
            return new ContestResult.NotOver(end);
        }
        return retrying(() -> engine.inTransaction(w -> {
            StoreTransaction tx = w.store();
            String ruleId = "contest." + contest.id();
            RewardSource source = new RewardSource(RewardSource.Kind.CONTEST, contest.id());
            if (!tx.tryConsume(Keys.contestEnded(programId, contest.id()), 1, 1)) {
                List<Reward> prizes = new ArrayList<>();
                for (int rank = 1; rank <= contest.topN(); rank++) {
                    String key = ruleId + '|' + source.kind() + ':' + source.id() + "|rank:" + rank + '|'
                            + Beneficiary.ADVOCATE;
                    tx.rewardByDedupeKey(key).ifPresent(prizes::add);
                }
                return new ContestResult.AlreadyEnded(prizes);
            }
            CompiledRuleSet crs = rules.pinned(programId, w.now(), w.now());
            int version = crs == null ? 1 : crs.ruleSet.version();
            List<Standing> board = standings(tx, programId, contest);
            List<Reward> prizes = new ArrayList<>();
            Incentive prize = CompiledRule.fixedIncentive(contest.prize());
            for (Standing s : board.subList(0, Math.min(contest.topN(), board.size()))) {
                Advocate a = advocate(tx, s.advocateId());
                Reward r = new Reward(RewardId.random(), programId, s.advocateId(), Beneficiary.ADVOCATE, source,
                        ruleId, version, "rank:" + s.rank(), prize, RewardStatus.PENDING, w.now(), w.now(), w.now(),
                        List.of(Reason.of("contest_rank", "You finished number " + s.rank() + " in '"
                                + contest.name() + "' with a score of " + s.score() + ".")), 1);
                tx.insertReward(r);
                w.emit(Payer.stream(r), m -> new RewardEarned(m, AdvocateSummary.of(a), r));
                prizes.add(rules.approver == null ? Payer.approve(w, r, a, contest.name()) : r);
            }
            List<AdvocateId> winners = prizes.stream().map(Reward::advocateId).toList();
            w.emit(EventStreams.of(programId), m -> new ContestEnded(m, programId, contest.id(), winners));
            return new ContestResult.Ended(board, prizes);
        }));
    }

    private Contest contest(ProgramId programId, String contestId) {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(contestId, "contestId");
        List<CompiledRuleSet> versions = rules.versions(programId);
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<Contest> c = versions.get(i).ruleSet.contest(contestId);
            if (c.isPresent()) {
                return c.get();
            }
        }
        throw new NotFoundException("contest", contestId);
    }

    private static List<Standing> standings(StoreTransaction tx, ProgramId programId, Contest contest) {
        Program program = tx.program(programId).orElseThrow(() -> new NotFoundException("program", programId.value()));
        Map<AdvocateId, long[]> scores = new LinkedHashMap<>();
        Map<AdvocateId, Instant> reached = new HashMap<>();
        Set<AdvocateId> advocates = new LinkedHashSet<>();
        ReferralId after = null;
        while (true) {
            ReferralQuery.Builder q = ReferralQuery.builder().program(programId).limit(1000);
            if (after != null) {
                q.after(after);
            }
            List<Referral> page = tx.referrals(q.build());
            for (Referral r : page) {
                advocates.add(r.advocateId());
                Instant at = switch (contest.metric()) {
                    case REFERRALS_SUBMITTED -> r.submittedAt();
                    case STAGE_REACHED -> reachedAt(tx, program, r, s -> s.equals(contest.stage()));
                    case REFERRALS_WON -> reachedAt(tx, program, r,
                            s -> program.pipeline().outcome(s).map(o -> o == Outcome.WON).orElse(false));
                    case POINTS_EARNED -> null;
                };
                if (at != null && contest.window().contains(at)) {
                    count(scores, reached, r.advocateId(), 1, at);
                }
            }
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        if (contest.metric() == Contest.Metric.POINTS_EARNED) {
            for (AdvocateId a : advocates) {
                for (LedgerEntry e : tx.ledger(a)) {
                    if (e.kind() == LedgerEntry.Kind.EARNED && contest.window().contains(e.at())) {
                        count(scores, reached, a, e.points(), e.at());
                    }
                }
            }
        }
        List<AdvocateId> order = new ArrayList<>(scores.keySet());
        order.sort(Comparator.comparingLong((AdvocateId a) -> -scores.get(a)[0])
                .thenComparing(reached::get)
                .thenComparing(AdvocateId::value));
        List<Standing> board = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            AdvocateId a = order.get(i);
            board.add(new Standing(i + 1, a, scores.get(a)[0], reached.get(a)));
        }
        return board;
    }

    private static void count(Map<AdvocateId, long[]> scores, Map<AdvocateId, Instant> reached, AdvocateId a,
            long points, Instant at) {
        scores.computeIfAbsent(a, k -> new long[1])[0] += points;
        reached.merge(a, at, (x, y) -> x.isAfter(y) ? x : y);
    }

    private static Instant reachedAt(StoreTransaction tx, Program program, Referral r,
            java.util.function.Predicate<Stage> stage) {
        if (stage.test(program.pipeline().initial())) {
            return r.submittedAt();
        }
        for (TimelineEntry e : tx.timeline(r.id())) {
            if (stage.test(e.to())) {
                return e.at();
            }
        }
        return null;
    }

    // ---- explanations ----------------------------------------------------------------------------------------------

    /**
     * Why a referral earned what it earned, or nothing: for each rule of its pinned rule set that referrals
     * trigger, and each milestone, whether it paid, is held, was not reached, failed a condition (which one), hit a
     * limit, was rejected or reversed. Conditions are judged again as of the time each milestone was reached. When
     * the referral itself was rejected (a duplicate, a self-referral) or denied in review, that reason
     * ({@code referral_rejected}) comes first and the milestones it reached earned nothing; while it is flagged for
     * review, {@code review_pending} comes first and its rewards are {@link RuleOutcome.Status#HELD}.
     *
     * @throws NotFoundException if the referral does not exist
     */
    public List<RuleOutcome> explain(ReferralId referralId) {
        Objects.requireNonNull(referralId, "referralId");
        Instant now = engine.clock().instant();
        return engine.store().inTransaction(tx -> {
            Referral r = tx.referral(referralId).orElseThrow(() -> new NotFoundException("referral",
                    referralId.value()));
            Program p = tx.program(r.programId()).orElseThrow();
            Advocate a = advocate(tx, r.advocateId());
            CompiledRuleSet crs = rules.pinned(r.programId(), r.submittedAt(), now);
            if (crs == null) {
                return List.of();
            }
            List<TimelineEntry> timeline = tx.timeline(referralId);
            Map<Stage, Instant> reached = new LinkedHashMap<>();
            reached.put(p.pipeline().initial(), r.submittedAt());
            for (TimelineEntry e : timeline) {
                reached.putIfAbsent(e.to(), e.at());
            }
            List<Reason> prefix = new ArrayList<>();
            boolean denied = r.review() == ReviewStatus.DENIED;
            if (denied || r.outcome().map(o -> o == Outcome.REJECTED).orElse(false)) {
                prefix.add(rejection(r, timeline));
            } else if (r.review() == ReviewStatus.FLAGGED) {
                prefix.add(Reason.of(Payer.REVIEW_PENDING, "Your referral is being reviewed: its rewards are held "
                        + "until the review is done."));
            }
            List<Reward> rewards = tx.rewardsOfReferral(referralId);
            List<RuleOutcome> outcomes = new ArrayList<>();
            for (CompiledRule rule : crs.all) {
                Trigger t = rule.rule.trigger();
                Map<String, Instant> milestones = new LinkedHashMap<>();
                Map<String, Reason> triggers = new HashMap<>();
                if (t instanceof Trigger.Submitted) {
                    milestones.put("submitted", r.submittedAt());
                    triggers.put("submitted", crs.submittedReason);
                } else if (t instanceof Trigger.StageReached s) {
                    for (Map.Entry<Stage, Instant> e : reached.entrySet()) {
                        if (s.stages().contains(e.getKey())) {
                            milestones.put("stage:" + e.getKey().name(), e.getValue());
                            triggers.put("stage:" + e.getKey().name(), crs.stageReason(e.getKey()));
                        }
                    }
                    if (milestones.isEmpty()) {
                        outcomes.add(notReached(rule, crs, "stage", prefix, "Your referral has not reached "
                                + String.join(" or ", s.stages().stream().map(x -> "'" + x.name() + "'").sorted()
                                .toList()) + " yet."));
                        continue;
                    }
                } else if (t instanceof Trigger.NthReferral n) {
                    String m = "nth:" + n.stage().name() + ":" + n.n();
                    List<Reward> paid = rewards.stream().filter(x -> x.ruleId().equals(rule.rule.id())
                            && x.milestone().equals(m)).toList();
                    if (paid.isEmpty()) {
                        outcomes.add(notReached(rule, crs, m, prefix, "Paid on the referral that is your number "
                                + n.n() + " to reach '" + n.stage().name() + "'; this one is not."));
                    } else {
                        outcomes.add(fromRewards(rule, crs, m, paid));
                    }
                    continue;
                } else {
                    continue;
                }
                for (Map.Entry<String, Instant> m : milestones.entrySet()) {
                    List<Reward> paid = rewards.stream().filter(x -> x.ruleId().equals(rule.rule.id())
                            && x.milestone().equals(m.getKey())).toList();
                    if (!paid.isEmpty()) {
                        outcomes.add(fromRewards(rule, crs, m.getKey(), paid));
                        continue;
                    }
                    if (denied) {
                        outcomes.add(new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), m.getKey(),
                                RuleOutcome.Status.REJECTED, List.of(), prefix));
                        continue;
                    }
                    RuleContext ctx = rules.context(tx, crs, p, a, r, m.getValue());
                    RuleDecision d = rule.decide(new Facts(ctx, crs), m.getKey(), triggers.get(m.getKey()));
                    List<Reason> reasons = new ArrayList<>(prefix);
                    reasons.addAll(d.trace());
                    RuleOutcome.Status status;
                    if (!d.matched()) {
                        status = reasons.get(reasons.size() - 1).code().equals("deal_value_missing")
                                ? RuleOutcome.Status.NO_AMOUNT : RuleOutcome.Status.CONDITION_FAILED;
                    } else {
                        Reason full = fullLimit(tx, crs, rule.rule, ctx);
                        status = full != null ? RuleOutcome.Status.CAP_REACHED : RuleOutcome.Status.NO_AMOUNT;
                        reasons.add(full != null ? full : Reason.of("not_recorded",
                                "No reward was recorded for this milestone."));
                    }
                    outcomes.add(new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), m.getKey(), status,
                            List.of(), reasons));
                }
            }
            return outcomes;
        });
    }

    /**
     * Why a referral earns nothing: the eligibility findings that rejected it at capture (texts safe to show the
     * advocate), a denied review, or the stage change that rejected it.
     */
    private static Reason rejection(Referral r, List<TimelineEntry> timeline) {
        if (r.review() == ReviewStatus.DENIED) {
            boolean atCapture = !timeline.isEmpty() && timeline.get(0).cause().equals(ELIGIBILITY);
            if (atCapture && !r.findings().isEmpty()) {
                return Reason.of("referral_rejected", "Your referral was not accepted: " + String.join(" ",
                        r.findings().stream().map(Reason::text).toList()));
            }
            return Reason.of("referral_rejected", timeline.isEmpty() ? "Your referral was not accepted."
                    : "Your referral was not accepted: it did not pass review.");
        }
        String why = timeline.isEmpty() ? "" : timeline.get(timeline.size() - 1).reason();
        return Reason.of("referral_rejected", "Your referral was not accepted" + (why.isEmpty() ? "." : ": " + why));
    }

    private static RuleOutcome notReached(CompiledRule rule, CompiledRuleSet crs, String milestone,
            List<Reason> prefix, String text) {
        List<Reason> reasons = new ArrayList<>(prefix);
        reasons.add(Reason.of("not_reached", text));
        return new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), milestone, RuleOutcome.Status.NOT_REACHED,
                List.of(), reasons);
    }

    private static RuleOutcome fromRewards(CompiledRule rule, CompiledRuleSet crs, String milestone,
            List<Reward> paid) {
        Reward first = paid.get(0);
        RuleOutcome.Status status = switch (first.status()) {
            case PENDING -> RuleOutcome.Status.HELD;
            case APPROVED, FULFILLED -> RuleOutcome.Status.PAID;
            case REJECTED -> RuleOutcome.Status.REJECTED;
            case REVERSED -> RuleOutcome.Status.REVERSED;
            case EXPIRED -> RuleOutcome.Status.EXPIRED;
        };
        return new RuleOutcome(rule.rule.id(), first.ruleVersion(), milestone, status, paid, first.explanation());
    }

    private static Reason fullLimit(StoreTransaction tx, CompiledRuleSet crs, Rule rule, RuleContext ctx) {
        ProgramId program = crs.ruleSet.programId();
        for (Limit limit : rule.limits()) {
            if (limit instanceof Limit.PerAdvocate l && !(l.period() instanceof Limit.Period.Rolling)) {
                String who = l.perAccount() && !ctx.advocate().accountId().isEmpty()
                        ? "account:" + ctx.advocate().accountId() : "advocate:" + ctx.advocate().id().value();
                String base = Keys.limit(program, l.key(), who, Keys.period(l.period(), ctx.at()));
                if (l.maxCount() > 0 && tx.counter(base + ":count") >= l.maxCount()) {
                    return Reason.of("cap_reached", "No reward: the limit of " + l.maxCount()
                            + " rewards for the period was reached.");
                }
                if (!(l.maxValue() instanceof Limit.Value.None) && tx.counter(base + ":value") > 0
                        && tx.counter(base + ":value") >= capUnits(l.maxValue())) {
                    return Reason.of("cap_reached", "No reward: the maximum value for the period was reached.");
                }
            } else if (limit instanceof Limit.PerReferral l
                    && tx.counter(Keys.perReferral(program, l.key(), ctx.referralOrNull().id().value()))
                    >= l.maxCount()) {
                return Reason.of("cap_reached", "No reward: this referral already earned the most rewards allowed.");
            } else if (limit instanceof Limit.Budget l && tx.counter(Keys.budget(program, l.key()))
                    >= capUnits(l.max())) {
                return Reason.of("cap_reached", "No reward: the program budget is used up.");
            } else if (limit instanceof Limit.MaxWinners l && tx.counter(Keys.winners(program, l.key()))
                    >= l.maxWinners()) {
                return Reason.of("cap_reached", "No reward: all places were taken.");
            }
        }
        return null;
    }

    private static long capUnits(Limit.Value v) {
        if (v instanceof Limit.Value.InPoints p) {
            return p.points();
        }
        Limit.Value.InMoney m = (Limit.Value.InMoney) v;
        return Payer.units(new Incentive.Cash(m.money(), false), v);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private String ruleName(Reward r) {
        CompiledRuleSet crs = rules.version(r.programId(), r.ruleVersion());
        CompiledRule rule = crs == null ? null : crs.byId.get(r.ruleId());
        return rule == null ? r.ruleId() : rule.rule.name();
    }

    private static Advocate advocate(StoreTransaction tx, AdvocateId id) {
        return tx.advocate(id).orElseThrow(() -> new NotFoundException("advocate", id.value()));
    }

    private static void update(StoreTransaction tx, Reward r) {
        if (!tx.updateReward(r)) {
            throw Payer.concurrent(r);
        }
    }

    private static Reward copy(Reward r, RewardStatus status, Instant at, Incentive incentive, Reason extra) {
        List<Reason> explanation = new ArrayList<>(r.explanation());
        if (extra != null) {
            explanation.add(extra);
        }
        return new Reward(r.id(), r.programId(), r.advocateId(), r.beneficiary(), r.source(), r.ruleId(),
                r.ruleVersion(), r.milestone(), incentive, status, r.createdAt(), r.holdUntil(), at, explanation,
                r.version() + 1);
    }

    /** The ledger changed under a read-sized write: retry the whole operation on fresh data. */
    private static ConflictException balanceChanged(AdvocateId advocateId) {
        return new ConflictException("ledger", "the points of advocate " + advocateId + " changed concurrently", true);
    }

    private static <T> T retrying(Supplier<T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (ConflictException e) {
                boolean raced = e.isRetryable() || e instanceof DuplicateKeyException d
                        && (d.key() == UniqueKey.REWARD || d.key() == UniqueKey.EVENT);
                if (!raced || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("retrying after a concurrent change (attempt {}): {}", attempt, e.getMessage());
            }
        }
    }
}
