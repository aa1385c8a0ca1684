package io.referrals.storage.jdbc.simulation;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Defects of issue 11 that the simulation finds, each with the invariant (and the scenario) that finds it. While a
 * defect is listed in {@link #TOLERATED}, the simulation neither checks its invariant nor runs the scenario that would
 * make it cascade into other invariants, so that this branch stays green until the fix is merged.
 *
 * <p>The one place to flip: once a fix is merged, remove its defect from {@link #TOLERATED}. To see which defects the
 * current code still has, run with {@code -Dsimulation.strict=true} (nothing tolerated), or tolerate an explicit list
 * with {@code -Dsimulation.tolerate=DEFECT_4_STALLED_REWARDS,DEFECT_8_OUTBOX_ONE_PER_POLL} ({@code none} for none).
 */
enum Known {
    /** 1: a store on a plain DataSource commits the host's transaction. Invariant: a host rollback leaves nothing. */
    DEFECT_1_STORE_COMMITS_HOST_TRANSACTION,
    /** 2: in-process listeners hear work the host rolls back. Invariant: listeners hear only committed events. */
    DEFECT_2_LISTENERS_HEAR_ROLLED_BACK_WORK,
    /**
     * 3: a persistent store without a match-key secret. Invariant: a prospect referred again within the protection
     * window is never accepted twice, across engine restarts.
     */
    DEFECT_3_NO_STABLE_MATCH_KEY_SECRET,
    /** 4: deferred approvals and exhausted fulfilments stay due. Invariant: no due reward stuck past its bound. */
    DEFECT_4_STALLED_REWARDS,
    /** 5: events of one referral reach in-process listeners out of order. Invariant: every stream in order. */
    DEFECT_5_EVENTS_OUT_OF_ORDER,
    /** 6: an idempotent replay differs from the first result. Invariant: replays equal the first result. */
    DEFECT_6_REPLAY_DIFFERS,
    /** 7: a large transaction fails on PostgreSQL. Invariant: a transaction of any size commits. */
    DEFECT_7_LARGE_TRANSACTION_FAILS,
    /** 8: the outbox delivers one event per stream per poll. Invariant: one dispatcher pass drains what is due. */
    DEFECT_8_OUTBOX_ONE_PER_POLL,
    /** 9: concurrent captures of different prospects deadlock on MariaDB. Invariant: they all succeed. */
    DEFECT_9_CONCURRENT_CAPTURES_DEADLOCK,
    /** 11: contests count rejected referrals. Invariant: a contest score counts no rejected referral. */
    DEFECT_11_CONTESTS_COUNT_REJECTED;

    /**
     * The defects whose fixes are not merged: their checks are off. Empty: every fix of issue 11 is merged, so every
     * invariant is checked. To see what the simulation finds when a defect is put back, put the defect back and run
     * with its invariant on (the default); {@code -Dsimulation.tolerate=...} turns checks off for an experiment.
     */
    static final Set<Known> TOLERATED = EnumSet.noneOf(Known.class);

    private static final Set<Known> ACTIVE_TOLERANCE = resolve();

    /** True when this defect's invariant is checked (and its scenario run) in this build. */
    boolean checked() {
        return !ACTIVE_TOLERANCE.contains(this);
    }

    /** The tolerated set in force: {@link #TOLERATED} unless a system property says otherwise. */
    static Set<Known> tolerated() {
        return ACTIVE_TOLERANCE.isEmpty() ? EnumSet.noneOf(Known.class) : EnumSet.copyOf(ACTIVE_TOLERANCE);
    }

    private static Set<Known> resolve() {
        if (Boolean.getBoolean("simulation.strict")) {
            return EnumSet.noneOf(Known.class);
        }
        String list = System.getProperty("simulation.tolerate");
        if (list == null) {
            return TOLERATED.isEmpty() ? EnumSet.noneOf(Known.class) : EnumSet.copyOf(TOLERATED);
        }
        Set<Known> out = EnumSet.noneOf(Known.class);
        if (list.isBlank() || list.strip().equalsIgnoreCase("none")) {
            return out;
        }
        Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> valueOf(s.toUpperCase(Locale.ROOT))).forEach(out::add);
        return out;
    }
}
