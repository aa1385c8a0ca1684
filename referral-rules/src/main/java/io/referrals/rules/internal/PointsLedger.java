package io.referrals.rules.internal;

import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.event.RewardExpired;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.CatalogueItem;
import io.referrals.rules.result.RedemptionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Points and the catalogue: an advocate's balance and ledger, redemption of catalogue items for points, and the
 * expiry of old points. See {@link io.referrals.rules.Rewards#redeem} and
 * {@link io.referrals.rules.Rewards#expirePoints}. Thread-safe.
 */
public final class PointsLedger {
    private final RuleBook book;
    private final TransactionRunner transactions;

    public PointsLedger(RuleBook book, TransactionRunner transactions) {
        this.book = book;
        this.transactions = transactions;
    }

    /** See {@link io.referrals.rules.Rewards#balance}. */
    public long balance(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return transactions.inStore(tx -> tx.ledger().balance(advocateId));
    }

    /** See {@link io.referrals.rules.Rewards#ledger}. */
    public List<LedgerEntry> entries(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return transactions.inStore(tx -> tx.ledger().entries(advocateId));
    }

    /** See {@link io.referrals.rules.Rewards#redeem}. */
    public RedemptionResult redeem(AdvocateId advocateId, ProgramId programId, String itemId, String idempotencyKey) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank");
        }
        return Retry.retrying(() -> transactions.inStream(EventStreams.of(advocateId), w -> {
            StoreTransaction tx = w.store();
            Advocate a = Payer.advocate(tx, advocateId);
            CompiledRuleSet crs = book.pinned(programId, w.now(), w.now());
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
            Optional<Reward> earlier = tx.rewards().byDedupeKey(reward.dedupeKey());
            if (earlier.isPresent()) {
                return new RedemptionResult.Redeemed(earlier.get(), tx.ledger().balance(advocateId), true);
            }
            CounterKey stock = Keys.stock(programId, item.id());
            if (item.stock() != CatalogueItem.UNLIMITED && !tx.counters().tryConsume(stock, 1, item.stock())) {
                return new RedemptionResult.Refused(Reason.of("out_of_stock", "'" + item.name()
                        + "' is out of stock."));
            }
            LedgerEntry debit = new LedgerEntry(LedgerEntryId.random(), advocateId, LedgerEntry.Kind.REDEEMED,
                    -item.cost(), reward.id().value(), "redeem:" + item.id() + ":" + idempotencyKey, w.now(),
                    "Exchanged for '" + item.name() + "'.");
            if (!Payer.appendLedger(w, debit, a)) {
                if (item.stock() != CatalogueItem.UNLIMITED) {
                    tx.counters().release(stock, 1);
                }
                return new RedemptionResult.Refused(Reason.of("insufficient_points", "You need " + item.cost()
                        + " points for '" + item.name() + "'."));
            }
            tx.rewards().insert(reward);
            w.emit(Payer.stream(reward), m -> new RewardEarned(m, AdvocateSummary.of(a), reward));
            Reward approved = Payer.approve(w, reward, a, item.name());
            return new RedemptionResult.Redeemed(approved, tx.ledger().balance(advocateId), false);
        }));
    }

    /** See {@link io.referrals.rules.Rewards#expirePoints}. */
    public long expirePoints(AdvocateId advocateId, ProgramId programId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        // the balance changes on the advocate's stream; the streams of the referrals whose rewards expire are taken as
        // their events are emitted
        return Retry.retrying(() -> transactions.inStream(EventStreams.of(advocateId), w -> {
            CompiledRuleSet crs = book.pinned(programId, w.now(), w.now());
            if (crs == null || crs.ruleSet.pointsExpireAfter().isZero()) {
                return 0L;
            }
            StoreTransaction tx = w.store();
            Instant cutoff = w.now().minus(crs.ruleSet.pointsExpireAfter());
            List<LedgerEntry> ledger = tx.ledger().entries(advocateId);
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
                if (!tx.counters().tryConsume(Keys.expired(advocateId, credit), 1, 1)) {
                    throw Payer.balanceChanged(advocateId);
                }
            }
            Advocate a = Payer.advocate(tx, advocateId);
            if (!Payer.appendLedger(w, new LedgerEntry(LedgerEntryId.random(), advocateId, LedgerEntry.Kind.EXPIRED,
                    -expire, "", "expire:" + w.now().toEpochMilli(), w.now(), "Points older than "
                    + crs.ruleSet.pointsExpireAfter().toDays() + " days expired."), a)) {
                throw Payer.balanceChanged(advocateId);
            }
            for (String id : expiredRewards) {
                Optional<Reward> r = tx.rewards().get(RewardId.of(id));
                if (r.isPresent() && r.get().status() == RewardStatus.FULFILLED) {
                    Reward x = Payer.next(r.get(), RewardStatus.EXPIRED, r.get().incentive(), r.get().nextAttemptAt(),
                            Reason.of("points_expired", "These points expired unused."), w.now());
                    Payer.update(tx, x);
                    w.emit(Payer.stream(x), m -> new RewardExpired(m, AdvocateSummary.of(a), x));
                }
            }
            return expire;
        }));
    }
}
