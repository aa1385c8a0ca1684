package io.referrals.rules;

import io.referrals.core.model.Money;
import java.time.Duration;
import java.util.Objects;

/**
 * A limit on what rules pay. Limits are enforced with the store's atomic counters
 * ({@link io.referrals.core.storage.StoreTransaction#tryConsume}), so they hold however many engines evaluate at
 * once. Rules naming the same limit {@code key} share it. A count limit is all or nothing; a value limit pays what
 * is left of it and says so in the reward's explanation.
 */
public sealed interface Limit {

    /** The counter name shared by the rules that name it. */
    String key();

    /**
     * At most {@code maxCount} rewards (0 = no count limit) and at most {@code maxValue} of value (points, or money
     * in {@code maxValue}'s currency; {@link Value.None} = no value limit) per advocate, or per advocate account when
     * {@code perAccount}, in each {@code period}.
     */
    record PerAdvocate(String key, Period period, long maxCount, Value maxValue, boolean perAccount)
            implements Limit {
        public PerAdvocate {
            Names.requireName(key, "key");
            Objects.requireNonNull(period, "period");
            if (maxCount < 0) {
                throw new IllegalArgumentException("maxCount cannot be negative");
            }
            Objects.requireNonNull(maxValue, "maxValue");
            if (maxCount == 0 && maxValue instanceof Value.None) {
                throw new IllegalArgumentException("a limit needs a maxCount or a maxValue");
            }
        }
    }

    /** At most {@code maxCount} rewards for one referral. */
    record PerReferral(String key, long maxCount) implements Limit {
        public PerReferral {
            Names.requireName(key, "key");
            if (maxCount < 1) {
                throw new IllegalArgumentException("maxCount must be at least 1");
            }
        }
    }

    /** A program budget: at most {@code max} paid in total. */
    record Budget(String key, Value max) implements Limit {
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
            public InPoints {
                if (points < 1) {
                    throw new IllegalArgumentException("a points cap must be at least 1");
                }
            }
        }

        /** A cap in money. */
        record InMoney(Money money) implements Value {
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

    static Limit perAdvocatePerMonth(String key, long maxCount) {
        return new PerAdvocate(key, new Period.Calendar(Period.Unit.MONTH), maxCount, new Value.None(), false);
    }

    static Limit perReferral(String key, long maxCount) {
        return new PerReferral(key, maxCount);
    }

    static Limit maxWinners(String key, long maxWinners) {
        return new MaxWinners(key, maxWinners);
    }

    static Limit budget(String key, Money max) {
        return new Budget(key, new Value.InMoney(max));
    }
}
