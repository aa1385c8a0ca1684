package io.referrals.rules.definition;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A limit on what rules pay. Limits are enforced with the store's atomic counters
 * ({@link io.referrals.core.storage.CounterRecords#tryConsume}), so they hold however many engines evaluate at
 * once. Rules naming the same limit {@code key} share it. A count limit is all or nothing; a value limit pays what
 * is left of it and says so in the reward's explanation.
 *
 * <pre>{@code
 * Limit.perAdvocate("yearly-cap").perYear().perAccount().maxValue(Money.of("10000", "USD"))
 * Limit.perAdvocate("monthly").perMonth().maxCount(5)
 * Limit.perReferral("once", 1)
 * Limit.budget("launch-budget", Money.of("50000", "USD"))
 * Limit.maxWinners("quiz", 3)
 * }</pre>
 */
public sealed interface Limit {

    /** The counter name shared by the rules that name it. */
    String key();

    /**
     * At most {@code maxCount} rewards (0 = no count limit) and at most {@code maxValue} of value (points, or money
     * in {@code maxValue}'s currency; {@link Value.None} = no value limit) per advocate, or per advocate account when
     * {@code perAccount}, in each {@code period}. Build one with {@link Limit#perAdvocate(String)}.
     *
     * @param key the counter name
     * @param period what the limit counts over
     * @param maxCount the most rewards in a period, or 0 for no count limit
     * @param maxValue the most value in a period, or {@link Value.None}
     * @param perAccount true to count per advocate account instead of per advocate
     */
    record PerAdvocate(String key, Period period, long maxCount, Value maxValue, boolean perAccount)
            implements Limit {
        /**
         * @throws NullPointerException if {@code period} or {@code maxValue} is null
         * @throws ValidationException naming every problem: a key that is not a name, a negative count, neither a
         *     count nor a value limit
         */
        public PerAdvocate {
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(maxValue, "maxValue");
            RuleSetChecks.throwIfAny(problems(key, period, maxCount, maxValue));
        }

        private static List<FieldError> problems(String key, Period period, long maxCount, Value maxValue) {
            List<FieldError> problems = new ArrayList<>();
            RuleSetChecks.name(key, "key", "a limit key", problems);
            if (period == null) {
                problems.add(new FieldError("period", "required",
                        "a per-advocate limit needs a period: perDay() ... perYear(), ever() or rolling(...)"));
            }
            if (maxCount < 0) {
                problems.add(new FieldError("maxCount", "invalid_value", "maxCount must be at least 1"));
            }
            if (maxCount == 0 && maxValue instanceof Value.None) {
                problems.add(new FieldError("maxCount", "required", "a limit needs a maxCount or a maxValue"));
            }
            return problems;
        }

        /**
         * Builds a {@link PerAdvocate} limit, each method naming what it sets:
         * {@code Limit.perAdvocate("yearly-cap").perYear().maxValue(Money.of("10000", "USD"))}. Immutable: each
         * method returns a new builder, so a builder can be shared. Each method refuses a bad argument at once; a
         * missing period or cap is reported by {@link #build()}, or with every other problem of the rule it is added
         * to.
         */
        public static final class Builder {
            private final String key;
            private final Period period;
            private final long maxCount;
            private final Value maxValue;
            private final boolean perAccount;

            private Builder(String key, Period period, long maxCount, Value maxValue, boolean perAccount) {
                this.key = key;
                this.period = period;
                this.maxCount = maxCount;
                this.maxValue = maxValue;
                this.perAccount = perAccount;
            }

            /** Counts over {@code period}. */
            public Builder period(Period period) {
                return new Builder(key, Objects.requireNonNull(period, "period"), maxCount, maxValue, perAccount);
            }

            /** Counts per calendar day (UTC). */
            public Builder perDay() {
                return period(new Period.Calendar(Period.Unit.DAY));
            }

            /** Counts per ISO week (UTC). */
            public Builder perWeek() {
                return period(new Period.Calendar(Period.Unit.WEEK));
            }

            /** Counts per calendar month (UTC). */
            public Builder perMonth() {
                return period(new Period.Calendar(Period.Unit.MONTH));
            }

            /** Counts per calendar quarter (UTC). */
            public Builder perQuarter() {
                return period(new Period.Calendar(Period.Unit.QUARTER));
            }

            /** Counts per calendar year (UTC). */
            public Builder perYear() {
                return period(new Period.Calendar(Period.Unit.YEAR));
            }

            /** Counts over the whole life of the program. */
            public Builder ever() {
                return period(new Period.Ever());
            }

            /**
             * Counts over any window of {@code length}, rounded up to whole days.
             *
             * @throws IllegalArgumentException if {@code length} is not positive
             */
            public Builder rolling(Duration length) {
                return period(new Period.Rolling(length));
            }

            /**
             * At most {@code maxCount} rewards per period.
             *
             * @throws IllegalArgumentException if {@code maxCount} is less than 1
             */
            public Builder maxCount(long maxCount) {
                if (maxCount < 1) {
                    throw new IllegalArgumentException("maxCount must be at least 1: " + maxCount);
                }
                return new Builder(key, period, maxCount, maxValue, perAccount);
            }

            /**
             * At most {@code maxPoints} points per period (rewards in money are not counted).
             *
             * @throws IllegalArgumentException if {@code maxPoints} is less than 1
             */
            public Builder maxPoints(long maxPoints) {
                return new Builder(key, period, maxCount, new Value.InPoints(maxPoints), perAccount);
            }

            /**
             * At most {@code maxValue} per period, in its currency (rewards in points or other currencies are not
             * counted).
             *
             * @throws IllegalArgumentException if {@code maxValue} is not more than zero
             */
            public Builder maxValue(Money maxValue) {
                return new Builder(key, period, maxCount, new Value.InMoney(maxValue), perAccount);
            }

            /** Counts per advocate account (all the advocates of one company together) rather than per advocate. */
            public Builder perAccount() {
                return new Builder(key, period, maxCount, maxValue, true);
            }

            /**
             * The limit.
             *
             * @throws ValidationException naming every problem
             */
            public PerAdvocate build() {
                RuleSetChecks.throwIfAny(problems());
                return new PerAdvocate(key, period, maxCount, maxValue, perAccount);
            }

            /** Every problem {@link #build()} would report; empty if it would succeed. */
            List<FieldError> problems() {
                return PerAdvocate.problems(key, period, maxCount, maxValue);
            }
        }
    }

    /** At most {@code maxCount} rewards for one referral. */
    record PerReferral(String key, long maxCount) implements Limit {
        /** @throws IllegalArgumentException if the key is not a name or {@code maxCount} is less than 1 */
        public PerReferral {
            Names.requireName(key, "key");
            if (maxCount < 1) {
                throw new IllegalArgumentException("maxCount must be at least 1");
            }
        }
    }

    /** A program budget: at most {@code max} paid in total. */
    record Budget(String key, Value max) implements Limit {
        /** @throws IllegalArgumentException if the key is not a name or {@code max} is {@link Value.None} */
        public Budget {
            Names.requireName(key, "key");
            Objects.requireNonNull(max, "max");
            if (max instanceof Value.None) {
                throw new IllegalArgumentException("a budget needs a maximum");
            }
        }
    }

    /** At most {@code maxWinners} rewards in all: a challenge only the first advocates can complete. */
    record MaxWinners(String key, long maxWinners) implements Limit {
        /** @throws IllegalArgumentException if the key is not a name or {@code maxWinners} is less than 1 */
        public MaxWinners {
            Names.requireName(key, "key");
            if (maxWinners < 1) {
                throw new IllegalArgumentException("maxWinners must be at least 1");
            }
        }
    }

    /** A value cap: points, or money. */
    sealed interface Value {
        /** No value cap. */
        record None() implements Value {
        }

        /** A cap in points. */
        record InPoints(long points) implements Value {
            /** @throws IllegalArgumentException if {@code points} is less than 1 */
            public InPoints {
                if (points < 1) {
                    throw new IllegalArgumentException("a points cap must be at least 1");
                }
            }
        }

        /** A cap in money. */
        record InMoney(Money money) implements Value {
            /** @throws IllegalArgumentException if {@code money} is not more than zero */
            public InMoney {
                Objects.requireNonNull(money, "money");
                if (money.amount().signum() <= 0) {
                    throw new IllegalArgumentException("a money cap must be more than zero");
                }
            }
        }
    }

    /** The period a per-advocate limit counts over. */
    sealed interface Period {
        /** A calendar period in UTC: the counter starts again on the 1st of each month, quarter or year. */
        record Calendar(Unit unit) implements Period {
            public Calendar {
                Objects.requireNonNull(unit, "unit");
            }
        }

        /**
         * Any window of {@code length} (rounded up to whole days, UTC): the cap holds for every such window of
         * days, each counted by its own atomic counter.
         */
        record Rolling(Duration length) implements Period {
            /** @throws IllegalArgumentException if {@code length} is not positive */
            public Rolling {
                Objects.requireNonNull(length, "length");
                if (length.isNegative() || length.isZero()) {
                    throw new IllegalArgumentException("a rolling period must be positive");
                }
            }
        }

        /** The whole life of the program. */
        record Ever() implements Period {
        }

        /** Calendar units. */
        enum Unit {
            DAY, WEEK, MONTH, QUARTER, YEAR
        }
    }

    /**
     * A limit per advocate, to finish with a period and a count or value cap, for example
     * {@code Limit.perAdvocate("yearly-cap").perYear().maxValue(Money.of("10000", "USD"))}.
     *
     * @throws IllegalArgumentException if {@code key} is not a name
     */
    static PerAdvocate.Builder perAdvocate(String key) {
        return new PerAdvocate.Builder(Names.requireName(key, "key"), null, 0, new Value.None(), false);
    }

    /**
     * At most {@code maxCount} rewards for one referral.
     *
     * @throws IllegalArgumentException if the key is not a name or {@code maxCount} is less than 1
     */
    static Limit perReferral(String key, long maxCount) {
        return new PerReferral(key, maxCount);
    }

    /**
     * At most {@code maxWinners} rewards in all.
     *
     * @throws IllegalArgumentException if the key is not a name or {@code maxWinners} is less than 1
     */
    static Limit maxWinners(String key, long maxWinners) {
        return new MaxWinners(key, maxWinners);
    }

    /**
     * A program budget in money: at most {@code max} paid in total, in its currency.
     *
     * @throws IllegalArgumentException if the key is not a name or {@code max} is not more than zero
     */
    static Limit budget(String key, Money max) {
        return new Budget(key, new Value.InMoney(max));
    }

    /**
     * A program budget in points: at most {@code maxPoints} points paid in total.
     *
     * @throws IllegalArgumentException if the key is not a name or {@code maxPoints} is less than 1
     */
    static Limit pointsBudget(String key, long maxPoints) {
        return new Budget(key, new Value.InPoints(maxPoints));
    }
}
