package io.referrals.rules;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;

/**
 * Deterministic counter keys, so that every engine sharing a store counts in the same place. The layout is part of
 * the stored data: changing it would reset caps.
 */
final class Keys {
    private Keys() {
    }

    static String limit(ProgramId program, String key, String who, String period) {
        return "rules:" + program.value() + ":limit:" + key + ":" + who + ":" + period;
    }

    static String budget(ProgramId program, String key) {
        return "rules:" + program.value() + ":budget:" + key;
    }

    static String winners(ProgramId program, String key) {
        return "rules:" + program.value() + ":winners:" + key;
    }

    static String perReferral(ProgramId program, String key, String referralId) {
        return "rules:" + program.value() + ":limit:" + key + ":referral:" + referralId;
    }

    static String stageMark(ProgramId program, ReferralId referral, Stage stage) {
        return "rules:" + program.value() + ":counted:" + referral.value() + ":" + stage.name();
    }

    static String stageCount(ProgramId program, AdvocateId advocate, Stage stage) {
        return "rules:" + program.value() + ":count:" + advocate.value() + ":" + stage.name();
    }

    static String stageCountInYear(ProgramId program, AdvocateId advocate, Stage stage, int year) {
        return stageCount(program, advocate, stage) + ":" + year;
    }

    static String contestEnded(ProgramId program, String contest) {
        return "rules:" + program.value() + ":contest:" + contest + ":ended";
    }

    static String stock(ProgramId program, String item) {
        return "rules:" + program.value() + ":stock:" + item;
    }

    /** The mark of a ledger credit whose points expired. */
    static String expired(AdvocateId advocate, String creditEntryId) {
        return "rules:expired:" + advocate.value() + ":" + creditEntryId;
    }

    static String fulfilmentAttempts(String rewardId) {
        return "rules:fulfilment:" + rewardId + ":attempts";
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
