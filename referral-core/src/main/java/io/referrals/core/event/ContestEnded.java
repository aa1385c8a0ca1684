package io.referrals.core.event;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import java.util.List;

/**
 * A contest ended; {@code winners} in rank order.
 */
public record ContestEnded(EventMetadata metadata, ProgramId programId, String contestId, List<AdvocateId> winners) implements ReferralEvent {
    public ContestEnded {
        winners = List.copyOf(winners);
    }

    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onContestEnded(this);
    }
}
