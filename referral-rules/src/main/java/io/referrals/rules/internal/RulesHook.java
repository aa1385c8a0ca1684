package io.referrals.rules.internal;

import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.Trigger;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules' hook: judges captures and stage changes in their own transaction, so that a reward is stored if and
 * only if the change commits, and settles the rewards held for a review when it is decided. Immutable and
 * thread-safe.
 */
public final class RulesHook implements ReferralHook {
    private static final Logger LOG = LoggerFactory.getLogger(RulesHook.class);

    private final RuleBook book;

    public RulesHook(RuleBook book) {
        this.book = book;
    }

    /**
     * Judges the rules triggered by a capture. A referral flagged for review earns its rewards held (pending, with
     * the reason {@code review_pending}) until the review is decided; a denied referral earns nothing.
     */
    @Override
    public void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
        if (referral.review() == ReviewStatus.DENIED) {
            return;
        }
        CompiledRuleSet crs = book.pinned(program.id(), referral.submittedAt(), work.now());
        if (crs == null) {
            return;
        }
        Facts facts = book.facts(work.store(), crs, program, advocate, referral, work.now());
        RewardSource source = RewardSource.referral(referral.id());
        for (CompiledRule rule : crs.onSubmitted) {
            book.judge(work, crs, rule, facts, "submitted", crs.submittedReason, source);
        }
        reached(work, crs, facts, referral.stage(), source);
    }

    /**
     * Judges the rules triggered by a stage change; as for {@link #afterCapture}, held while the referral is flagged
     * and nothing for a denied referral. A reopening also pays again, once, the rewards reversed while the referral
     * was lost whose rule says {@link io.referrals.rules.definition.Rule.WhenReopened#PAY_AGAIN}.
     */
    @Override
    public void afterTransition(UnitOfWork work, Program program, Advocate advocate, Referral referral,
            TimelineEntry entry) {
        if (referral.review() == ReviewStatus.DENIED) {
            return;
        }
        CompiledRuleSet crs = book.pinned(program.id(), referral.submittedAt(), work.now());
        if (crs == null) {
            return;
        }
        Facts facts = book.facts(work.store(), crs, program, advocate, referral, work.now());
        reached(work, crs, facts, entry.to(), RewardSource.referral(referral.id()));
        if (entry.isReopening()) {
            Reopenings.payAgain(work, book, program, advocate, referral, entry);
        }
    }

    /**
     * Settles the rewards held for a review. Approved: each reward held for the review is released, due when its own
     * holding period (counted from when it was earned) ends, and approved at once when that is over and no approver
     * is configured, as it would have been without the review. Denied: the referral's pending, approved and failed
     * (not yet fulfilled) rewards are rejected with the reason {@code referral_denied}, their share of the limits is
     * freed and {@link io.referrals.core.event.RewardRejected} is emitted; rewards already fulfilled are left alone.
     */
    @Override
    public void afterReview(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
        ReviewStatus decision = referral.review();
        if (decision != ReviewStatus.APPROVED && decision != ReviewStatus.DENIED) {
            return;
        }
        StoreTransaction tx = work.store();
        int settled = 0;
        for (Reward r : tx.rewards().ofReferral(referral.id())) {
            if (decision == ReviewStatus.DENIED) {
                if (r.status() == RewardStatus.PENDING || r.status() == RewardStatus.APPROVED
                        || r.status() == RewardStatus.FAILED) {
                    Payer.reject(work, book.versionOf(r), r, advocate, Payer.REFERRAL_DENIED);
                    settled++;
                }
            } else if (r.status() == RewardStatus.PENDING && Payer.awaitingReview(r)) {
                CompiledRule rule = book.ruleOf(r);
                Instant due = rule == null ? r.createdAt() : r.createdAt().plus(rule.rule.holdFor());
                Reward released = Payer.revise(r, RewardStatus.PENDING, due, Payer.REVIEW_PASSED, work.now());
                Payer.update(tx, released);
                if (book.autoApprove() && !due.isAfter(work.now())) {
                    Payer.approve(work, released, advocate, rule == null ? r.ruleId() : rule.rule.name());
                }
                settled++;
            }
        }
        LOG.debug("referral {} reviewed {}: {} rewards settled", referral.id(), decision, settled);
    }

    /** Judges the rules of entering {@code stage}, counting the entry first for tiers and Nth-referral triggers. */
    private void reached(UnitOfWork work, CompiledRuleSet crs, Facts facts, Stage stage, RewardSource source) {
        StoreTransaction tx = work.store();
        long nth = -1;
        Referral referral = facts.referral;
        if (crs.countedStages.contains(stage)
                && tx.counters().tryConsume(Keys.stageMark(crs.ruleSet.programId(), referral.id(), stage), 1, 1)) {
            CounterKey lifetime = Keys.stageCount(crs.ruleSet.programId(), facts.advocate.id(), stage);
            tx.counters().tryConsume(lifetime, 1, Long.MAX_VALUE);
            tx.counters().tryConsume(Keys.stageCountInYear(crs.ruleSet.programId(), facts.advocate.id(), stage,
                    Keys.year(facts.at)), 1, Long.MAX_VALUE);
            // our own increment, made under the counter's lock: every referral gets its own number
            nth = tx.counters().value(lifetime);
            if (crs.needsTier) {
                facts = facts.withTier(crs, RuleBook.tier(Counters.of(tx), crs, facts.advocate, facts.at));
            }
        }
        String milestone = crs.stageMilestone(stage);
        Reason trigger = crs.stageReason(stage);
        for (CompiledRule rule : crs.stageRules(stage)) {
            book.judge(work, crs, rule, facts, milestone, trigger, source);
        }
        for (CompiledRule rule : crs.onNth.getOrDefault(stage, List.of())) {
            Trigger.NthReferral t = (Trigger.NthReferral) rule.rule.trigger();
            if (nth == t.n()) {
                book.judge(work, crs, rule, facts, rule.nthMilestone, rule.nthReason, source);
            }
        }
    }
}
