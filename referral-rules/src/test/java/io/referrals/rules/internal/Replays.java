package io.referrals.rules.internal;

import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.Stage;
import io.referrals.core.storage.CounterKey;
import io.referrals.rules.result.RuleOutcome;

/** Test access to the evaluation internals: judging a rule again, and the counter keys of limits. */
public final class Replays {
    private Replays() {
    }

    /** Judges rule {@code ruleId} again for {@code referral} entering {@code stage}, as the hook did, in {@code w}. */
    public static RuleOutcome replayStage(RuleBook book, UnitOfWork w, Program program, Advocate advocate,
            Referral referral, String ruleId, Stage stage) {
        CompiledRuleSet crs = book.pinned(program.id(), referral.submittedAt(), w.now());
        Facts facts = book.facts(w.store(), crs, program, advocate, referral, w.now());
        return book.judge(w, crs, crs.byId.get(ruleId), facts, crs.stageMilestone(stage), crs.stageReason(stage),
                RewardSource.referral(referral.id()));
    }

    /** The counter of rewards paid under a per-advocate limit in one calendar period, such as {@code 2026}. */
    public static CounterKey perAdvocateCount(ProgramId program, String key, String who, String period) {
        return Keys.limit(program, key, who, period).count();
    }
}
