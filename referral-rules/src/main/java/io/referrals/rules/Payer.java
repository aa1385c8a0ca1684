package io.referrals.rules;

import io.referrals.core.error.ConflictException;
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
import io.referrals.core.model.Money;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.storage.StoreTransaction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The writes behind rewards: limits, exactly-once inserts, approval, points credit, releases. */
final class Payer {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** Marks a reward held while its referral waits for review; safe to show the advocate. */
    static final String REVIEW_PENDING = "review_pending";
    /** Marks a held reward released by an approved review. */
    static final String REVIEW_CLEARED = "review_cleared";

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
     * is released or rejected when the review is decided (see {@link RewardsEngine#afterReview}).
     */
    RuleOutcome pay(UnitOfWork w, CompiledRuleSet crs, CompiledRule rule, RuleContext ctx, RuleDecision decision,
            RewardSource source) {
        StoreTransaction tx = w.store();
        Instant now = w.now();
        List<Reward> paid = new ArrayList<>(2);
        List<Reason> reasons = new ArrayList<>(decision.trace());
        RuleOutcome.Status status = RuleOutcome.Status.PAID;
        boolean underReview = ctx.referralOrNull() != null
                && ctx.referralOrNull().review() == ReviewStatus.FLAGGED;
        for (RuleDecision.Payout payout : decision.payouts()) {
            List<Reason> explanation = new ArrayList<>(decision.trace());
            Reward draft = reward(crs, rule, ctx, source, decision.milestone(), payout.beneficiary(),
                    payout.incentive(), now, explanation);
            if (tx.rewardByDedupeKey(draft.dedupeKey()).isPresent()) {
                reasons.add(Reason.of("already_rewarded", "'" + rule.rule.name() + "' already paid this milestone."));
                status = RuleOutcome.Status.DUPLICATE;
                continue;
            }
            Incentive incentive = applyLimits(Counters.of(tx), crs, rule.rule, ctx, payout.incentive(), explanation);
            if (incentive == null) {
                reasons.add(explanation.get(explanation.size() - 1));
                status = RuleOutcome.Status.CAP_REACHED;
                continue;
            }
            boolean held = !rule.rule.holdFor().isZero();
            if (held) {
                explanation.add(Reason.of("holding_period", "Held until " + DAY.format(now.plus(rule.rule.holdFor()))
                        + " before approval."));
            }
            if (underReview) {
                explanation.add(reviewPending());
            }
            Reward r = reward(crs, rule, ctx, source, decision.milestone(), payout.beneficiary(), incentive, now,
                    explanation);
            tx.insertReward(r);
            AdvocateSummary who = AdvocateSummary.of(ctx.advocate());
            w.emit(stream(r), m -> new RewardEarned(m, who, r));
            Reward result = r;
            if (!held && !underReview && autoApprove) {
                result = approve(w, r, ctx.advocate(), rule.rule.name());
            }
            paid.add(result);
            if (held || underReview || !autoApprove) {
                status = RuleOutcome.Status.HELD;
            }
            reasons.addAll(explanation.subList(decision.trace().size(), explanation.size()));
        }
        if (paid.isEmpty() && status == RuleOutcome.Status.PAID) {
            status = RuleOutcome.Status.NO_AMOUNT;
        }
        return new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), decision.milestone(), status, paid, reasons);
    }

    private static Reward reward(CompiledRuleSet crs, CompiledRule rule, RuleContext ctx, RewardSource source,
            String milestone, Beneficiary side, Incentive incentive, Instant now, List<Reason> explanation) {
        return new Reward(RewardId.random(), crs.ruleSet.programId(), ctx.advocate().id(), side, source,
                rule.rule.id(), crs.ruleSet.version(), milestone, incentive, RewardStatus.PENDING, now,
                now.plus(rule.rule.holdFor()), now, explanation, 1);
    }

