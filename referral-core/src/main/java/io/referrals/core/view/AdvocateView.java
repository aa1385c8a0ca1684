package io.referrals.core.view;

import io.referrals.core.model.AdvocateId;
import java.util.List;
import java.util.Objects;

/**
 * What one advocate sees: their programs, the first page of their referrals, rewards and points history, and their
 * points balance. Read in one store transaction, so the parts agree with each other.
 *
 * @param advocateId the advocate
 * @param displayName how to address them
 * @param programs the programs they are enrolled in, by program id
 * @param referrals their referrals, newest submitted first
 * @param rewards their rewards, newest earned first
 * @param pointsBalance their points balance
 * @param points their points history, newest first
 */
public record AdvocateView(AdvocateId advocateId, String displayName, List<ProgramCard> programs,
        Page<ReferralLine> referrals, Page<RewardLine> rewards, long pointsBalance, Page<PointsLine> points) {

    /** @throws NullPointerException if an argument or an element is null */
    public AdvocateView {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(displayName, "displayName");
        programs = List.copyOf(programs);
        Objects.requireNonNull(referrals, "referrals");
        Objects.requireNonNull(rewards, "rewards");
        Objects.requireNonNull(points, "points");
    }
}
