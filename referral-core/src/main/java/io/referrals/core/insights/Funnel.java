package io.referrals.core.insights;

import io.referrals.core.model.Outcome;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import java.util.ArrayList;
import java.util.List;

/**
 * The funnel of a pipeline: its open stages in declared order, then its terminal stages whose outcome is
 * {@link Outcome#WON}. Lost and rejected stages are exits, not funnel steps.
 *
 * <p>A referral's <b>furthest funnel stage</b> is the funnel stage of highest position among its initial stage and the
 * stages its timeline entered. A referral <b>reached</b> a funnel stage when its furthest stage is that stage or a
 * later one; this counts a referral that skipped stages (CRMs do) in every stage it passed over.
 */
public final class Funnel {
    private Funnel() {
    }

    /** The funnel stages of {@code pipeline}, in order. */
    public static List<Stage> stages(StagePipeline pipeline) {
        List<Stage> funnel = new ArrayList<>();
        for (Stage s : pipeline.stages()) {
            if (!pipeline.isTerminal(s)) {
                funnel.add(s);
            }
        }
        for (Stage s : pipeline.stages()) {
            if (pipeline.outcome(s).orElse(null) == Outcome.WON) {
                funnel.add(s);
            }
        }
        return List.copyOf(funnel);
    }
}