    /** Approves a pending reward; points are credited to the ledger at once and the reward is fulfilled. */
    static Reward approve(UnitOfWork w, Reward pending, Advocate advocate, String ruleName) {
        StoreTransaction tx = w.store();
        Reward approved = pending.withStatus(RewardStatus.APPROVED, w.now());
        if (!tx.updateReward(approved)) {
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
            if (!tx.updateReward(fulfilled)) {
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
        Reward x = revise(current, RewardStatus.REJECTED, current.holdUntil(), why, w.now());
        if (!w.store().updateReward(x)) {
            throw concurrent(current);
        }
        if (crs != null) {
            releaseLimits(w.store(), crs, x, advocate);
        }
        w.emit(stream(x), m -> new RewardRejected(m, AdvocateSummary.of(advocate), x));
        return x;
    }

    /** The next version of {@code r}: in {@code status}, due at {@code holdUntil}, with {@code extra} explained. */
    static Reward revise(Reward r, RewardStatus status, Instant holdUntil, Reason extra, Instant at) {
        List<Reason> explanation = r.explanation();
        if (extra != null) {
            explanation = new ArrayList<>(explanation);
            explanation.add(extra);
        }
        return new Reward(r.id(), r.programId(), r.advocateId(), r.beneficiary(), r.source(), r.ruleId(),
                r.ruleVersion(), r.milestone(), r.incentive(), status, r.createdAt(), holdUntil, at, explanation,
                r.version() + 1);
    }

    /** Appends a ledger entry and emits the balance change; false if it would take the balance below zero. */
    static boolean appendLedger(UnitOfWork w, LedgerEntry e, Advocate advocate) {
        if (!w.store().appendLedgerEntry(e)) {
            return false;
        }
        long balance = w.store().pointsBalance(e.advocateId());
        AdvocateSummary who = AdvocateSummary.of(advocate);
        w.emit(EventStreams.of(e.advocateId()), m -> new PointsBalanceChanged(m, who, e, balance));
        return true;
    }

    static String stream(Reward r) {
        return r.source().kind() == RewardSource.Kind.REFERRAL ? EventStreams.of(ReferralId.of(r.source().id()))
                : EventStreams.of(r.advocateId());
    }

    static ConflictException concurrent(Reward r) {
        return new ConflictException("reward.version", "reward " + r.id() + " was changed concurrently", true);
    }

    // ---- limits ----------------------------------------------------------------------------------------------------

    /**
     * Applies {@code rule}'s limits to {@code incentive}: returns what may be paid (possibly less, for a value cap
     * partly used), or {@code null} when a limit is reached, having released what it consumed; adds the reasons.
     *
     * <p>Every decision here is taken by the store's atomic {@link StoreTransaction#tryConsume}: a counter is never
     * read to decide whether there is room, so the limits hold under any isolation level and any number of
     * concurrent evaluations.
     */
    Incentive applyLimits(Counters tx, CompiledRuleSet crs, Rule rule, RuleContext ctx, Incentive incentive,
            List<Reason> trace) {
        List<String> consumedKeys = new ArrayList<>();
        List<Long> consumedAmounts = new ArrayList<>();
        Incentive current = incentive;
        ProgramId program = crs.ruleSet.programId();
        for (Limit limit : rule.limits()) {
            if (limit instanceof Limit.PerAdvocate l) {
                List<String> bases = perAdvocateKeys(program, l, ctx.advocate(), ctx.at());
                String words = periodWords(l.period());
                if (l.maxCount() > 0) {
                    List<String> keys = suffixed(bases, ":count");
                    if (consumeUpTo(tx, keys, 1, l.maxCount(), consumedKeys, consumedAmounts) < 1) {
                        trace.add(Reason.of("cap_reached", "No reward: the limit of " + l.maxCount() + " rewards "
                                + words + " was reached."));
                        return release(tx, consumedKeys, consumedAmounts);
                    }
                }
                if (!(l.maxValue() instanceof Limit.Value.None)) {
                    current = consumeValue(tx, suffixed(bases, ":value"), l.maxValue(), current, trace, consumedKeys,
                            consumedAmounts, words);
                    if (current == null) {
                        return release(tx, consumedKeys, consumedAmounts);
                    }
                }
                trace.add(Reason.of("limit_applied", "Counted towards the limit '" + l.key() + "' " + words + "."));
            } else if (limit instanceof Limit.PerReferral l) {
                if (ctx.referralOrNull() == null) {
                    continue;
                }
                String key = Keys.perReferral(program, l.key(), ctx.referralOrNull().id().value());
                if (!tx.tryConsume(key, 1, l.maxCount())) {
                    trace.add(Reason.of("cap_reached", "No reward: this referral already earned the most rewards "
                            + "allowed (" + l.maxCount() + ")."));
                    return release(tx, consumedKeys, consumedAmounts);
                }
                consumedKeys.add(key);
                consumedAmounts.add(1L);
            } else if (limit instanceof Limit.Budget l) {
                current = consumeValue(tx, List.of(Keys.budget(program, l.key())), l.max(), current, trace,
                        consumedKeys, consumedAmounts, "of the program budget");
                if (current == null) {
                    return release(tx, consumedKeys, consumedAmounts);
                }
            } else if (limit instanceof Limit.MaxWinners l) {
                String key = Keys.winners(program, l.key());
                if (!tx.tryConsume(key, 1, l.maxWinners())) {
                    trace.add(Reason.of("cap_reached", "No reward: the " + l.maxWinners()
                            + " places of this challenge are taken."));
                    return release(tx, consumedKeys, consumedAmounts);
                }
                consumedKeys.add(key);
                consumedAmounts.add(1L);
                trace.add(Reason.of("limit_applied", "You are one of the first " + l.maxWinners()
                        + " to complete this challenge."));
            }
        }
        return current;
    }

    private static Incentive release(Counters tx, List<String> keys, List<Long> amounts) {
        for (int i = 0; i < keys.size(); i++) {
            tx.release(keys.get(i), amounts.get(i));
        }
        return null;
    }

    private static Incentive consumeValue(Counters tx, List<String> keys, Limit.Value cap,
            Incentive incentive, List<Reason> trace, List<String> consumedKeys, List<Long> consumedAmounts,
            String words) {
        long units = units(incentive, cap);
        if (units < 0) {
            return incentive;
        }
        long taken = consumeUpTo(tx, keys, units, capUnits(cap), consumedKeys, consumedAmounts);
        if (taken < 1) {
            trace.add(Reason.of("cap_reached", "No reward: the maximum value " + words + " was reached."));
            return null;
        }
        if (taken < units) {
            trace.add(Reason.of("cap_partially_applied", "Reduced to what was left of the maximum value " + words
                    + "."));
            return withUnits(incentive, taken);
        }
        return incentive;
    }

    /**
     * Takes as much of {@code units} as every counter of {@code keys} has room for under {@code capacity}, using only
     * {@link StoreTransaction#tryConsume} (all counters or none at each step, halving the step on refusal): the most
     * that fits, found without reading a counter. Records what it took; returns it (0 when there is no room).
     */
    static long consumeUpTo(Counters tx, List<String> keys, long units, long capacity,
            List<String> consumedKeys, List<Long> consumedAmounts) {
        long taken = 0;
        long step = units;
        while (step > 0 && taken < units) {
            long s = Math.min(step, units - taken);
            if (tryConsumeAll(tx, keys, s, capacity)) {
                taken += s;
                for (String key : keys) {
                    consumedKeys.add(key);
                    consumedAmounts.add(s);
                }
            } else {
                step /= 2;
            }
        }
        return taken;
    }

    private static boolean tryConsumeAll(Counters tx, List<String> keys, long amount, long capacity) {
        for (int i = 0; i < keys.size(); i++) {
            if (!tx.tryConsume(keys.get(i), amount, capacity)) {
                for (int j = 0; j < i; j++) {
                    tx.release(keys.get(j), amount);
                }
                return false;
            }
        }
        return true;
    }

    /**
     * The counters (without their {@code :count} or {@code :value} suffix) a per-advocate limit consumes for an event
     * at {@code at}: one for a calendar period; for a rolling period of {@code n} days, one per window of {@code n}
     * days that contains the event's day (the windows ending on that day and the {@code n - 1} days after), so that
     * every window is capped by its own counter, at the precision of a day (UTC).
     */
    static List<String> perAdvocateKeys(ProgramId program, Limit.PerAdvocate l, Advocate advocate, Instant at) {
        String who = who(l, advocate);
        if (l.period() instanceof Limit.Period.Rolling rolling) {
            long days = rollingDays(rolling);
            long day = LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay();
            String base = Keys.limit(program, l.key(), who, "rolling-" + days + "d") + ":";
            List<String> keys = new ArrayList<>((int) days);
            for (long d = day; d < day + days; d++) {
                keys.add(base + d);
            }
            return keys;
        }
        return List.of(Keys.limit(program, l.key(), who, Keys.period(l.period(), at)));
    }

    private static long rollingDays(Limit.Period.Rolling rolling) {
        long days = rolling.length().toDays();
        return rolling.length().equals(java.time.Duration.ofDays(days)) ? Math.max(1, days) : days + 1;
    }

    private static List<String> suffixed(List<String> keys, String suffix) {
        List<String> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(k + suffix);
        }
        return out;
    }

    /** Gives back what {@code r} consumed of its rule's limits (a reversed or rejected reward frees its share). */
    static void releaseLimits(StoreTransaction tx, CompiledRuleSet crs, Reward r, Advocate advocate) {
        CompiledRule rule = crs.byId.get(r.ruleId());
        if (rule == null) {
            return;
        }
        ProgramId program = crs.ruleSet.programId();
        for (Limit limit : rule.rule.limits()) {
            if (limit instanceof Limit.PerAdvocate l) {
                for (String base : perAdvocateKeys(program, l, advocate, r.createdAt())) {
                    if (l.maxCount() > 0) {
                        tx.release(base + ":count", 1);
                    }
                    long u = units(r.incentive(), l.maxValue());
                    if (u > 0) {
                        tx.release(base + ":value", u);
                    }
                }
            } else if (limit instanceof Limit.PerReferral l && r.source().kind() == RewardSource.Kind.REFERRAL) {
                tx.release(Keys.perReferral(program, l.key(), r.source().id()), 1);
            } else if (limit instanceof Limit.Budget l) {
                long u = units(r.incentive(), l.max());
                if (u > 0) {
                    tx.release(Keys.budget(program, l.key()), u);
                }
            } else if (limit instanceof Limit.MaxWinners l) {
                tx.release(Keys.winners(program, l.key()), 1);
            }
        }
    }

    private static String who(Limit.PerAdvocate l, Advocate a) {
        return l.perAccount() && !a.accountId().isEmpty() ? "account:" + a.accountId() : "advocate:" + a.id().value();
    }

    private static String periodWords(Limit.Period p) {
        if (p instanceof Limit.Period.Calendar c) {
            return switch (c.unit()) {
                case DAY -> "per day";
                case WEEK -> "per week";
                case MONTH -> "per month";
                case QUARTER -> "per quarter";
                case YEAR -> "per year";
            };
        }
        if (p instanceof Limit.Period.Rolling r) {
            return "in any " + r.length().toDays() + " days";
        }
        return "in all";
    }

    /** The incentive's value in the cap's units (points, or minor units of the cap's currency); -1 if unrelated. */
    static long units(Incentive incentive, Limit.Value cap) {
        if (cap instanceof Limit.Value.InPoints) {
            return incentive instanceof Incentive.Points p ? p.points() : -1;
        }
        if (cap instanceof Limit.Value.InMoney m) {
            Money money = money(incentive);
            if (money == null || !money.currency().equals(m.money().currency())) {
                return -1;
            }
            return minor(money);
        }
        return -1;
    }

    private static long capUnits(Limit.Value cap) {
        return cap instanceof Limit.Value.InPoints p ? p.points() : minor(((Limit.Value.InMoney) cap).money());
    }

    static Money money(Incentive i) {
        return i instanceof Incentive.Cash c ? c.amount() : i instanceof Incentive.GiftCard g ? g.amount()
                : i instanceof Incentive.Donation d ? d.amount() : null;
    }

    private static long minor(Money m) {
        return m.amount().movePointRight(digits(m)).setScale(0, RoundingMode.DOWN).longValueExact();
    }

    private static int digits(Money m) {
        return Math.max(0, m.currency().getDefaultFractionDigits());
    }

    private static Incentive withUnits(Incentive i, long units) {
        if (i instanceof Incentive.Points) {
            return new Incentive.Points(units);
        }
        Money m = money(i);
        Money less = new Money(BigDecimal.valueOf(units).movePointLeft(digits(m)), m.currency());
        if (i instanceof Incentive.Cash c) {
            return new Incentive.Cash(less, c.accountCredit());
        }
        if (i instanceof Incentive.GiftCard g) {
            return new Incentive.GiftCard(less, g.brand());
        }
        return new Incentive.Donation(less, ((Incentive.Donation) i).charity());
    }

    static AdvocateId advocateOf(Reward r) {
        return r.advocateId();
    }
}
