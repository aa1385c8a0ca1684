package io.referrals.rules.internal;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.PointsBalanceChanged;
import io.referrals.core.event.RewardApproved;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.RewardRejected;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.result.RuleDecision;
import io.referrals.rules.result.RuleOutcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes behind rewards: exactly-once inserts with their limits, approval, points credit, rejection, the next
 * version of a reward, and ledger appends, each with its events.
 */
final class Payer {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** Marks a reward held while its referral waits for review; safe to show the advocate. */
    static final String REVIEW_PENDING = "review_pending";
    /** Marks a held reward released by an approved review. */
    static final String REVIEW_CLEARED = "review_cleared";
    /** Why the rewards of a referral denied in review are rejected. */
    static final Reason REFERRAL_DENIED = Reason.of("referral_denied",
            "No reward: your referral did not pass review.");
    /** Why a reward held for review was released. */
    static final Reason REVIEW_PASSED = Reason.of(REVIEW_CLEARED, "Your referral passed review.");

    /** True when a reward nothing holds back is approved as soon as it is earned: no host approver. */
    final boolean autoApprove;

    Payer(boolean autoApprove) {
        this.autoApprove = autoApprove;
    }

    static Reason reviewPending() {
        return Reason.of(REVIEW_PENDING, "Held until your referral has been reviewed.");
    }

    /** True when {@code r} carries the review hold and no later release. */
    static boolean awaitingReview(Reward r) {
        boolean held = false;
        for (Reason x : r.explanation()) {
            if (x.code().equals(REVIEW_PENDING)) {
                held = true;
            } else if (x.code().equals(REVIEW_CLEARED)) {
                held = false;
            }
        }
        return held;
    }

