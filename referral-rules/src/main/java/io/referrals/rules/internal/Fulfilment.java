package io.referrals.rules.internal;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.RewardFulfilmentFailed;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approval and fulfilment: the scheduled run that asks the host's approver about due rewards and hands approved
 * ones to its fulfiller, claiming each for one attempt so that it is issued once; and rewards the host fulfilled
 * itself. See {@link io.referrals.rules.Rewards#processDue()}. Thread-safe.
 */
public final class Fulfilment {
    private static final Logger LOG = LoggerFactory.getLogger(Fulfilment.class);
    /** How long a reward held for a review waits before the scheduled run looks at it again. */
    private static final Duration REVIEW_RECHECK = Duration.ofHours(1);

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
    private enum Step { OPEN, APPROVED, REJECTED, HELD, SKIPPED }

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
                    ? Retry.retrying(() -> transactions.inStreams(Payer.streams(r), w -> reviewGate(w, r))) : Step.OPEN;
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
            Step done = Retry.retrying(() -> transactions.inStreams(Payer.streams(r),
                    w -> decide(w, r, verdict)));
            approved += done == Step.APPROVED ? 1 : 0;
            rejected += done == Step.REJECTED ? 1 : 0;
            deferred += done == Step.HELD ? 1 : 0;
        }
        int fulfilled = 0;
        int failed = 0;
        if (settings.fulfiller() != null) {
            List<Reward> toFulfil = transactions.inStore(tx -> tx.rewards().due(RewardStatus.APPROVED, now,
                    settings.batchSize()));
            for (Reward r : toFulfil) {
                Claim claim = Retry.retrying(() -> transactions.inStreams(Payer.streams(r), w -> claim(w, r)));
                if (claim == null) {
                    continue;
                }
                RewardFulfiller.Result result = fulfil(new RewardFulfiller.Request(claim.reward(), pool(r),
                        claim.attempt()));
                Boolean ok = Retry.retrying(() -> transactions.inStreams(Payer.streams(r),
                        w -> record(w, claim.reward(), result)));
                if (Boolean.TRUE.equals(ok)) {
                    fulfilled++;
                } else if (Boolean.FALSE.equals(ok)) {
                    failed++;
                }
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
        return Retry.retrying(() -> transactions.inStreams(Payer.streams(listed), w -> {
            Reward r = w.store().rewards().get(id).orElseThrow(() -> new NotFoundException("reward", id.value()));
            if (r.status() == RewardStatus.FULFILLED) {
                return r;
            }
            if (r.status() != RewardStatus.APPROVED) {
                throw new IllegalStateException("reward " + id + " is " + r.status() + ", not approved");
            }
            record(w, r, new RewardFulfiller.Result.Fulfilled(code));
            return w.store().rewards().get(id).orElseThrow();
        }));
    }

    /** Applies the approver's verdict to a due reward, unless its review or its state changed meanwhile. */
    private Step decide(UnitOfWork w, Reward r, RewardApprover.Verdict verdict) {
        Step again = reviewGate(w, r);
        if (again != Step.OPEN) {
            return again;
        }
        Reward current = w.store().rewards().get(r.id()).orElseThrow();
        if (current.status() != RewardStatus.PENDING) {
            return Step.SKIPPED;
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
     * fulfiller: another run holds a claim on it, it is no longer approved, its attempts are used up, or its referral
     * is under review or denied. The claim is the conditional version update that pushes its due time to the end of
     * the lease: of concurrent runs, exactly one succeeds.
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
     * Records the outcome of a fulfilment attempt of {@code r}: true when fulfilled, false when it failed (counted
     * against the attempts; the claim, if still ours, is given up), {@code null} when the reward is no longer
     * approved.
     */
    private Boolean record(UnitOfWork w, Reward r, RewardFulfiller.Result result) {
        Reward current = w.store().rewards().get(r.id()).orElseThrow();
        if (current.status() != RewardStatus.APPROVED) {
            return null;
        }
        Advocate a = Payer.advocate(w.store(), current.advocateId());
        if (result instanceof RewardFulfiller.Result.Fulfilled f) {
            Incentive incentive = current.incentive();
            if (incentive instanceof Incentive.Discount d && !f.code().isEmpty()) {
                incentive = new Incentive.Discount(d.percentOff(), d.amountOff(), f.code());
            }
            Reward x = Payer.next(current, RewardStatus.FULFILLED, incentive, current.nextAttemptAt(), null, w.now());
            Payer.update(w.store(), x);
            w.emit(Payer.stream(x), m -> new RewardFulfilled(m, AdvocateSummary.of(a), x));
            return Boolean.TRUE;
        }
        w.store().counters().tryConsume(Keys.fulfilmentAttempts(current.id().value()), 1,
                settings.maxFulfilmentAttempts());
        if (current.version() == r.version() && current.nextAttemptAt().isAfter(w.now())) {
            // our claim still stands: give it up, so that the next run tries again
            Payer.update(w.store(), Payer.revise(current, RewardStatus.APPROVED, w.now(), null, w.now()));
        }
        LOG.warn("fulfilment of reward {} failed: {}", current.id(), ((RewardFulfiller.Result.Failed) result).error());
        w.emit(Payer.stream(current), m -> new RewardFulfilmentFailed(m, AdvocateSummary.of(a), current));
        return Boolean.FALSE;
    }

    private RewardApprover.Verdict review(Reward r) {
        if (settings.approver() == null) {
            return RewardApprover.Verdict.APPROVE;
        }
        try {
            return Objects.requireNonNull(settings.approver().review(r), "verdict");
        } catch (RuntimeException e) {
            LOG.warn("the approver failed on reward {}; asking again on the next run", r.id(), e);
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
