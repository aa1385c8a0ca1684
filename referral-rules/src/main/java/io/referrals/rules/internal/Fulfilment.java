package io.referrals.rules.internal;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.RewardFailed;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.RewardFulfilmentFailed;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Grant;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approval and fulfilment: the scheduled run that asks the host's approver about due rewards and hands approved
 * ones to its fulfiller, claiming each for one attempt so that it is issued once; and rewards the host fulfilled
 * itself. See {@link io.referrals.rules.Rewards#processDue()}. Thread-safe.
 *
 * <p>No reward stays at the head of the due queue: each one a run lists is approved, rejected or fulfilled, or gets a
 * later next attempt (a review hold, a fulfilment claim, or the {@link Backoff} after a deferral or a failed
 * fulfilment), or leaves the queue as {@link RewardStatus#FAILED} with {@link RewardFailed} when its last fulfilment
 * attempt failed. The store lists due rewards by next attempt, so the others come first.
 */
public final class Fulfilment {
    private static final Logger LOG = LoggerFactory.getLogger(Fulfilment.class);
    /** How long a reward held for a review waits before the scheduled run looks at it again. */
    private static final Duration REVIEW_RECHECK = Duration.ofHours(1);
    /** Why a reward is {@link RewardStatus#FAILED}; safe to show the advocate. */
    static final Reason FULFILMENT_FAILED = Reason.of("fulfilment_failed",
            "We could not issue this reward yet; we are looking into it.");

    private final RuleBook book;
    private final RewardsSettings settings;
    private final TransactionRunner transactions;
    private final Clock clock;

    public Fulfilment(RuleBook book, RewardsSettings settings, TransactionRunner transactions, Clock clock) {
        this.book = book;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What a step of the scheduled run did with one reward. */
    private enum Step { OPEN, APPROVED, REJECTED, HELD, DEFERRED, SKIPPED }

    /** What recording a fulfilment attempt did. */
    private enum Outcome { FULFILLED, RETRY_LATER, FAILED, GONE }

    /** A reward this run claimed for one fulfilment attempt: the claimed version, and the attempt's number. */
    private record Claim(Reward reward, int attempt) {
    }

    /** See {@link io.referrals.rules.Rewards#processDue()}. */
    public ProcessReport processDue() {
        Instant now = clock.instant();
        int approved = 0;
        int rejected = 0;
        int deferred = 0;
        List<Reward> due = transactions.inStore(tx -> tx.rewards().due(RewardStatus.PENDING, now,
                settings.batchSize()));
        for (Reward r : due) {
            Step gate = r.source().kind() == RewardSource.Kind.REFERRAL
                    ? inStreamsOf(r, w -> reviewGate(w, r)) : Step.OPEN;
            Step done = gate;
            if (gate == Step.OPEN) {
                RewardApprover.Verdict verdict = review(r);
                done = inStreamsOf(r, w -> decide(w, r, verdict));
            }
            approved += done == Step.APPROVED ? 1 : 0;
            rejected += done == Step.REJECTED ? 1 : 0;
            deferred += done == Step.HELD || done == Step.DEFERRED ? 1 : 0;
        }
        int fulfilled = 0;
        int failed = 0;
        if (settings.fulfiller() != null) {
            List<Reward> toFulfil = transactions.inStore(tx -> tx.rewards().due(RewardStatus.APPROVED, now,
                    settings.batchSize()));
            for (Reward r : toFulfil) {
                Claim claim = inStreamsOf(r, w -> claim(w, r));
                if (claim == null) {
                    continue;
                }
                RewardFulfiller.Result result = fulfil(new RewardFulfiller.Request(claim.reward(), pool(r),
                        claim.attempt()));
                Outcome outcome = inStreamsOf(r, w -> record(w, claim.reward(), result));
                fulfilled += outcome == Outcome.FULFILLED ? 1 : 0;
                failed += outcome == Outcome.RETRY_LATER || outcome == Outcome.FAILED ? 1 : 0;
            }
        }
        return new ProcessReport(approved, rejected, deferred, fulfilled, failed);
    }

    /** See {@link io.referrals.rules.Rewards#markFulfilled}. */
    public Reward markFulfilled(RewardId id, String code) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(code, "code");
        Reward listed = transactions.inStore(tx -> tx.rewards().get(id))
                .orElseThrow(() -> new NotFoundException("reward", id.value()));
        return inStreamsOf(listed, w -> {
            Reward r = w.store().rewards().get(id).orElseThrow(() -> new NotFoundException("reward", id.value()));
            if (r.status() == RewardStatus.FULFILLED) {
                return r;
            }
            if (r.status() != RewardStatus.APPROVED && r.status() != RewardStatus.FAILED) {
                throw new IllegalStateException("reward " + id + " is " + r.status() + ", not approved or failed");
            }
            return complete(w, r, Payer.advocate(w.store(), r.advocateId()), code);
        });
    }

    /** {@code work} in a transaction holding the streams of {@code r}'s events, run again after a lost race. */
    private <T> T inStreamsOf(Reward r, Function<UnitOfWork, T> work) {
        return Retry.retrying(() -> transactions.inStreams(Payer.streams(r), work));
    }

    /**
     * Applies the approver's verdict to a due reward, unless its review or its state changed meanwhile: approves or
     * rejects it, or on a deferral puts it off (see {@link #putOff}), unless another run did since it was listed.
     */
    private Step decide(UnitOfWork w, Reward r, RewardApprover.Verdict verdict) {
        Step again = reviewGate(w, r);
        if (again != Step.OPEN) {
            return again;
        }
        Reward current = w.store().rewards().get(r.id()).orElseThrow();
        if (current.status() != RewardStatus.PENDING) {
            return Step.SKIPPED;
        }
        if (verdict instanceof RewardApprover.Verdict.Defer
                || verdict instanceof RewardApprover.Verdict.DeferBecause) {
            if (current.version() != r.version()) {
                return Step.SKIPPED;
            }
            Reason why = verdict instanceof RewardApprover.Verdict.DeferBecause d ? d.reason() : null;
            List<Reason> said = current.explanation();
            if (why != null && !said.isEmpty() && said.get(said.size() - 1).equals(why)) {
                why = null;   // said already: deferring again for the same reason does not grow the explanation
            }
            Instant next = putOff(w, Keys.approvalDeferrals(current.id().value()), current);
            Payer.update(w.store(), Payer.revise(current, RewardStatus.PENDING, next, why, w.now()));
            LOG.debug("approval of reward {} deferred until {}", current.id(), next);
            return Step.DEFERRED;
        }
        Advocate a = Payer.advocate(w.store(), current.advocateId());
        if (verdict instanceof RewardApprover.Verdict.Reject reject) {
            Payer.reject(w, book.versionOf(current), current, a, reject.reason());
            return Step.REJECTED;
        }
        Payer.approve(w, current, a, book.ruleName(current));
        return Step.APPROVED;
    }

    /**
     * Counts one more put-off of {@code r} on {@code counter} and returns when the run looks at it again: the
     * {@link Backoff} of that many put-offs in a row.
     */
    private Instant putOff(UnitOfWork w, CounterKey counter, Reward r) {
        w.store().counters().tryConsume(counter, 1, Long.MAX_VALUE);
        return settings.backoff().next(w.now(), r.id().value(), w.store().counters().value(counter));
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
        Reward current = w.store().rewards().get(r.id()).orElseThrow();
        if (current.status() != r.status()) {
            return Step.SKIPPED;
        }
        ReviewStatus review = w.store().referrals().get(ReferralId.of(current.source().id())).map(Referral::review)
                .orElse(ReviewStatus.CLEAR);
        if (review == ReviewStatus.FLAGGED) {
            Reward held = Payer.revise(current, current.status(), w.now().plus(REVIEW_RECHECK),
                    Payer.awaitingReview(current) ? null : Payer.reviewPending(), w.now());
            Payer.update(w.store(), held);
            return Step.HELD;
        }
        if (review == ReviewStatus.DENIED) {
            Payer.reject(w, book.versionOf(current), current, Payer.advocate(w.store(), current.advocateId()),
                    Payer.REFERRAL_DENIED);
            return Step.REJECTED;
        }
        return Step.OPEN;
    }

    /**
     * Claims an approved reward for one fulfilment attempt, or returns {@code null} when this run must not call the
     * fulfiller: another run holds a claim on it, it is no longer approved, its referral is under review or denied,
     * or its attempts are used up (then it leaves the queue as {@link RewardStatus#FAILED}: a reward that reached the
     * limit without that, written by an earlier version or after a lost race). The claim is the conditional version
     * update that moves its next attempt to the end of the lease: of concurrent runs, exactly one succeeds.
     */
    private Claim claim(UnitOfWork w, Reward listed) {
        StoreTransaction tx = w.store();
        Reward current = tx.rewards().get(listed.id()).orElseThrow();
        if (current.status() != RewardStatus.APPROVED || current.nextAttemptAt().isAfter(w.now())) {
            return null;
        }
        if (reviewGate(w, current) != Step.OPEN) {
            return null;
        }
        long failures = tx.counters().value(Keys.fulfilmentAttempts(current.id().value()));
        if (failures >= settings.maxFulfilmentAttempts()) {
            giveUp(w, current, Payer.advocate(tx, current.advocateId()));
            return null;
        }
        Reward claimed = Payer.revise(current, RewardStatus.APPROVED, w.now().plus(settings.fulfilmentLease()), null,
                w.now());
        if (!tx.rewards().update(claimed)) {
            return null;
        }
        return new Claim(claimed, (int) failures + 1);
    }

    /**
     * Records the outcome of a fulfilment attempt of {@code r} (the version this run claimed). Fulfilled: the reward
     * is. Failed, counted against the attempts: while attempts remain and the claim is still this run's, the reward
     * is due again after the {@link Backoff} ({@link RewardFulfilmentFailed}); after the last one it becomes
     * {@link RewardStatus#FAILED} ({@link RewardFailed}). {@link Outcome#GONE} when the reward is no longer approved.
     */
    private Outcome record(UnitOfWork w, Reward r, RewardFulfiller.Result result) {
        Reward current = w.store().rewards().get(r.id()).orElseThrow();
        if (current.status() != RewardStatus.APPROVED) {
            return Outcome.GONE;
        }
        Advocate a = Payer.advocate(w.store(), current.advocateId());
        if (result instanceof RewardFulfiller.Result.Fulfilled f) {
            complete(w, current, a, f.code());
            return Outcome.FULFILLED;
        }
        CounterKey attempts = Keys.fulfilmentAttempts(current.id().value());
        LOG.warn("fulfilment of reward {} failed: {}", current.id(), ((RewardFulfiller.Result.Failed) result).error());
        // a changed version means another run claimed it since (our lease lapsed): its own attempt decides
        boolean ours = current.version() == r.version();
        if (ours && w.store().counters().value(attempts) + 1 >= settings.maxFulfilmentAttempts()) {
            w.store().counters().tryConsume(attempts, 1, settings.maxFulfilmentAttempts());
            giveUp(w, current, a);
            return Outcome.FAILED;
        }
        Reward now = current;
        if (ours) {
            Instant next = putOff(w, attempts, current);
            now = Payer.revise(current, RewardStatus.APPROVED, next, null, w.now());
            Payer.update(w.store(), now);
        } else {
            w.store().counters().tryConsume(attempts, 1, settings.maxFulfilmentAttempts());
        }
        Reward failed = now;
        w.emit(Payer.stream(failed), m -> new RewardFulfilmentFailed(m, AdvocateSummary.of(a), failed));
        return Outcome.RETRY_LATER;
    }

    /** Fulfils {@code current} (approved or failed) with the code issued, if any, and emits {@link RewardFulfilled}. */
    private static Reward complete(UnitOfWork w, Reward current, Advocate a, String code) {
        Incentive incentive = current.incentive();
        if (incentive instanceof Incentive.Discount d && !code.isEmpty()) {
            incentive = new Incentive.Discount(d.percentOff(), d.amountOff(), code);
        }
        Reward x = Payer.next(current, RewardStatus.FULFILLED, incentive, current.nextAttemptAt(), null, w.now());
        Payer.update(w.store(), x);
        w.emit(Payer.stream(x), m -> new RewardFulfilled(m, AdvocateSummary.of(a), x));
        return x;
    }

    /** Takes an approved reward whose fulfilment attempts are used up out of the queue: FAILED, with its event. */
    private void giveUp(UnitOfWork w, Reward current, Advocate a) {
        Reward x = Payer.revise(current, RewardStatus.FAILED, w.now(), FULFILMENT_FAILED, w.now());
        Payer.update(w.store(), x);
        w.emit(Payer.stream(x), m -> new RewardFailed(m, AdvocateSummary.of(a), x));
        LOG.warn("reward {} failed on all {} fulfilment attempts: no run tries it again; fulfil it by hand",
                current.id(), settings.maxFulfilmentAttempts());
    }

    private RewardApprover.Verdict review(Reward r) {
        if (settings.approver() == null) {
            return RewardApprover.Verdict.APPROVE;
        }
        try {
            return Objects.requireNonNull(settings.approver().review(r), "verdict");
        } catch (RuntimeException e) {
            LOG.warn("the approver failed on reward {}; asking again after a backoff", r.id(), e);
            return RewardApprover.Verdict.DEFER;
        }
    }

    private RewardFulfiller.Result fulfil(RewardFulfiller.Request request) {
        try {
            return Objects.requireNonNull(settings.fulfiller().fulfil(request), "result");
        } catch (RuntimeException e) {
            LOG.warn("the fulfiller failed on reward {}", request.reward().id(), e);
            return new RewardFulfiller.Result.Failed(e.getClass().getSimpleName());
        }
    }

    /** The host pool a discount reward's code comes from, or empty. */
    private String pool(Reward r) {
        CompiledRule rule = book.ruleOf(r);
        if (rule != null && rule.rule.grant(r.beneficiary()).map(Grant::give).orElse(null) instanceof Give.Discount d) {
            return d.pool();
        }
        return "";
    }
}
