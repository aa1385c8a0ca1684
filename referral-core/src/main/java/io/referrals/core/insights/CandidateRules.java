package io.referrals.core.insights;

import io.referrals.core.model.Program;
import java.util.List;

/**
 * A candidate rule set to backtest: what it would award over a program's past referrals. Implemented by a rules
 * engine (the {@code referral-rules} module) around a rule set that is not active; run by
 * {@link io.referrals.core.ProgramInsights#backtest}, which never touches the ledger, rewards or counters.
 *
 * <p>Obligations of an implementation: {@link #begin} returns a fresh evaluation each time; an evaluation writes
 * nothing anywhere (caps, budgets and contest state it applies are kept in the evaluation's memory); and
 * {@link Evaluation#evaluate} returns, for one referral's history, every reward the candidate would have produced for
 * it over its whole history, in any order.
 */
public interface CandidateRules {

    /** A short name for reports, such as the rule set's id and version. */
    String name();

    /** Starts a single-threaded evaluation over {@code program}'s referrals, which arrive in id order. */
    Evaluation begin(Program program);

    /** One pass over a program's history. Used by one thread. */
    interface Evaluation {
        /** The rewards the candidate would have produced for this referral. */
        List<ProjectedReward> evaluate(ReferralHistory history);
    }
}