    /**
     * Pays a matched decision: per side, skips a milestone already paid, applies the limits atomically, stores the
     * reward (pending, or approved at once when nothing holds it back) and emits its events. A reward of a referral
     * flagged for review is stored pending with the {@code review_pending} reason, whatever its holding period: it
     * is released or rejected when the review is decided (see {@link RulesHook#afterReview}).
     */
    RuleOutcome pay(UnitOfWork w, CompiledRuleSet crs, CompiledRule rule, Facts f, RuleDecision decision,
            RewardSource source) {
        StoreTransaction tx = w.store();
        Instant now = w.now();
        List<Reward> paid = new ArrayList<>(2);
        List<Reason> reasons = new ArrayList<>(decision.trace());
        RuleOutcome.Status status = RuleOutcome.Status.PAID;
        for (RuleDecision.Payout payout : decision.payouts()) {
            List<Reason> explanation = new ArrayList<>(decision.trace());
            Reward draft = reward(crs, rule, f, source, decision.milestone(), payout.beneficiary(),
                    payout.incentive(), now, explanation);
            if (tx.rewards().byDedupeKey(draft.dedupeKey()).isPresent()) {
                reasons.add(Reason.of("already_rewarded", "'" + rule.rule.name() + "' already paid this milestone."));
                status = RuleOutcome.Status.DUPLICATE;
                continue;
            }
            Incentive incentive = Limits.apply(Counters.of(tx), crs, rule.rule, f, payout.incentive(), explanation);
            if (incentive == null) {
                reasons.add(explanation.get(explanation.size() - 1));
                status = RuleOutcome.Status.CAP_REACHED;
                continue;
            }
            Reward result = store(w, crs, rule, f, source, decision.milestone(), payout.beneficiary(), incentive,
                    explanation);
            paid.add(result);
            if (result.status() == RewardStatus.PENDING) {
                status = RuleOutcome.Status.HELD;
            }
            reasons.addAll(explanation.subList(decision.trace().size(), explanation.size()));
        }
        if (paid.isEmpty() && status == RuleOutcome.Status.PAID) {
            status = RuleOutcome.Status.NO_AMOUNT;
        }
        return new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), decision.milestone(), status, paid, reasons);
    }

    /**
     * Pays again, once, a reward of {@code rule} reversed while its referral was lost, now that the referral is
     * reopened: {@code incentive} (what the reversal took back) within the rule's limits, as a new reward for
     * {@code milestone}, held, reviewed and approved as {@link #pay} does; {@code explanation} starts with why.
     *
     * @return the new reward, or {@code null} when a limit left nothing to pay (its reason is then the last of
     *     {@code explanation}) or the milestone was already paid
     */
    Reward payAgain(UnitOfWork w, CompiledRuleSet crs, CompiledRule rule, Facts f, Reward reversed, String milestone,
            Incentive incentive, List<Reason> explanation) {
        Reward draft = reward(crs, rule, f, reversed.source(), milestone, reversed.beneficiary(), incentive, w.now(),
                explanation);
        if (w.store().rewards().byDedupeKey(draft.dedupeKey()).isPresent()) {
            return null;
        }
        Incentive allowed = Limits.apply(Counters.of(w.store()), crs, rule.rule, f, incentive, explanation);
        if (allowed == null) {
            return null;
        }
        return store(w, crs, rule, f, reversed.source(), milestone, reversed.beneficiary(), allowed, explanation);
    }

    /**
     * Stores a reward whose limits were applied: pending, with its holding period and the review hold explained, or
     * approved at once when nothing holds it back; emits its events.
     */
    private Reward store(UnitOfWork w, CompiledRuleSet crs, CompiledRule rule, Facts f, RewardSource source,
            String milestone, Beneficiary side, Incentive incentive, List<Reason> explanation) {
        Instant now = w.now();
        boolean underReview = f.referral != null && f.referral.review() == ReviewStatus.FLAGGED;
        boolean held = !rule.rule.holdFor().isZero();
        if (held) {
            explanation.add(Reason.of("holding_period", "Held until " + DAY.format(now.plus(rule.rule.holdFor()))
                    + " before approval."));
        }
        if (underReview) {
            explanation.add(reviewPending());
        }
        Reward r = reward(crs, rule, f, source, milestone, side, incentive, now, explanation);
        w.store().rewards().insert(r);
        AdvocateSummary who = AdvocateSummary.of(f.advocate);
        w.emit(stream(r), m -> new RewardEarned(m, who, r));
        if (!held && !underReview && autoApprove) {
            return approve(w, r, f.advocate, rule.rule.name());
        }
        return r;
    }

    private static Reward reward(CompiledRuleSet crs, CompiledRule rule, Facts f, RewardSource source,
            String milestone, Beneficiary side, Incentive incentive, Instant now, List<Reason> explanation) {
        return new Reward(RewardId.random(), crs.ruleSet.programId(), f.advocate.id(), side, source,
                rule.rule.id(), crs.ruleSet.version(), milestone, incentive, RewardStatus.PENDING, now,
                now.plus(rule.rule.holdFor()), now, explanation, 1);
    }

    /** Approves a pending reward; points are credited to the ledger at once and the reward is fulfilled. */
    static Reward approve(UnitOfWork w, Reward pending, Advocate advocate, String ruleName) {
        StoreTransaction tx = w.store();
        Reward approved = pending.withStatus(RewardStatus.APPROVED, w.now());
        if (!tx.rewards().update(approved)) {
            throw concurrent(pending);
        }
        AdvocateSummary who = AdvocateSummary.of(advocate);
        w.emit(stream(approved), m -> new RewardApproved(m, who, approved));
        if (approved.incentive() instanceof Incentive.Points p && approved.beneficiary() == Beneficiary.ADVOCATE) {
            LedgerEntry e = new LedgerEntry(LedgerEntryId.random(), approved.advocateId(), LedgerEntry.Kind.EARNED,
                    p.points(), approved.id().value(), "earn:" + approved.id().value(), w.now(),
                    "Points for '" + ruleName + "'.");
            appendLedger(w, e, advocate);
            Reward fulfilled = approved.withStatus(RewardStatus.FULFILLED, w.now());
            if (!tx.rewards().update(fulfilled)) {
                throw concurrent(pending);
            }
            w.emit(stream(fulfilled), m -> new RewardFulfilled(m, who, fulfilled));
            return fulfilled;
        }
        return approved;
    }

    /**
     * Rejects a pending or approved reward: frees its share of the limits (when its rule set is known) and emits
     * {@link RewardRejected}.
     */
    static Reward reject(UnitOfWork w, CompiledRuleSet crs, Reward current, Advocate advocate, Reason why) {
        Reward x = revise(current, RewardStatus.REJECTED, current.nextAttemptAt(), why, w.now());
        update(w.store(), x);
        if (crs != null) {
            Limits.release(w.store(), crs, x, advocate);
        }
        w.emit(stream(x), m -> new RewardRejected(m, AdvocateSummary.of(advocate), x));
        return x;
    }

    /**
     * The next version of {@code r}: in {@code status}, looked at next at {@code nextAttemptAt}, with {@code extra}
     * explained.
     */
    static Reward revise(Reward r, RewardStatus status, Instant nextAttemptAt, Reason extra, Instant at) {
        return next(r, status, r.incentive(), nextAttemptAt, extra, at);
    }

    /**
     * The next version of {@code r}: in {@code status}, giving {@code incentive}, looked at next by the scheduled run
     * at {@code nextAttemptAt}, with {@code extra} (if not {@code null}) added to its explanation, changed at
     * {@code at}. The holding period does not change.
     */
    static Reward next(Reward r, RewardStatus status, Incentive incentive, Instant nextAttemptAt, Reason extra,
            Instant at) {
        List<Reason> explanation = r.explanation();
        if (extra != null) {
            explanation = new ArrayList<>(explanation);
            explanation.add(extra);
        }
        return new Reward(r.id(), r.programId(), r.advocateId(), r.beneficiary(), r.source(), r.ruleId(),
                r.ruleVersion(), r.milestone(), incentive, status, r.createdAt(), r.holdUntil(), nextAttemptAt, at,
                explanation, r.version() + 1);
    }

    /** Stores the next version of a reward; a concurrent change of it is a retryable conflict. */
    static void update(StoreTransaction tx, Reward r) {
        if (!tx.rewards().update(r)) {
            throw concurrent(r);
        }
    }

    /** Appends a ledger entry and emits the balance change; false if it would take the balance below zero. */
    static boolean appendLedger(UnitOfWork w, LedgerEntry e, Advocate advocate) {
        if (!w.store().ledger().append(e)) {
            return false;
        }
        long balance = w.store().ledger().balance(e.advocateId());
        AdvocateSummary who = AdvocateSummary.of(advocate);
        w.emit(EventStreams.of(e.advocateId()), m -> new PointsBalanceChanged(m, who, e, balance));
        return true;
    }

    /** The event stream of a reward: its referral's, or its advocate's for rewards not earned by a referral. */
    static String stream(Reward r) {
        return r.source().kind() == RewardSource.Kind.REFERRAL ? EventStreams.of(ReferralId.of(r.source().id()))
                : EventStreams.of(r.advocateId());
    }

    /**
     * The streams the events of a change to {@code r} belong to: its own ({@link #stream}) and, when that is a
     * referral's, its advocate's, where the points it credits or takes back are announced.
     */
    static List<String> streams(Reward r) {
        String own = stream(r);
        String advocate = EventStreams.of(r.advocateId());
        return own.equals(advocate) ? List.of(own) : List.of(own, advocate);
    }

    /** The advocate, which must exist. @throws NotFoundException if it does not */
    static Advocate advocate(StoreTransaction tx, AdvocateId id) {
        return tx.advocates().get(id).orElseThrow(() -> new NotFoundException("advocate", id.value()));
    }

    static ConflictException concurrent(Reward r) {
        return new ConflictException("reward.version", "reward " + r.id() + " was changed concurrently", true);
    }

    /** The ledger changed under a read-sized write: retry the whole operation on fresh data. */
    static ConflictException balanceChanged(AdvocateId advocateId) {
        return new ConflictException("ledger", "the points of advocate " + advocateId + " changed concurrently", true);
    }
}
