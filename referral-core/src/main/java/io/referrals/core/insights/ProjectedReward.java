package io.referrals.core.insights;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import java.util.Objects;

/**
 * A reward a candidate rule set would have produced.
 *
 * @param advocateId the advocate it would belong to
 * @param beneficiary which side would receive it
 * @param ruleId the candidate rule that would produce it
 * @param milestone the milestone it would pay, such as {@code stage:won}
 * @param incentive what it would give
 */
public record ProjectedReward(AdvocateId advocateId, Beneficiary beneficiary, String ruleId, String milestone,
        Incentive incentive) {
    public ProjectedReward {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(beneficiary, "beneficiary");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(milestone, "milestone");
        Objects.requireNonNull(incentive, "incentive");
    }
}
