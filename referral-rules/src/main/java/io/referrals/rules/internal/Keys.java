package io.referrals.rules.internal;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.storage.CounterKey;
import io.referrals.rules.definition.Limit;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;

/**
 * Deterministic counter keys, so that every engine sharing a store counts in the same place, each built with
 * {@link CounterKey#of}. The layout is part of the stored data: changing it would reset caps.
 */
final class Keys {
    private Keys() {
    }

    /** The two counters of a per-advocate limit in one period: rewards counted, and value consumed. */
    record LimitCounters(CounterKey count, CounterKey value) {
    }

    static LimitCounters limit(ProgramId program, String key, String who, String period) {
        return new LimitCounters(CounterKey.of("rules-limit", program.value(), key, who, period, "count"),
                CounterKey.of("rules-limit", program.value(), key, who, period, "value"));
    }

    static CounterKey budget(ProgramId program, String key) {
        return CounterKey.of("rules-budget", program.value(), key);
    }

    static CounterKey winners(ProgramId program, String key) {
        return CounterKey.of("rules-winners", program.value(), key);
    }

    static CounterKey perReferral(ProgramId program, String key, String referralId) {
        return CounterKey.of("rules-per-referral", program.value(), key, referralId);
    }

    static CounterKey stageMark(ProgramId program, ReferralId referral, Stage stage) {
        return CounterKey.of("rules-counted", program.value(), referral.value(), stage.name());
    }

    static CounterKey stageCount(ProgramId program, AdvocateId advocate, Stage stage) {
        return CounterKey.of("rules-stage-count", program.value(), advocate.value(), stage.name());
    }

    static CounterKey stageCountInYear(ProgramId program, AdvocateId advocate, Stage stage, int year) {
        return CounterKey.of("rules-stage-count", program.value(), advocate.value(), stage.name(),
                Integer.toString(year));
    }

    static CounterKey contestEnded(ProgramId program, String contest) {
        return CounterKey.of("rules-contest-ended", program.value(), contest);
    }

    static CounterKey stock(ProgramId program, String item) {
        return CounterKey.of("rules-stock", program.value(), item);
    }

    /** The mark of a ledger credit whose points expired. */
    static CounterKey expired(AdvocateId advocate, String creditEntryId) {
        return CounterKey.of("rules-expired", advocate.value(), creditEntryId);
    }

    static CounterKey fulfilmentAttempts(String rewardId) {
        return CounterKey.of("rules-fulfilment-attempts", rewardId);
    }

    /** How many times in a row the host's approver deferred a reward (or failed on it). */
    static CounterKey approvalDeferrals(String rewardId) {
        return CounterKey.of("rules-approval-deferrals", rewardId);
    }

    /** The label of the calendar period containing {@code at}, in UTC. */
    static String period(Limit.Period period, Instant at) {
        if (period instanceof Limit.Period.Ever) {
            return "ever";
        }
        LocalDate d = LocalDate.ofInstant(at, ZoneOffset.UTC);
        Limit.Period.Unit unit = ((Limit.Period.Calendar) period).unit();
        return switch (unit) {
            case DAY -> d.toString();
            case WEEK -> d.get(IsoFields.WEEK_BASED_YEAR) + "-W" + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTH -> d.getYear() + "-" + d.getMonthValue();
            case QUARTER -> d.getYear() + "-Q" + d.get(IsoFields.QUARTER_OF_YEAR);
            case YEAR -> Integer.toString(d.getYear());
        };
    }

    static int year(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).getYear();
    }
}
