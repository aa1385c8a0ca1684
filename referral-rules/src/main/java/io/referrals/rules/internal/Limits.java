package io.referrals.rules.internal;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardSource;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.Limit;
import io.referrals.rules.definition.Rule;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits of rules, applied with atomic counters: consumed when a reward is paid, released when it is rejected or
 * reversed, and read (never to decide) to explain a reward that was not paid. A value cap counts points, or minor
 * units of its currency.
 */
final class Limits {
    private Limits() {
    }

    /**
     * Applies {@code rule}'s limits to {@code incentive}: returns what may be paid (possibly less, for a value cap
     * partly used), or {@code null} when a limit is reached, having released what it consumed; adds the reasons.
     *
     * <p>Every decision here is taken by the store's atomic
     * {@link io.referrals.core.storage.CounterRecords#tryConsume}: a counter is never read to decide whether there is
     * room, so the limits hold under any isolation level and any number of concurrent evaluations.
     */
    static Incentive apply(Counters tx, CompiledRuleSet crs, Rule rule, Facts f, Incentive incentive,
            List<Reason> trace) {
        List<CounterKey> consumedKeys = new ArrayList<>();
        List<Long> consumedAmounts = new ArrayList<>();
        Incentive current = incentive;
        ProgramId program = crs.ruleSet.programId();
        for (Limit limit : rule.limits()) {
            if (limit instanceof Limit.PerAdvocate l) {
                List<Keys.LimitCounters> bases = perAdvocateKeys(program, l, f.advocate, f.at);
                String words = periodWords(l.period());
                if (l.maxCount() > 0) {
                    List<CounterKey> keys = bases.stream().map(Keys.LimitCounters::count).toList();
                    if (consumeUpTo(tx, keys, 1, l.maxCount(), consumedKeys, consumedAmounts) < 1) {
                        trace.add(Reason.of("cap_reached", "No reward: the limit of " + l.maxCount() + " rewards "
                                + words + " was reached."));
                        return release(tx, consumedKeys, consumedAmounts);
                    }
                }
                if (!(l.maxValue() instanceof Limit.Value.None)) {
                    current = consumeValue(tx, bases.stream().map(Keys.LimitCounters::value).toList(), l.maxValue(),
                            current, trace, consumedKeys, consumedAmounts, words);
                    if (current == null) {
                        return release(tx, consumedKeys, consumedAmounts);
                    }
                }
                trace.add(Reason.of("limit_applied", "Counted towards the limit '" + l.key() + "' " + words + "."));
            } else if (limit instanceof Limit.PerReferral l) {
                if (f.referral == null) {
                    continue;
                }
                CounterKey key = Keys.perReferral(program, l.key(), f.referral.id().value());
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
                CounterKey key = Keys.winners(program, l.key());
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

    /**
     * The first of {@code rule}'s limits that is full for the event, as the reason to show, or {@code null}: for an
     * explanation, read without consuming anything (rolling windows are not read).
     */
    static Reason full(StoreTransaction tx, CompiledRuleSet crs, Rule rule, Facts f) {
        ProgramId program = crs.ruleSet.programId();
        for (Limit limit : rule.limits()) {
            if (limit instanceof Limit.PerAdvocate l && !(l.period() instanceof Limit.Period.Rolling)) {
                Keys.LimitCounters window = Keys.limit(program, l.key(), who(l, f.advocate),
                        Keys.period(l.period(), f.at));
                if (l.maxCount() > 0 && tx.counters().value(window.count()) >= l.maxCount()) {
                    return Reason.of("cap_reached", "No reward: the limit of " + l.maxCount()
                            + " rewards for the period was reached.");
                }
                if (!(l.maxValue() instanceof Limit.Value.None) && tx.counters().value(window.value()) > 0
                        && tx.counters().value(window.value()) >= capUnits(l.maxValue())) {
                    return Reason.of("cap_reached", "No reward: the maximum value for the period was reached.");
                }
            } else if (limit instanceof Limit.PerReferral l && f.referral != null
                    && tx.counters().value(Keys.perReferral(program, l.key(), f.referral.id().value()))
                    >= l.maxCount()) {
                return Reason.of("cap_reached", "No reward: this referral already earned the most rewards allowed.");
            } else if (limit instanceof Limit.Budget l && tx.counters().value(Keys.budget(program, l.key()))
                    >= capUnits(l.max())) {
                return Reason.of("cap_reached", "No reward: the program budget is used up.");
            } else if (limit instanceof Limit.MaxWinners l && tx.counters().value(Keys.winners(program, l.key()))
                    >= l.maxWinners()) {
                return Reason.of("cap_reached", "No reward: all places were taken.");
            }
        }
        return null;
    }

    private static Incentive release(Counters tx, List<CounterKey> keys, List<Long> amounts) {
        for (int i = 0; i < keys.size(); i++) {
            tx.release(keys.get(i), amounts.get(i));
        }
        return null;
    }

    private static Incentive consumeValue(Counters tx, List<CounterKey> keys, Limit.Value cap,
            Incentive incentive, List<Reason> trace, List<CounterKey> consumedKeys, List<Long> consumedAmounts,
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
     * {@link io.referrals.core.storage.CounterRecords#tryConsume} (all counters or none at each step, halving the step
     * on refusal): the most that fits, found without reading a counter. Records what it took; returns it (0 when
     * there is no room).
     */
    static long consumeUpTo(Counters tx, List<CounterKey> keys, long units, long capacity,
            List<CounterKey> consumedKeys, List<Long> consumedAmounts) {
        long taken = 0;
        long step = units;
        while (step > 0 && taken < units) {
            long s = Math.min(step, units - taken);
            if (tryConsumeAll(tx, keys, s, capacity)) {
                taken += s;
                for (CounterKey key : keys) {
                    consumedKeys.add(key);
                    consumedAmounts.add(s);
                }
            } else {
                step /= 2;
            }
        }
        return taken;
    }

    private static boolean tryConsumeAll(Counters tx, List<CounterKey> keys, long amount, long capacity) {
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
     * The counters a per-advocate limit consumes for an event
     * at {@code at}: one for a calendar period; for a rolling period of {@code n} days, one per window of {@code n}
     * days that contains the event's day (the windows ending on that day and the {@code n - 1} days after), so that
     * every window is capped by its own counter, at the precision of a day (UTC).
     */
    static List<Keys.LimitCounters> perAdvocateKeys(ProgramId program, Limit.PerAdvocate l, Advocate advocate,
            Instant at) {
        String who = who(l, advocate);
        if (l.period() instanceof Limit.Period.Rolling rolling) {
            long days = rollingDays(rolling);
            long day = LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay();
            List<Keys.LimitCounters> windows = new ArrayList<>((int) days);
            for (long d = day; d < day + days; d++) {
                windows.add(Keys.limit(program, l.key(), who, "rolling-" + days + "d-" + d));
            }
            return windows;
        }
        return List.of(Keys.limit(program, l.key(), who, Keys.period(l.period(), at)));
    }

    private static long rollingDays(Limit.Period.Rolling rolling) {
        long days = rolling.length().toDays();
        return rolling.length().equals(Duration.ofDays(days)) ? Math.max(1, days) : days + 1;
    }

    /** Gives back what {@code r} consumed of its rule's limits (a reversed or rejected reward frees its share). */
    static void release(StoreTransaction tx, CompiledRuleSet crs, Reward r, Advocate advocate) {
        CompiledRule rule = crs.byId.get(r.ruleId());
        if (rule == null) {
            return;
        }
        ProgramId program = crs.ruleSet.programId();
        for (Limit limit : rule.rule.limits()) {
            if (limit instanceof Limit.PerAdvocate l) {
                for (Keys.LimitCounters window : perAdvocateKeys(program, l, advocate, r.createdAt())) {
                    if (l.maxCount() > 0) {
                        tx.counters().release(window.count(), 1);
                    }
                    long u = units(r.incentive(), l.maxValue());
                    if (u > 0) {
                        tx.counters().release(window.value(), u);
                    }
                }
            } else if (limit instanceof Limit.PerReferral l && r.source().kind() == RewardSource.Kind.REFERRAL) {
                tx.counters().release(Keys.perReferral(program, l.key(), r.source().id()), 1);
            } else if (limit instanceof Limit.Budget l) {
                long u = units(r.incentive(), l.max());
                if (u > 0) {
                    tx.counters().release(Keys.budget(program, l.key()), u);
                }
            } else if (limit instanceof Limit.MaxWinners l) {
                tx.counters().release(Keys.winners(program, l.key()), 1);
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
}
