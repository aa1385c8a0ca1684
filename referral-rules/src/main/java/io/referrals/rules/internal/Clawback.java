package io.referrals.rules.internal;

import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardReversed;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.StoreTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Clawback: reverses a referral's rewards inside their rules' clawback windows, taking credited points back by a
 * compensating ledger entry and freeing the limits they used. See {@link io.referrals.rules.Rewards#reverse}.
 * Thread-safe.
 */
public final class Clawback {
    private final RuleBook book;
    private final TransactionRunner transactions;

    public Clawback(RuleBook book, TransactionRunner transactions) {
        this.book = book;
        this.transactions = transactions;
    }

    /** See {@link io.referrals.rules.Rewards#reverse}. */
    public List<Reward> reverse(ReferralId referralId, Reason why) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(why, "why");
        // the referral's stream and its advocate's (where points taken back are announced), named up front
        Set<String> streams = new LinkedHashSet<>();
        streams.add(EventStreams.of(referralId));
        transactions.inStore(tx -> tx.referrals().get(referralId)).ifPresent(r -> streams.add(
                EventStreams.of(r.advocateId())));
        return Retry.retrying(() -> transactions.inStreams(streams, w -> {
            StoreTransaction tx = w.store();
            List<Reward> reversed = new ArrayList<>();
            for (Reward r : tx.rewards().ofReferral(referralId)) {
                if (r.status().isFinal()) {
                    continue;
                }
                CompiledRuleSet crs = book.versionOf(r);
                CompiledRule rule = crs == null ? null : crs.byId.get(r.ruleId());
                Duration window = rule == null ? Duration.ZERO : rule.rule.clawbackWithin();
                if (window.isZero() || !w.now().isBefore(r.createdAt().plus(window))) {
                    continue;
                }
                Advocate a = Payer.advocate(tx, r.advocateId());
                Reason shortfall = null;
                if (r.status() == RewardStatus.FULFILLED && r.incentive() instanceof Incentive.Points p
                        && r.beneficiary() == Beneficiary.ADVOCATE) {
                    // The balance read only sizes the entry; the append checks it atomically. If a concurrent
                    // redemption spent the points in between, the append is refused and the whole reversal retried.
                    long take = Math.min(p.points(), tx.ledger().balance(r.advocateId()));
                    if (take > 0 && !Payer.appendLedger(w, new LedgerEntry(LedgerEntryId.random(), r.advocateId(),
                            LedgerEntry.Kind.REVERSED, -take, r.id().value(), "reverse:" + r.id().value(), w.now(),
                            why.text()), a)) {
                        throw Payer.balanceChanged(r.advocateId());
                    }
                    if (take < p.points()) {
                        shortfall = Reason.of("clawback_partial", (p.points() - take)
                                + " points could not be taken back: they were already spent.");
                    }
                }
                Reward x = Payer.next(r, RewardStatus.REVERSED, r.incentive(), r.nextAttemptAt(), why, w.now());
                if (shortfall != null) {
                    // one new version of the reward, explaining both the reversal and what it could not take back
                    x = Payer.next(x, RewardStatus.REVERSED, r.incentive(), r.nextAttemptAt(), shortfall, w.now());
                    x = new Reward(x.id(), x.programId(), x.advocateId(), x.beneficiary(), x.source(), x.ruleId(),
                            x.ruleVersion(), x.milestone(), x.incentive(), x.status(), x.createdAt(), x.holdUntil(),
                            x.nextAttemptAt(), x.updatedAt(), x.explanation(), r.version() + 1);
                }
                Payer.update(tx, x);
                Limits.release(tx, crs, x, a);
                Reward done = x;
                w.emit(Payer.stream(done), m -> new RewardReversed(m, AdvocateSummary.of(a), done));
                reversed.add(done);
            }
            return reversed;
        }));
    }
}
